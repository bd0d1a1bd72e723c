"""Every workbook prints on A4, fitted to the page width, its table header repeated on each page; drafts say so."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evalsite.lib import write_xlsx
from evaluations.enums import EvaluationStatus, TeamRole
from evaluations.models import Evaluation
from reports.document import build_report
from reports.render_xlsx import render_xlsx
from surveys import services as survey_services
from tests.factories import EvaluationFactory, small_rubric, team

pytestmark = pytest.mark.django_db

DRAFT = "草稿（未签发）"


def opened(content: bytes):
    return load_workbook(io.BytesIO(content))


def assert_a4_fitted_to_width(sheet):
    setup = sheet.page_setup
    assert (int(setup.paperSize), int(setup.fitToWidth), int(setup.fitToHeight)) == (9, 1, 0), sheet.title
    assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
    assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"


def test_the_draft_report_workbook_prints_on_a4_with_its_headers_repeated_and_the_draft_mark(yanjin):
    workbook = opened(yanjin.xlsx)
    for sheet in workbook:
        assert_a4_fitted_to_width(sheet)
        assert sheet.oddHeader.center.text == DRAFT
    annex = workbook["附件1 指标体系评分表"]
    assert annex.print_title_rows == "$2:$2"  # the caption is row 1, the column headers row 2
    assert annex.page_setup.orientation == "landscape"
    expenditure = workbook["表2-2 支出"]
    assert expenditure.print_title_rows == "$3:$4"  # caption, unit, then two header rows
    assert expenditure.page_setup.orientation == "portrait"


def test_a_signed_report_workbook_carries_no_draft_mark(yanjin):
    document = build_report(yanjin.data, draft=False, charts=False)
    workbook = opened(render_xlsx(document))
    assert [sheet.oddHeader.center.text for sheet in workbook] == [None] * len(workbook.sheetnames)
    assert_a4_fitted_to_width(workbook["附件1 指标体系评分表"])


def test_every_download_gets_the_print_setup_drafts_their_mark(client):
    evaluation = small_rubric(EvaluationFactory())
    survey_services.load_demo_surveys(evaluation)
    client.force_login(team(evaluation)[TeamRole.LEAD])
    questionnaire = evaluation.questionnaires.first()
    downloads = {
        "budget": reverse("budget_xlsx", args=[evaluation.pk]),
        "annex1": reverse("rubric_xlsx", args=[evaluation.pk]),
        "annex2": reverse("survey_annex_xlsx", args=[evaluation.pk]),
        "respondents": reverse("survey_template_xlsx", args=[evaluation.pk, questionnaire.pk]),
        "selfeval": reverse("report_download", args=[evaluation.pk, "selfeval-xlsx"]),
    }
    books = {name: opened(client.get(url).content) for name, url in downloads.items()}
    for name, workbook in books.items():
        for sheet in workbook:
            assert_a4_fitted_to_width(sheet)
            marked = name in ("annex1", "annex2", "selfeval")  # the report's own files; data forms are not drafts
            assert sheet.oddHeader.center.text == (DRAFT if marked else None), (name, sheet.title)
    assert books["annex1"].active.print_title_rows == "$2:$2"
    assert books["respondents"]["答卷"].print_title_rows == "$1:$1"
    assert books["annex2"].active.print_title_rows is None  # one table per question: no single header to repeat

    Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.SIGNED)
    signed = opened(client.get(downloads["annex1"]).content)
    assert signed.active.oddHeader.center.text is None


def test_header_rows_are_found_only_for_one_header_block():
    workbook = write_xlsx.new_workbook()
    one, two = workbook.create_sheet("one"), workbook.create_sheet("two")
    for sheet in (one, two):
        write_xlsx.title(sheet, 1, "表", 3)
        write_xlsx.put(sheet, 2, 1, "项目", header=True)
        write_xlsx.put(sheet, 3, 1, "数值")
    write_xlsx.put(two, 5, 1, "第二张表", header=True)
    assert write_xlsx.header_rows(one) == (2, 2)
    assert write_xlsx.header_rows(two) is None
