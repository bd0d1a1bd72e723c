"""Figures quoted in the text against the tables they come from. Pure.

* the total and the grade (the grade under the bureau's bands);
* a first-level sentence (权重、得分、得分率、二级/三级指标个数) and a second-level
  sentence (满分、得分、得分率、三级指标个数) against the score tables;
* a third-level paragraph (``A11…（2分）：…本项指标得2分。``): its weight and the
  score its 评分过程 states;
* the count of indicators the text gives for the whole system;
* arithmetic worked out in the text (``(20/21)×100%=95.24%``).

A figure agrees when any table printing it agrees: when the tables disagree
among themselves, that is their own finding, not the sentence's.
"""

from __future__ import annotations

import re
from decimal import Decimal

from audits.checks.base import ERROR, Finding, Settings
from audits.checks.sources import Source, paragraphs, statements
from audits.checks.tables import first_levels, node_score, node_weight, printed_total, structured
from audits.facts import statements as said
from audits.facts.numbers import Number, read_number, shown, shown_percent
from audits.facts.report import ReportFacts
from audits.facts.score_tables import LEVELS, NAMES, Node, ScoreTable, first_level_name
from audits.read.model import squeeze
from evalsite.lib.numbers import percent
from evalsite.lib.sheet_cells import strip_numbering
from rubrics import scoring

LEVEL_WORDS = {"一": 1, "二": 2, "三": 3}
LEAD_END = re.compile(r"分\s*[)）]\s*[：:]")


def _agree(number: Number, candidates: list[Decimal]) -> bool:
    return any(number.agrees(value) for value in candidates)


def totals_and_grades(facts: ReportFacts, settings: Settings) -> list[Finding]:
    printed, totals = printed_total(facts)
    if not totals:
        return []
    reference = printed.value if printed is not None else totals[0]
    reference_text = printed.text if printed is not None else shown(reference)
    findings = []
    for source in statements(facts):
        for start, sentence in said.sentences(source.text):
            stated_total = None
            for match in said.TOTAL.finditer(sentence):
                number = read_number(match.group(1))
                if number is None:
                    continue
                stated_total = number
                if not _agree(number, totals):
                    findings.append(Finding(
                        "text_figures", ERROR, source.place(start + match.start()),
                        f"文字写总分{number.text}分，得分表合计为{reference_text}分", reference_text, number.text,
                        key=f"total|{squeeze(sentence)[:30]}",
                    ))
            for match in said.GRADE.finditer(sentence):
                total = stated_total.value if stated_total is not None else reference
                expected = scoring.grade_for(total, settings.grade_bands)
                found = said.grade_word(match.group(1))
                if found != expected:
                    findings.append(Finding(
                        "grade", ERROR, source.place(start + match.start()),
                        f"总分{shown(total)}分按本局等级划分为“{expected}”，文字写“{match.group(1)}”",
                        expected, match.group(1), key=f"grade|{squeeze(sentence)[:30]}",
                    ))
    return findings


# ---------------------------------------------------------------------------
# Level sentences


def _first_level_candidates(facts: ReportFacts) -> dict[str, list[tuple[ScoreTable, Node | None, dict[str, Decimal | None]]]]:
    """Per first-level name, the figures each table gives it (a 表5-n gives its 合计 and its codes' letter)."""
    found: dict[str, list] = {}
    names_by_code: dict[str, str] = {}
    for table, root in first_levels(facts):
        name = first_level_name(root.name)
        if root.code:
            names_by_code[root.code] = name
        figures = {"weight": node_weight(root), "score": node_score(root)}
        figures["rate"] = percent(figures["score"], figures["weight"]) if figures["weight"] and figures["score"] is not None else None
        figures["second"] = Decimal(len([c for c in root.children if not c.is_leaf])) if root.children else None
        figures["third"] = Decimal(len(list(root.leaves()))) if root.children else None
        found.setdefault(name, []).append((table, root, figures))
    for table in facts.score_tables:
        if table.shape != NAMES or table.total is None:
            continue
        letters = {node.code[0] for node in table.walk() if node.code}
        caption = squeeze(table.grid.caption)
        name = next((names_by_code[letter] for letter in letters if letter in names_by_code), None)
        if name is None:
            name = next((key for key in found if key and key in caption), None)
        if name is None:
            continue
        total = table.total
        figures = {
            "weight": total.weight.value if total.weight else None,
            "score": total.score.value if total.score else None,
            "rate": total.rate.value if total.rate else None,
            "second": Decimal(len(table.roots)),
            "third": Decimal(len(table.leaves())),
        }
        found.setdefault(name, []).append((table, None, figures))
    return found


