"""The bureau's delivery desk in real headless Chromium at 1366×768, on the 延津 demo signed as the sign-off does."""

import hashlib

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evalsite.accounts.models import User
from evaluations.enums import EvaluationStatus
from evaluations.models import Evaluation
from reports.archive import files_for, freeze
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

YANJIN = "延津县政务服务和大数据管理局"


@pytest.fixture
def signed_yanjin(demo_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    Evaluation.objects.filter(department__name=YANJIN).update(status=EvaluationStatus.SIGNED)
    evaluation = Evaluation.objects.select_related("department", "firm", "bureau").get(department__name=YANJIN)
    freeze(evaluation, version=1, signed_by=User.objects.get(username="reviewer"), signed_at=timezone.now())
    return {f.format: f.sha256 for f in files_for(evaluation)}


def test_the_bureau_downloads_the_signed_files_confirms_receipt_and_writes_back(login, signed_yanjin):
    page = login("bureau")
    page.get_by_role("link", name=YANJIN).click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("delivery-facts")).to_contain_text("86.00")
    expect(page.get_by_test_id("delivery-facts")).to_contain_text("新乡市方政财务咨询有限公司")
    expect(page.locator("body")).not_to_contain_text("报告检查")
    for sha in signed_yanjin.values():
        expect(page.get_by_test_id("signed-version")).to_contain_text(sha)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    screenshot(page, "delivery-desk")
    for label, fmt in (("PDF", "pdf"), ("Word（DOCX）", "docx")):
        with page.expect_download() as download:
            page.get_by_test_id("signed-version").get_by_role("link", name=label).click()
        content = download.value.path().read_bytes()
        assert hashlib.sha256(content).hexdigest() == signed_yanjin[fmt]
    page.get_by_role("button", name="确认收到第1版报告").click()
    expect(page.get_by_test_id("receipt")).to_contain_text("确认收到第1版报告")
    page.fill("textarea[name=text]", "请在第七章补充整改时限。")
    page.get_by_role("button", name="发送意见").click()
    expect(page.get_by_test_id("opinions")).to_contain_text("请在第七章补充整改时限。")
    screenshot(page, "delivery-desk-replied")

    page.context.clear_cookies()
    page = login("reviewer")
    page.get_by_role("link", name=YANJIN).click()
    page.get_by_role("link", name="报告", exact=True).click()
    expect(page.get_by_test_id("bureau-responses")).to_contain_text("请在第七章补充整改时限。")
    expect(page.get_by_test_id("signed-files")).to_contain_text(signed_yanjin["pdf"])
    screenshot(page, "report-signed-files")
