"""The texts a report states figures in, each with how a finding names its place. Pure.

Paragraphs are named by the heading they are printed under and quoted; a
form-like table (基本信息表) is read row by row as ``label：value`` sentences;
a score table's 评分过程 cells are read where they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from audits.checks.base import quote
from audits.facts.report import Paragraph, ReportFacts
from audits.read.model import Grid, squeeze


@dataclass(frozen=True)
class Source:
    text: str
    where: str  # the heading or table it is in
    paragraph: Paragraph | None = None
    grid: Grid | None = None
    row: int | None = None

    def place(self, around: int | None = None) -> str:
        if self.grid is not None:
            return f"{self.grid.name}，第{self.row + 1}行：“{quote(self.text, around)}”"
        return f"{self.where}：“{quote(self.text, around)}”" if self.where else f"“{quote(self.text, around)}”"


def heading_of(paragraph: Paragraph) -> str:
    for text in (paragraph.subsection, paragraph.section, paragraph.chapter):
        if text:
            return squeeze(text)
    return "正文"


def paragraphs(facts: ReportFacts) -> Iterator[Source]:
    for paragraph in facts.body():
        yield Source(paragraph.text, heading_of(paragraph), paragraph=paragraph)


def form_rows(facts: ReportFacts) -> Iterator[Source]:
    """基本信息表 and other label/value tables, a row at a time: ``预算执行率：100%``."""
    for grid in facts.text_grids:
        for r, row in enumerate(grid.rows):
            cells = [text for c, text in enumerate(row) if text and grid.origin(r, c)[1] == c]
            if len(cells) >= 2:
                yield Source("：".join(cells), grid.name, grid=grid, row=r)


def statements(facts: ReportFacts) -> Iterator[Source]:
    yield from paragraphs(facts)
    yield from form_rows(facts)
