"""The indicator overview closes on the engine's rows, words its deviation notes from the settings, and
chooses badge colours from node states."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from evaluations.enums import TeamRole
from rubrics import scoring, services
from rubrics.models import Indicator
from tests.factories import YANJIN_BUDGET, EvaluationFactory, small_rubric, team

pytestmark = pytest.mark.django_db


def overview(client, evaluation) -> str:
    client.force_login(team(evaluation)[TeamRole.STAFF])
    return client.get(reverse("rubric_overview", args=[evaluation.pk])).content.decode()


def closing_rows(page: str) -> list[list[str]]:
    rows = re.findall(r'<tr[^>]*data-testid="closing-row"[^>]*>(.*?)</tr>', page, re.S)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for row in rows]


def first_level_rows(page: str) -> dict[str, list[str]]:
    rows = re.findall(r'<tr class="table-secondary fw-semibold" data-code="(\w+)">(.*?)</tr>', page, re.S)
    return {code: [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for code, row in rows}


def test_the_total_rows_are_the_engines_and_agree_with_the_rows_when_an_indicator_is_left_out(client):
    evaluation = small_rubric(EvaluationFactory(budget={**YANJIN_BUDGET, "personnel_final": Decimal("100.00")}))
    services.save_judgment(Indicator.objects.get(evaluation=evaluation, code="A11"), inputs={"yes": True}, user=None,
                           applicable=False, not_applicable_reason="本年度无此项工作")
    page = overview(client, evaluation)
    # B11: 274.21 / 335.96 = 81.62%, 13.38 pp below 95, 5% of 60 per pp: 19.86 of 60; A11 left out
    assert closing_rows(page) == [
        ["合计", "60.00", "19.86", "33.10%", ""],
        ["折算为百分制", "100.00", "33.10", "33.10%", "差"],
    ]
    rows = first_level_rows(page)
    assert (rows["A"][1:3], rows["B"][1:3]) == (["0.00", "0.00"], ["60.00", "19.86"])


def test_the_deviation_note_follows_the_scoring_setting(client):
    evaluation = EvaluationFactory()
    tree = [{"code": "A", "name": "产出", "weight": "100", "children": [{"code": "A1", "name": "数量", "weight": "100", "children": [
        {"code": "A11", "name": "办件量", "weight": "100", "rule": {"kind": "ratio"}}]}]}]
    services.copy_system_into(evaluation, tree, source_name="测试", settings={"over_achievement_threshold": "20"})
    services.import_judgments(evaluation, {"A11": {"inputs": {"actual": "125", "target": "100"}}})
    page = overview(client, evaluation)
    assert "A11：实际完成值高于标杆值25.00%，达到20%的提示线，请评价组判断是否调整得分并说明理由。" in page
    assert "30%" not in page


def test_badges_are_chosen_from_states(client):
    from rubrics.templatetags.rubric_labels import STATE_BADGES

    assert set(STATE_BADGES) == set(scoring.STATE_LABELS)
    evaluation = small_rubric(EvaluationFactory(budget=YANJIN_BUDGET))
    services.save_judgment(Indicator.objects.get(evaluation=evaluation, code="A11"), inputs={"yes": True}, user=None,
                           override_score=Decimal("30"), override_reason="目标偏低")
    page = overview(client, evaluation)
    assert '<span class="badge text-bg-info" data-state="overridden">已调整</span>' in page
    assert '<span class="badge text-bg-success" data-state="scored">已评分</span>' in page
