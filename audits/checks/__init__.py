"""The 复核's checks, pure functions over a read report (:mod:`audits.facts`), and the one call that runs them.

:func:`review` reads nothing from the database: a report's bytes go through a
reader (:mod:`audits.read`), its facts are sorted out (:mod:`audits.facts`),
and every check in :data:`CHECKS` returns findings (and notes of what agreed).
The same call checks a report this product rendered (:mod:`audits.selfcheck`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from audits.checks import budget, structure, surveys, tables, text
from audits.checks.base import ERROR, WARNING, Finding, Note, Outcome, Settings
from audits.facts.report import ReportFacts, read_facts
from audits.read.model import ReadReport


@dataclass(frozen=True)
class Check:
    key: str
    title: str
    run: Callable[[ReportFacts, Settings], list[Finding] | tuple[list[Finding], list[Note]]]


def _tables(facts: ReportFacts, settings: Settings) -> list[Finding]:
    return tables.each_table(facts)


def _across(facts: ReportFacts, settings: Settings) -> list[Finding]:
    return tables.across_tables(facts)


CHECKS: tuple[Check, ...] = (
    Check("tables", "评分表：得分率、分值上限、逐级合计、一级指标满分100、序号与编码、评分过程", _tables),
    Check("across", "各表之间同一指标的分值和得分", _across),
    Check("totals", "文字中的总分与等级", text.totals_and_grades),
    Check("first_level", "文字中一级指标的权重、得分、得分率", text.first_level_sentences),
    Check("second_level", "文字中二级指标的满分、得分、得分率", text.second_level_sentences),
    Check("leaves", "三级指标段落的分值和评分过程", text.leaf_paragraphs),
    Check("counts", "文字中的指标个数", text.system_counts),
    Check("arithmetic", "文字中的算式", text.arithmetic),
    Check("budget_totals", "预算表的合计", budget.table_totals),
    Check("budget_rates", "预算表的完成率和结构占比", budget.table_rates),
    Check("budget_balance", "收入总计与支出总计", budget.income_equals_expense),
    Check("ratios", "文字中的财政比率", budget.quoted_ratios),
    Check("survey_annex", "附件2的份数和比率", surveys.annex_shares),
    Check("survey_rates", "文字中的满意度和问卷份数", surveys.quoted_rates),
    Check("outline", "参考提纲的章节", structure.outline),
    Check("cover", "封面要素", structure.cover),
    Check("problems", "扣分指标在存在的问题中有说明", structure.deductions_explained),
    Check("figures", "结论有数据支撑", structure.conclusion_figures),
)


def check_facts(facts: ReportFacts, settings: Settings) -> Outcome:
    outcome = Outcome()
    seen: set[str] = set()
    for check in CHECKS:
        result = check.run(facts, settings)
        findings, notes = result if isinstance(result, tuple) else (result, [])
        for finding in findings:
            if finding.identity not in seen:
                seen.add(finding.identity)
                outcome.findings.append(finding)
        outcome.notes += notes
    outcome.findings.sort(key=lambda finding: finding.severity != ERROR)
    return outcome


def review(report: ReadReport, settings: Settings | None = None) -> Outcome:
    """Every finding on a read report, errors first."""
    return check_facts(read_facts(report), settings or Settings())


__all__ = ["CHECKS", "ERROR", "WARNING", "Finding", "Note", "Outcome", "Settings", "check_facts", "review"]
