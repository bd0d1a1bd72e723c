"""The 自评表 is filled from the data: 年度指标值, 实际完成值, 年度总体目标 and 偏差原因; what is missing is a check finding."""

import pytest

from reports.checks import check_context, run_checks, selfeval_gaps
from reports.enums import SectionKey
from reports.models import GoalRow
from reports.queries import report_data
from reports.selfeval import build_selfeval
from rubrics import services
from tests.factories import YANJIN_BUDGET, EvaluationFactory

pytestmark = pytest.mark.django_db

TREE = [
    {"code": "A", "name": "预算执行率", "weight": "10", "children": [
        {"code": "A1", "name": "部门（单位）整体支出", "weight": "10", "children": [
            {"code": "A11", "name": "预算执行率", "weight": "10", "binding": {"ratio": "budget_execution_rate"},
             "rule": {"kind": "rate_deviation", "threshold": "100", "direction": "at_least", "step": "1/100",
                      "unit": "share", "per": "1"}},
        ]},
    ]},
    {"code": "B", "name": "履职效果", "weight": "90", "children": [
        {"code": "B1", "name": "部门履职目标", "weight": "90", "children": [
            {"code": "B11", "name": "年办件量", "weight": "30", "rule": {"kind": "ratio", "direction": "positive"}},
            {"code": "B12", "name": "基本支出预算执行率", "weight": "30", "binding": {"ratio": "basic_execution_rate"},
             "rule": {"kind": "rate_deviation", "threshold": "100", "direction": "at_least", "step": "1/100",
                      "unit": "share", "per": "1"}},
            {"code": "B13", "name": "服务质量提升", "weight": "30", "rule": {"kind": "yes_no"}},
        ]},
    ]},
]


@pytest.fixture
def evaluation():
    evaluation = EvaluationFactory(budget=YANJIN_BUDGET, year=2022)
    services.copy_system_into(evaluation, TREE, source_name="自评表")
    services.import_judgments(evaluation, {
        "A11": {"inputs": {}},  # judged: the rate is the budget figures'
        "B11": {"inputs": {"actual": "69760", "target": "80000"}, "process": "全年办件69760件，未达到80000件的目标。"},
        "B12": {"inputs": {}},
        "B13": {"inputs": {"yes": False}},
    })
    for position, (level3, value) in enumerate((("年办件量", "≥80000件"), ("基本支出预算执行率", "100%"))):
        GoalRow.objects.create(evaluation=evaluation, position=position, level1="产出指标", level2="数量指标",
                                 level3=level3, value=value)
    return evaluation


def indicator_rows(evaluation) -> dict[str, list[str]]:
    rows = build_selfeval(report_data(evaluation)).table("selfeval").texts()
    return {row[-6]: row[-5:] for row in rows if len(row) >= 6 and row[-6] in ("年办件量", "基本支出预算执行率", "服务质量提升")}


def test_targets_come_from_the_declared_goals_and_actuals_from_the_judgments(evaluation):
    rows = indicator_rows(evaluation)
    assert rows["年办件量"][:2] == ["≥80000件", "69760"]
    assert rows["基本支出预算执行率"][:2] == ["100%", "100.00%"]  # the bound ratio, computed from the budget figures
    assert rows["服务质量提升"][:2] == ["—", "—"]


def test_where_points_were_lost_the_deviation_says_why(evaluation):
    rows = indicator_rows(evaluation)
    assert rows["年办件量"][2:] == ["30.00", "26.16", "全年办件69760件，未达到80000件的目标。"]
    assert rows["基本支出预算执行率"][2:] == ["30.00", "30.00", "无偏差"]
    assert rows["服务质量提升"][3] == "0.00"
    assert rows["服务质量提升"][4] != ""  # the engine's drafted 评分过程 when nothing was written


def test_the_annual_goal_is_drafted_from_the_declared_goals_and_the_outcome_from_the_actuals(evaluation):
    rows = build_selfeval(report_data(evaluation)).table("selfeval").texts()
    goal_row = rows[rows.index(["年度总体目标", "预期目标", "实际完成情况"]) + 1]
    assert goal_row == [
        "年办件量：≥80000件\n基本支出预算执行率：100%",
        "年办件量：69760（年度指标值≥80000件）\n基本支出预算执行率：100.00%（年度指标值100%）",
    ]


def test_missing_values_are_check_findings(evaluation):
    messages = [finding.message for finding in selfeval_gaps(check_context(evaluation))]
    assert messages == [
        "自评表：以下指标没有年度指标值（标杆值或绩效目标申报表中同名指标的指标值）：B13服务质量提升。",
        "自评表：以下指标没有实际完成值（评分时填写，或由取自数据的值给出）：B13服务质量提升。",
    ]
    assert {finding.message for finding in run_checks(check_context(evaluation))} >= set(messages)


def test_written_texts_win_over_the_drafts(evaluation):
    from reports import services as report_services

    report_services.save_section(evaluation, SectionKey.SELFEVAL_GOALS, "目标1：提升政务服务效能。")
    rows = build_selfeval(report_data(evaluation)).table("selfeval").texts()
    goal_row = rows[rows.index(["年度总体目标", "预期目标", "实际完成情况"]) + 1]
    assert goal_row[0] == "目标1：提升政务服务效能。"
