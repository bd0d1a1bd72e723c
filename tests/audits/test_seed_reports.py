"""The 复核 on reports built from the seeds' texts: every contradiction the issue lists, each at its place,
and nothing else on the seeds' consistent parts (the warnings each seed also gets are listed and true).

No database: the checks are pure functions over the read report.
"""

from decimal import Decimal

import pytest

from audits.checks import review
from audits.checks.base import Settings
from audits.outline import REFERENCE_OUTLINE
from audits.read.docx_file import read_docx
from tests.audits import seed000, seed001, seed002

ANNEX_000 = "沙湾市政务服务中心部门整体绩效评价指标体系"
ANNEX_002 = "延津县政务服务和大数据管理局部门整体支出指标体系得分表"
DEPARTMENT_001 = "2022年武威市政府政务服务中心整体支出绩效自评表"
PROJECT_001 = "2022年武威市政府政务服务中心预算项目支出绩效自评表"


def outcome_of(content: bytes):
    return review(read_docx(content), Settings(outline=REFERENCE_OUTLINE))


def summary(findings):
    """(check, place, expected, found) of each finding, the figures as the report prints them."""
    return {(f.check, f.place, f.expected, f.found) for f in findings}


@pytest.fixture(scope="module")
def seed_000():
    return outcome_of(seed000.report())


@pytest.fixture(scope="module")
def seed_001():
    return outcome_of(seed001.report())


@pytest.fixture(scope="module")
def seed_002():
    return outcome_of(seed002.report())


def test_seed_000_four_processes_saying_3_for_4_the_100_percent_beside_2_5_and_nothing_else_wrong(seed_000):
    assert summary(seed_000.errors) == {
        ("process", f"{ANNEX_000}，第10行（B31支出预算执行率）", "4", "3"),
        ("process", f"{ANNEX_000}，第25行（C21“三公”经费控制率）", "4", "3"),
        ("process", f"{ANNEX_000}，第27行（C31重点工作完成率）", "4", "3"),
        ("process", f"{ANNEX_000}，第30行（C53部门投诉及有效处置情况）", "4", "3"),
        ("rates", f"{ANNEX_000}，第15行（B51资产管理规范性）", "83.33%", "100%"),
    }
    messages = {f.message for f in seed_000.errors}
    assert "B31支出预算执行率的评分过程写“得分=3×100%=3分”，得分栏为4" in messages
    assert "B51资产管理规范性得分率100%与得分2.5÷分值3不符" in messages


def test_seed_000_skips_a_serial_number_and_the_code_c51(seed_000):
    numbering = {(f.place, f.message, f.expected, f.found) for f in seed_000.warnings if f.check == "numbering"}
    assert numbering == {
        (f"{ANNEX_000}，第31行（F1部门受到国务院、省级嘉奖情况）",
         "序号不连续：28之后为30（C53部门投诉及有效处置情况没有自己的序号）", "29", "30"),
        (f"{ANNEX_000}，第29行（C52群众满意度）", "编码不连续：C41之后为C52，缺少C51", "C42或C51", "C52"),
    }


def test_seed_000_other_warnings_are_true_omissions(seed_000):
    """Its outline has no 评价工作开展情况 chapter, its first page no 委托单位 or 评价日期, and the problems it
    names (预算编制精准度, 指标值设置精准度) name none of its seven deducted indicators."""
    others = [f for f in seed_000.warnings if f.check != "numbering"]
    assert {(f.check, f.message) for f in others if f.check != "problems"} == {
        ("outline", "报告缺少参考提纲要求的“绩效评价工作开展情况”一章"),
        ("cover", "封面缺少委托单位、评价日期"),
    }
    assert sorted(f.place.rsplit("（", 1)[1][:3] for f in others if f.check == "problems") == [
        "B41", "B42", "B51", "C13", "C15", "C18", "C22",
    ]


