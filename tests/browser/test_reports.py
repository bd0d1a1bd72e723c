"""The 报告 tab in real headless Chromium at 1366×768: the checks, editing a text, the preview and a download."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

YANJIN = "延津县政务服务和大数据管理局"


def open_report_tab(page):
    page.get_by_role("link", name=YANJIN).click()
    page.get_by_role("link", name="报告", exact=True).click()
    page.wait_for_load_state()


def test_lead_edits_a_text_and_sees_it_in_the_preview(login):
    page = login("lead")
    open_report_tab(page)
    expect(page.get_by_test_id("report-checks")).to_contain_text("A23绩效指标明确性有扣分，但没有关联到任何存在的问题。")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    screenshot(page, "report-overview")
    page.locator("li", has_text="综合评价情况").get_by_role("link", name="编辑").first.click()
    expect(page.get_by_test_id("placeholders")).to_contain_text("{总分}")
    page.fill("textarea[name=text]", "{年度}年度总体得分{总分}分，等级“{等级}”。<script>window.hacked=1</script>")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    page.get_by_role("link", name="预览全文").click()
    document = page.get_by_test_id("report-document")
    expect(document).to_contain_text("2022年度总体得分86.00分，等级“良”。<script>window.hacked=1</script>")
    assert page.evaluate("window.hacked") is None
    expect(document.locator("[data-table=summary] tbody tr").last).to_contain_text("86.00%")
    expect(document.get_by_role("heading", name="五、绩效评价指标分析")).to_be_visible()
    screenshot(page, "report-preview")
    page.locator("#" + document.get_by_role("heading", name="附件1").get_attribute("id")).scroll_into_view_if_needed()
    screenshot(page, "report-preview-annex")


def test_unknown_placeholder_is_named_on_the_edit_page(login):
    page = login("lead")
    open_report_tab(page)
    page.locator("li", has_text="评价结论").get_by_role("link", name="编辑").first.click()
    page.fill("textarea[name=text]", "总分{总得分}")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".invalid-feedback, .text-danger").first).to_contain_text("未知的占位符：{总得分}")


def test_staff_downloads_the_word_report_but_cannot_edit(login):
    page = login("staff")
    open_report_tab(page)
    expect(page.get_by_role("link", name="编辑")).to_have_count(0)
    page.get_by_role("link", name="下载 Word").first.click()  # the worker renders it; the page follows
    progress = page.get_by_test_id("render-progress")
    expect(progress).to_have_attribute("data-state", "ready")
    with page.expect_download() as download:
        progress.get_by_test_id("render-file").click()
    assert download.value.suggested_filename == "2022年度延津县政务服务和大数据管理局部门整体支出绩效评价报告.docx"
