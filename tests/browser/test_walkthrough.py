"""The 主评人 scores a whole evaluation through the judgment page, as a new user would, in headless Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from evaluations import services as evaluation_services
from evaluations.enums import TeamRole
from evaluations.models import Evaluation, Membership
from evaluations.services import BUDGET_AMOUNT_FIELDS
from rubrics import services as rubric_services
from rubrics.queries import indicator_rows
from surveys.services import load_demo_surveys
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

SHAWAN = "沙湾市政务服务中心"
YANJIN = "延津县政务服务和大数据管理局"
SEED_000 = json.loads((Path(settings.BASE_DIR) / "demo" / "shawan_2024_scores.json").read_text(encoding="utf-8"))


def fresh_copy(department: str, year: int, *, lead: str, surveys: str = "") -> Evaluation:
    """The demo evaluation's department, figures and indicator tree (and the demo's questionnaires ``surveys``)
    in a new evaluation with no judgments."""
    from django.contrib.auth import get_user_model

    original = Evaluation.objects.get(department__name=department)
    copy = evaluation_services.create_evaluation(
        firm=original.firm, department=original.department, creator=None, bureau=original.bureau, year=year
    )
    evaluation_services.save_budget(
        copy, {name: getattr(original.budget, name) for name in BUDGET_AMOUNT_FIELDS}, economic=[], projects=[]
    )
    rubric_services.copy_system_into(
        copy, rubric_services.tree_as_dicts(indicator_rows(original)),
        source_name=original.rubric.source_name, settings=original.rubric.settings,
    )
    Membership.objects.create(evaluation=copy, user=get_user_model().objects.get(username=lead), role=TeamRole.LEAD)
    if surveys:
        load_demo_surveys(copy, surveys)
    return copy


def answer(page, name: str, value: bool) -> None:
    page.locator(f"input[name={name}][value='{1 if value else 0}']").check()


def enter(page, code: str, entry: dict) -> None:
    """Type one indicator's inputs from seed 000 as the 主评人 would: points, figures, overrides with reasons."""
    inputs, override = entry["inputs"], entry.get("override")
    for index, met in enumerate(inputs.get("met", [])):
        answer(page, f"met_{index}", met)
    if "yes" in inputs:
        answer(page, "yes", inputs["yes"])
    for key in ("actual", "target", "failures"):
        if key in inputs:
            page.fill(f"input[name={key}]", str(inputs[key]))
    if "rate" in inputs:
        if page.get_by_test_id("bound-value").count():  # the figure decides; nothing can be typed
            assert page.locator("input[name=rate]").count() == 0, code
        else:
            page.fill("input[name=rate]", inputs["rate"])
    if override:
        page.fill("input[name=override_score]", override["score"])
        page.fill("textarea[name=override_reason]", override["reason"])


def test_the_lead_scores_a_fresh_shawan_evaluation_to_the_seed_total(login, demo_server):
    copy = fresh_copy(SHAWAN, 2025, lead="xj_lead", surveys="shawan_2024")  # C52 reads the 办事群众 survey
    page = login("xj_lead")
    page.goto(f"{demo_server.url}/evaluations/{copy.pk}/indicators/")
    expect(page.get_by_test_id("total-label")).to_have_text("暂计")
    expect(page.get_by_test_id("grade")).to_have_text("—")
    expect(page.get_by_test_id("progress")).to_have_text("0 / 31")
    page.get_by_role("link", name="A11 中长期规划科学合理性").click()

    codes = list(SEED_000["judgments"])
    shots = {"A11": "judgment-checklist", "C41": "judgment-deduct", "C13": "judgment-ratio-override",
             "B42": "judgment-rate-deviation-bound", "C21": "judgment-bound-missing", "F1": "judgment-yes-no"}
    for position, code in enumerate(codes, start=1):
        expect(page.locator("h2")).to_contain_text(code)
        if position == len(codes):  # before the last indicator: a provisional total and no grade
            page.get_by_role("link", name="指标评分", exact=True).click()
            expect(page.get_by_test_id("total-label")).to_have_text("暂计")
            expect(page.get_by_test_id("grade")).to_have_text("—")
            expect(page.get_by_test_id("progress")).to_have_text("30 / 31")
            screenshot(page, "overview-provisional")
            page.locator(f"tr[data-code={code}] a").click()
        enter(page, code, SEED_000["judgments"][code])
        expected = SEED_000["expected"]["scores"][code]
        expect(page.get_by_test_id("computed-score")).to_have_text(f"{float(expected):.2f}")  # live preview
        if code in shots:
            screenshot(page, shots[code])
        # Leaving a field fires its change preview; let it finish before saving (the test database is one
        # in-memory SQLite file, where a read beside a write fails with "table is locked").
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.wait_for_load_state("networkidle")
        button = "保存并下一项 →" if position < len(codes) else "保存"
        page.get_by_role("button", name=button, exact=True).click()
        expect(page.locator(".alert-success")).to_contain_text(f"{code}")

    page.get_by_role("link", name="指标评分", exact=True).click()
    expect(page.get_by_test_id("total-label")).to_have_text("总分")
    expect(page.get_by_test_id("total")).to_have_text("89.50")
    expect(page.get_by_test_id("grade")).to_have_text("良")
    expect(page.get_by_test_id("progress")).to_have_text("31 / 31")
    screenshot(page, "overview-shawan-walked")


