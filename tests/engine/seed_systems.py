"""The two seed systems with the judgments that reproduce their printed scores.

Written in the JSON shape of ``rubrics/RULES.md`` (numbers as strings) so that
the tests also exercise the parsers. Seed 002 (河南 延津, 附件1) totals 86 (良);
seed 000 (新疆 沙湾, 附件1) totals 89.5 (良).
"""

from __future__ import annotations

from typing import Any


def node(code: str, name: str, weight: str, *children: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"code": code, "name": name, "weight": weight, "children": list(children), **extra}


def leaf(code: str, name: str, weight: str, rule: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"code": code, "name": name, "weight": weight, "rule": rule, **extra}


def deduct_share(share: str, items: int) -> dict[str, Any]:
    return {"kind": "deduct", "per_failure": share, "unit": "share", "items": items}


def deduct_points(points: str, items: int | None = None) -> dict[str, Any]:
    rule: dict[str, Any] = {"kind": "deduct", "per_failure": points, "unit": "points"}
    if items is not None:
        rule["items"] = items
    return rule


def checklist(items: int, shares: list[str] | None = None) -> dict[str, Any]:
    rule: dict[str, Any] = {"kind": "checklist", "items": items}
    if shares is not None:
        rule["shares"] = shares
    return rule


RATIO = {"kind": "ratio", "direction": "positive"}
YES_NO = {"kind": "yes_no"}
JUDGMENT = {"kind": "judgment"}
SATISFACTION_BANDS_6 = {
    "kind": "bands",
    "bands": [{"min": "90", "score": "6"}, {"min": "85", "score": "5"}, {"min": "80", "score": "3"}],
}


def ratio_binding(key: str) -> dict[str, str]:
    return {"ratio": key}


SURVEY = {"survey": "办事群众"}

# --------------------------------------------------------------------------
# Seed 002: 延津县政务服务和大数据管理局 2022 (决策/管理/产出/效益)
# --------------------------------------------------------------------------

