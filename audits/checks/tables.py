"""Score tables, each on its own and against each other. Pure.

* every printed 得分率 is 得分 ÷ 分值 (at the decimals printed);
* no score above its weight;
* every level adds up: a label's weight is its rows' sum, a printed parent row
  is its rows' sum, 合计 is the sum of the rows (加分 added, 减分 as printed);
* the first level sums to 100 (加减分 outside);
* 序号 and codes run on without a gap;
* a 评分过程 that states a score states the one in the 得分 column;
* the same indicator has the same weight and score in every table that prints it.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from audits.checks.base import ERROR, WARNING, Finding
from audits.facts.numbers import Number, shown, shown_percent
from audits.facts.report import ReportFacts
from audits.facts.score_tables import LEVELS, NAMES, Node, ScoreTable, first_level_name
from audits.facts.statements import stated_process_score
from evalsite.lib.numbers import percent
from rubrics import scoring

ZERO = Decimal(0)


def _signed(node: Node) -> Decimal:
    """A leaf's contribution to the total as printed (a 减分 printed as ``-1`` or ``1`` takes off)."""
    value = node.score.value if node.score is not None else ZERO
    return -abs(value) if node.kind == scoring.DEDUCTION else value


def _weight(node: Node) -> Decimal | None:
    """A node's weight: printed or in its label; else the sum of its rows'."""
    if node.weight is not None:
        return node.weight.value
    if node.is_leaf:
        return None
    parts = [_weight(child) for child in node.children]
    return None if None in parts else sum(parts, ZERO)


def _score(node: Node) -> Decimal | None:
    """A node's score: printed; else the sum of its rows' (a label prints none)."""
    if node.score is not None and node.printed:
        return node.score.value
    if node.is_leaf:
        return None
    parts = [_score(child) if not child.is_leaf else (_signed(child) if child.score is not None else None)
             for child in node.children]
    return None if None in parts else sum(parts, ZERO)


def rates(table: ScoreTable) -> list[Finding]:
    findings = []
    rows = [(node, node.weight, node.score, node.rate) for node in table.walk() if node.printed]
    if table.total is not None:
        rows.append((None, table.total.weight, table.total.score, table.total.rate))
    for node, weight, score, rate in rows:
        if rate is None or weight is None or score is None or weight.value == 0:
            continue
        computed = percent(abs(score.value), abs(weight.value))
        if not rate.agrees(computed):
            row = node.row if node is not None else table.total.row
            what = node.title if node is not None else "合计"
            findings.append(Finding(
                "rates", ERROR, table.place(row, node),
                f"{what}得分率{rate.text}与得分{score.text}÷分值{weight.text}不符",
                shown_percent(computed), rate.text, key=f"rates|{table.grid.name}|{what}",
            ))
    return findings


def over_weight(table: ScoreTable) -> list[Finding]:
    findings = []
    for node in table.walk():
        if not node.printed or node.weight is None or node.score is None:
            continue
        if abs(node.score.value) > abs(node.weight.value):
            findings.append(Finding(
                "over_weight", ERROR, table.place(node.row, node),
                f"{node.title}得分{node.score.text}超过分值{node.weight.text}",
                f"不超过{node.weight.text}", node.score.text, key=f"over|{table.grid.name}|{node.title}",
            ))
    return findings


def structured(table: ScoreTable) -> bool:
    """A table whose labels can be followed down its rows (not a PDF's table that may have lost them)."""
    return not (table.grid.approximate and table.shape == LEVELS)


def sums(table: ScoreTable) -> list[Finding]:
    """Every level adds up, and 合计 is the sum of what it closes."""
    if not structured(table):
        return []
    findings = []
    for node in table.walk():
        if node.is_leaf or node.kind == scoring.ADJUSTMENT:
            continue
        parts_weight = [_weight(child) for child in node.children]
        if node.weight is not None and None not in parts_weight:
            total = sum(parts_weight, ZERO)
            if total != node.weight.value:
                findings.append(Finding(
                    "sums", ERROR, table.place(node.row, node),
                    f"{node.title}的分值为{shown(node.weight.value)}，其下各项分值之和为{shown(total)}",
                    shown(total), shown(node.weight.value), key=f"sums|{table.grid.name}|{node.title}|weight",
                ))
        if node.printed and node.score is not None:
            parts = [_score(child) if not child.is_leaf else child.score and child.score.value for child in node.children]
            if None not in parts:
                total = sum(parts, ZERO)
                if total != node.score.value:
                    findings.append(Finding(
                        "sums", ERROR, table.place(node.row, node),
                        f"{node.title}得分{node.score.text}不等于其下各项得分之和{shown(total)}",
                        shown(total), node.score.text, key=f"sums|{table.grid.name}|{node.title}|score",
                    ))
    findings += _total(table)
    return findings


