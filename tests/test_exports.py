"""Every download is named, typed and answered by its registered exporter; nothing else builds a download."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.http import content_disposition_header

from evaluations.enums import TeamRole
from rubrics.models import IndicatorSystem, ProjectForm
from surveys.services import load_demo_surveys
from tests.factories import SMALL_TREE, EvaluationFactory, small_rubric, team

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
APPS = ("evalsite", "evaluations", "surveys", "rubrics", "reports")


def test_the_registry_holds_every_kind_of_download():
    from reports.exports import EXPORTERS

    assert {exporter.identifier for exporter in EXPORTERS} == {
        "docx", "pdf", "xlsx", "selfeval-xlsx", "selfeval-docx",
        "annex1-xlsx", "template-annex1-xlsx", "annex2-xlsx", "budget-xlsx", "respondent-xlsx", "working-papers-xlsx",
        "project-form-xlsx", "project-form-docx",
    }


def test_every_download_answers_with_its_exporters_name_and_type(client):
    from reports.exports import EXPORTERS

    evaluation = small_rubric(EvaluationFactory())
    questionnaire = load_demo_surveys(evaluation)[0]
    template = IndicatorSystem.objects.filter(firm=evaluation.firm).first()
    project = ProjectForm.objects.create(
        evaluation=evaluation, name="政务服务经费", tree=SMALL_TREE,
        funds=[{"label": "年度资金总额", "initial": "245", "adjusted": "291.54", "final": "291.54"}],
    )
    client.force_login(team(evaluation)[TeamRole.LEAD])
    downloads = [
        *((("report_download", evaluation.pk, fmt), fmt, evaluation) for fmt in ("docx", "pdf", "xlsx", "selfeval-xlsx", "selfeval-docx")),
        (("rubric_xlsx", evaluation.pk), "annex1-xlsx", evaluation),
        (("system_xlsx", template.pk), "template-annex1-xlsx", template),
        (("survey_annex_xlsx", evaluation.pk), "annex2-xlsx", evaluation),
        (("budget_xlsx", evaluation.pk), "budget-xlsx", evaluation),
        (("survey_template_xlsx", evaluation.pk, questionnaire.pk), "respondent-xlsx", questionnaire),
        *((("project_form_download", evaluation.pk, project.pk, ext), f"project-form-{ext}", project) for ext in ("xlsx", "docx")),
        (("evidence_index_xlsx", evaluation.pk), "working-papers-xlsx", evaluation),
    ]
    for (name, *args), identifier, subject in downloads:
        exporter = EXPORTERS[identifier]
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        assert response["Content-Type"] == exporter.content_type
        assert response["Content-Disposition"] == content_disposition_header(True, exporter.filename(subject))
        assert response.content[:2] == b"%P" if exporter.extension == "pdf" else response.content[:2] == b"PK"
    assert EXPORTERS["docx"].filename(evaluation) == f"2022年度{evaluation.department.name}部门整体支出绩效评价报告.docx"
    assert EXPORTERS["budget-xlsx"].filename(evaluation) == f"2022{evaluation.department.name}预算数据.xlsx"
    assert EXPORTERS["working-papers-xlsx"].filename(evaluation) == f"2022{evaluation.department.name}工作底稿索引.xlsx"


def test_only_the_download_helper_builds_an_attachment():
    builders = sorted(
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "content_disposition_header" in path.read_text(encoding="utf-8")
        or "Content-Disposition" in path.read_text(encoding="utf-8")
    )
    assert builders == ["evalsite/exports.py"]