SEED_002_INDICATORS = [
    node(
        "A",
        "部门决策",
        "10",
        node(
            "A1",
            "部门职能",
            "4",
            leaf("A11", "部门职能明确性", "2", deduct_share("1/3", 3)),
            leaf("A12", "中长期规划合理性", "2", deduct_share("25/100", 4)),
        ),
        node(
            "A2",
            "目标设定",
            "6",
            leaf("A21", "年度工作计划明确性", "2", deduct_share("25/100", 4)),
            leaf("A22", "绩效目标合理性", "2", checklist(3, ["1/2", "1/4", "1/4"])),
            leaf("A23", "绩效指标明确性", "2", deduct_share("50/100", 2)),
        ),
    ),
    node(
        "B",
        "部门管理",
        "25",
        node(
            "B1",
            "预算执行",
            "5",
            leaf(
                "B11",
                "预算调整率",
                "2",
                {"kind": "rate_deviation", "threshold": "10", "direction": "at_most", "step": "3/100", "unit": "share"},
                binding=ratio_binding("budget_adjustment_rate"),
            ),
            leaf(
                "B12",
                "预算执行率",
                "2",
                {
                    "kind": "rate_deviation",
                    "threshold": "95",
                    "direction": "at_least",
                    "step": "5/100",
                    "unit": "share",
                    "zero_above": "100",
                },
                binding=ratio_binding("budget_execution_rate"),
            ),
            leaf(
                "B13",
                "结转结余变动情况",
                "1",
                {
                    "kind": "rate_deviation",
                    "threshold": "10",
                    "direction": "at_most",
                    "step": "0.5",
                    "unit": "points",
                    "per": "5",
                },
                binding=ratio_binding("carryover_change_rate"),
            ),
        ),
        node(
            "B2",
            "财务管理",
            "5",
            leaf("B21", "财务管理制度健全性", "2", deduct_points("1", 2)),
            leaf("B22", "资金使用合规性", "2", deduct_points("1", 3)),
            leaf("B23", "会计信息完整性", "1", YES_NO),
        ),
        node(
            "B3",
            "制度管理",
            "4",
            leaf("B31", "管理制度健全性", "2", deduct_points("1", 2)),
            leaf("B32", "管理制度执行情况", "2", YES_NO),
        ),
        node(
            "B4",
            "资产管理",
            "4",
            leaf("B41", "资产管理制度健全性", "2", checklist(5, ["1/2", "1/8", "1/8", "1/8", "1/8"])),
            leaf("B42", "固定资产管理规范性", "2", deduct_share("25/100", 4)),
        ),
        node(
            "B5",
            "人员管理",
            "2",
            leaf(
                "B51",
                "在职人数控制率",
                "2",
                {
                    "kind": "rate_deviation",
                    "threshold": "100",
                    "direction": "at_most",
                    "step": "5/100",
                    "unit": "share",
                },
                binding=ratio_binding("staff_control_rate"),
            ),
        ),
        node("B6", "采购管理", "2", leaf("B61", "政府采购规范性", "2", deduct_points("1", 3))),
        node(
            "B7",
            "预算管理",
            "3",
            leaf("B71", "绩效监控情况", "1", checklist(2)),
            leaf("B72", "绩效自评情况", "1", checklist(2)),
            leaf("B73", "预决算信息公开性", "1", checklist(2)),
        ),
    ),
    node(
        "C",
        "部门产出",
        "40",
        node(
            "C1",
            "重点工作任务完成情况",
            "20",
            leaf("C11", "项目全生命周期监管系统上线运行", "5", checklist(3, ["1/5", "2/5", "2/5"])),
            leaf("C12", "“一网通办”“一网通管”实现情况", "5", checklist(2)),
            leaf("C13", "“一件事一次办”集成改革", "5", checklist(2)),
            leaf("C14", "加强市民中心管理", "5", checklist(2)),
        ),
        node(
            "C2",
            "履职目标实现情况",
            "20",
            leaf(
                "C21",
                "政务服务事项网上办理数量实现率",
                "10",
                {"kind": "bands", "bands": [{"min": "98", "score": "10"}], "label": "网上办理率"},
            ),
            leaf("C22", "大数据综合服务监管体系建设实现率", "10", RATIO),
        ),
    ),
    node(
        "D",
        "部门效益",
        "25",
        node("D1", "社会效益", "8", leaf("D11", "提升服务效能和服务质量", "8", JUDGMENT)),
        node("D2", "可持续影响", "6", leaf("D21", "长效管理制度建设情况", "6", deduct_points("1"))),
        node(
            "D3",
            "满意度",
            "11",
            leaf("D31", "群众满意度", "6", SATISFACTION_BANDS_6, binding=SURVEY),
            leaf(
                "D32",
                "工作人员满意度",
                "5",
                {"kind": "bands", "bands": [{"min": "90", "score": "5"}, {"min": "85", "score": "4"}]},
                binding={"survey": "工作人员"},
            ),
        ),
    ),
]


def inputs(**values: Any) -> dict[str, Any]:
    return {"inputs": values, "override": None}


def bound_to(label: str, value: str) -> dict[str, Any]:
    """A judgment whose only input is bound: the value and its name, as the caller reads them from the data."""
    return {"inputs": {}, "bound": {"label": label, "value": value}, "override": None}


