"""The bureau's 复核台 in real headless Chromium at 1366×768: upload a firm's report, read the findings,
download the 复核意见书; a firm's user gets 404 on all of it."""

import io

import pytest
from docx import Document
from playwright.sync_api import expect

from audits.models import Review
from tests.audits import seed002
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

DEPARTMENT = "延津县政务服务和大数据管理局"
FIRM = "新乡市方政财务咨询有限公司"


def test_a_bureau_user_reviews_an_uploaded_report_and_a_firm_user_gets_404(login, demo_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    report = tmp_path / "延津县政务服务和大数据管理局绩效评价报告.docx"
    report.write_bytes(seed002.report())

    page = login("bureau")
    page.get_by_role("link", name="报告复核").click()
    page.wait_for_load_state()
    expect(page.locator("body")).to_contain_text("还没有复核记录")
    upload = page.get_by_test_id("review-upload")
    upload.get_by_label("评价机构").fill(FIRM)
    upload.get_by_label("被评价部门").fill(DEPARTMENT)
    upload.get_by_label("评价年度").fill("2022")
    upload.locator("input[type=file]").set_input_files(str(report))
    screenshot(page, "review-desk-upload")
    upload.get_by_role("button", name="上传并复核").click()
    page.wait_for_load_state()

    review = Review.objects.get()
    assert page.url.endswith(f"/reviews/{review.pk}/")
    expect(page.get_by_test_id("review-status")).to_have_text("须修改")
    expect(page.get_by_test_id("error-count")).to_have_text("2")
    errors = page.get_by_test_id("errors")
    expect(errors).to_contain_text("“6.采购管理”写得分2，表5-2 部门管理类指标得分情况表中B6采购管理为1")
    expect(errors).to_contain_text("企业和办事群众满意度93.32%无法由附件2的份数按任何常见方法复算")
    expect(errors).to_contain_text("6.采购管理：“该二级指标满分2分，得分2分，得分率50.00%。")
    expect(page.get_by_test_id("quality-score")).to_have_text("93.00")
    expect(page.get_by_role("button", name="接受报告")).to_have_count(0)  # errors remain
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    screenshot(page, "review-desk-findings")

    with page.expect_download() as download:
        page.get_by_test_id("opinion-download").click()
    assert download.value.suggested_filename.endswith(".docx") and "复核意见书" in download.value.suggested_filename
    opinion = Document(io.BytesIO(download.value.path().read_bytes()))
    paragraphs = [p.text for p in opinion.paragraphs]
    assert paragraphs[0] == f"关于《2022年度{DEPARTMENT}部门整体支出绩效评价报告》的复核意见"
    assert "发现须更正的问题2项、需说明的问题2项，按本局复核清单评定报告质量得分93.00分" in paragraphs[2]
    rows = [[cell.text for cell in row.cells] for row in opinion.tables[0].rows]
    assert rows[0] == ["序号", "位置", "问题", "应为", "报告中为"]
    assert rows[1][2:] == ["“6.采购管理”写得分2，表5-2 部门管理类指标得分情况表中B6采购管理为1", "1", "2"]

    detail, opinion_url = page.url, f"{demo_server.url}/reviews/{review.pk}/v1/opinion.docx"
    page.context.clear_cookies()
    page = login("reviewer")  # the firm's 项目负责人 who wrote the 延津 report
    expect(page.get_by_role("link", name="报告复核")).to_have_count(0)
    for url in (detail, opinion_url, f"{demo_server.url}/reviews/"):
        response = page.request.get(url)
        assert response.status == 404, url
    page.goto(detail)
    expect(page.locator("body")).not_to_contain_text("93.32%")
    screenshot(page, "review-desk-firm-404")
