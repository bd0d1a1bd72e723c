"""Every table of the report ends on the same total, also when an indicator is left out."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from reports.document import build_report
from reports.queries import report_data
from reports.render_xlsx import render_xlsx
from reports.selfeval import build_selfeval
from rubrics import services
from rubrics.models import Indicator
from tests.reports.conftest import YANJIN, evaluation_named

pytestmark = pytest.mark.django_db


def last_rows(table, count):
    return [[cell.text for cell in row] for row in table.rows[-count:]]


@pytest.fixture
def yanjin_without_a21():
    call_command("load_demo", stdout=io.StringIO())
    evaluation = evaluation_named(YANJIN)
    a21 = Indicator.objects.get(evaluation=evaluation, code="A21")
    services.save_judgment(a21, inputs={"failures": 3}, user=None, applicable=False, not_applicable_reason="本年度无此项工作")
    return evaluation_named(YANJIN)


def test_not_applicable_indicator_closes_every_table_with_the_same_rows(yanjin_without_a21):
    data = report_data(yanjin_without_a21)
    result = data.scored.result
    assert (result.base_score, result.applicable_weight, result.total) == (Decimal("85.50"), Decimal("98"), Decimal("87.24"))
    document = build_report(data)
    assert last_rows(document.table("summary"), 2) == [["合计", "98.00", "85.50", "87.24%"], ["折算为百分制", "100.00", "87.24", "87.24%"]]
    assert last_rows(document.table("summary_abstract"), 2) == last_rows(document.table("summary"), 2)
    annex = document.table("annex1")
    assert [[row[0], row[1], row[-2], row[-1]] for row in last_rows(annex, 2)] == [
        ["合计", "98.00", "85.50", "87.24%"],
        ["折算为百分制", "100.00", "87.24", "87.24%"],
    ]
    selfeval = build_selfeval(data).table("selfeval")
    assert [row[:3] for row in last_rows(selfeval, 3)[:2]] == [["合计", "98.00", "85.50"], ["总分", "100.00", "87.24"]]


def test_no_placeholder_is_left_unfilled_in_any_sheet(yanjin_without_a21):
    workbook = load_workbook(io.BytesIO(render_xlsx(build_report(report_data(yanjin_without_a21)))))
    leftovers = [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and "{" in cell.value
    ]
    assert leftovers == []


def test_weight_placeholders_follow_the_tables_when_an_indicator_is_left_out(yanjin_without_a21):
    from reports.placeholder_values import placeholder_values

    values = placeholder_values(report_data(yanjin_without_a21))
    assert (values["A2权重"], values["A2得分"], values["A2得分率"]) == ("4.00", "3.00", "75.00%")


def test_indicator_sheet_download_has_no_unfilled_placeholder(client, yanjin_without_a21):
    from django.urls import reverse

    from evaluations.enums import TeamRole

    lead = yanjin_without_a21.memberships.get(role=TeamRole.LEAD).user
    client.force_login(lead)
    response = client.get(reverse("rubric_xlsx", args=[yanjin_without_a21.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    texts = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert any("综合满意度90.43%" in text for text in texts)
    assert not any("{" in text for text in texts)