def test_the_yanjin_kinds_the_walk_does_not_meet(login, demo_server):
    """Composite (B12), bands bound to a questionnaire (D31), judgment (D11), and a missing figure (B13)."""
    indicators = f"{demo_server.url}/evaluations/{Evaluation.objects.get(department__name=YANJIN).pk}/indicators"
    page = login("lead")
    page.goto(f"{indicators}/B12/")
    expect(page.get_by_test_id("bound-value")).to_have_count(2)
    expect(page.get_by_test_id("drafted-sentence")).to_contain_text("①基本支出预算执行率100.00%")
    assert page.locator("input[name^=part]").count() == 0  # both parts come from the figures
    screenshot(page, "judgment-composite")
    page.goto(f"{indicators}/B13/")
    expect(page.get_by_test_id("bound-missing")).to_contain_text("上年末结转结余未填写")
    assert page.locator("input[name=rate]").count() == 0
    screenshot(page, "judgment-bound-missing-yanjin")
    page.goto(f"{indicators}/D31/")
    expect(page.get_by_test_id("bound-value")).to_contain_text("输入取自满意度问卷：企业和办事群众")
    screenshot(page, "judgment-bands-survey")
    page.goto(f"{indicators}/D11/")
    expect(page.locator("input[name=score]")).to_have_value("8")
    screenshot(page, "judgment-judgment")


def test_a_tier_indicator(login, demo_server):
    from rubrics.models import IndicatorSystem

    evaluation = fresh_copy(YANJIN, 2023, lead="lead")
    evaluation.indicators.all().delete()
    evaluation.rubric.delete()
    system = IndicatorSystem.objects.get(firm=evaluation.firm, slug="input-process-output-effect")
    rubric_services.copy_system_into(evaluation, system.tree, source_name=system.name, settings=system.settings)
    page = login("lead")
    page.goto(f"{demo_server.url}/evaluations/{evaluation.pk}/indicators/D11/")
    page.select_option("select[name=tier]", "部分达成")
    page.fill("input[name=share]", "70")
    expect(page.get_by_test_id("drafted-sentence")).to_contain_text("评价为“部分达成”")
    screenshot(page, "judgment-tier")


def test_the_template_editor_shows_the_fields_of_the_chosen_rule_kind(login, demo_server):
    page = login("lead")
    page.get_by_role("link", name="指标体系模板").click()
    page.get_by_role("link", name="部门整体支出绩效评价指标体系（决策—管理—产出—效益）").click()
    page.locator("tr[data-code=B12]").get_by_role("link", name="编辑").click()
    expect(page.locator("select[name=rule_kind]")).to_have_value("composite")
    expect(page.locator("input[name=part0_name]")).to_have_value("基本支出预算执行率")
    expect(page.locator("input[name=part0_rate_deviation_threshold]")).to_be_visible()
    expect(page.locator("input[name=part0_rate_deviation_threshold]")).to_have_value("95")
    expect(page.locator("select[name=part0_binding_ratio]")).to_have_value("basic_execution_rate")
    expect(page.locator("input[name=rule_checklist_shares]")).to_be_hidden()
    expect(page.locator("input[name=part0_ratio_direction], select[name=part0_ratio_direction]")).to_be_hidden()
    screenshot(page, "template-editor-composite")

    page.locator("tr[data-code=A22]").get_by_role("link", name="编辑").click()
    expect(page.locator("textarea[name=points]")).to_have_value(
        "政务大数据局将整体的绩效目标细化分解为具体的工作任务\n与年度的任务数或计划数相对应\n与本年度预算资金相匹配"
    )
    expect(page.locator("input[name=rule_checklist_shares]")).to_have_value("1/2, 1/4, 1/4")
    page.select_option("select[name=rule_kind]", "rate_deviation")
    expect(page.locator("input[name=rule_checklist_shares]")).to_be_hidden()
    expect(page.locator("input[name=rule_rate_deviation_threshold]")).to_be_visible()
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#id_rule_rate_deviation_threshold_error")).to_have_text("A22：规则缺少达标线（%）（threshold）")
    expect(page.locator("select[name=rule_kind]")).to_have_value("rate_deviation")  # the form comes back as chosen
    expect(page.locator("input[name=rule_rate_deviation_threshold]")).to_be_visible()
    screenshot(page, "template-editor-rule-error")