SEED_002_JUDGMENTS = {
    "A11": inputs(failures=0),
    "A12": inputs(failures=0),
    "A21": inputs(failures=3),
    "A22": inputs(met=[True, True, True]),
    "A23": inputs(failures=1),
    "B11": bound_to("预算调整率", "-5.18"),
    "B12": bound_to("预算执行率", "100"),
    "B13": bound_to("结转结余变动率", "-100"),
    "B21": inputs(failures=0),
    "B22": inputs(failures=0),
    "B23": inputs(yes=True),
    "B31": inputs(failures=0),
    "B32": inputs(yes=False),
    "B41": inputs(met=[True, True, True, True, True]),
    "B42": inputs(failures=0),
    "B51": bound_to("在职人员控制率", "95.24"),
    "B61": inputs(failures=1),
    "B71": inputs(met=[True, True]),
    "B72": inputs(met=[True, True]),
    "B73": inputs(met=[True, True]),
    "C11": inputs(met=[True, True, True]),
    "C12": inputs(met=[True, False]),
    "C13": inputs(met=[True, False]),
    "C14": inputs(met=[True, True]),
    "C21": inputs(value="99.5"),
    "C22": inputs(actual="65", target="100"),
    "D11": inputs(score="8"),
    "D21": inputs(failures=0),
    "D31": bound_to("满意度", "93.32"),
    "D32": bound_to("满意度", "97.88"),
}

# --------------------------------------------------------------------------
# Seed 000: 沙湾市政务服务中心 2024 (决策/管理/绩效 + 加减分)
# --------------------------------------------------------------------------

C_RATIO_NAMES = [
    ("C11", "集成办理时间压缩"),
    ("C12", "全力推进政务服务乡镇便民服务中心延伸"),
    ("C13", "全力推进政务服务向行政村延伸"),
    ("C14", "全力推进政务服务向社区便民服务站延伸"),
    ("C15", "依申请类和公共服务类事项办件累计"),
    ("C16", "中心本年度共组织涉及一件事一次办相关部门开展培训"),
    ("C17", "为入塔企业累计发放塔礼包"),
    ("C18", "开展预约服务"),
    ("C19", "“一件事”专窗累计办件"),
]

SEED_000_INDICATORS = [
    node(
        "A",
        "部门决策",
        "15",
        node(
            "A1",
            "部门规划计划",
            "5",
            leaf("A11", "中长期规划科学合理性", "2", checklist(4)),
            leaf("A12", "年度工作计划科学完整性", "3", checklist(3)),
        ),
        node(
            "A2",
            "绩效目标",
            "5",
            leaf("A21", "绩效指标明确性", "2", checklist(3)),
            leaf("A22", "绩效目标合理性", "3", checklist(3)),
        ),
        node(
            "A3",
            "部门预算编制",
            "5",
            leaf("A31", "预算编制科学性", "2", checklist(4)),
            leaf("A32", "预算编制与重点工作任务的匹配性", "3", checklist(3)),
        ),
    ),
    node(
        "B",
        "部门管理",
        "25",
        node("B1", "制度管理", "3", leaf("B11", "各项管理制度健全性", "3", checklist(3))),
        node("B2", "预算管理", "3", leaf("B21", "预算、决算信息公开", "3", checklist(2))),
        node(
            "B3",
            "资金管理",
            "10",
            leaf("B31", "支出预算执行率", "4", RATIO),
            leaf("B32", "资金使用合规率", "3", checklist(5)),
            leaf("B33", "政府采购招投标信息公开及时完备率", "3", checklist(2)),
        ),
        node(
            "B4",
            "项目管理",
            "6",
            leaf("B41", "项目质量达标率", "3", RATIO),
            leaf(
                "B42",
                "项目支出预算调整率",
                "3",
                {
                    "kind": "rate_deviation",
                    "threshold": "10",
                    "direction": "at_most",
                    "abs": True,
                    "step": "0.1",
                    "unit": "points",
                },
                binding=ratio_binding("project_adjustment_rate"),
            ),
        ),
        node("B5", "资产管理", "3", leaf("B51", "资产管理规范性", "3", checklist(6))),
    ),
    node(
        "C",
        "部门绩效",
        "60",
        node("C1", "产出", "36", *[leaf(code, name, "4", RATIO) for code, name in C_RATIO_NAMES]),
        node(
            "C2",
            "成本",
            "8",
            leaf(
                "C21",
                "“三公”经费控制率",
                "4",
                {
                    "kind": "rate_deviation",
                    "threshold": "100",
                    "direction": "at_most",
                    "step": "1",
                    "unit": "share",
                    "zero_above": "100",
                },
                binding=ratio_binding("three_public_control_rate"),
            ),
            leaf(
                "C22",
                "日常公用经费调整率",
                "4",
                {
                    "kind": "rate_deviation",
                    "threshold": "10",
                    "direction": "at_most",
                    "abs": True,
                    "step": "1",
                    "unit": "share",
                    "zero_above": "10",
                },
                binding=ratio_binding("public_expense_adjustment_rate"),
            ),
        ),
        node("C3", "效率", "4", leaf("C31", "重点工作完成率", "4", deduct_points("1"))),
        node(
            "C4",
            "效果",
            "12",
            leaf("C41", "部门运行效能、政府服务优化", "4", JUDGMENT),
            leaf(
                "C52",
                "群众满意度",
                "4",
                {"kind": "rate_deviation", "threshold": "90", "direction": "at_least", "step": "0.2", "unit": "points"},
            ),
            leaf(
                "C53",
                "部门投诉及有效处置情况",
                "4",
                {
                    "kind": "rate_deviation",
                    "threshold": "90",
                    "direction": "at_least",
                    "step": "0.2",
                    "unit": "points",
                    "label": "投诉处置率",
                },
            ),
        ),
    ),
    node(
        "D",
        "加减分项目",
        "0",
        node(
            "D1",
            "加减分",
            "0",
            leaf("F1", "部门受到国务院、省级嘉奖情况", "2", YES_NO, kind="bonus"),
            leaf("F2", "部门或工作人员违法违纪情况", "2", YES_NO, kind="deduction"),
            kind="adjustment",
        ),
        kind="adjustment",
    ),
]

