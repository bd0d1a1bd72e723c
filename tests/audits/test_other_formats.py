"""The 复核 of what comes without a Word report: the 附件1 as a workbook, the report as a PDF."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from audits.checks import review
from audits.checks.base import ERROR, WARNING, Settings
from audits.outline import REFERENCE_OUTLINE
from audits.read import read_files
from reports.enums import SectionKey
from reports.exports import render_data
from reports.queries import report_data
from reports.services import save_section
from tests.indicator_xlsx.builders import seed_000_workbook, to_bytes
from tests.reports.conftest import YANJIN, evaluation_named

ANNEX_000 = "沙湾市政务服务中心部门整体绩效评价指标体系"
YANJIN_ANNEX = "延津县政务服务和大数据管理局部门整体支出绩效评价指标体系评分表"


def outcome_of(*files: tuple[str, bytes]):
    read = read_files(list(files))
    return read, review(read, Settings(outline=REFERENCE_OUTLINE))


def test_seed_000_annex_as_a_workbook_gives_its_five_errors_and_the_importer_s_verdict():
    """The workbook has a title row and a header row above the seed's rows: its row numbers are the sheet's."""
    read, outcome = outcome_of(("附件1.xlsx", to_bytes(seed_000_workbook())))
    assert read.notes == ("“附件1.xlsx”：附件1可按导入格式读取（工作表“附件1”，表头在第3行）",)
    assert {(f.check, f.place, f.expected, f.found) for f in outcome.errors} == {
        ("rates", f"{ANNEX_000}，第17行（B51资产管理规范性）", "83.33%", "100%"),
        ("process", f"{ANNEX_000}，第12行（B31支出预算执行率）", "4", "3"),
        ("process", f"{ANNEX_000}，第27行（C21“三公”经费控制率）", "4", "3"),
        ("process", f"{ANNEX_000}，第29行（C31重点工作完成率）", "4", "3"),
        ("process", f"{ANNEX_000}，第32行（C53部门投诉及有效处置情况）", "4", "3"),
    }
    assert [(f.severity, f.check, f.message) for f in outcome.warnings] == [
        (WARNING, "numbering", "编码不连续：C41之后为C52，缺少C51"),
    ]


@pytest.fixture
def yanjin(db):
    call_command("load_demo", stdout=io.StringIO())
    return evaluation_named(YANJIN)


def test_the_yanjin_report_as_our_pdf_reads_without_error_and_a_typed_ratio_is_found(yanjin):
    read, outcome = outcome_of(("报告.pdf", render_data(report_data(yanjin), "pdf", charts=False)))
    assert read.notes == ("“报告.pdf”：PDF没有段落和合并单元格的信息，按行和表格线读取，读出的段落和表格可能与原文不完全相同",)
    assert outcome.errors == []
    assert [(f.check, f.place) for f in outcome.warnings] == [
        ("problems", f"{YANJIN_ANNEX}，第6行（A23绩效指标明确性）"),
        ("problems", f"{YANJIN_ANNEX}，第27行（C22大数据综合服务监管体系建设实现率）"),
    ]

    save_section(yanjin, SectionKey.BUDGET_EXPENSE, "2022年度全年支出预算执行率为90.00%。")
    _, outcome = outcome_of(("报告.pdf", render_data(report_data(evaluation_named(YANJIN)), "pdf", charts=False)))
    assert [(f.severity, f.check, f.expected, f.found) for f in outcome.errors] == [(ERROR, "ratios", "100.00%", "90.00%")]
    assert "2022年度全年支出预算执行率为90.00%" in outcome.errors[0].place
