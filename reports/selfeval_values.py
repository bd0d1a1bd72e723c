"""What a 自评表 prints beside each indicator: 年度指标值, 实际完成值 and 偏差原因, taken from the data.

* 年度指标值: the indicator's own 标杆值, else the 指标值 of the 部门整体绩效目标
  申报表 row of the same name;
* 实际完成值: the 实际完成值 written with the judgment, else the value the
  score was computed from (a bound ratio or survey rate, a typed actual, rate
  or value);
* 偏差原因: where points were lost, the reason written with the judgment,
  else the override's reason, else the 评分过程 (written, or the engine's
  draft); "无偏差" at full marks.

A value the data does not hold is printed as "—" and listed by
:func:`missing_values` for the report checks. The funds block's
预算执行率 (the first-level indicator every leaf of which is bound to it) is
printed in the block, not in the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from evalsite.lib.numbers import NO_VALUE, format_percent, format_plain, to_decimal
from reports import narrative
from reports.queries import ReportData
from rubrics import scoring

EXECUTION_RATIO = "budget_execution_rate"
NO_DEVIATION = "无偏差"
_NAME_NOISE = re.compile(r"[\s“”\"'‘’「」《》]")


@dataclass(frozen=True)
class SelfEvalLine:
    target: str  # "" when the data holds none
    actual: str
    deviation: str


def execution_node(data: ReportData) -> scoring.NodeResult | None:
    """The first-level indicator whose every leaf is bound to 预算执行率 (the budget block's 分值 and 得分)."""
    result = data.scored.result
    if result is None:
        return None
    bindings = {row.code: (row.binding or {}).get("ratio") for row in data.scored.rows}
    for node in result.nodes:
        leaves = [leaf for leaf in node.walk() if leaf.is_leaf]
        if leaves and all(bindings.get(leaf.code) == EXECUTION_RATIO for leaf in leaves):
            return node
    return None


def _key(name: str) -> str:
    return _NAME_NOISE.sub("", name or "")


def _typed_actual(rule: scoring.Rule | None, inputs: dict) -> str:
    kind = scoring.rule_kind_of(rule)
    if kind == "ratio" and inputs.get("actual") not in (None, ""):
        return format_plain(to_decimal(inputs["actual"]))
    if kind == "rate_deviation" and inputs.get("rate") not in (None, ""):
        return f"{format_plain(to_decimal(inputs['rate']))}%"
    if kind == "bands" and inputs.get("value") not in (None, ""):
        value = format_plain(to_decimal(inputs["value"]))
        return f"{value}%" if getattr(rule, "percent", False) else value
    return ""


def line_for(data: ReportData, leaf: scoring.NodeResult, goal_values: dict[str, str]) -> SelfEvalLine:
    row = data.scored.row(leaf.code)
    judgment = data.judgments.get(leaf.code)
    target = narrative.clean(row.target).strip() or goal_values.get(_key(row.name), "")
    actual = narrative.clean(judgment.actual).strip() if judgment is not None else ""
    sources = data.scored.bound.get(leaf.code)
    bound = sources.own if sources is not None else None
    if not actual and bound is not None and bound.value is not None:
        actual = format_percent(bound.value)
    if not actual and judgment is not None:
        try:
            actual = _typed_actual(scoring.rule_from_dict(row.rule or {}, row.code) if row.rule else None, judgment.inputs)
        except (scoring.ScoringError, ArithmeticError, TypeError, ValueError):
            actual = ""
    return SelfEvalLine(target, actual, deviation_for(judgment, leaf))


def deviation_for(judgment, leaf: scoring.NodeResult) -> str:
    """The 偏差原因 of an evaluation's judgment (a :class:`rubrics.models.Judgment` or ``None``)."""
    if judgment is None:
        return deviation_text("", (), leaf)
    override = judgment.override_reason if judgment.override_score is not None else ""
    return deviation_text(judgment.deviation_reason, (override, judgment.process), leaf)


def deviation_text(written: str, fallbacks: tuple[str, ...], leaf: scoring.NodeResult) -> str:
    """The reason written; else, where points were lost, the first text of ``fallbacks`` or the engine's draft."""
    if written and written.strip():
        return narrative.clean(written.strip())
    if leaf.score is None or not leaf.applicable:
        return ""
    if leaf.score >= leaf.weight:
        return NO_DEVIATION
    for text in (*fallbacks, leaf.sentence):
        if text and text.strip():
            return narrative.clean(text.strip())
    return ""


def selfeval_lines(data: ReportData) -> dict[str, SelfEvalLine]:
    """Every third-level indicator of the 自评表's table (the funds block's 预算执行率 left out), by code."""
    result = data.scored.result
    if result is None:
        return {}
    goal_values = {_key(entry.level3): entry.value.strip() for entry in data.goals if entry.level3 and entry.value.strip()}
    execution = execution_node(data)
    skipped = {node.code for node in execution.walk()} if execution is not None else set()
    return {
        leaf.code: line_for(data, leaf, goal_values)
        for leaf in result.walk()
        if leaf.is_leaf and leaf.code not in skipped
    }


def shown(text: str) -> str:
    return text or NO_VALUE


def missing_values(data: ReportData) -> tuple[list[str], list[str]]:
    """The indicators (``A11部门职能明确性``) whose 年度指标值, and those whose 实际完成值, the data does not hold."""
    result = data.scored.result
    if result is None:
        return [], []
    lines = selfeval_lines(data)
    names = {leaf.code: f"{leaf.code}{leaf.name}" for leaf in result.walk() if leaf.is_leaf}
    no_target = [names[code] for code, line in lines.items() if not line.target]
    no_actual = [names[code] for code, line in lines.items() if not line.actual]
    return no_target, no_actual