TARGET_TOO_LOW = "实际完成值远超标杆值，标杆值设置偏低，酌情扣0.5分"


def overridden(reason: str, score: str, **values: Any) -> dict[str, Any]:
    return {"inputs": values, "override": {"score": score, "reason": reason}}


SEED_000_JUDGMENTS = {
    "A11": inputs(met=[True] * 4),
    "A12": inputs(met=[True] * 3),
    "A21": inputs(met=[True] * 3),
    "A22": inputs(met=[True] * 3),
    "A31": inputs(met=[True] * 4),
    "A32": inputs(met=[True] * 3),
    "B11": inputs(met=[True] * 3),
    "B21": inputs(met=[True] * 2),
    "B31": inputs(actual="487.29", target="487.29"),
    "B32": inputs(met=[True] * 5),
    "B33": inputs(met=[True] * 2),
    "B41": inputs(actual="1", target="2"),
    "B42": bound_to("项目支出预算调整率", "-83.36"),
    "B51": overridden("两处问题情节轻微，评价组酌情扣0.5分", "2.5", met=[True, True, False, True, True, False]),
    "C11": inputs(actual="1", target="1"),
    "C12": inputs(actual="11", target="11"),
    "C13": overridden(TARGET_TOO_LOW, "3.5", actual="174", target="116"),
    "C14": inputs(actual="15", target="15"),
    "C15": overridden(TARGET_TOO_LOW, "3.5", actual="661263", target="502500"),
    "C16": inputs(actual="8", target="8"),
    "C17": inputs(actual="121", target="121"),
    "C18": overridden(TARGET_TOO_LOW, "3.5", actual="6042", target="2107"),
    "C19": inputs(actual="508", target="504"),
    "C21": bound_to("“三公”经费控制率", "0"),
    "C22": bound_to("公用经费调整率", "196.29"),
    "C31": inputs(failures=0),
    "C41": inputs(score="4"),
    "C52": inputs(rate="100"),
    "C53": inputs(rate="100"),
    "F1": inputs(yes=False),
    "F2": inputs(yes=False),
}