def _total(table: ScoreTable) -> list[Finding]:
    total = table.total
    findings = []
    normal = [root for root in table.roots if root.kind == scoring.NORMAL]
    weights = [_weight(root) for root in normal]
    designed = sum(weights, ZERO) if None not in weights else None
    if table.shape != NAMES and designed is not None and normal and designed != scoring.FULL_MARKS:
        findings.append(Finding(
            "hundred", ERROR, f"{table.grid.name}，一级指标",
            f"一级指标分值之和为{shown(designed)}，应为100（加减分项除外）",
            "100", shown(designed), key=f"hundred|{table.grid.name}",
        ))
    if total is None:
        return findings
    if table.shape == NAMES:
        tops = table.roots
        weight_parts = [_weight(node) for node in tops]
        score_parts = [_score(node) for node in tops]
    else:
        weight_parts = weights
        score_parts = [_score(root) for root in table.roots]
    if total.weight is not None and None not in weight_parts:
        expected = sum(weight_parts, ZERO)
        if expected != total.weight.value:
            findings.append(Finding(
                "sums", ERROR, table.place(total.row), f"合计分值{total.weight.text}不等于各项分值之和{shown(expected)}",
                shown(expected), total.weight.text, key=f"sums|{table.grid.name}|合计|weight",
            ))
    if total.score is not None and None not in score_parts and score_parts:
        expected = sum(score_parts, ZERO)
        if expected != total.score.value:
            findings.append(Finding(
                "sums", ERROR, table.place(total.row), f"合计得分{total.score.text}不等于各项得分之和{shown(expected)}",
                shown(expected), total.score.text, key=f"sums|{table.grid.name}|合计|score",
            ))
    return findings


def sequence(table: ScoreTable) -> list[Finding]:
    """序号 1, 2, 3 … without a gap (a 序号 merged over several rows numbers them as one item)."""
    if table.shape != LEVELS or "seq" not in table.columns:
        return []
    findings = []
    previous: int | None = None
    previous_node: Node | None = None
    for node in table.leaves():
        if node.seq_shared or not node.seq.strip().isdigit():
            continue
        number = int(node.seq)
        if previous is not None and number != previous + 1:
            shared = [n for n in table.leaves() if n.seq_shared and previous_node.row < n.row < node.row]
            detail = f"（{'、'.join(n.title for n in shared)}没有自己的序号）" if shared else ""
            findings.append(Finding(
                "numbering", WARNING, table.place(node.row, node),
                f"序号不连续：{previous}之后为{number}{detail}",
                str(previous + 1), str(number), key=f"seq|{table.grid.name}|{previous}",
            ))
        previous, previous_node = number, node
    return findings


def _code_parts(code: str) -> tuple[str, str] | None:
    if not code or not code[0].isalpha() or not code[1:].isdigit():
        return None
    return code[0], code[1:]


def codes(table: ScoreTable) -> list[Finding]:
    """Third-level codes run on: after C41 comes C42 or C51; first-level letters A, B, C … (加减分 aside)."""
    findings = []
    leaves = [node for node in table.leaves() if node.code]
    for before, after in itertools.pairwise(leaves):
        first, second = _code_parts(before.code), _code_parts(after.code)
        if first is None or second is None or first[0] != second[0] or len(first[1]) != len(second[1]):
            continue
        digits_before, digits_after = first[1], second[1]
        if len(digits_before) == 1:
            allowed = {str(int(digits_before) + 1)}
        elif len(digits_before) == 2:
            s, t = int(digits_before[0]), int(digits_before[1])
            allowed = {f"{s}{t + 1}", f"{s + 1}1"}
        else:
            continue
        if digits_after not in allowed:
            missing = _skipped(first[0], digits_before, digits_after)
            findings.append(Finding(
                "numbering", WARNING, table.place(after.row, after),
                f"编码不连续：{before.code}之后为{after.code}" + (f"，缺少{missing}" if missing else ""),
                "或".join(f"{first[0]}{digits}" for digits in sorted(allowed)), after.code,
                key=f"codes|{after.code}",
            ))
    letters = [root.code for root in table.roots if root.code and root.kind == scoring.NORMAL and len(root.code) == 1
               and structured(table)]
    for before, after in itertools.pairwise(letters):
        if ord(after) != ord(before) + 1:
            findings.append(Finding(
                "numbering", WARNING, table.place(None), f"一级指标编码不连续：{before}之后为{after}",
                chr(ord(before) + 1), after, key=f"codes|{after}",
            ))
    return findings


