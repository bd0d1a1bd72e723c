"""附件2 问卷结果分析 read from a report: each questionnaire's questions with their options and counts.

The shape is :mod:`surveys.annex`'s (``项 目 | A.很满意 … | 合 计``, then the
rows 满意度比率 and 份数, under a heading per question); options are recognised
with :mod:`surveys.scale`, and rates are recomputed only by
:func:`surveys.results.compute`, with each method it knows. A question the
report marks as not counted (our own annex says so) is left out; otherwise a
question counts when its options are the satisfaction scale. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import product

from audits.facts.numbers import Number, read_number
from audits.read.model import Grid, ReadReport, Text, squeeze
from surveys import annex, results, scale

GROUP_SUFFIXES = ("满意度调查问卷", "满意度调查", "满意度问卷", "调查问卷", "问卷调查", "调查", "问卷")
BRACKETS = re.compile(r"^[（(](.*)[）)]$")


@dataclass
class Question:
    heading: str
    grid: Grid
    labels: list[str]
    counts: list[int]
    shares: list[Number | None]
    total: Number | None
    marked_not_counted: bool

    @property
    def answers(self) -> int:
        return sum(self.counts)


@dataclass
class Questionnaire:
    group: str
    title: str
    index: int  # the block where it starts
    method_text: str = ""
    questions: list[Question] = field(default_factory=list)

    @property
    def valid(self) -> int:
        """The answers of the most answered question: the 有效问卷 the annex shows."""
        return max((question.answers for question in self.questions), default=0)

    def spec(self, method: str, aggregation: str) -> results.SurveySpec:
        marks = any(question.marked_not_counted for question in self.questions)
        specs = []
        for question in self.questions:
            options = _options(question)
            counted = not question.marked_not_counted if marks else options is not None
            if options is None:
                options = tuple(results.OptionSpec(label, Decimal(0), count) for label, count in
                                zip(question.labels, question.counts, strict=True))
            specs.append(results.QuestionSpec(question.heading, options, counted))
        return results.SurveySpec(self.group, tuple(specs), method, aggregation, self.valid, self.valid, self.valid)

    def rates(self) -> list[tuple[str, str, Decimal]]:
        """(method, aggregation, composite rate) for every way :mod:`surveys.results` computes one."""
        found = []
        for method, aggregation in product(results.METHODS, results.AGGREGATIONS):
            composite = results.compute(self.spec(method, aggregation)).composite
            if composite is not None:
                found.append((method, aggregation, composite))
        return found

    @property
    def stated_method(self) -> str | None:
        """The method the annex says it used (our own annex states it), if any."""
        return next((key for key, label in results.METHOD_LABELS.items() if label in self.method_text), None)


def method_name(method: str, aggregation: str) -> str:
    how = "各题平均" if aggregation == results.MEAN else "合并计算"
    return f"{results.METHOD_LABELS[method]}（{how}）"


def _options(question: Question) -> tuple[results.OptionSpec, ...] | None:
    """The question's options as the satisfaction scale (weights, 不了解 excluded), or None when they are not."""
    recognised = scale.recognise(question.labels)
    if recognised is None:
        return None
    counts = {scale.level_of(label): count for label, count in zip(question.labels, question.counts, strict=True)}
    options = []
    for option in recognised:
        level = scale.level_of(option.label)
        options.append(results.OptionSpec(option.label, option.weight, counts.get(level, 0), option.excluded))
    return tuple(options)


def group_of(subtitle: str) -> str:
    """``（企业和办事群众满意度调查）`` → ``企业和办事群众``."""
    words = squeeze(subtitle)
    match = BRACKETS.match(words)
    if match:
        words = match.group(1)
    for suffix in GROUP_SUFFIXES:
        if words.endswith(suffix) and len(words) > len(suffix):
            return words[: -len(suffix)]
    return words


def _row(grid: Grid, label: str) -> int | None:
    wanted = squeeze(label)
    return next((r for r, row in enumerate(grid.rows) if row and squeeze(row[0]) == wanted), None)


def read_question(heading: str, grid: Grid) -> Question | None:
    """A question's table: the header row names the options, 份数 their counts, 满意度比率 their shares."""
    item, shares_row, counts_row = (_row(grid, label) for label in (annex.ITEM_HEADER, annex.SHARE_ROW, annex.COUNT_ROW))
    if item is None or counts_row is None:
        return None
    header = list(grid.rows[item])
    last = len(header) - 1 if squeeze(header[-1]) == squeeze(annex.TOTAL_HEADER) else len(header)
    labels = [text for text in header[1:last]]
    counts = []
    for c in range(1, last):
        number = read_number(grid.cell(counts_row, c))
        if number is None or number.value != number.value.to_integral_value():
            return None
        counts.append(int(number.value))
    shares = [read_number(grid.cell(shares_row, c)) if shares_row is not None else None for c in range(1, last)]
    total = read_number(grid.cell(counts_row, last)) if last < len(header) else None
    marked = annex.NOT_COUNTED in heading
    return Question(heading.replace(annex.NOT_COUNTED, ""), grid, labels, counts, shares, total, marked)


def read_surveys(report: ReadReport) -> list[Questionnaire]:
    questionnaires: list[Questionnaire] = []
    current: Questionnaire | None = None
    heading = ""
    blocks = list(report.blocks)
    for position, block in enumerate(blocks):
        if isinstance(block, Text):
            words = squeeze(block.text)
            if words == squeeze(annex.TITLE) or words.endswith("问卷结果分析"):
                subtitle = next((b.text for b in blocks[position + 1 : position + 2] if isinstance(b, Text)), "")
                group = group_of(subtitle) if BRACKETS.match(squeeze(subtitle)) else ""
                current = Questionnaire(group, subtitle, block.index)
                questionnaires.append(current)
                heading = ""
                continue
            if current is not None and not current.questions and not BRACKETS.match(words):
                current.method_text += block.text
            heading = block.text
            continue
        question = read_question(heading, block)
        if question is None:
            continue
        if current is None:
            current = Questionnaire("", "", block.index)
            questionnaires.append(current)
        current.questions.append(question)
    return [questionnaire for questionnaire in questionnaires if questionnaire.questions]
