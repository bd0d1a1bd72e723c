"""The value of every placeholder for one evaluation, as the text prints it.

Numbers come from ``evaluations.fiscal`` (figures and ratios), the scoring
engine's result and the survey results; they are only formatted here, with
the one rounding helper.
"""

from __future__ import annotations

from evalsite.lib.chinese import chinese_numeral
from evalsite.lib.numbers import NO_VALUE, format_amount
from evaluations import fiscal
from reports.placeholders import (
    AMOUNT_COLUMNS,
    CATALOG,
    INDICATOR_GROUP,
    SURVEY_GROUP,
    TABLE_REFERENCE_ELSEWHERE,
    TABLE_REFERENCES,
)
from reports.queries import ReportData
from rubrics import scoring


def amount(value) -> str:
    """万元 with two decimals; a budget line not given counts as 0 (as in fiscal's sums)."""
    return format_amount(fiscal.zero_if_none(value))


def optional_amount(value) -> str:
    """万元 with two decimals; ``—`` when not given (a figure that is unknown, not zero)."""
    return format_amount(value)


def amount_lines(figures: fiscal.Figures) -> dict[str, fiscal.Triple]:
    return {
        "收入合计": figures.income_total,
        "收入总计": figures.income_grand_total,
        "一般公共预算收入": figures.line("general"),
        "政府性基金收入": figures.line("fund"),
        "其他收入": figures.line("other"),
        "年初结转结余": figures.line("carry_in"),
        "支出合计": figures.expense_total,
        "支出总计": figures.expense_grand_total,
        "基本支出": figures.basic,
        "人员经费": figures.line("personnel"),
        "公用经费": figures.line("public"),
        "项目支出": figures.line("project"),
        "年末结转和结余": figures.line("carry_out"),
    }


def normal_nodes(result: scoring.EvaluationResult | None) -> list[scoring.NodeResult]:
    if result is None:
        return []
    return [node for node in result.nodes if node.kind == scoring.NORMAL and node.applicable]


def structure_sentence(result: scoring.EvaluationResult | None) -> str:
    """一是部门决策，权重分10.00分，主要从部门职能、目标设定2个方面加以考察；二是…；另设加减分项目，主要从…。

    Only the first-level indicators counted by {一级指标数} are numbered (一是, 二是…); a 加减分项目
    container sits outside the 100 and is named after them, so the count and the list agree.
    """
    parts = []
    adjustments = []
    for node in [n for n in result.nodes if n.applicable] if result is not None else []:
        children = [child.name for child in node.children if child.applicable]
        considered = f"主要从{'、'.join(children)}{len(children)}个方面加以考察"
        if node.kind == scoring.NORMAL:
            number = chinese_numeral(len(parts) + 1)
            parts.append(f"{number}是{node.name}，权重分{format_amount(node.applicable_weight)}分，{considered}")
        else:
            adjustments.append(f"另设{node.name}，{considered}")
    parts += adjustments
    return "；".join(parts) + ("。" if parts else "")


def indicator_values(result: scoring.EvaluationResult | None) -> dict[str, str]:
    values: dict[str, str] = {}
    if result is None:
        return values
    for node in result.walk():
        weight, score, rate = INDICATOR_SUFFIXES
        # the weight the tables and sentences use: a parent's 满分 leaves out its not-applicable children
        values[f"{node.code}{weight}"] = format_amount(node.applicable_weight)
        values[f"{node.code}{score}"] = NO_VALUE if node.score is None else format_amount(node.score)
        values[f"{node.code}{rate}"] = node.rate_text
    return values


def score_values(result: scoring.EvaluationResult | None) -> dict[str, str]:
    firsts = normal_nodes(result)
    seconds = [child for node in firsts for child in node.children if child.applicable]
    leaves = [leaf for node in seconds for leaf in node.walk() if leaf.is_leaf and leaf.applicable]
    adjustments = [
        leaf for leaf in (result.walk() if result else []) if leaf.is_leaf and leaf.kind in (scoring.BONUS, scoring.DEDUCTION)
    ]
    return {
        "总分": NO_VALUE if result is None else format_amount(result.total),
        "等级": NO_VALUE if result is None else result.grade_text,
        "一级指标数": str(len(firsts)),
        "二级指标数": str(len(seconds)),
        "三级指标数": str(len(leaves)),
        "加减分项数": str(len(adjustments)),
        "满分指标数": str(sum(1 for leaf in leaves if leaf.score is not None and leaf.score == leaf.weight)),
        "指标体系构成": structure_sentence(result),
    }