FIRST_FIGURES = (
    ("weight", said.FIRST_WEIGHT, "权重"),
    ("score", said.FIRST_SCORE, "得分"),
    ("rate", said.LEVEL_RATE, "得分率"),
)


def first_level_sentences(facts: ReportFacts, settings: Settings) -> list[Finding]:
    candidates = _first_level_candidates(facts)
    if not candidates:
        return []
    findings = []
    for source in paragraphs(facts):
        for start, sentence in said.sentences(source.text):
            for match in said.FIRST_LEVEL.finditer(sentence):
                name = first_level_name(match.group(1).strip("“”"))
                if name not in candidates:
                    continue
                part = sentence[match.end() : _next_first_level(sentence, match.end())]
                findings += _compare_first(source, start + match.end(), name, part, candidates[name])
    return findings


def _next_first_level(sentence: str, position: int) -> int:
    following = said.FIRST_LEVEL.search(sentence, position)
    return following.start() if following else len(sentence)


def _compare_first(source: Source, offset: int, name: str, part: str, tables) -> list[Finding]:
    findings = []
    wanted = [(key, pattern.search(part), label) for key, pattern, label in FIRST_FIGURES]
    wanted += [(f"{'second' if match.group(2) == '二' else 'third'}", match, f"{match.group(2)}级指标个数")
               for match in said.COUNTS.finditer(part) if match.group(2) in "二三"]
    for key, match, label in wanted:
        if match is None:
            continue
        number = read_number(match.group(1) + ("%" if key == "rate" else ""))
        values = [figures[key] for _, _, figures in tables if figures.get(key) is not None]
        if number is None or not values or _agree(number, values):
            continue
        expected = shown_percent(values[0]) if key == "rate" else shown(values[0])
        findings.append(Finding(
            "text_figures", ERROR, source.place(offset + match.start()),
            f"{name}类指标的{label}文字写{number.text}，{tables[0][0].grid.name}为{expected}",
            expected, number.text, key=f"first|{name}|{key}",
        ))
    return findings


def _second_levels(facts: ReportFacts) -> dict[str, list[tuple[ScoreTable, Node]]]:
    found: dict[str, list] = {}
    for table in facts.score_tables:
        for node in table.walk():
            if node.level == 2 and not node.is_leaf:
                found.setdefault(squeeze(node.name), []).append((table, node))
    return found


def second_level_sentences(facts: ReportFacts, settings: Settings) -> list[Finding]:
    nodes = _second_levels(facts)
    findings = []
    for source in paragraphs(facts):
        match = said.LEVEL_SENTENCE.search(source.text)
        if match is None:
            continue
        heading = strip_numbering(squeeze(source.paragraph.subsection)).rstrip("：:")
        places = nodes.get(heading)
        if not places:
            continue
        table, node = next(((t, n) for t, n in places if n.printed), places[0])
        weight = node_weight(node)
        rate_match = said.LEVEL_RATE.search(source.text, match.end())
        count_match = said.LEVEL_COUNT.search(source.text, match.end())
        checks = [
            ("满分", read_number(match.group(1)), [node_weight(n) for _, n in places], match.start(1)),
            ("得分", read_number(match.group(2)), [node_score(n) for _, n in places], match.start(2)),
        ]
        if rate_match and weight:
            rates = [percent(node_score(n), node_weight(n)) for _, n in places if node_weight(n) and node_score(n) is not None]
            checks.append(("得分率", read_number(rate_match.group(1) + "%"), rates, rate_match.start()))
        if count_match:
            counts = [Decimal(len(list(n.leaves()))) for _, n in places]
            checks.append(("三级指标个数", read_number(count_match.group(1)), counts, count_match.start()))
        for label, number, values, position in checks:
            values = [value for value in values if value is not None]
            if number is None or not values or _agree(number, values):
                continue
            expected = shown_percent(values[0]) if label == "得分率" else shown(values[0])
            findings.append(Finding(
                "text_figures", ERROR, source.place(position),
                f"“{squeeze(source.paragraph.subsection)}”写{label}{number.text}，{table.grid.name}中{node.title}为{expected}",
                expected, number.text, key=f"second|{node.title}|{label}",
            ))
    return findings


# ---------------------------------------------------------------------------
# Third-level paragraphs


