"""Budget tables and the ratios the text quotes from them. Pure.

* printed totals equal their rows (the budget importer's own check);
* 表2-2's 预算完成率 and 表2-3's 结构占比 are what the lines give;
* 收入总计 equals 支出总计;
* every ratio quoted in the text (预算执行率为…, 预算调整率=…=…%) is the one
  :func:`evaluations.fiscal.ratios` computes from the tables. A ratio named
  without its qualifier ("基本支出……预算调整率为42.54%") may be the qualified
  one its sentence speaks of.
"""

from __future__ import annotations

from audits.checks.base import ERROR, Finding, Settings
from audits.checks.sources import Source, statements
from audits.facts import statements as said
from audits.facts.budget_tables import completion_rates, economic_shares
from audits.facts.numbers import read_number, shown, shown_percent
from audits.facts.report import ReportFacts
from audits.read.model import squeeze
from evaluations import fiscal


def _row_place(grid, row: int | None) -> str:
    if row is None:
        return grid.name
    labels = [squeeze(text) for text in dict.fromkeys(grid.rows[row]) if text and read_number(text) is None]
    return f"{grid.name}，第{row + 1}行（{'·'.join(labels[:2])}）" if labels else f"{grid.name}，第{row + 1}行"


def table_totals(facts: ReportFacts, settings: Settings) -> list[Finding]:
    return [
        Finding("budget_sums", ERROR, _row_place(problem.grid, problem.row),
                f"“{problem.what}”为{problem.found}，各行合计为{problem.expected}", problem.expected, problem.found,
                key=f"budget_sum|{problem.what}")
        for problem in facts.budget.problems
    ]


def table_rates(facts: ReportFacts, settings: Settings) -> list[Finding]:
    findings = []
    for rate in [*completion_rates(facts.budget), *economic_shares(facts.budget)]:
        if rate.computed is None or rate.printed.agrees(rate.computed):
            continue
        what = "预算完成率" if rate in completion_rates(facts.budget) else "结构占比"
        findings.append(Finding(
            "budget_rates", ERROR, _row_place(rate.grid, rate.row),
            f"{rate.label}的{what}{rate.printed.text}与表中金额算得的{shown_percent(rate.computed)}不符",
            shown_percent(rate.computed), rate.printed.text, key=f"budget_rate|{rate.label}|{what}",
        ))
    return findings


def income_equals_expense(facts: ReportFacts, settings: Settings) -> list[Finding]:
    if not {"income", "expenditure"} <= facts.budget.grids.keys():
        return []
    figures = facts.budget.figures
    findings = []
    for key, label in fiscal.COLUMNS:
        income, expense = figures.income_grand_total.column(key), figures.expense_grand_total.column(key)
        if income is not None and expense is not None and income != expense:
            findings.append(Finding(
                "budget_sums", ERROR, f"{facts.budget.grids['income'].name}与{facts.budget.grids['expenditure'].name}",
                f"收入总计（{label}）{shown(income)}万元与支出总计{shown(expense)}万元不一致",
                shown(income), shown(expense), key=f"budget_balance|{key}",
            ))
    return findings


def _candidates(name: str, sentence: str, before: int, ratios: list[fiscal.Ratio]) -> list[fiscal.Ratio]:
    """The ratios a quote may mean: its own name, or a qualified one whose qualifier its sentence names first."""
    own = [ratio for ratio in ratios if ratio.name == name]
    qualified = [
        ratio for ratio in ratios
        if ratio.name != name and ratio.name.endswith(name) and ratio.name[: -len(name)] in sentence[:before]
    ]
    return qualified + own


def quoted_ratios(facts: ReportFacts, settings: Settings) -> list[Finding]:
    ratios = facts.budget.ratios()
    if not ratios:
        return []
    sources = list(statements(facts))
    for table in facts.score_tables:
        sources += [Source(node.process, table.grid.name, grid=table.grid, row=node.row)
                    for node in table.leaves() if node.process]
    findings = []
    for source in sources:
        for quote in said.ratio_quotes(source.text):
            offset = source.text.find(quote.sentence)
            candidates = _candidates(quote.name, quote.sentence, quote.start - offset, ratios)
            if not candidates or any(quote.value.agrees(ratio.value) for ratio in candidates):
                continue
            ratio = candidates[0]
            findings.append(Finding(
                "ratios", ERROR, source.place(quote.start),
                f"{ratio.name}文字写{quote.value.text}，按预算表计算为{ratio.display}（{ratio.worked}）",
                ratio.display, quote.value.text, key=f"ratio|{ratio.key}|{quote.value.text}",
            ))
    return findings
