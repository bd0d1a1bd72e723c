"""Every page loads under the Content-Security-Policy without a violation, and the moved scripts still work.

Chromium reports each violation as a ``securitypolicyviolation`` event and a
console message "Refused to …"; both are collected while real users walk the
pages (the policy is the same in development and production).
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evaluations.models import Evaluation
from rubrics.models import IndicatorSystem
from surveys.models import Questionnaire

pytestmark = pytest.mark.browser

YANJIN = "延津县政务服务和大数据管理局"
COLLECT = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture
def watched(page):
    """The page, with every CSP violation and every "Refused to" console message recorded."""
    refused = []
    page.add_init_script(COLLECT)
    page.on("console", lambda message: refused.append(message.text) if "Refused to" in message.text or
            "Content Security Policy" in message.text else None)
    page.refused = refused
    return page


def visit(page, base, path):
    response = page.goto(base + path)
    assert response.status == 200, path
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__violations")
    assert (path, violations, page.refused) == (path, [], [])


def yanjin():
    evaluation = Evaluation.objects.get(department__name=YANJIN)
    questionnaire = Questionnaire.objects.filter(evaluation=evaluation).order_by("pk").first()
    return evaluation.pk, questionnaire.pk


def log_in(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo12345")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_staff_pages_load_without_a_csp_violation(watched, demo_server):
    base = demo_server.url
    visit(watched, base, "/login/")
    visit(watched, base, reverse("password_reset"))
    log_in(watched, base, "staff")
    pk, sid = yanjin()
    system = IndicatorSystem.objects.filter(firm__name="新乡市方政财务咨询有限公司").first()
    for name, args in [
        ("dashboard", []), ("evaluation_detail", [pk]), ("budget_detail", [pk]), ("budget_edit", [pk]),
        ("budget_import", [pk]), ("rubric_overview", [pk]), ("survey_list", [pk]), ("survey_detail", [pk, sid]),
        ("survey_structure", [pk, sid]), ("survey_import", [pk]), ("report_overview", [pk]),
        ("report_preview", [pk]), ("department_list", []), ("system_list", []), ("system_detail", [system.pk]),
        ("password_change", []),
    ]:
        visit(watched, base, reverse(name, args=args))
    visit(watched, base, reverse("system_detail", args=[system.pk]) + "?edit=B12")  # the rule form and its toggling
    expect(watched.locator("input[name=rule_checklist_shares]")).to_be_hidden()


def test_judgment_page_live_preview_and_draft_button_work_under_the_policy(watched, demo_server):
    base = demo_server.url
    log_in(watched, base, "staff")
    pk, _ = yanjin()
    visit(watched, base, reverse("judgment_edit", args=[pk, "A21"]))
    watched.locator("input[name=met_2][value='1']").check()  # only ② left 不符合
    watched.locator("input[name=met_3][value='1']").check()
    expect(watched.get_by_test_id("computed-score")).to_have_text("1.50")  # htmx, from static files only
    watched.fill("textarea[name=process]", "")
    watched.click("#use-draft")
    assert watched.input_value("textarea[name=process]").startswith(watched.get_attribute("#use-draft", "data-draft")[:5])
    assert watched.evaluate("window.__violations") == [] and watched.refused == []


def test_counts_total_and_delete_confirmation_come_from_the_static_script(watched, demo_server):
    base = demo_server.url
    log_in(watched, base, "staff")
    pk, sid = yanjin()
    visit(watched, base, reverse("survey_counts", args=[pk, sid]))
    row = watched.locator("tr[data-question='1']")
    inputs = row.locator("input[name$='-count']")
    for index in range(inputs.count()):
        inputs.nth(index).fill("0")
    inputs.nth(0).fill("7")
    inputs.nth(1).fill("5")
    expect(row.locator("[data-total]")).to_have_text("12")
    inputs.nth(1).fill("")
    expect(row.locator("[data-total]")).to_have_text("7")

    visit(watched, base, reverse("survey_detail", args=[pk, sid]))
    questions = []
    watched.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    watched.get_by_role("button", name="删除本问卷").click()
    assert questions and questions[0].startswith("删除问卷“")
    assert Questionnaire.objects.filter(pk=sid).exists()  # dismissed: nothing deleted
    assert watched.evaluate("window.__violations") == []


def test_lead_and_firm_admin_pages_load_without_a_csp_violation(watched, demo_server, browser):
    base = demo_server.url
    log_in(watched, base, "lead")
    pk, _ = yanjin()
    for name, args in [("evaluation_edit", [pk]), ("evaluation_team", [pk]), ("rubric_import", [pk]),
                       ("report_section_edit", [pk, "overall"]), ("report_goals_edit", [pk]),
                       ("evaluation_create", []), ("system_import", [])]:
        visit(watched, base, reverse(name, args=args))
    watched.context.clear_cookies()
    log_in(watched, base, "firm_admin")
    visit(watched, base, reverse("account_users"))
    visit(watched, base, reverse("account_user_create"))


def test_the_policy_refuses_an_injected_inline_script(watched, demo_server):
    visit(watched, demo_server.url, "/login/")
    watched.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';
                               document.body.append(s); }""")
    watched.wait_for_timeout(200)
    assert watched.evaluate("window.__ran") is None
    assert any(v.startswith("script-src") for v in watched.evaluate("window.__violations"))
