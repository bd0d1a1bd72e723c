"""Seed 001's three 项目支出绩效自评表: imported from the form, scored by the engine, rendered back with their figures.

The first form's rows give 99 (its indicators 89 and the funds block's 10)
beside its printed 总分 of 89: the import warns, the engine's total stands.
The other two print 88 beside 98 in the same way.
"""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.enums import TeamRole
from reports.document import build_report
from reports.exports import PROJECT_FORMS
from reports.queries import report_data
from rubrics.indicator_xlsx import read_indicator_workbook
from rubrics.models import ProjectForm
from rubrics.queries import project_form_result
from tests.factories import EvaluationFactory, team
from tests.reports.conftest import open_docx
from tests.selfeval.seed_001 import DEPARTMENT, PARTY, PLATFORM, PROJECTS, SERVICE_FUNDS, form_bytes, projects_workbook

pytestmark = pytest.mark.django_db

ENGINE_TOTALS = {SERVICE_FUNDS.project: Decimal("99.00"), PLATFORM.project: Decimal("98.00"), PARTY.project: Decimal("98.00")}


def hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def figures(imported) -> list[tuple]:
    """Every indicator row of a form as read: levels, name, 年度指标值, 实际完成值, 分值, 得分."""
    rows = []
    for first in imported.system["indicators"]:
        for second in first["children"]:
            for leaf in second["children"]:
                if leaf["code"] == imported.execution_code:
                    continue
                judgment = imported.judgments[leaf["code"]]
                rows.append((first["name"], second["name"], leaf["name"], leaf["target"], judgment["actual"],
                             Decimal(leaf["weight"]), Decimal(judgment["inputs"]["score"])))
    return rows


def expected_figures(form) -> list[tuple]:
    rows, first, second = [], None, None
    for level1, level2, level3, target, actual, weight, score, _deviation in form.rows:
        first, second = level1 or first, level2 or second
        rows.append((first, second, level3.split(": ", 1)[-1], target, actual, weight, score))
    return rows


@pytest.fixture
def evaluation():
    return EvaluationFactory(year=2022, department__name="武威市政府政务服务中心")


@pytest.fixture
def lead(client, evaluation):
    client.force_login(team(evaluation)[TeamRole.LEAD])
    return client


def import_sheet(client, evaluation, sheet: str) -> str:
    """Upload the workbook of three forms, pick ``sheet``, confirm; the preview page shown before confirming."""
    url = reverse("project_form_import", args=[evaluation.pk])
    first = client.post(url, {"file": SimpleUploadedFile("项目自评表.xlsx", projects_workbook())}).content.decode()
    page = client.post(url, {"source": hidden(first, "source"), "sheet": sheet}).content.decode()
    answer = client.post(reverse("project_form_import_confirm", args=[evaluation.pk]), {"token": hidden(page, "token")})
    assert answer.status_code == 302
    return page


@pytest.mark.parametrize("form", PROJECTS, ids=[form.project for form in PROJECTS])
def test_each_form_reads_as_it_prints(form):
    imported = read_indicator_workbook(form_bytes(form))
    assert (imported.form.kind, imported.form.project) == ("project", form.project)
    assert (imported.form.supervisor, imported.form.implementer) == ("武威市人民政府办公室", "武威市政府政务服务中心")
    assert figures(imported) == expected_figures(form)
    assert [(n["name"], n["weight"]) for n in imported.system["indicators"]] == [
        ("预算执行率", "10"), ("产出指标", "50"), ("效益指标", "30"), ("满意度指标", "10"),
    ]
    assert (imported.form.goals, imported.form.outcome) == (form.goals, form.outcome)


def test_the_first_form_warns_that_its_rows_give_99_beside_its_printed_89(lead, evaluation):
    page = import_sheet(lead, evaluation, SERVICE_FUNDS.project)
    assert "合计得分89与各行得分与预算执行率得分合计99不一致；合计不导入，将按各行得分重新计算" in page
    assert 'data-testid="preview-total">99.00<' in page
    project = ProjectForm.objects.get(evaluation=evaluation)
    assert project.stated_total == Decimal(89)
    assert project_form_result(project).total == Decimal("99.00")


def test_three_forms_imported_and_listed_with_the_engine_totals(lead, evaluation):
    for form in PROJECTS:
        import_sheet(lead, evaluation, form.project[:20])
    projects = list(ProjectForm.objects.filter(evaluation=evaluation))
    assert [p.name for p in projects] == [form.project for form in PROJECTS]
    assert {p.name: project_form_result(p).total for p in projects} == ENGINE_TOTALS
    page = lead.get(reverse("project_forms", args=[evaluation.pk])).content.decode()
    totals = re.findall(r'data-testid="project-total">([^<]+)<', page)
    assert totals == ["99.00", "98.00", "98.00"]


