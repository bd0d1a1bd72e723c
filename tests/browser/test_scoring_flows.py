"""Scoring and template editing in real headless Chromium."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

YANJIN = "延津县政务服务和大数据管理局"


def open_indicators(page):
    page.get_by_role("link", name=YANJIN).click()
    page.get_by_role("link", name="指标评分", exact=True).click()


def test_staff_walks_indicators_with_live_score(login):
    page = login("staff")
    open_indicators(page)
    expect(page.get_by_test_id("total")).to_have_text("86.00")
    expect(page.get_by_test_id("grade")).to_have_text("良")
    screenshot(page, "indicators-yanjin")
    page.get_by_role("link", name="A21 年度工作计划明确性").click()
    expect(page.get_by_test_id("computed-score")).to_have_text("0.50")
    expect(page.get_by_test_id("judgment-form").get_by_text("② 年度计划工作分解到各科室")).to_be_visible()  # each 评价要点 with its text
    page.locator("input[name=met_2][value='1']").check()  # ③ and ④ found 符合 after all: only ② remains 不符合
    page.locator("input[name=met_3][value='1']").check()
    expect(page.get_by_test_id("computed-score")).to_have_text("1.50")  # live preview, nothing saved yet
    expect(page.get_by_test_id("drafted-sentence")).to_contain_text("存在1处不符（第2项“年度计划工作分解到各科室”）")
    screenshot(page, "judgment-a21")
    page.wait_for_load_state("networkidle")  # the delayed preview has answered before the save
    page.get_by_role("button", name="保存并下一项 →").click()
    expect(page.locator("h2")).to_contain_text("A22")
    page.get_by_role("link", name="指标评分", exact=True).click()
    expect(page.get_by_test_id("total")).to_have_text("87.00")


def test_bound_indicator_shows_its_figure_and_cannot_be_typed(login):
    page = login("staff")
    open_indicators(page)
    page.get_by_role("link", name="B11 预算调整率").click()
    expect(page.get_by_test_id("bound-value")).to_contain_text("预算调整率 = (335.96 − 354.31) / 354.31 = -5.18%")
    assert page.locator("input[name=rate]").count() == 0


def test_lead_edits_a_template_and_sees_the_weight_check(login):
    page = login("lead")
    page.get_by_role("link", name="指标体系模板").click()
    page.get_by_role("link", name="部门整体支出绩效评价指标体系（决策—管理—产出—效益）").click()
    page.locator("tr[data-code=A1]").get_by_role("link", name="加下级").click()
    page.fill("input[name=code]", "A13")
    page.fill("input[name=name]", "部门职能新增指标")
    page.fill("input[name=weight]", "1")
    page.select_option("select[name=rule_kind]", "yes_no")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("system-problems")).to_contain_text("一级指标权重之和为101，应为100")
    expect(page.locator("tr[data-code=A1] td").nth(1)).to_have_text("5")
    screenshot(page, "template-editor")