def survey_values(data: ReportData) -> dict[str, str]:
    if data.surveys is None:
        return {"问卷发放数": NO_VALUE, "有效问卷数": NO_VALUE, "满意度": NO_VALUE}
    facts = data.surveys.facts
    values = {
        "问卷发放数": str(facts.issued),
        "有效问卷数": str(facts.valid),
        "满意度": facts.satisfaction_text,
    }
    rate, issued, valid = SURVEY_SUFFIXES
    for group in facts.groups:
        values[f"{group.group}{rate}"] = group.composite_text
        values[f"{group.group}{issued}"] = str(group.issued)
        values[f"{group.group}{valid}"] = str(group.valid)
    return values


def day_text(day) -> str:
    return NO_VALUE if day is None else f"{day.year}年{day.month}月{day.day}日"


def report_date_texts(evaluation) -> tuple[str, str]:
    """评价日期 (the month of the report date, else of the evaluation's end) and 报告日期, as the cover prints them."""
    month = evaluation.report_date or evaluation.end_date
    return (NO_VALUE if month is None else f"{month.year}年{month.month}月"), day_text(evaluation.report_date)


def period_text(evaluation) -> str:
    """评价期间: ``2023年9月1日至2023年11月28日``."""
    if evaluation.start_date is None and evaluation.end_date is None:
        return NO_VALUE
    return f"{day_text(evaluation.start_date)}至{day_text(evaluation.end_date)}"


INDICATOR_SUFFIXES = ("权重", "得分", "得分率")


def static_names() -> set[str]:
    """The names whose meaning does not depend on the indicator system."""
    return {placeholder.name for placeholder in CATALOG if placeholder.group not in (INDICATOR_GROUP, SURVEY_GROUP)}


SURVEY_SUFFIXES = ("满意度", "问卷发放数", "有效问卷数")


def placeholder_names(indicator_codes, survey_groups=()) -> set[str]:
    """Every name a text of this evaluation may use (validation; no number is computed)."""
    return (
        static_names()
        | {f"{code}{suffix}" for code in indicator_codes for suffix in INDICATOR_SUFFIXES}
        | {f"{group}{suffix}" for group in survey_groups for suffix in SURVEY_SUFFIXES}
    )


def placeholder_values(data: ReportData) -> dict[str, str]:
    """Every placeholder name → its text for this evaluation."""
    evaluation, department, figures = data.evaluation, data.department, data.figures
    month, day = report_date_texts(evaluation)
    values: dict[str, str] = {
        "年度": str(evaluation.year),
        "部门": department.name,
        "部门简称": department.short_name or department.name,
        "委托单位": evaluation.bureau.name,
        "财政局分管科室": evaluation.bureau_section or NO_VALUE,
        "评价机构": evaluation.firm.name,
        "主评人": data.lead_name or NO_VALUE,
        "资金来源": evaluation.fund_source or NO_VALUE,
        "评价方法": "、".join(evaluation.methods) or NO_VALUE,
        "评价标准": "、".join(evaluation.standards) or NO_VALUE,
        "评价日期": month,
        "评价期间": period_text(evaluation),
        "报告日期": day,
        **{ref.name: TABLE_REFERENCE_ELSEWHERE for ref in TABLE_REFERENCES},
    }
    for line, triple in amount_lines(figures).items():
        for column, key in AMOUNT_COLUMNS:
            values[f"{line}{column}"] = amount(triple.column(key))
    values.update(
        {
            "三公经费预算数": amount(figures.three_public_budget),
            "三公经费决算数": amount(figures.three_public_actual),
            "上年三公经费预算数": optional_amount(figures.prev_three_public_budget),
            "上年末结转结余": optional_amount(figures.prev_carryover),
            "政府采购预算数": optional_amount(figures.procurement_budget),
            "政府采购实际数": optional_amount(figures.procurement_actual),
        }
    )
    values.update({ratio.name: ratio.display for ratio in data.ratios.values()})
    values.update(
        {
            "编制数": str(department.authorized_total),
            "行政编制数": str(department.admin_authorized),
            "事业编制数": str(department.institution_authorized),
            "实有人数": str(department.actual_total),
            "行政实有人数": str(department.admin_actual),
            "事业实有人数": str(department.institution_actual),
            "内设机构数": str(len(department.internal_units)),
            "内设机构": "、".join(department.internal_units) or NO_VALUE,
        }
    )
    values.update(survey_values(data))
    result = data.scored.result
    values.update(score_values(result))
    values.update(indicator_values(result))
    return values