@pytest.fixture
def imported_projects(lead, evaluation):
    for form in PROJECTS:
        import_sheet(lead, evaluation, form.project[:20])
    return {p.name: p for p in ProjectForm.objects.filter(evaluation=evaluation)}


@pytest.mark.parametrize("form", PROJECTS, ids=[form.project for form in PROJECTS])
def test_each_form_renders_back_to_xlsx_with_its_figures(imported_projects, form):
    project = imported_projects[form.project]
    rendered = PROJECT_FORMS["xlsx"].render(project)
    again = read_indicator_workbook(rendered)
    assert figures(again) == expected_figures(form)
    assert again.form.project == form.project
    line = again.form.funds[0]
    assert (line.label, line.initial, line.adjusted, line.final) == (
        "年度资金总额", form.funds[0][1], form.funds[0][2], form.funds[0][3]
    )
    assert (again.form.goals, again.form.outcome, again.form.note) == (form.goals, form.outcome, form.note)
    assert again.stated_total == ENGINE_TOTALS[form.project]
    assert again.warnings == []
    sheet = load_workbook(io.BytesIO(rendered)).active
    assert sheet["A1"].value == "2022年武威市政府政务服务中心预算项目支出绩效自评表"


def test_a_form_renders_to_docx_with_its_figures(imported_projects):
    project = imported_projects[SERVICE_FUNDS.project]
    word = open_docx(PROJECT_FORMS["docx"].render(project))
    cells = [[cell.text for cell in row.cells] for row in word.tables[0].rows]
    assert ["项目名称", *["政务服务经费"] * 8] == cells[0]
    assert ["项目资金（万元）", "年度资金总额", "年度资金总额", "245.00", "291.54", "291.54", "10.00", "100.00%", "10.00"] in cells
    row = next(row for row in cells if "指标7：群众来电咨询接听率" in row)
    assert row[-5:-1] == ["100%", "87%", "4.00", "3.00"]
    assert row[-1].startswith("12345便民热线接通率")
    assert next(row for row in cells if row[0] == "总分")[-3:-1] == ["100.00", "99.00"]
    assert PROJECT_FORMS["docx"].filename(project) == "2022年政务服务经费项目支出绩效自评表.docx"


def test_the_report_carries_the_forms_chosen_as_its_last_annex(lead, evaluation, imported_projects):
    document = build_report(report_data(evaluation), charts=False)
    captions = [block.caption for block in document.blocks if getattr(block, "kind", "") == "table" and block.caption]
    assert [c for c in captions if c.endswith(tuple(form.project for form in PROJECTS))] == [
        "1．政务服务经费", "2．武威市市级政务服务平台对接改造项目", "3．党支部标准化建设项目",
    ]
    texts = [run.text for block in document.blocks if getattr(block, "kind", "") == "paragraph" for run in block.runs]
    assert "2．重点项目支出绩效自评表" in texts  # listed under 附件： (附件1 is the indicator table)
    party = imported_projects[PARTY.project]
    lead.post(reverse("project_form_in_report", args=[evaluation.pk, party.pk]), {"in_report": "0"})
    document = build_report(report_data(evaluation), charts=False)
    captions = [block.caption for block in document.blocks if getattr(block, "kind", "") == "table" and block.caption]
    assert "3．党支部标准化建设项目" not in captions
    assert "2．武威市市级政务服务平台对接改造项目" in captions


def test_a_department_form_is_not_taken_as_a_project(lead, evaluation):
    url = reverse("project_form_import", args=[evaluation.pk])
    page = lead.post(url, {"file": SimpleUploadedFile("自评表.xlsx", form_bytes(DEPARTMENT))}).content.decode()
    assert "没有找到项目支出绩效自评表的“项目资金”栏目" in page
    assert not ProjectForm.objects.exists()


def test_a_project_form_is_not_taken_as_the_department_system(lead, evaluation):
    url = reverse("rubric_import", args=[evaluation.pk])
    page = lead.post(url, {"file": SimpleUploadedFile("项目.xlsx", form_bytes(PLATFORM)), "with_scores": "on"})
    assert "这是一张项目支出绩效自评表" in page.content.decode()
    assert not evaluation.indicators.exists()