def _leaves_by_code(facts: ReportFacts) -> dict[str, list[tuple[ScoreTable, Node]]]:
    found: dict[str, list] = {}
    order = {LEVELS: 0, NAMES: 1}
    for table in sorted(facts.score_tables, key=lambda t: order.get(t.shape, 2)):
        for node in table.leaves():
            if node.code:
                found.setdefault(node.code, []).append((table, node))
    return found


def leaf_texts(facts: ReportFacts) -> list[tuple[Source, str, Number | None, str]]:
    """(source, code, weight in the lead, the whole 评分过程 text) of each third-level paragraph and its continuation."""
    body = list(paragraphs(facts))
    found = []
    for position, source in enumerate(body):
        match = said.LEAF_LEAD.match(squeeze(source.text))
        if match is None:
            continue
        text = source.text
        index = source.paragraph.index
        for following in body[position + 1 :]:
            if following.paragraph.index != index + 1 or said.LEAF_LEAD.match(squeeze(following.text)):
                break
            if said.LEVEL_SENTENCE.search(following.text):
                break
            text += "\n" + following.text
            index = following.paragraph.index
        found.append((source, match.group(1), read_number(match.group(3)), text))
    return found


def leaf_paragraphs(facts: ReportFacts, settings: Settings) -> list[Finding]:
    leaves = _leaves_by_code(facts)
    findings = []
    for source, code, weight, text in leaf_texts(facts):
        places = leaves.get(code)
        if not places:
            continue
        table, node = places[0]
        weights = [n.weight.value for _, n in places if n.weight is not None]
        if weight is not None and weights and not _agree(weight, [abs(w) for w in weights]):
            findings.append(Finding(
                "text_figures", ERROR, source.place(0),
                f"{code}段首写分值{weight.text}分，{table.grid.name}中为{shown(weights[0])}",
                shown(weights[0]), weight.text, key=f"leaf_weight|{code}",
            ))
        scores = [abs(n.score.value) for _, n in places if n.score is not None]
        printed = next((n.score.text for _, n in places if n.score is not None), "")
        lead = LEAD_END.search(text)
        stated = said.stated_process_score(text[lead.end() :] if lead else text, node.kind)
        if stated is not None and scores and stated.number not in scores:
            position = text.rfind(stated.phrase[:1])
            findings.append(Finding(
                "process", ERROR, source.place(max(position, 0)),
                f"{code}{node.name}的评分过程写“{stated.phrase}”，{table.grid.name}中得分为{printed}",
                printed, shown(stated.number), key=f"process|{code}",
            ))
    return findings


# ---------------------------------------------------------------------------
# Counts of the whole system, arithmetic


def system_counts(facts: ReportFacts, settings: Settings) -> list[Finding]:
    detailed = [table for table in facts.score_tables if table.shape == LEVELS]
    if not detailed or not structured(detailed[0]):
        return []
    table = detailed[0]
    normal = [root for root in table.roots if root.kind == scoring.NORMAL and table.funds is not root]
    counts = {
        1: len(normal),
        2: sum(1 for root in normal for child in root.children if not child.is_leaf),
        3: sum(len(list(root.leaves())) for root in normal),
    }
    findings = []
    for source in paragraphs(facts):
        for start, sentence in said.sentences(source.text):
            if said.FIRST_LEVEL.search(sentence) or "一级指标" not in sentence:
                continue
            for match in said.COUNTS.finditer(sentence):
                level = LEVEL_WORDS[match.group(2)]
                if int(match.group(1)) != counts[level]:
                    findings.append(Finding(
                        "text_figures", ERROR, source.place(start + match.start()),
                        f"文字写{match.group(1)}个{match.group(2)}级指标，{table.grid.name}中有{counts[level]}个",
                        str(counts[level]), match.group(1), key=f"count|{level}",
                    ))
    return findings


def arithmetic(facts: ReportFacts, settings: Settings) -> list[Finding]:
    findings = []
    sources = list(statements(facts))
    for table in facts.score_tables:
        for node in table.leaves():
            if node.process:
                sources.append(Source(node.process, table.grid.name, grid=table.grid, row=node.row))
    for source in sources:
        for worked in said.worked_arithmetic(source.text):
            if worked.result.agrees(worked.computed):
                continue
            computed = shown_percent(worked.computed) if worked.result.percent else shown(worked.computed)
            findings.append(Finding(
                "arithmetic", ERROR, source.place(worked.start),
                f"算式{worked.expression}的结果应为{computed}，文字写{worked.result.text}",
                computed, worked.result.text, key=f"arithmetic|{squeeze(worked.expression)}",
            ))
    return findings
