"""Error pages and hidden links in real headless Chromium at 1366×768."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

YANJIN = "延津县政务服务和大数据管理局"


def test_reviewer_sees_no_edit_link_and_is_told_who_writes_the_report(login):
    page = login("reviewer")
    page.get_by_role("link", name=YANJIN).click()
    page.get_by_role("link", name="报告", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_role("link", name="编辑")).to_have_count(0)
    report_url = page.url
    page.goto(report_url + "sections/overall/", referer=report_url)
    expect(page.get_by_test_id("error-reason")).to_have_text("只有主评人可以编写报告文字、绩效目标、问题与建议。")
    expect(page.get_by_test_id("current-user")).to_contain_text("张华")
    screenshot(page, "error-403")
    page.get_by_role("link", name="← 返回上一页").click()
    assert page.url == report_url
    page.goto(report_url + "no-such-page/")
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
    screenshot(page, "error-404")
    page.get_by_role("link", name="返回首页").click()
    expect(page.get_by_test_id("evaluation-list")).to_contain_text(YANJIN)


def test_outsider_keeps_the_firms_list_but_reaches_no_evaluations_facts(login, demo_server):
    """The firm's list of departments is only where new evaluations start: every staff member keeps it.
    An evaluation's own copy of the facts is its team's, and an outsider does not reach it."""
    from evaluations.models import Evaluation

    page = login("outsider")
    page.get_by_role("link", name="部门", exact=True).click()
    expect(page.get_by_test_id("department-list")).to_contain_text(YANJIN)
    expect(page.get_by_test_id("department-list").get_by_role("link", name="编辑")).to_have_count(1)
    evaluation = Evaluation.objects.get(department__name=YANJIN)
    response = page.goto(f"{demo_server.url}/evaluations/{evaluation.pk}/department/")
    assert response.status == 404
