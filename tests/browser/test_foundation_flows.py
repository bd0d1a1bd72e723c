"""A new user's first steps in real headless Chromium: log in as each demo user, budget pages."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.test_budget_xlsx import seed_002_workbook, workbook_bytes

pytestmark = pytest.mark.browser

YANJIN = "延津县政务服务和大数据管理局"
SHAWAN = "沙湾市政务服务中心"


@pytest.mark.parametrize(
    ("username", "sees", "opens"),
    [
        ("staff", [YANJIN], True),
        ("lead", [YANJIN], True),
        ("reviewer", [YANJIN], True),
        ("outsider", [], False),
        ("bureau", [], False),  # nothing signed yet: a bureau sees only the reports delivered to it
        ("xj_staff", [SHAWAN], True),
        ("xj_lead", [SHAWAN], True),
        ("xj_reviewer", [SHAWAN], True),
        ("xj_bureau", [], False),
    ],
)
def test_each_demo_user_sees_their_dashboard(login, username, sees, opens):
    page = login(username)
    expect(page.get_by_test_id("current-user")).to_contain_text("·")
    screenshot(page, f"dashboard-{username}")
    body = page.locator("main").inner_text()
    for name in sees:
        assert name in body
    for name in {YANJIN, SHAWAN} - set(sees):
        assert name not in body
    if not sees:
        assert "暂无评价项目" in body
    links = page.locator("[data-testid=evaluation-list] a")
    assert (links.count() > 0) == opens


def test_staff_opens_budget_page_with_seed_ratios(login):
    page = login("staff")
    page.get_by_role("link", name=YANJIN).click()
    page.get_by_role("link", name="预算数据", exact=True).click()
    expect(page.locator("[data-ratio=budget_adjustment_rate]")).to_contain_text("-5.18%")
    expect(page.locator("[data-ratio=staff_control_rate]")).to_contain_text("95.24%")
    expect(page.get_by_test_id("economic-table")).to_contain_text("89.81%")
    screenshot(page, "budget-yanjin")


def test_staff_edits_a_figure_and_sees_ratios_recomputed(login):
    page = login("staff")
    page.get_by_role("link", name=YANJIN).click()
    page.get_by_role("link", name="预算数据", exact=True).click()
    page.get_by_role("link", name="编辑预算数据").click()
    screenshot(page, "budget-edit-yanjin")
    page.fill("input[name=personnel_final]", "150.00")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("预算数据已保存")
    expect(page.locator("[data-ratio=budget_execution_rate]")).to_contain_text("96.50%")


def test_a_bad_figure_is_named_and_the_typing_is_kept(login):
    page = login("lead")
    page.get_by_role("link", name=YANJIN).click()
    page.goto(page.url + "budget/edit/")
    page.fill("input[name=public_final]", "-3")
    page.fill("input[name=project_final]", "160.00")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-danger")).to_contain_text("有数据未通过校验")
    expect(page.locator("input[name=project_final]")).to_have_value("160.00")
    expect(page.get_by_test_id("budget-form")).to_contain_text("金额不能为负数")


def test_import_with_preview_then_confirm(login, tmp_path):
    path = tmp_path / "延津预算.xlsx"
    path.write_bytes(workbook_bytes(seed_002_workbook()))
    page = login("staff")
    page.get_by_role("link", name=YANJIN).click()
    page.get_by_role("link", name="预算数据", exact=True).click()
    page.get_by_role("link", name="从Excel导入").click()
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name=re.compile("上传并预览")).click()
    expect(page.get_by_test_id("import-preview")).to_contain_text("表2-1 收入")
    screenshot(page, "budget-import-preview")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".alert-success")).to_contain_text("已导入")
    expect(page.locator("[data-ratio=budget_adjustment_rate]")).to_contain_text("-5.18%")


def test_bureau_cannot_open_an_unsigned_evaluation(login, demo_server):
    page = login("bureau")
    expect(page.locator("main")).to_contain_text("评价机构签发报告后，这里列出交付给本单位的报告")
    from evaluations.models import Evaluation

    pk = Evaluation.objects.get(department__name=YANJIN).pk
    response = page.goto(f"{demo_server.url}/evaluations/{pk}/")
    assert response.status == 404
