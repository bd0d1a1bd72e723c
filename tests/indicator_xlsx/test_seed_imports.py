"""The seeds' 附件1 tables, typed as firms type them, import to the transcribed systems and score to the seeds' totals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rubrics import scoring
from rubrics.indicator_xlsx import read_indicator_workbook
from tests.indicator_xlsx.builders import (
    load_scores,
    load_system,
    seed_000_workbook,
    seed_002_workbook,
    shape,
    to_bytes,
    walk,
)


def engine_total(imported, slug: str) -> scoring.EvaluationResult:
    """Score the imported tree with the imported 得分 as judgment inputs."""
    tree = scoring.indicators_from_dicts(imported.system["indicators"])
    settings = scoring.settings_from_dict(load_system(slug).get("settings"))
    return scoring.score(tree, scoring.judgments_from_dict(imported.judgments), settings)


@pytest.fixture(scope="module")
def seed_000():
    return read_indicator_workbook(to_bytes(seed_000_workbook()))


@pytest.fixture(scope="module")
def seed_002():
    return read_indicator_workbook(to_bytes(seed_002_workbook()))


class TestSeed000:
    def test_first_level(self, seed_000):
        first = seed_000.system["indicators"]
        assert [(n["code"], n["name"], Decimal(n["weight"]), n.get("kind", "normal")) for n in first] == [
            ("A", "部门决策", Decimal(15), "normal"),
            ("B", "部门管理", Decimal(25), "normal"),
            ("C", "部门绩效", Decimal(60), "normal"),
            ("D", "加减分项目", Decimal(0), "adjustment"),
        ]

    def test_second_level_weights_are_the_sums_of_their_rows(self, seed_000):
        second = [(n["code"], Decimal(n["weight"])) for level, n in walk(seed_000.system["indicators"]) if level == 2]
        assert second[:3] == [("A1", Decimal(5)), ("A2", Decimal(5)), ("A3", Decimal(5))]
        assert ("C1", Decimal(36)) in second
        assert ("C4", Decimal(12)) in second

    def test_thirty_one_third_level_rows_with_the_adjustments(self, seed_000):
        leaves = [n for level, n in walk(seed_000.system["indicators"]) if level == 3]
        assert len(leaves) == 31
        by_code = {n["code"]: n for n in leaves}
        assert by_code["F1"]["kind"] == "bonus"
        assert by_code["F2"]["kind"] == "deduction"
        assert by_code["F2"]["weight"] == "2"  # printed as −2
        assert by_code["A11"]["name"] == "中长期规划科学合理性"
        assert "C52" in by_code  # kept as printed, under C4
        assert all(n["rule"] == {"kind": "judgment"} for n in leaves)

    def test_numbered_criteria_become_the_points_of_the_built_in_template(self, seed_000):
        """1.…；2.… in the 评分标准 are the 评价要点, as the shipped template lists them."""
        imported = {n["code"]: n.get("points") for level, n in walk(seed_000.system["indicators"]) if level == 3}
        shipped = {n["code"]: n.get("points") for level, n in walk(load_system("decision-management-performance")["indicators"])
                   if level == 3}
        assert imported["A11"] == shipped["A11"] == [
            "是否制定中长期规划",
            "依据自治区的总体规划，将任务落实到部门中长期规划",
            "中长期规划是否对总体目标、规划实施内容及时间安排有明确规定",
            "中长期规划对部门各项职能的履行均进行了完整规划",
        ]
        assert imported["B51"] == shipped["B51"] and len(imported["B51"]) == 6  # "…行为，6.现场盘点…"
        assert imported["C11"] is None  # a ratio rule's criteria list no points

    def test_the_whole_tree_equals_the_transcribed_system(self, seed_000):
        assert shape(seed_000.system["indicators"]) == shape(
            load_system("decision-management-performance")["indicators"]
        )

    def test_codes_D1_D2_are_generated_for_the_adjustment_block(self, seed_000):
        adjustment = seed_000.system["indicators"][3]
        assert adjustment["code"] == "D"
        assert [(n["code"], n["name"], n["kind"]) for n in adjustment["children"]] == [
            ("D1", "加分项", "adjustment"),
            ("D2", "减分项", "adjustment"),
        ]

    def test_scores_and_process_are_read(self, seed_000):
        demo = load_scores("shawan_2024")
        assert {code: Decimal(j["inputs"]["score"]) for code, j in seed_000.judgments.items()} == {
            code: Decimal(value) for code, value in demo["expected"]["scores"].items()
        }
        assert seed_000.judgments["A11"]["process"] == demo["judgments"]["A11"]["process"]
        assert seed_000.stated_total == Decimal("89.5")

    def test_engine_total_from_the_imported_scores(self, seed_000):
        result = engine_total(seed_000, "decision-management-performance")
        assert result.errors == ()
        assert result.unscored == ()
        assert result.total == Decimal("89.50")
        assert result.grade == "良"
        assert [(row.code, row.score) for row in result.summary[:3]] == [
            ("A", Decimal("15.00")),
            ("B", Decimal("20.00")),
            ("C", Decimal("54.50")),
        ]

    def test_the_misprinted_rate_is_the_only_warning(self, seed_000):
        assert [str(w) for w in seed_000.warnings] == [
            "工作表“附件1”第17行L列：得分率100%与得分2.5÷权重3（83.33%）不一致；得分率不导入，将按得分重新计算"
        ]

    def test_title_and_header_position(self, seed_000):
        assert seed_000.header_row == 3
        assert seed_000.sheet == "附件1"
        assert seed_000.system["name"] == "沙湾市政务服务中心部门整体绩效评价指标体系"


class TestSeed002:
    def test_tree_equals_the_transcribed_system(self, seed_002):
        assert shape(seed_002.system["indicators"]) == shape(
            load_system("decision-management-output-benefit")["indicators"]
        )

    def test_circled_points_of_the_explanation_are_read_when_the_criteria_list_none(self, seed_002):
        """Seed 002 lists ①②③④ under 指标解释; its 评分标准 says only 每存在一点不符扣除…"""
        a21 = next(n for level, n in walk(seed_002.system["indicators"]) if n["code"] == "A21")
        assert a21["points"] == [
            "政务大数据局具有年度工作计划",
            "年度计划工作分解到各科室",
            "各科室年度工作计划符合部门及科室职能要求",
            "年度工作计划对计划实施内容、时间安排、资金安排、人员安排有明确安排",
        ]

    def test_multi_line_labels(self, seed_002):
        first = seed_002.system["indicators"][0]
        assert (first["code"], first["name"], first["weight"]) == ("A", "部门决策", "10")
        assert (first["children"][0]["code"], first["children"][0]["name"], first["children"][0]["weight"]) == (
            "A1",
            "部门职能",
            "4",
        )
        assert first["children"][0]["children"][0]["name"] == "部门职能明确性"

    def test_unlabelled_second_level_weight_is_its_sum(self, seed_002):
        d3 = seed_002.system["indicators"][3]["children"][2]
        assert (d3["code"], d3["name"], d3["weight"]) == ("D3", "满意度", "11")

    def test_engine_total_from_the_imported_scores(self, seed_002):
        result = engine_total(seed_002, "decision-management-output-benefit")
        assert result.errors == ()
        assert result.total == Decimal("86.00")
        assert result.grade == "良"

    def test_no_warnings(self, seed_002):
        assert seed_002.warnings == []
        assert seed_002.stated_total == Decimal(86)


@pytest.mark.parametrize("layout", ["blank", "repeated"])
def test_blank_below_label_and_repeated_labels_read_like_merged_cells(layout, seed_000):
    other = read_indicator_workbook(to_bytes(seed_000_workbook(layout)))
    assert other.system == seed_000.system
    assert other.judgments == seed_000.judgments


def test_seed_002_blank_layout_reads_like_merged(seed_002):
    other = read_indicator_workbook(to_bytes(seed_002_workbook("blank")))
    assert other.system == seed_002.system
    assert other.judgments == seed_002.judgments
