"""Review and sign-off across roles on the 延津 demo, in headless Chromium at 1366×768.

The 主评人 submits (the check list blocks while a 评分过程 contradicts its score), the 项目负责人 writes a
复核意见 on an indicator and returns the report, the 主评人 answers and submits again, the 项目负责人
closes the note and signs, and the bureau is told the report is ready, opens it on its delivery page and
downloads the PDF and the DOCX, whose SHA-256 is the one stored at sign-off.
"""

import hashlib

import pytest
from playwright.sync_api import expect

from evaluations.models import Evaluation
from reports.archive import files_for
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

YANJIN = "延津县政务服务和大数据管理局"


def switch_user(page, login, username):
    page.context.clear_cookies()
    return login(username)


def open_review(page):
    page.get_by_role("link", name=YANJIN).click()
    page.get_by_role("link", name="审核与签发", exact=True).click()
    page.wait_for_load_state()


def set_process(page, old, new):
    area = page.locator("textarea[name=process]")
    area.fill(area.input_value().replace(old, new))
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")


def test_submit_review_return_answer_and_sign_across_roles(login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the signed files are stored here
    # 1. The 主评人: a 评分过程 that states another score blocks the submission, with a link to fix it.
    page = login("lead")
    page.get_by_role("link", name=YANJIN).click()
    page.get_by_role("link", name="指标评分", exact=True).click()
    page.get_by_role("link", name="A11", exact=False).first.click()
    set_process(page, "本项指标得2分。", "本项指标得1分。")
    page.get_by_role("link", name="审核与签发", exact=True).click()
    checks = page.get_by_test_id("check-list")
    expect(checks).to_contain_text("1项须修改")
    expect(checks.locator("[data-severity=error]")).to_contain_text("A11部门职能明确性：评分过程写得1分，计算得分为2.00分")
    expect(page.get_by_test_id("step-submit").get_by_role("button", name="提交审核")).to_be_disabled()
    screenshot(page, "signoff-1-lead-blocked")
    checks.locator("[data-severity=error] a").click()
    set_process(page, "本项指标得1分。", "本项指标得2分。")
    page.get_by_role("link", name="审核与签发", exact=True).click()
    expect(page.get_by_test_id("check-list")).to_contain_text("没有须修改的项")
    # The bureau's checklist, as its 复核台 grades 延津: two deductions (A23, C22) name no problem of the report.
    bureau_checklist = page.get_by_test_id("bureau-checklist")
    expect(bureau_checklist).to_contain_text("可能扣2分")
    expect(bureau_checklist).to_contain_text("A23绩效指标明确性有扣分，但没有关联到任何存在的问题。")
    page.get_by_test_id("step-submit").get_by_label("已阅读并确认").check()
    screenshot(page, "signoff-2-lead-ready")
    page.get_by_test_id("step-submit").get_by_role("button", name="提交审核").click()
    expect(page.locator(".alert-success")).to_contain_text("已提交审核。")
    expect(page.get_by_test_id("review-status")).to_have_text("待审核")

    # 2. The 项目负责人 is told, writes a 复核意见 on an indicator and returns the report.
    page = switch_user(page, login, "reviewer")
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    page.get_by_test_id("notifications-link").click()
    expect(page.get_by_test_id("notification-list")).to_contain_text("李军提交了《2022年度延津县政务服务和大数据管理局")
    page.get_by_role("button", name="查看").first.click()
    expect(page.get_by_test_id("review-status")).to_have_text("待审核")
    page.get_by_role("link", name="指标评分", exact=True).click()
    page.get_by_role("link", name="A23", exact=False).first.click()
    panel = page.get_by_test_id("review-panel")
    panel.locator("textarea[name=text]").fill("A23扣1分：请在评分过程中列明不够细化的指标及其指标值。")
    panel.get_by_role("button", name="提出复核意见").click()
    expect(page.get_by_test_id("review-panel")).to_contain_text("1条未关闭")
    expect(page.locator("textarea[name=process]")).to_be_disabled()  # read-only under review
    screenshot(page, "signoff-3-reviewer-comment")
    page.get_by_role("link", name="审核与签发", exact=True).click()
    expect(page.get_by_test_id("check-list")).to_contain_text("复核意见未关闭：A23绩效指标明确性")
    expect(page.get_by_test_id("open-comments")).to_contain_text("A23绩效指标明确性")
    page.get_by_test_id("step-return").locator("textarea[name=comment]").fill("请按复核意见修改A23后重新提交。")
    page.get_by_test_id("step-return").get_by_role("button", name="退回修改").click()
    expect(page.get_by_test_id("review-status")).to_have_text("评分中")
    screenshot(page, "signoff-4-reviewer-returned")

    # 3. The 主评人 answers in the thread and submits again.
    page = switch_user(page, login, "lead")
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    page.get_by_role("link", name=YANJIN).click()
    expect(page.get_by_test_id("evaluation-open-comments")).to_contain_text("A23绩效指标明确性")
    page.get_by_test_id("evaluation-open-comments").get_by_role("link", name="A23绩效指标明确性").click()
    panel = page.get_by_test_id("review-panel")
    panel.locator("input[name=text]").fill("已在评分过程中列明两项指标及其指标值。")
    panel.get_by_role("button", name="回复").click()
    expect(page.get_by_test_id("review-panel")).to_contain_text("已在评分过程中列明两项指标及其指标值。")
    expect(page.get_by_test_id("review-panel").get_by_role("button", name="关闭意见")).to_have_count(0)
    screenshot(page, "signoff-5-lead-answers")
    page.get_by_role("link", name="审核与签发", exact=True).click()
    page.get_by_test_id("step-submit").get_by_label("已阅读并确认").check()
    page.get_by_test_id("step-submit").get_by_role("button", name="提交审核").click()
    expect(page.get_by_test_id("review-status")).to_have_text("待审核")

    # 4. The 项目负责人 reads the answer, closes the note and signs.
    page = switch_user(page, login, "reviewer")
    expect(page.get_by_test_id("unread-count")).to_have_text("2")  # the answer and the new submission
    open_review(page)
    expect(page.get_by_test_id("step-sign_off").get_by_role("button", name="签发")).to_be_disabled()
    page.get_by_role("link", name="全部复核意见 →").click()
    expect(page.get_by_test_id("comments-open")).to_contain_text("已在评分过程中列明两项指标及其指标值。")
    screenshot(page, "signoff-6-reviewer-reads-answer")
    page.get_by_test_id("comments-open").get_by_role("button", name="关闭意见").click()
    expect(page.get_by_test_id("comments-closed")).to_contain_text("A23绩效指标明确性")
    page.get_by_role("link", name="← 审核与签发").click()
    sign = page.get_by_test_id("step-sign_off")
    sign.get_by_label("已阅读并确认").check()
    with page.expect_navigation(timeout=180_000):  # sign-off renders and seals the files once (tens of seconds here)
        sign.get_by_role("button", name="签发").click(no_wait_after=True)
    expect(page.locator(".alert-success")).to_contain_text("已签发。")
    expect(page.get_by_test_id("review-status")).to_have_text("已签发")
    events = page.get_by_test_id("events")
    expect(events.locator("tbody tr")).to_have_count(5)  # 开始评分, 提交, 退回, 提交, 签发
    screenshot(page, "signoff-7-signed")

    stored = {f.format: f.sha256 for f in files_for(Evaluation.objects.get(department__name=YANJIN))}
    assert sorted(stored) == ["docx", "pdf", "xlsx"]

    # 5. The bureau is told the report is ready, opens its delivery page and downloads the signed files.
    page = switch_user(page, login, "bureau")
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    page.get_by_test_id("notifications-link").click()
    expect(page.get_by_test_id("notification-list")).to_contain_text("新乡市方政财务咨询有限公司已签发《2022年度延津县")
    screenshot(page, "signoff-8-bureau-notified")
    page.get_by_role("button", name="查看").first.click()
    expect(page.get_by_test_id("delivery-facts")).to_contain_text("86.00")
    expect(page.get_by_test_id("sign-off-record")).to_contain_text("第1版：张华于")
    for sha in stored.values():
        expect(page.get_by_test_id("signed-version")).to_contain_text(sha)
    expect(page.locator("body")).not_to_contain_text("报告检查")
    expect(page.locator("body")).not_to_contain_text("复核意见")
    screenshot(page, "signoff-9-bureau-delivery")
    for label, fmt in (("PDF", "pdf"), ("Word（DOCX）", "docx")):
        with page.expect_download() as download:
            page.get_by_test_id("signed-version").get_by_role("link", name=label).click()
        assert hashlib.sha256(download.value.path().read_bytes()).hexdigest() == stored[fmt]
