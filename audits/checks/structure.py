"""What a report must contain: the prescribed chapters, the cover's elements, a problem named for every
deduction, figures behind the conclusion. Pure.
"""

from __future__ import annotations

import re

from audits.checks.base import WARNING, Finding, Note, Settings
from audits.checks.text import leaf_texts
from audits.facts.report import ReportFacts
from audits.facts.score_tables import LEVELS, NAMES, Node
from audits.read.model import squeeze
from rubrics import scoring

COVER_FIELDS = (
    ("项目单位", ("项目单位", "被评价单位")),
    ("委托单位", ("委托单位",)),
    ("评价单位", ("评价单位", "评价机构")),
    ("评价日期", ("评价日期", "报告日期")),
)
PROBLEM_CHAPTER = ("存在的问题", "存在问题")
NO_DEVIATION = ("", "无", "无偏差", "—", "-")
SHARED_PHRASE = 9
COMMON_IN = 3
NAME_WINDOW = 4
DIGIT = re.compile(r"\d")


def outline(facts: ReportFacts, settings: Settings) -> tuple[list[Finding], list[Note]]:
    if facts.is_self_evaluation or not settings.outline or not facts.has_text:
        return [], []
    headings = [squeeze(p.text) for p in facts.chapters]
    findings, notes = [], []
    for chapter in settings.outline:
        if any(word in heading for heading in headings for word in chapter.words):
            continue
        if not chapter.required:
            notes.append(Note("outline", "章节", f"报告没有“{chapter.title}”一章（参考提纲中可选）"))
            continue
        findings.append(Finding(
            "outline", WARNING, "章节", f"报告缺少参考提纲要求的“{chapter.title}”一章",
            chapter.title, "（无）", key=f"outline|{chapter.title}",
        ))
    return findings, notes


def cover(facts: ReportFacts, settings: Settings) -> list[Finding]:
    if facts.is_self_evaluation or not facts.has_text:
        return []
    first = next((p.index for p in facts.chapters), None)
    texts = [squeeze(block.text) for block in facts.report.texts() if first is None or block.index < first]
    texts += [squeeze(cell) for grid in facts.text_grids if first is None or grid.index < first
              for row in grid.rows for cell in row]
    missing = [name for name, words in COVER_FIELDS if not any(word in text for text in texts for word in words)]
    if not missing:
        return []
    return [Finding("cover", WARNING, "封面", f"封面缺少{'、'.join(missing)}", "、".join(name for name, _ in COVER_FIELDS),
                    "缺少" + "、".join(missing), key="cover")]


def _deducted(facts: ReportFacts) -> list[tuple[object, Node]]:
    tables = [t for t in facts.score_tables if t.shape == LEVELS] or [t for t in facts.score_tables if t.shape == NAMES]
    found = []
    for table in tables[:1]:
        for node in table.leaves():
            if node.kind != scoring.NORMAL or node.weight is None or node.score is None or table.funds is node:
                continue
            if 0 <= node.score.value < node.weight.value:
                found.append((table, node))
    return found


def _windows(text: str, size: int) -> set[str]:
    return {text[i : i + size] for i in range(len(text) - size + 1)}


def _named(node: Node, problems: str, process: str, common: set[str]) -> bool:
    """The problems name the indicator: its code, its name (or four characters of it running), or a phrase
    of its 评分过程 that is its own (not one most indicators' texts share, nor another indicator's name)."""
    name = squeeze(node.name)
    if node.code and node.code in problems:
        return True
    if name and (name in problems or any(window in problems for window in _windows(name, NAME_WINDOW) - common)):
        return True
    return any(window in problems for window in _windows(squeeze(process), SHARED_PHRASE) - common)


def _common_phrases(leaves: list[Node], processes: dict[Node, str], node: Node) -> set[str]:
    """Phrases too common to name an indicator: in three or more indicators' texts, in another one's name,
    or four characters running in two other indicators' names (政务服务)."""
    counts: dict[str, int] = {}
    for leaf in leaves:
        for window in _windows(squeeze(processes.get(leaf, "")), SHARED_PHRASE):
            counts[window] = counts.get(window, 0) + 1
    common = {window for window, count in counts.items() if count >= COMMON_IN}
    names: dict[str, int] = {}
    for leaf in leaves:
        if leaf is not node:
            common |= _windows(squeeze(leaf.name), SHARED_PHRASE)
            for window in _windows(squeeze(leaf.name), NAME_WINDOW):
                names[window] = names.get(window, 0) + 1
    return common | {window for window, count in names.items() if count >= COMMON_IN - 1}


def deductions_explained(facts: ReportFacts, settings: Settings) -> list[Finding]:
    """Each deducted indicator has a problem named (a report's 存在的问题; a 自评表's 偏差原因分析)."""
    deducted = _deducted(facts)
    if not deducted:
        return []
    findings = []
    if facts.is_self_evaluation or all(table.is_form for table, _ in deducted):
        for table, node in deducted:
            if squeeze(node.deviation) in NO_DEVIATION:
                findings.append(Finding(
                    "problems", WARNING, table.place(node.row, node),
                    f"{node.title}得分{node.score.text}（分值{node.weight.text}），未写偏差原因分析",
                    "写明偏差原因", node.deviation or "（空）", key=f"problems|{node.title}",
                ))
        return findings
    problems = "".join(squeeze(p.text) for p in facts.paragraphs
                       if any(word in squeeze(p.chapter) for word in PROBLEM_CHAPTER))
    if not problems:
        return []
    texts = {code: text for _, code, _, text in leaf_texts(facts)}
    leaves = deducted[0][0].leaves()
    processes = {leaf: texts.get(leaf.code or "", "") + leaf.process for leaf in leaves}
    for table, node in deducted:
        if not _named(node, problems, processes[node], _common_phrases(leaves, processes, node)):
            findings.append(Finding(
                "problems", WARNING, table.place(node.row, node),
                f"{node.title}扣{_lost(node)}分，“存在的问题”中没有写到",
                "在存在的问题中说明扣分原因", "未提及", key=f"problems|{node.code or node.title}",
            ))
    return findings


def _lost(node: Node) -> str:
    from audits.facts.numbers import shown

    return shown(node.weight.value - node.score.value)


CONCLUSION = ("综合评价", "评价结论")


def conclusion_figures(facts: ReportFacts, settings: Settings) -> list[Finding]:
    if facts.is_self_evaluation:
        return []
    chapters = [p for p in facts.chapters if any(word in squeeze(p.text) for word in CONCLUSION)]
    if not chapters:
        return []
    texts = [p.text for p in facts.body() if any(word in squeeze(p.chapter) for word in CONCLUSION)]
    grids = [grid for table in facts.score_tables for grid in [table.grid]
             if any(p.index < grid.index for p in chapters)]
    if any(DIGIT.search(text) for text in texts) or grids:
        return []
    return [Finding("figures", WARNING, squeeze(chapters[0].text), "综合评价和结论的文字中没有数据（得分、比率、金额）",
                    "写明得分、比率等数据", "没有数据", key="figures")]
