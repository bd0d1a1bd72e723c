"""The budget pages: viewing, editing in the browser form, importing with preview, query counts."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations.enums import TeamRole
from evaluations.models import BudgetFigures, EconomicLine
from surveys.services import load_demo_surveys
from tests.factories import YANJIN_BUDGET, EvaluationFactory, economic_line, project, small_rubric, team
from tests.test_budget_xlsx import seed_002_workbook, workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    return EvaluationFactory(budget=YANJIN_BUDGET)


@pytest.fixture
def staff_client(client, evaluation):
    client.force_login(team(evaluation)[TeamRole.STAFF])
    return client


def edit_payload(evaluation, **changes):
    budget = BudgetFigures.objects.get(evaluation=evaluation)
    from evaluations.services import BUDGET_AMOUNT_FIELDS

    data = {name: "" if getattr(budget, name) is None else str(getattr(budget, name)) for name in BUDGET_AMOUNT_FIELDS}
    data.update(
        {
            "economic-TOTAL_FORMS": "1", "economic-INITIAL_FORMS": "0",
            "economic-0-category": "wages", "economic-0-name": "基本工资", "economic-0-amount": "82.60",
            "projects-TOTAL_FORMS": "0", "projects-INITIAL_FORMS": "0",
        }
    )
    data.update(changes)
    return data


def test_budget_page_shows_seed_tables_and_ratios(staff_client, evaluation):
    page = staff_client.get(reverse("budget_detail", args=[evaluation.pk])).content.decode()
    assert "预算调整率 = (335.96 − 354.31) / 354.31 = -5.18%" in page
    assert "在职人员控制率 = 20 / 21 = 95.24%" in page
    assert "<td class=\"num\">310.64</td>" in page


def test_editing_a_figure_recomputes_totals_and_ratios(staff_client, evaluation):
    response = staff_client.post(reverse("budget_edit", args=[evaluation.pk]), edit_payload(evaluation, personnel_final="150.00"))
    assert response.status_code == 302
    budget = BudgetFigures.objects.get(evaluation=evaluation)
    assert budget.personnel_final == Decimal("150.00")
    assert list(EconomicLine.objects.filter(evaluation=evaluation).values_list("name", "amount")) == [("基本工资", Decimal("82.60"))]
    page = staff_client.get(reverse("budget_detail", args=[evaluation.pk])).content.decode()
    assert "预算执行率 = 324.21 / 335.96 = 96.50%" in page


def test_invalid_input_keeps_what_was_typed_and_saves_nothing(staff_client, evaluation):
    response = staff_client.post(
        reverse("budget_edit", args=[evaluation.pk]),
        edit_payload(evaluation, personnel_final="abc", public_final="-3", project_final="99.00"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "金额不能为负数" in page
    assert 'value="abc"' in page and 'value="99.00"' in page
    assert BudgetFigures.objects.get(evaluation=evaluation).project_final == Decimal("155.86")


def upload(data: bytes, name="预算.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def test_import_previews_then_saves_on_confirm(staff_client, evaluation):
    BudgetFigures.objects.filter(evaluation=evaluation).update(general_adjusted=None, personnel_final=None)
    url = reverse("budget_import", args=[evaluation.pk])
    preview = staff_client.post(url, {"file": upload(workbook_bytes(seed_002_workbook()))})
    page = preview.content.decode()
    assert "导入预览" in page and "确认导入" in page
    assert "-5.18%" in page
    assert BudgetFigures.objects.get(evaluation=evaluation).general_adjusted is None  # nothing saved yet
    token = preview.context["token"]
    response = staff_client.post(reverse("budget_import_confirm", args=[evaluation.pk]), {"token": token})
    assert response.status_code == 302
    budget = BudgetFigures.objects.get(evaluation=evaluation)
    assert (budget.general_adjusted, budget.personnel_final) == (Decimal("278.64"), Decimal("161.75"))
    assert EconomicLine.objects.filter(evaluation=evaluation).count() == 15


def test_import_with_an_error_shows_the_place_and_saves_nothing(staff_client, evaluation):
    economic_line(evaluation)
    workbook = seed_002_workbook()
    workbook["支出"]["D5"] = 180.00
    response = staff_client.post(reverse("budget_import", args=[evaluation.pk]), {"file": upload(workbook_bytes(workbook))})
    page = response.content.decode()
    assert "未导入任何数据" in page
    assert "工作表“支出”第5行D列" in page
    assert list(EconomicLine.objects.filter(evaluation=evaluation).values_list("name", flat=True)) == ["基本工资"]


def test_import_refuses_other_file_types_by_name(staff_client, evaluation):
    response = staff_client.post(reverse("budget_import", args=[evaluation.pk]), {"file": upload(b"x", "预算.xls")})
    assert "请上传.xlsx格式的Excel文件" in response.content.decode()


def test_a_tampered_import_token_is_refused(staff_client, evaluation):
    response = staff_client.post(reverse("budget_import_confirm", args=[evaluation.pk]), {"token": "forged"}, follow=True)
    assert "导入预览已失效或被修改" in response.content.decode()
    assert BudgetFigures.objects.get(evaluation=evaluation).general_adjusted == Decimal("278.64")


def test_download_reads_back_as_the_same_workbook_shape(staff_client, evaluation):
    from openpyxl import load_workbook

    response = staff_client.get(reverse("budget_xlsx", args=[evaluation.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["表2-1 收入", "表2-2 支出", "表2-3 基本支出", "项目支出", "三公经费及其他"]
    assert workbook["表2-1 收入"]["B9"].value == 354.31
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("count", [1, 3])
def test_budget_page_query_count_does_not_grow_with_rows(staff_client, evaluation, django_assert_num_queries, count):
    for index in range(count):
        economic_line(evaluation, name=f"科目{index}", position=index)
        project(evaluation, name=f"项目{index}", position=index)
    # session, user, organisation, evaluation, memberships with users, budget, economic lines, projects,
    # the navbar's unread notifications, the 复核意见 panel, and the 修改记录: the figures', the lines' and the
    # projects' history with their users
    with django_assert_num_queries(13):
        response = staff_client.get(reverse("budget_detail", args=[evaluation.pk]))
    assert response.content.decode().count("科目") >= count


@pytest.mark.parametrize("count", [1, 3])
def test_dashboard_query_count_does_not_grow_with_evaluations(client, django_assert_num_queries, count):
    first = small_rubric(EvaluationFactory(budget=YANJIN_BUDGET))
    load_demo_surveys(first)
    lead = team(first)[TeamRole.LEAD]
    for year in range(2000, 2000 + count - 1):
        other = small_rubric(EvaluationFactory(firm=first.firm, year=year, budget=YANJIN_BUDGET))
        load_demo_surveys(other)
        other.memberships.create(user=lead, role=TeamRole.LEAD)
    client.force_login(lead)
    # Nothing cached: session, user, organisation, evaluations (with department and bureau), memberships
    # with users, then for the evaluations not cached: budget, rubric, indicators with judgments,
    # economic lines, projects, questionnaires with questions and options (3), open 复核意见 counts,
    # the navbar's unread notifications
    with django_assert_num_queries(15):
        response = client.get(reverse("dashboard"))
    assert [row["total"] for row in response.context["rows"]] == ["100.00"] * count
    assert [row["grade"] for row in response.context["rows"]] == ["优"] * count
    # Cached under each evaluation's version: nothing is scored again (session, user, organisation,
    # evaluations, memberships, open 复核意见 counts, unread notifications)
    with django_assert_num_queries(7):
        response = client.get(reverse("dashboard"))
    assert [row["total"] for row in response.context["rows"]] == ["100.00"] * count
