"""Export → import gives the same system; the exported sheet has the 附件1 shape, values only.

The export is the report's own 附件1 (``reports.indicator_annex``) written by the
report's XLSX renderer: the one writer of 附件1.
"""

from __future__ import annotations

import copy
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from reports.indicator_annex import annex_workbook, system_annex
from reports.render_xlsx import render_xlsx
from rubrics import scoring
from rubrics.indicator_xlsx import read_indicator_workbook
from tests.indicator_xlsx.builders import SEED_000_HEADER, SYSTEM_SLUGS, load_scores, load_system, shape, walk

DEMOS = {"decision-management-performance": "shawan_2024", "decision-management-output-benefit": "yanjin_2022"}


def write_annex(system, judgments=None, title: str = "") -> bytes:
    """附件1 of a system as the product writes it (a template without ``judgments``)."""
    table = system_annex(title or system["name"], system["indicators"], system.get("settings"), judgments)
    return render_xlsx(annex_workbook(table, draft=False))


def demo_scores(name: str) -> dict:
    """A demo's judgments with what the app reads from data for the engine alone: 沙湾 C52 takes its rate from
    the 办事群众 questionnaire, known only by its totals (100%)."""
    demo = copy.deepcopy(load_scores(name))
    if name == "shawan_2024":
        demo["judgments"]["C52"]["inputs"] = {"rate": "100"}
    return demo


def judged(system):
    """The system with every rule a 综合判断, so any score can be given (the sheet holds no rules)."""
    system = copy.deepcopy(system)
    for _, node in walk(system["indicators"]):
        if not node.get("children"):
            node["rule"] = {"kind": "judgment"}
            node["binding"] = None
    return system


def half_scores(system) -> dict[str, Decimal]:
    """Half of each weight: made-up scores the engine takes as 综合判断 inputs."""
    return {
        node["code"]: (Decimal(node["weight"]) / 2).quantize(Decimal("0.01"))
        for _, node in walk(system["indicators"])
        if not node.get("children")
    }


def test_there_are_five_systems():
    assert len(SYSTEM_SLUGS) == 5


@pytest.mark.parametrize("slug", SYSTEM_SLUGS)
def test_round_trip_without_scores(slug):
    system = load_system(slug)
    imported = read_indicator_workbook(write_annex(system))
    assert shape(imported.system["indicators"]) == shape(system["indicators"])
    assert imported.judgments == {}
    assert imported.warnings == []
    assert imported.system["name"] == system["name"]


@pytest.mark.parametrize("slug", SYSTEM_SLUGS)
def test_round_trip_with_scores(slug):
    system = judged(load_system(slug))
    scores = half_scores(system)
    judgments = {
        code: {"inputs": {"score": str(score)}, "process": f"{code}的评分过程：\n第二行。"} for code, score in scores.items()
    }
    data = write_annex(system, judgments, title="测试指标表")
    imported = read_indicator_workbook(data)
    assert shape(imported.system["indicators"]) == shape(system["indicators"])
    assert {code: Decimal(j["inputs"]["score"]) for code, j in imported.judgments.items()} == scores
    assert {code: j["process"] for code, j in imported.judgments.items()} == {
        code: j["process"] for code, j in judgments.items()
    }
    assert imported.system["name"] == "测试指标表"
    assert imported.warnings == []


@pytest.mark.parametrize("slug", sorted(DEMOS))
def test_round_trip_of_engine_results(slug):
    system = load_system(slug)
    demo = demo_scores(DEMOS[slug])
    tree = scoring.indicators_from_dicts(system["indicators"])
    settings = scoring.settings_from_dict(system.get("settings"))
    result = scoring.score(tree, scoring.judgments_from_dict(demo["judgments"]), settings)
    data = write_annex(system, demo["judgments"])

    imported = read_indicator_workbook(data)
    assert imported.warnings == []  # the written rates and total agree with the written scores
    assert imported.stated_total == result.total
    again = scoring.score(
        scoring.indicators_from_dicts(imported.system["indicators"]),
        scoring.judgments_from_dict(imported.judgments),
        settings,
    )
    assert again.total == result.total
    assert {code: j["process"] for code, j in imported.judgments.items()} == {
        code: j["process"] for code, j in demo["judgments"].items()
    }


@pytest.fixture(scope="module")
def exported():
    system = load_system("decision-management-performance")
    data = write_annex(system, demo_scores("shawan_2024")["judgments"])
    return load_workbook(io.BytesIO(data)).active


class TestExportedSheet:
    def test_header_bold_and_frozen(self, exported):
        assert [cell.value for cell in exported[2]] == SEED_000_HEADER
        assert all(cell.font.bold for cell in exported[2])
        assert exported.freeze_panes == "A3"

    def test_labels_with_weights_merged_down(self, exported):
        assert exported["B3"].value == "A部门决策（15分）"
        assert exported["C3"].value == "A1部门规划计划（5分）"
        assert exported["D3"].value == "A11中长期规划科学合理性"
        merged = {str(r) for r in exported.merged_cells.ranges}
        assert "B3:B8" in merged  # A: six third-level rows
        assert "C3:C4" in merged

    def test_numbers_with_formats(self, exported):
        assert exported["E3"].value == 2
        assert exported["E3"].number_format == "0.00"  # weights and scores with two decimals, like every table
        assert exported["K3"].value == 2
        assert exported["L3"].value == 1
        assert exported["L3"].number_format == "0.00%"
        b51 = next(row for row in exported.iter_rows(min_row=3) if str(row[3].value).startswith("B51"))
        assert (b51[10].value, b51[11].value) == (2.5, 0.8333)  # the rate as printed, 83.33%

    def test_deduction_written_negative_and_total_row(self, exported):
        rows = list(exported.iter_rows(min_row=3, values_only=True))
        f2 = next(row for row in rows if str(row[3]).startswith("F2"))
        assert f2[4] == -2
        total = next(row for row in rows if row[0] == "合计")
        assert (total[4], total[10], total[11]) == (100, 89.5, 0.895)

    def test_values_only_never_formulas(self, exported):
        cells = [cell for row in exported.iter_rows() for cell in row]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
        c16 = next(row for row in exported.iter_rows(min_row=3) if str(row[3].value).startswith("C16"))
        assert c16[7].value == "=8场次"

    def test_borders_and_wrapping(self, exported):
        cell = exported["I3"]
        assert cell.border.left.style == "thin"
        assert cell.alignment.wrap_text
        assert exported.column_dimensions["I"].width >= 25


def test_without_results_the_score_columns_are_blank():
    data = write_annex(load_system("input-process-output-effect"))
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert all(row[10] is None and row[11] is None for row in rows)
    assert rows[-1][0] == "合计" and rows[-1][4] == 100
