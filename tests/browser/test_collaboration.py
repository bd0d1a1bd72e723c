"""Two people on one indicator, a draft that outlives its tab, the history and the 底稿 index, in headless Chromium.

Screenshots at 1366×768 (test-results/screens/): the refused save with both versions, the draft banner, the
修改记录 and the 工作底稿 index.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evaluations.models import Evaluation
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

YANJIN = "延津县政务服务和大数据管理局"
VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) { window.__violations.push(e.violatedDirective); });
"""


def signed_in(browser, base, username):
    """A new browser (its own cookies: its own session) with ``username`` logged in."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.add_init_script(VIOLATIONS)
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo12345")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return context, page


def settled(page):
    """The typed 评分过程 kept as a draft and the live preview answered (the test database is SQLite in memory,
    which refuses a second simultaneous write where a database file would wait)."""
    expect(page.get_by_test_id("autosave-status")).to_have_text(re.compile(r"草稿已自动保存"), timeout=10000)
    page.wait_for_load_state("networkidle")


def judgment_url(base, code):
    evaluation = Evaluation.objects.get(department__name=YANJIN)
    return base + reverse("judgment_edit", args=[evaluation.pk, code])


def test_two_people_save_one_indicator_and_the_second_chooses(browser, demo_server):
    base = demo_server.url
    staff_context, staff = signed_in(browser, base, "staff")
    lead_context, lead = signed_in(browser, base, "lead")
    url = judgment_url(base, "A21")
    staff.goto(url)
    lead.goto(url)

    staff.locator("input[name=met_2][value='1']").check()
    staff.fill("textarea[name=process]", "查阅年度工作计划，第③项已补充。")
    settled(staff)
    staff.get_by_role("button", name="保存", exact=True).click()
    expect(staff.get_by_text("A21年度工作计划明确性：已保存。")).to_be_visible()

    lead.locator("input[name=met_3][value='1']").check()
    lead.fill("textarea[name=process]", "复核：第④项已落实，第③项仍缺。")
    settled(lead)
    lead.get_by_role("button", name="保存", exact=True).click()

    conflict = lead.get_by_test_id("edit-conflict")
    expect(conflict).to_contain_text("本指标的评分已由王敏于")  # the demo 评价人员
    expect(conflict).to_contain_text("你的修改尚未保存")
    table = lead.get_by_test_id("conflict-table")
    expect(table.locator("tr", has_text="评分过程")).to_contain_text("查阅年度工作计划，第③项已补充。")
    expect(table.locator("tr", has_text="评分过程")).to_contain_text("复核：第④项已落实，第③项仍缺。")
    expect(lead.locator("textarea[name=process]")).to_have_value("复核：第④项已落实，第③项仍缺。")
    screenshot(lead, "conflict-judgment")

    lead.get_by_test_id("keep-mine").click()
    expect(lead.get_by_text("A21年度工作计划明确性：已保存。")).to_be_visible()
    expect(lead.locator("textarea[name=process]")).to_have_value("复核：第④项已落实，第③项仍缺。")

    history = lead.get_by_test_id("history")
    history.locator("summary").click()
    latest = history.get_by_test_id("history-entry").first
    expect(latest).to_contain_text("评分过程：查阅年度工作计划，第③项已补充。 → 复核：第④项已落实，第③项仍缺。")
    expect(latest).to_contain_text("④ ")
    history.scroll_into_view_if_needed()
    screenshot(lead, "judgment-history")
    assert lead.evaluate("window.__violations") == [] and staff.evaluate("window.__violations") == []
    staff_context.close()
    lead_context.close()


def test_a_draft_outlives_its_tab_and_is_offered_in_a_new_session(browser, demo_server):
    base = demo_server.url
    url = judgment_url(base, "A22")
    context, page = signed_in(browser, base, "lead")
    page.goto(url)
    typed = "查阅了2022年度工作计划和科室分工表，计划已分解到各科室，但"
    page.locator("textarea[name=process]").clear()
    page.locator("textarea[name=process]").press_sequentially(typed, delay=5)
    expect(page.get_by_test_id("autosave-status")).to_have_text(re.compile(r"草稿已自动保存（\d\d:\d\d:\d\d）"), timeout=10000)
    page.wait_for_load_state("networkidle")
    context.close()  # the tab (and its session cookie) is gone; nothing was submitted

    context, page = signed_in(browser, base, "lead")
    page.goto(url)

    banner = page.get_by_test_id("draft-banner")
    expect(banner).to_contain_text(re.compile(r"您有未保存的草稿（\d{4}-\d\d-\d\d \d\d:\d\d）："))
    screenshot(page, "draft-banner")
    banner.get_by_role("button", name="恢复").click()
    expect(page.locator("textarea[name=process]")).to_have_value(typed)
    expect(page.get_by_test_id("draft-banner")).to_have_count(0)
    # The restored text is kept again as the draft; nothing is left to send when the tab closes.
    expect(page.get_by_test_id("autosave-status")).to_have_text(re.compile(r"草稿已自动保存"), timeout=10000)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__violations") == []
    context.close()


def test_papers_are_attached_before_scoring_and_listed_in_the_index(browser, demo_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    base = demo_server.url
    context, page = signed_in(browser, base, "staff")
    evaluation = Evaluation.objects.get(department__name=YANJIN)
    for code, name, title, when in [
        ("A11", "三定方案.pdf", "延津县政务服务和大数据管理局职能配置、内设机构和人员编制规定", "2019-03-20"),
        ("A11", "党组会议纪要.pdf", "2022年第3次党组会议纪要", "2022-04-08"),
        ("B12", "决算报表.pdf", "2022年度部门决算报表", "2023-02-15"),
    ]:
        page.goto(base + reverse("judgment_edit", args=[evaluation.pk, code]))
        upload = page.get_by_test_id("evidence-upload")
        upload.locator("input[type=file]").set_input_files({"name": name, "mimeType": "application/pdf", "buffer": b"%PDF-1.4"})
        upload.locator("input[name=title]").fill(title)
        upload.locator("input[name=document_date]").fill(when)
        upload.get_by_role("button", name="上传").click()
        expect(page.get_by_text(f"已上传：{code}-")).to_be_visible()

    page.goto(base + reverse("rubric_overview", args=[evaluation.pk]))
    page.get_by_test_id("evidence-index-link").click()
    rows = page.get_by_test_id("evidence-row")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("A11-1")
    expect(rows.nth(0)).to_contain_text("2019-03-20")
    expect(rows.nth(2)).to_contain_text("B12 预算执行率")
    screenshot(page, "evidence-index")
    with page.expect_download() as download:
        page.get_by_test_id("evidence-index-xlsx").click()
    assert download.value.suggested_filename == f"2022{YANJIN}工作底稿索引.xlsx"
    assert page.evaluate("window.__violations") == []
    context.close()


def test_two_people_save_the_budget_and_the_history_shows_both(browser, demo_server):
    base = demo_server.url
    evaluation = Evaluation.objects.get(department__name=YANJIN)
    edit = base + reverse("budget_edit", args=[evaluation.pk])
    staff_context, staff = signed_in(browser, base, "staff")
    lead_context, lead = signed_in(browser, base, "lead")
    staff.goto(edit)
    lead.goto(edit)

    staff.fill("input[name=personnel_final]", "160.00")
    staff.get_by_role("button", name="保存", exact=True).click()
    expect(staff.get_by_text("预算数据已保存")).to_be_visible()
    lead.fill("input[name=personnel_final]", "162.50")
    lead.get_by_role("button", name="保存", exact=True).click()

    conflict = lead.get_by_test_id("edit-conflict")
    expect(conflict).to_contain_text("预算数据已由王敏于")
    expect(conflict.locator("tr", has_text="人员经费·决算数")).to_contain_text("160.00")
    expect(conflict.locator("tr", has_text="人员经费·决算数")).to_contain_text("162.50")
    expect(lead.locator("input[name=personnel_final]")).to_have_value("162.50")
    screenshot(lead, "conflict-budget")
    conflict.get_by_test_id("take-theirs").click()
    expect(lead.locator("input[name=personnel_final]")).to_have_value("160.00")

    lead.goto(base + reverse("budget_detail", args=[evaluation.pk]))
    history = lead.get_by_test_id("history")
    history.locator("summary").click()
    expect(history.get_by_test_id("history-entry").first).to_contain_text("人员经费·决算数：161.75 → 160.00")
    expect(history.get_by_test_id("history-entry").first).to_contain_text("王敏")
    history.scroll_into_view_if_needed()
    screenshot(lead, "budget-history")
    staff_context.close()
    lead_context.close()
