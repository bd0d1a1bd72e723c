"""Satisfaction surveys in real headless Chromium: list, results with charts, counts grid, import, templates."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.surveys.seed import PUBLIC, STAFF, export_rows, workbook_bytes

pytestmark = pytest.mark.browser

YANJIN = "延津县政务服务和大数据管理局"


@pytest.fixture(autouse=True)
def settle(page, demo_server):
    """Let chart requests finish before the live server's database is flushed."""
    yield
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")


@pytest.fixture
def surveys(demo_server):
    """The Yanjin demo evaluation with seed 002's two surveys (load_demo_surveys is idempotent)."""
    from evaluations.models import Evaluation
    from surveys.services import load_demo_surveys

    evaluation = Evaluation.objects.get(department__name=YANJIN)
    public, staff = load_demo_surveys(evaluation)
    return evaluation, public, staff


def open_surveys(page):
    page.get_by_role("link", name=YANJIN).click()
    page.get_by_role("link", name="满意度问卷", exact=True).click()


def test_staff_sees_both_surveys_with_their_composites_and_charts(login, surveys):
    page = login("staff")
    open_surveys(page)
    table = page.get_by_test_id("survey-table")
    expect(table.locator(f"tr[data-group='{PUBLIC}']")).to_contain_text("90.43%")
    expect(table.locator(f"tr[data-group='{STAFF}']")).to_contain_text("97.88%")
    expect(page.get_by_test_id("survey-facts")).to_contain_text("回收有效问卷 133 份")
    screenshot(page, "surveys-list")

    page.get_by_role("link", name=PUBLIC).click()
    expect(page.get_by_test_id("composite")).to_have_text("90.43%")
    q1 = page.get_by_test_id("annex-q1")
    expect(q1.locator("[data-share=A]")).to_have_text("73.08%")
    expect(q1.locator("[data-share=B]")).to_have_text("23.08%")
    expect(q1.locator("[data-share=C]")).to_have_text("3.85%")
    expect(q1.locator("[data-share=total]")).to_have_text("100.00%")
    chart = page.get_by_test_id("chart-q1")
    chart.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=chart.element_handle())
    assert chart.evaluate("img => img.naturalWidth") == 1080
    screenshot(page, "survey-results-public")


def test_a_bad_count_is_named_and_the_typing_is_kept(login, surveys):
    page = login("lead")
    open_surveys(page)
    page.locator(f"tr[data-group='{STAFF}']").get_by_role("link", name="录入份数").click()
    grid = page.get_by_test_id("count-grid")
    expect(grid.locator("tr[data-question='1'] [data-total]")).to_have_text("55")
    first = grid.locator("tr[data-question='2'] input[name$='-count']").first
    first.fill("-3")
    expect(grid.locator("tr[data-question='2'] [data-total]")).to_have_text("—")
    grid.locator("tr[data-question='4'] input[name$='-count']").first.fill("60")
    page.get_by_role("button", name="保存份数").click()
    problems = page.get_by_test_id("count-problems")
    expect(problems).to_contain_text("第2题“您对目前大厅提供的办公设施设备是否满意?”的选项A“非常满意”：份数不能为负数")
    expect(grid.locator("tr[data-question='2'] input[name$='-count']").first).to_have_value("-3")
    expect(grid.locator("tr[data-question='4'] input[name$='-count']").first).to_have_value("60")
    screenshot(page, "survey-counts-error")

    first.fill("45")
    page.get_by_role("button", name="保存份数").click()
    expect(problems).to_contain_text("第4题合计69份，多于有效问卷55份")
    grid.locator("tr[data-question='4'] input[name$='-count']").first.fill("46")
    page.get_by_role("button", name="保存份数").click()
    expect(page.locator(".alert-success")).to_contain_text("份数已保存")
    expect(page.get_by_test_id("composite")).to_have_text("97.88%")


def test_import_respondent_rows_with_preview_then_confirm(login, surveys, tmp_path):
    bad_rows = export_rows(STAFF)
    bad_rows[7][3] = "还可以"
    bad = tmp_path / "有误的答卷.xlsx"
    bad.write_bytes(workbook_bytes(bad_rows))
    good = tmp_path / "工作人员答卷.xlsx"
    good.write_bytes(workbook_bytes(export_rows(STAFF, letters=True)))
    page = login("staff")
    open_surveys(page)
    page.get_by_role("link", name="从Excel导入答卷").click()
    page.get_by_label("导入到").select_option(label=f"{STAFF}（{STAFF}满意度调查）")
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name=re.compile("上传并预览")).click()
    expect(page.get_by_test_id("import-problems")).to_contain_text("第8行D列：“还可以”不是第2题的选项")
    screenshot(page, "survey-import-problems")

    page.get_by_label("导入到").select_option(label=f"{STAFF}（{STAFF}满意度调查）")
    page.set_input_files("input[type=file]", str(good))
    page.get_by_role("button", name=re.compile("上传并预览")).click()
    expect(page.get_by_test_id("import-preview")).to_contain_text("55")
    expect(page.get_by_test_id("composite")).to_have_text("97.88%")
    screenshot(page, "survey-import-preview")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".alert-success")).to_contain_text("已导入55份答卷")
    expect(page.get_by_test_id("composite")).to_have_text("97.88%")


def test_create_from_a_template_and_edit_its_questions(login, surveys):
    page = login("lead")
    open_surveys(page)
    page.get_by_role("link", name="新建问卷").click()
    page.get_by_label("复制模板：企业和办事群众满意度调查（延津2022附件2，11题）").check()
    page.get_by_label("调查对象").fill("窗口办事企业")
    screenshot(page, "survey-create")
    page.get_by_role("button", name="创建问卷").click()
    expect(page.locator(".alert-success")).to_contain_text("已创建问卷")
    expect(page.get_by_test_id("count-grid").locator("tr[data-question]")).to_have_count(11)

    page.goto(page.url.replace("/counts/", "/edit/"))
    expect(page.locator("section[data-question]")).to_have_count(11)
    screenshot(page, "survey-edit")
    page.get_by_label("前两项占比法", exact=True).check()
    first_weight = page.locator("section[data-question='1'] input[name$='-weight']").first
    first_weight.fill("150")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".alert-danger").first).to_contain_text("有内容未通过校验")
    expect(page.locator("section[data-question='1']")).to_contain_text("第1题：权重不能大于100")
    expect(page.get_by_label("前两项占比法", exact=True)).to_be_checked()
    first_weight.fill("100")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    expect(page.get_by_test_id("method-text")).to_contain_text("前两项占比法")
