"""Importing an indicator table in real headless Chromium: the reader's wrong column guess corrected in the preview."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.indicator_xlsx.builders import small_rows
from tests.test_import_understanding import HEADER, ROWS  # a bureau's table where 评分 is read as the score

pytestmark = pytest.mark.browser

@pytest.fixture
def empty_evaluation(demo_server):
    from evalsite.accounts.models import User
    from evaluations.enums import TeamRole
    from evaluations.models import Evaluation, Membership

    yanjin = Evaluation.objects.get(department__name="延津县政务服务和大数据管理局")
    evaluation = Evaluation.objects.create(
        firm=yanjin.firm, department=yanjin.department, bureau=yanjin.bureau, year=2023
    )
    Membership.objects.create(evaluation=evaluation, user=User.objects.get(username="lead"), role=TeamRole.LEAD)
    return evaluation


def test_lead_corrects_a_wrong_column_guess_before_confirming(login, demo_server, empty_evaluation, tmp_path):
    path = tmp_path / "财政局指标表.xlsx"
    path.write_bytes(small_rows(*ROWS, header=HEADER))
    page = login("lead")
    page.goto(f"{demo_server.url}/evaluations/{empty_evaluation.pk}/indicators/import/")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_test_id("import-problems")).to_contain_text("得分“符合得满分，不符合不得分”不是数字")
    expect(page.get_by_label("E列读作")).to_have_value("score")
    page.get_by_label("E列读作").select_option(label="评分标准")
    page.get_by_label("F列读作").select_option(label="得分")
    page.get_by_test_id("reread").click()
    expect(page.get_by_test_id("preview-total")).to_have_text("89.50")
    expect(page.get_by_test_id("understanding")).to_contain_text("已按您选择的列读取")
    expect(page.get_by_label("E列读作")).to_have_value("criteria")
    screenshot(page, "import-preview-corrected-columns")
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_test_id("total")).to_have_text("89.50")
    page.get_by_role("link", name="A12 绩效指标明确性").click()
    expect(page.locator("main")).to_contain_text("每有一处不明确扣5分")


def test_lead_imports_a_project_form_and_sees_its_total_beside_the_printed_one(login, demo_server, empty_evaluation,
                                                                                 tmp_path):
    from tests.selfeval.seed_001 import projects_workbook

    path = tmp_path / "项目支出绩效自评表.xlsx"
    path.write_bytes(projects_workbook())
    page = login("lead")
    page.goto(f"{demo_server.url}/evaluations/{empty_evaluation.pk}/projects/")
    page.get_by_role("link", name="导入项目自评表").click()
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_test_id("sheet-choice")).to_be_visible()
    expect(page.get_by_test_id("project-form")).to_contain_text("武威市人民政府办公室")
    expect(page.get_by_test_id("preview-warnings")).to_contain_text("合计得分89与各行得分与预算执行率得分合计99不一致")
    expect(page.get_by_test_id("preview-total")).to_have_text("99.00")
    screenshot(page, "project-form-preview")
    page.get_by_role("button", name="确认导入").click()
    row = page.locator("tr[data-project=政务服务经费]")
    expect(row.get_by_test_id("project-total")).to_have_text("99.00")
    expect(row).to_contain_text("89.00")
    screenshot(page, "project-forms")
