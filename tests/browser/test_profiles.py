"""Report profiles in real headless Chromium at 1366×768: copy the 河南 outline, edit it, choose it for 沙湾."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

SHAWAN = "沙湾市政务服务中心"


def test_lead_copies_a_builtin_profile_edits_it_and_the_report_follows(login):
    page = login("xj_lead")
    page.get_by_role("link", name="报告格式").click()
    rows = page.get_by_test_id("profile-list")
    expect(rows).to_contain_text("新疆格式")
    row = rows.locator("tr", has_text="河南格式")
    expect(row).to_contain_text("部门概况 · 部门预算及资金安排情况")
    row.get_by_role("button", name="复制").click()
    expect(page.locator(".alert-success")).to_contain_text("已复制为")

    form = page.get_by_test_id("profile-form")
    page.fill("input[name=name]", "沙湾市财政局格式")
    budget = form.locator("tr[data-kind=budget]")
    budget.locator("input[type=checkbox]").uncheck()
    conclusion = form.locator("tr[data-kind=conclusion]")
    conclusion.locator("input[name=conclusion-order]").fill("1")
    conclusion.locator("input[name=conclusion-heading]").fill("评价结论")
    # a mistake first: both 基本概况 and 部门概况 print the department
    form.locator("tr[data-kind=overview] input[type=checkbox]").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("profile-errors")).to_contain_text("“部门概况”和“基本概况”内容重复，只能选用其一")
    form.locator("tr[data-kind=overview] input[type=checkbox]").uncheck()
    page.get_by_label("评分过程").check()
    screenshot(page, "report-profile-edit")
    page.get_by_role("button", name="保存").click()

    chapters = page.get_by_test_id("profile-chapters")
    expect(chapters.locator("li").first).to_contain_text("评价结论")
    expect(chapters).not_to_contain_text("部门预算及资金安排情况")
    expect(page.get_by_test_id("profile-annex1")).to_contain_text("评分标准、评分过程、得分")
    screenshot(page, "report-profile-detail")

    page.get_by_role("link", name="评价项目").first.click()
    page.get_by_role("link", name=SHAWAN).click()
    page.get_by_role("link", name="报告", exact=True).click()
    choice = page.get_by_test_id("profile-choice")
    expect(choice).to_contain_text("新疆格式")
    expect(choice).to_contain_text("委托单位的默认格式")
    choice.locator("select").select_option(label="沙湾市财政局格式")
    choice.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("profile-name")).to_have_text("沙湾市财政局格式")
    screenshot(page, "report-profile-choice")
    page.get_by_role("link", name="预览全文").click()
    document = page.get_by_test_id("report-document")
    expect(document.get_by_role("heading", name="一、评价结论")).to_be_visible()
    expect(document.get_by_role("heading", name="二、部门概况")).to_be_visible()
    expect(document.get_by_role("heading", name="四、绩效评价指标分析")).to_be_visible()