def test_seed_002_b6_sentence_and_the_public_rate_no_method_gives(seed_002):
    assert summary(seed_002.errors) == {
        ("text_figures", "6.采购管理：“该二级指标满分2分，得分2分，得分率50.00%。包括政府采购规范性1个三级指标。”", "1", "2"),
        ("surveys",
         "3.满意度：“…评价组通过电子调查问卷向到行政服务中心办事的办事群众发放调查问卷78份，收回有效问卷78份，综合满意度93.32%。…”",
         "加权得分法（各题平均）90.43%；加权得分法（合并计算）90.43%；前两项占比法（各题平均）91.79%；前两项占比法（合并计算）91.81%",
         "93.32%"),
    }
    assert {f.message for f in seed_002.errors} == {
        "“6.采购管理”写得分2，表5-2 部门管理类指标得分情况表中B6采购管理为1",
        "企业和办事群众满意度93.32%无法由附件2的份数按任何常见方法复算",
    }


def test_seed_002_staff_rate_is_reproduced_and_its_method_named(seed_002):
    assert any(
        "大厅入驻单位工作人员满意度97.88%可由附件2的份数按前两项占比法（各题平均）" in note.message for note in seed_002.notes
    )


def test_seed_002_warnings_name_the_two_deductions_its_problems_leave_out(seed_002):
    assert {(f.check, f.place) for f in seed_002.warnings} == {
        ("problems", f"{ANNEX_002}，第6行（A23绩效指标明确性）"),
        ("problems", f"{ANNEX_002}，第27行（C22大数据综合服务监管体系建设实现率）"),
    }


def test_seed_001_weights_of_95_beside_88_and_a_project_form_of_89_for_rows_giving_99(seed_001):
    assert summary(seed_001.errors) == {
        ("hundred", f"{DEPARTMENT_001}，一级指标", "100", "95"),
        ("sums", f"{DEPARTMENT_001}，第36行", "93", "88"),
        ("sums", f"{PROJECT_001}，第30行", "99", "89"),
    }
    assert {f.message for f in seed_001.errors} == {
        "一级指标分值之和为95，应为100（加减分项除外）",
        "合计得分88不等于各项得分之和93",
        "合计得分89不等于各项得分之和99",
    }


def test_seed_001_a_deducted_row_without_its_deviation_reason(seed_001):
    assert [(f.check, f.place) for f in seed_001.warnings] == [
        ("problems", f"{DEPARTMENT_001}，第21行（政务快速通道免费送达率）"),
    ]


def test_a_corrected_seed_loses_exactly_the_corrected_findings():
    fixed_002 = outcome_of(seed002.report({
        "该二级指标满分2分，得分2分，得分率50.00%。包括政府采购规范性1个三级指标。":
            "该二级指标满分2分，得分1分，得分率50.00%。包括政府采购规范性1个三级指标。",
    }))
    assert [f.check for f in fixed_002.errors] == ["surveys"]
    annex = 3  # the fourth table of seed 000 (基本信息表, 绩效目标申报表, 表1-5, 附件1)
    fixed_000 = outcome_of(seed000.report({(annex, 14, 11): "83.33%", (annex, 9, 9): "执行率=100% 得分=4×100%=4分"}))
    assert {f.place for f in fixed_000.errors} == {
        f"{ANNEX_000}，第25行（C21“三公”经费控制率）",
        f"{ANNEX_000}，第27行（C31重点工作完成率）",
        f"{ANNEX_000}，第30行（C53部门投诉及有效处置情况）",
    }


def test_the_grade_follows_the_bureau_bands():
    """89.5 is 良 under the national bands; a bureau whose 优 starts at 85 sees a contradiction in "良"."""
    bands = (("85", "优"), ("75", "良"), ("60", "中"), ("0", "差"))
    from rubrics.scoring import GradeBand

    strict = Settings(grade_bands=tuple(GradeBand(Decimal(low), grade) for low, grade in bands), outline=REFERENCE_OUTLINE)
    outcome = review(read_docx(seed000.report()), strict)
    grades = [f for f in outcome.errors if f.check == "grade"]
    assert {(f.expected, f.found) for f in grades} == {("优", "良")}
    # the 基本信息表's 绩效评价结果 and （二）评分结果 both say 良
    assert sorted(f.place.split("：“")[0] for f in grades) == ["第1个表格，第8行", "（二）评分结果"]
    assert grades[0].message == "总分89.50分按本局等级划分为“优”，文字写“良”"
