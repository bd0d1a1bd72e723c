"""What a read report holds, sorted out: score tables, budget tables, 附件2, and its paragraphs by chapter. Pure.

Chapter and section headings are recognised by their numbering (``一、``,
``（一）``, ``1.`` on a short line) as much as by a Word heading style, since
most hand-made reports type them as plain paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from audits.facts.budget_tables import BudgetFacts, read_budget
from audits.facts.score_tables import ScoreTable, read_score_table
from audits.facts.survey_annex import Questionnaire, read_surveys
from audits.read.model import Grid, ReadReport, Text, squeeze

CHAPTER = re.compile(r"^[一二三四五六七八九十]+[、.．]")
SECTION = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")
ITEM = re.compile(r"^\d+[.．、](?!\d)")
HEADING_MAX = 30
ANNEX = re.compile(r"^附件\s*[0-9０-９]+[.．:：]?$|^附表\s*[0-9０-９]+")
TARGET_HEADERS = ("指标值", "年度指标值", "标杆值", "目标值", "预期指标值")
SELF_EVALUATION = "自评表"


@dataclass(frozen=True)
class Paragraph:
    """A paragraph with the chapter and section it is printed in; ``level`` > 0 when it is itself a heading."""

    index: int
    text: str
    level: int
    chapter: str
    section: str
    subsection: str


@dataclass
class ReportFacts:
    report: ReadReport
    paragraphs: list[Paragraph] = field(default_factory=list)
    score_tables: list[ScoreTable] = field(default_factory=list)
    budget: BudgetFacts = field(default_factory=BudgetFacts)
    surveys: list[Questionnaire] = field(default_factory=list)
    text_grids: list[Grid] = field(default_factory=list)

    @property
    def headings(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.level]

    @property
    def chapters(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.level == 1]

    @property
    def is_self_evaluation(self) -> bool:
        """A 绩效自评表 (seed 001) rather than a 绩效评价报告: no chapters, a form's columns."""
        titled = any(SELF_EVALUATION in squeeze(p.text) for p in self.paragraphs[:5])
        return not self.chapters and (titled or any(table.is_form for table in self.score_tables))

    @property
    def has_text(self) -> bool:
        """Paragraphs were read (not only a workbook's tables): the outline and the cover can be looked at."""
        return bool(self.paragraphs)

    def body(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if not p.level]


def heading_level(block: Text) -> int:
    words = squeeze(block.text)
    if ANNEX.match(words):
        return 1
    if len(words) > HEADING_MAX or words.endswith(("。", "；")):
        return block.heading
    if CHAPTER.match(words):
        return 1
    if SECTION.match(words):
        return 2
    if ITEM.match(words) and len(words) <= 20:
        return 3
    return block.heading


def paragraphs_of(report: ReadReport) -> list[Paragraph]:
    chapter = section = subsection = ""
    found = []
    for block in report.texts():
        level = heading_level(block)
        if level == 1:
            chapter, section, subsection = block.text, "", ""
        elif level == 2:
            section, subsection = block.text, ""
        elif level == 3:
            subsection = block.text
        found.append(Paragraph(block.index, block.text, level, chapter, section, subsection))
    return found


def is_goal_table(grid: Grid) -> bool:
    """A 绩效目标申报表 (declared goals): its figures are targets (指标值), not results, and state nothing to check."""
    return any(squeeze(text) in TARGET_HEADERS for row in grid.rows[:6] for text in row)


def read_facts(report: ReadReport) -> ReportFacts:
    facts = ReportFacts(report, paragraphs_of(report))
    grids = list(report.grids())
    facts.budget = read_budget(grids)
    facts.surveys = read_surveys(report)
    taken = {id(grid) for grid in facts.budget.grids.values()}
    taken |= {id(question.grid) for questionnaire in facts.surveys for question in questionnaire.questions}
    for grid in grids:
        if id(grid) in taken:
            continue
        table = read_score_table(grid)
        if table is not None:
            facts.score_tables.append(table)
        elif not is_goal_table(grid):
            facts.text_grids.append(grid)
    return facts