def _skipped(letter: str, before: str, after: str) -> str:
    """The code a jump leaves out: C41 → C52 skips C51 (and C42 … if the second level changed)."""
    if len(before) == 2 and len(after) == 2 and int(after[0]) == int(before[0]) + 1 and after[1] != "1":
        return f"{letter}{after[0]}1"
    if len(before) == 2 and len(after) == 2 and after[0] == before[0]:
        return f"{letter}{before[0]}{int(before[1]) + 1}"
    return ""


def process_scores(table: ScoreTable) -> list[Finding]:
    """A 评分过程 that states a score states the one in the 得分 column."""
    findings = []
    for node in table.leaves():
        if not node.process or node.score is None:
            continue
        stated = stated_process_score(node.process, node.kind)
        if stated is None or stated.number == abs(node.score.value):
            continue
        findings.append(Finding(
            "process", ERROR, table.place(node.row, node),
            f"{node.title}的评分过程写“{stated.phrase}”，得分栏为{node.score.text}",
            node.score.text, shown(stated.number), key=f"process|{node.code or node.title}",
        ))
    return findings


def _printed_leaves(tables: list[ScoreTable]) -> dict[str, list[tuple[ScoreTable, Node]]]:
    found: dict[str, list[tuple[ScoreTable, Node]]] = {}
    for table in tables:
        for node in table.walk():
            if node.code and node.level >= 2 and (node.is_leaf or structured(table)):
                found.setdefault(node.code, []).append((table, node))
    return found


def across_tables(facts: ReportFacts) -> list[Finding]:
    """The same indicator prints the same weight and score in every table (附件1, 表5-n, 表4-1)."""
    findings = []
    for code, places in _printed_leaves(facts.score_tables).items():
        reference_table, reference = places[0]
        for table, node in places[1:]:
            for what, mine, theirs in (("分值", _weight(node), _weight(reference)), ("得分", _score(node), _score(reference))):
                if mine is None or theirs is None or mine == theirs:
                    continue
                findings.append(Finding(
                    "across", ERROR, table.place(node.row, node),
                    f"{node.title}的{what}在{table.grid.name}中为{shown(mine)}，在{reference_table.grid.name}中为{shown(theirs)}",
                    shown(theirs), shown(mine), key=f"across|{code}|{what}|{table.grid.name}",
                ))
    findings += _first_level_across(facts)
    return findings


def first_levels(facts: ReportFacts) -> list[tuple[ScoreTable, Node]]:
    """Every first-level indicator printed or labelled in any score table."""
    return [(table, root) for table in facts.score_tables if table.shape != NAMES and structured(table)
            for root in table.roots if table.funds is not root]


def _first_level_across(facts: ReportFacts) -> list[Finding]:
    findings = []
    seen: dict[str, tuple[ScoreTable, Node]] = {}
    for table, root in first_levels(facts):
        key = root.code or first_level_name(root.name)
        if key not in seen:
            seen[key] = (table, root)
            continue
        reference_table, reference = seen[key]
        for what, mine, theirs in (("分值", _weight(root), _weight(reference)), ("得分", _score(root), _score(reference))):
            if mine is None or theirs is None or mine == theirs:
                continue
            findings.append(Finding(
                "across", ERROR, table.place(root.row, root),
                f"{root.title}的{what}在{table.grid.name}中为{shown(mine)}，在{reference_table.grid.name}中为{shown(theirs)}",
                shown(theirs), shown(mine), key=f"across|{key}|{what}|{table.grid.name}",
            ))
    return findings


def each_table(facts: ReportFacts) -> list[Finding]:
    findings = []
    detailed = [table for table in facts.score_tables if table.shape == LEVELS]
    coded = detailed or [table for table in facts.score_tables if table.shape == NAMES]
    for table in facts.score_tables:
        findings += rates(table) + over_weight(table) + sums(table) + sequence(table) + process_scores(table)
    for table in coded:
        findings += codes(table)
    return findings


def printed_total(facts: ReportFacts) -> tuple[Number | None, list[Decimal]]:
    """The total the tables print (表4-1's 合计 first) and every total they give (printed or summed)."""
    totals: list[Decimal] = []
    printed = None
    for table in sorted(facts.score_tables, key=lambda t: {"first": 0, "levels": 1, "names": 2}[t.shape]):
        if table.shape == NAMES or not structured(table):
            continue
        if table.total is not None and table.total.score is not None:
            printed = printed or table.total.score
            totals.append(table.total.score.value)
        parts = [_score(root) for root in table.roots]
        if parts and None not in parts:
            totals.append(sum(parts, ZERO))
    return printed, totals


def node_weight(node: Node) -> Decimal | None:
    return _weight(node)


def node_score(node: Node) -> Decimal | None:
    return _score(node)
