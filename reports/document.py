"""The 绩效评价报告 as a neutral document tree, built from an evaluation's data in its profile's outline.

:func:`build_report` takes :class:`reports.queries.ReportData` (figures,
ratios, the engine's result, survey results, narrative and the report
profile's :class:`reports.profiles.Outline`) and returns a
:class:`reports.document_model.Document`: the front pages the profile names
(cover, 基本信息表, 目录, 摘要), its chapters in its order under its headings
(numbered 一、二、… as printed, tables numbered by chapter), the signature
block and the annexes. Every number is taken from ``fiscal``/the engine and
formatted once; narrative texts are filled through :mod:`reports.placeholders`
(a table's number, such as ``{得分表}``, once the report is built). The
renderers only lay this tree out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from evalsite.lib.chinese import chinese_numeral
from evalsite.lib.numbers import NO_VALUE, format_amount
from reports import narrative, profiles, project_form, report_tables
from reports.defaults import section_text
from reports.document_model import (
    BODY,
    NOTE,
    PLAIN,
    SUBTITLE,
    TITLE,
    Block,
    Cell,
    Cover,
    Document,
    Heading,
    PageBreak,
    Paragraph,
    Run,
    Signature,
    Table,
    TableOfContents,
    paragraph,
)
from reports.enums import SectionKey
from reports.indicator_annex import evaluation_annex
from reports.placeholder_values import period_text, placeholder_values, report_date_texts
from reports.placeholders import TABLE_REFERENCES, fill, unknown_names
from reports.queries import ReportData
from reports.score_sentences import adjusted, close
from reports.survey_annex import survey_annex_blocks
from rubrics import indicator_sheet, scoring
from surveys import annex as survey_annex_spec

__all__ = ["Document", "build_report", "report_title"]


def report_title_phrases(evaluation) -> tuple[str, str]:
    """The title in the two phrases a line may break between: never "报告" alone on a line."""
    return f"{evaluation.year}年度{evaluation.department_name}", "部门整体支出绩效评价报告"


def report_title(evaluation) -> str:
    return "".join(report_title_phrases(evaluation))


def bracketed(number: int) -> str:
    return f"（{chinese_numeral(number)}）"


#: Texts that belong to other documents (the 自评表).
OUTSIDE_THE_REPORT = {SectionKey.SELFEVAL_GOALS, SectionKey.SELFEVAL_OUTCOME, SectionKey.SELFEVAL_NOTES}

#: A table reference in a filled text until the report is built: ``\ue000得分表\ue001``.
REFERENCE = re.compile("\ue000([^\ue001]+)\ue001")


def reference_mark(name: str) -> str:
    return f"\ue000{name}\ue001"


class Builder:
    """Collects blocks, numbers chapters, sub-sections and tables, fills narrative texts."""

    def __init__(self, data: ReportData, values: dict[str, str]) -> None:
        self.data = data
        self.outline = data.profile
        self.values = values
        self.blocks: list[Block] = []
        self.warnings: list[str] = []
        self.chapter = 0
        self.tables_in_chapter = 0
        self.anchors = 0
        self.read: set[str] = set()  # the sections this outline prints

    # Blocks -------------------------------------------------------------
    def add(self, block: Block) -> None:
        self.blocks.append(block)

    def heading(self, level: int, text: str, in_toc: bool = True) -> None:
        self.anchors += 1
        self.add(Heading(level, text, anchor=f"h{self.anchors}", in_toc=in_toc))

    def para(self, text: str, style: str = BODY, lead: str = "") -> None:
        self.add(paragraph(narrative.clean(text), style, lead=narrative.clean(lead)))

    def chapter_heading(self, title: str) -> None:
        self.chapter += 1
        self.tables_in_chapter = 0
        self.heading(1, f"{chinese_numeral(self.chapter)}、{title}")

    def caption(self, title: str) -> str:
        self.tables_in_chapter += 1
        return f"表{self.chapter}-{self.tables_in_chapter} {title}"

    def table(self, table: Table | None) -> None:
        if table is not None:
            self.add(table)

    def prints(self, table_key: str) -> bool:
        """Whether the profile prints this optional table (``reports.profiles.TABLES``)."""
        return self.outline.has_table(table_key)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    # Narrative ----------------------------------------------------------
    def filled(self, text: str, where: str) -> str:
        unknown = unknown_names(text, self.values)
        if unknown:
            names = "、".join(f"{{{name}}}" for name in unknown)
            self.warn(f"{where}：未知的占位符{names}，按原样输出。")
        return fill(text, self.values)

    def section(self, key: str) -> str:
        self.read.add(key)
        return self.filled(section_text(key, self.data), SectionKey(key).label)

    def unprinted_sections(self) -> None:
        """A text the team wrote that this outline has no place for is named, not silently dropped."""
        for key, text in self.data.sections.items():
            if narrative.lines_of(text) and key not in self.read and key not in OUTSIDE_THE_REPORT:
                self.warn(f"“{SectionKey(key).label}”已编写，但报告格式“{self.outline.name}”不输出这部分。")

    def narrative(self, text: str, sub_level: int) -> None:
        """Paragraphs of a filled text; stand-alone （一）… lines become headings at ``sub_level``."""
        for line in narrative.lines_of(text):
            if line.is_subheading and sub_level <= 3:
                self.heading(sub_level, line.text)
            else:
                self.para(line.text)

    def has_text(self, key: str) -> bool:
        return bool(narrative.lines_of(section_text(key, self.data)))

    def resolve_references(self) -> None:
        """Replace each ``{得分表}``-like reference by the number of the table it names: the next such table
        after the text (``…详见表4-1：`` stands before its table), else the last one before it."""
        numbered = [(index, block) for index, block in enumerate(self.blocks) if isinstance(block, Table) and block.caption]

        def number(name: str, at: int) -> str:
            keys = dict((ref.name, ref.tables) for ref in TABLE_REFERENCES)[name]
            after = [t for i, t in numbered if i > at and t.key in keys]
            before = [t for i, t in numbered if i < at and t.key in keys]
            table = after[0] if after else (before[-1] if before else None)
            if table is None:
                self.warn(f"正文引用了{{{name}}}，但本报告格式不输出该表，按“{NO_VALUE}”输出。")
                return NO_VALUE
            return table.caption.split(" ", 1)[0]

        def text(value: str, at: int) -> str:
            return REFERENCE.sub(lambda match: number(match.group(1), at), value) if "\ue000" in value else value

        for index, block in enumerate(self.blocks):
            if isinstance(block, Paragraph) and "\ue000" in block.text:
                runs = tuple(Run(text(run.text, index), run.bold) for run in block.runs)
                self.blocks[index] = Paragraph(runs, block.style)
            elif isinstance(block, Table) and any("\ue000" in cell.text for row in block.rows for cell in row):
                rows = tuple(tuple(replace(cell, text=text(cell.text, index)) for cell in row) for row in block.rows)
                self.blocks[index] = replace(block, rows=rows)


# ---------------------------------------------------------------------------
# Front matter


def cover_value(builder: Builder, key: str) -> str:
    data = builder.data
    evaluation = data.evaluation
    month, day = report_date_texts(evaluation)
    values = {
        "department": evaluation.department_name,
        "bureau": evaluation.bureau.name,
        "firm": evaluation.firm.name,
        "evaluation_date": month,
        "period": period_text(evaluation),
        "report_date": day,
        "lead": data.lead_name or NO_VALUE,
    }
    return values[key]


def cover(builder: Builder) -> None:
    evaluation = builder.data.evaluation
    builder.add(
        Cover(
            title_lines=report_title_phrases(evaluation),
            fields=tuple((profiles.COVER_LABELS[key], cover_value(builder, key)) for key in builder.outline.cover_fields),
        )
    )


def basic_info(builder: Builder) -> None:
    """基本信息表 (seed 000's first page)."""
    data, values = builder.data, builder.values
    evaluation, department = data.evaluation, data.department
    expense = data.figures.expense_total
    contact = " ".join(part for part in (department.contact_person, department.contact_phone) if part) or NO_VALUE
    surveys = data.surveys.facts if data.surveys else None
    methods = f"评价方法：{values['评价方法']}\n评价标准：{values['评价标准']}"
    label = report_tables.head
    cell = report_tables.text_cell
    rows = (
        (label("评价项目名称"), cell(evaluation.title, colspan=3), label("评价年度"), cell(f"{evaluation.year}年")),
        (label("财政局分管科室"), cell(evaluation.bureau_section or NO_VALUE, colspan=5)),
        (label("项目单位"), cell(department.name, colspan=3), label("联系人及联系方式"), cell(contact)),
        (label("资金来源"), cell(evaluation.fund_source or NO_VALUE, colspan=5)),
        (
            label("部门资金投入总额（万元）"),
            report_tables.amount_cell(expense.adjusted),
            label("部门全年预算执行数（万元）"),
            report_tables.amount_cell(expense.final),
            label("预算执行率"),
            report_tables.percent_cell(data.ratios["budget_execution_rate"].value),
        ),
        (
            label("发放调查问卷（份）"),
            report_tables.count_cell(surveys.issued) if surveys else cell(NO_VALUE),
            label("回收有效问卷（份）"),
            report_tables.count_cell(surveys.valid) if surveys else cell(NO_VALUE),
            label("满意度情况"),
            cell(values["满意度"]),
        ),
        (label("采用的评价方法与评价标准"), cell(methods, colspan=5, align="left")),
        (label("绩效评价结果"), cell(builder.section(SectionKey.RESULT_SENTENCE), colspan=5, align="left")),
        (label("项目主评人（签字）"), cell("", colspan=5, align="left")),
    )
    builder.para("绩效评价基本信息表", TITLE)
    builder.para(f"评价机构全称（盖章）：{evaluation.firm.name}", PLAIN)
    builder.table(Table("", (), rows, widths=(3.2, 3, 3, 3, 2.6, 2.6), key="basic_info"))


def summary(builder: Builder, problems: list, suggestions: list) -> None:
    """摘要: the department in brief, then the conclusion, experience, problems and suggestions as in the body."""
    data = builder.data
    builder.heading(1, "摘  要")
    parts = 0

    def part(title: str) -> None:
        nonlocal parts
        parts += 1
        builder.para(f"{chinese_numeral(parts)}、{title}", SUBTITLE)

    if builder.has_text(SectionKey.SUMMARY_PROFILE):
        part("部门概况")
        builder.narrative(builder.section(SectionKey.SUMMARY_PROFILE), 4)
    part("综合评价情况及评价结论")
    if builder.has_text(SectionKey.OVERALL):
        builder.para("（一）综合评价情况", SUBTITLE)
        builder.narrative(builder.section(SectionKey.OVERALL), 4)
        builder.para("（二）评价结论", SUBTITLE)
    # In the 摘要 the score table is 表1 (as seed 002 numbers it): {得分表} names the table that follows.
    builder.narrative(builder.section(SectionKey.CONCLUSION), 4)
    if data.scored.result is not None:
        builder.table(
            report_tables.summary_table(data.scored.result, f"表1 {department_short(data)}部门整体评价得分表", key="summary_abstract")
        )
    if builder.has_text(SectionKey.EXPERIENCE):
        part("主要经验做法")
        builder.narrative(builder.section(SectionKey.EXPERIENCE), 4)
    if problems:
        part("存在问题")
        numbered_items(builder, problems, 4)
    if suggestions:
        part("有关建议")
        numbered_items(builder, suggestions, 4)


def department_short(data: ReportData) -> str:
    return data.department.short_name or data.department.name


def numbered_items(builder: Builder, items: list, level: int) -> None:
    """Problems or suggestions, each a title and its text: （一）… as headings at level 2, （1）… at level 3,
    bold lines deeper down (the 摘要)."""
    for number, item in enumerate(items, start=1):
        label = bracketed(number) if level <= 2 or level > 3 else f"（{number}）"
        title = f"{label}{narrative.clean(item.title)}"
        if level <= 3:
            builder.heading(level, title)
        else:
            builder.para(title, SUBTITLE)
        for line in narrative.paragraphs_of(builder.filled(item.text, f"“{item.title}”")):
            builder.para(line)


# ---------------------------------------------------------------------------
# Chapters: one function per kind of ``reports.profiles.CHAPTER_KINDS``, each given the profile's chapter


class Numbered:
    """Headings numbered in order inside a chapter, only for the parts that are printed: （一）（二）… at level 2
    (:class:`SubSections`), 1．2．… at level 3 (:class:`Items`)."""

    level = 2

    def __init__(self, builder: Builder) -> None:
        self.builder = builder
        self.number = 0

    def label(self) -> str:
        return bracketed(self.number)

    def __call__(self, title: str) -> None:
        self.number += 1
        self.builder.heading(self.level, f"{self.label()}{title}")


class SubSections(Numbered):
    pass


class Items(Numbered):
    level = 3

    def label(self) -> str:
        return f"{self.number}．"


def texts_present(builder: Builder, *keys: str) -> bool:
    return any(builder.has_text(key) for key in keys)


def chapter_department(builder: Builder, chapter: profiles.Chapter) -> None:
    """部门概况 (seed 002): 部门简介, 职责, 机构设置, 人员编制, 主要工作任务, 绩效目标 with its table."""
    builder.chapter_heading(chapter.heading)
    sub = SubSections(builder)
    for key in (SectionKey.PROFILE, SectionKey.FUNCTIONS, SectionKey.UNITS, SectionKey.STAFFING, SectionKey.TASKS):
        if builder.has_text(key):
            sub(chapter.part(key.value))
            builder.narrative(builder.section(key), 3)
    if goals_printed(builder) or builder.has_text(SectionKey.GOALS):
        sub(chapter.part("goals"))
        goals_block(builder, 3)


def goals_printed(builder: Builder) -> bool:
    return bool(builder.data.goals) and builder.prints("goals")


def goals_block(builder: Builder, level: int) -> None:
    data = builder.data
    builder.narrative(builder.section(SectionKey.GOALS), level)
    if goals_printed(builder):
        builder.table(goal_table(data, builder.caption(f"{data.evaluation.year}年度部门（单位）整体绩效目标申报表")))


def goal_table(data: ReportData, caption: str) -> Table:
    """The declared goals; a blank 一级/二级 cell continues the one above, and equal runs are merged down."""
    with_basis = any(row.basis for row in data.goals)
    columns = ["一级指标", "二级指标", "三级指标", "指标值"] + (["指标设定依据"] if with_basis else [])
    header = (tuple(report_tables.head(name) for name in columns),)
    filled: list[tuple[str, str]] = []
    for row in data.goals:
        above = filled[-1] if filled else ("", "")
        level1 = row.level1 or above[0]
        level2 = row.level2 or (above[1] if level1 == above[0] else "")
        filled.append((level1, level2))
    spans1 = run_lengths([level1 for level1, _ in filled])
    spans2 = run_lengths(filled)
    rows: list[tuple[Cell, ...]] = []
    for index, row in enumerate(data.goals):
        cells: list[Cell] = []
        if index in spans1:
            cells.append(report_tables.text_cell(filled[index][0], rowspan=spans1[index]))
        if index in spans2:
            cells.append(report_tables.text_cell(filled[index][1], rowspan=spans2[index]))
        cells.append(report_tables.text_cell(row.level3, align="left"))
        cells.append(report_tables.text_cell(row.value))
        if with_basis:
            cells.append(report_tables.text_cell(row.basis, align="left"))
        rows.append(tuple(cells))
    widths = (2.5, 3, 6, 2.5) + ((3.5,) if with_basis else ())
    return Table(caption, header, tuple(rows), widths=widths, key="goals")


def run_lengths(labels: list) -> dict[int, int]:
    """Start index → length of each run of equal consecutive labels."""
    runs: dict[int, int] = {}
    start = 0
    for index in range(1, len(labels) + 1):
        if index == len(labels) or labels[index] != labels[start]:
            runs[start] = index - start
            start = index
    return runs


def income_block(builder: Builder, level: int) -> None:
    data = builder.data
    builder.narrative(builder.section(SectionKey.BUDGET_INCOME), level)
    if builder.prints("income"):
        caption = builder.caption(f"{data.evaluation.year}年度{department_short(data)}收入预算执行情况表")
        builder.table(report_tables.income_table(data.figures, caption))


def expense_block(builder: Builder, level: int) -> None:
    """支出 text and table, then 基本支出 and 项目支出 with theirs."""
    data = builder.data
    figures, short, year = data.figures, department_short(data), data.evaluation.year
    builder.narrative(builder.section(SectionKey.BUDGET_EXPENSE), level)
    if builder.prints("expenditure"):
        builder.table(report_tables.expenditure_table(figures, builder.caption(f"{year}年度{short}支出预算执行情况表")))
    if builder.has_text(SectionKey.BUDGET_BASIC):
        builder.narrative(builder.section(SectionKey.BUDGET_BASIC), level)
    if figures.economic and builder.prints("economic"):
        builder.table(report_tables.economic_table(figures, builder.caption(f"{year}年度{short}基本支出情况表")))
    if builder.has_text(SectionKey.BUDGET_PROJECT):
        builder.narrative(builder.section(SectionKey.BUDGET_PROJECT), level)
    if figures.projects and builder.prints("projects"):
        builder.table(report_tables.project_table(figures, builder.caption(f"{year}年度{short}项目支出情况表")))


def chapter_budget(builder: Builder, chapter: profiles.Chapter) -> None:
    """部门预算及资金安排情况 (seed 002): 收入, 支出 (基本支出, 项目支出), “三公经费”."""
    builder.chapter_heading(chapter.heading)
    sub = SubSections(builder)
    sub(chapter.part("income"))
    income_block(builder, 3)
    sub(chapter.part("expense"))
    expense_block(builder, 3)
    if builder.has_text(SectionKey.THREE_PUBLIC):
        sub(chapter.part("three_public"))
        builder.narrative(builder.section(SectionKey.THREE_PUBLIC), 3)


def chapter_overview(builder: Builder, chapter: profiles.Chapter) -> None:
    """基本概况 (seed 000, 财预〔2020〕10号): the department, its funds and its goals, each in numbered items."""
    builder.chapter_heading(chapter.heading)
    sub = SubSections(builder)
    if texts_present(builder, SectionKey.FUNCTIONS, SectionKey.PROFILE, SectionKey.UNITS, SectionKey.STAFFING):
        sub(chapter.part("department"))
        item = Items(builder)
        if builder.has_text(SectionKey.FUNCTIONS):
            item("部门职能")
            builder.narrative(builder.section(SectionKey.FUNCTIONS), 4)
        organisation = [key for key in (SectionKey.PROFILE, SectionKey.UNITS, SectionKey.STAFFING) if builder.has_text(key)]
        if organisation:
            item("部门机构设置及人员情况")
            for key in organisation:
                builder.narrative(builder.section(key), 4)
    sub(chapter.part("funds"))
    item = Items(builder)
    item("部门年度预算安排情况")
    income_block(builder, 4)
    item("部门年度预算执行情况")
    expense_block(builder, 4)
    if builder.has_text(SectionKey.THREE_PUBLIC):
        item("“三公经费”预算安排及执行情况")
        builder.narrative(builder.section(SectionKey.THREE_PUBLIC), 4)
    if builder.has_text(SectionKey.TASKS) or goals_printed(builder) or builder.has_text(SectionKey.GOALS):
        sub(chapter.part("goals"))
        item = Items(builder)
        if builder.has_text(SectionKey.TASKS):
            item("部门整体总目标")
            builder.narrative(builder.section(SectionKey.TASKS), 4)
        if goals_printed(builder) or builder.has_text(SectionKey.GOALS):
            item("部门整体绩效目标")
            goals_block(builder, 4)


def chapter_conduct(builder: Builder, chapter: profiles.Chapter) -> None:
    builder.chapter_heading(chapter.heading)
    sub = SubSections(builder)
    groups = (
        ("purpose", ((SectionKey.PURPOSE, "评价目的"), (SectionKey.SCOPE, "评价对象及范围"))),
        (
            "method",
            (
                (SectionKey.PRINCIPLES, "评价原则"),
                (SectionKey.METHODS, "评价方法"),
                (SectionKey.BASIS, "评价依据"),
                (SectionKey.PROCEDURE, "评价过程"),
            ),
        ),
    )
    for part, parts in groups:
        present = [(key, name) for key, name in parts if builder.has_text(key)]
        if not present:
            continue
        sub(chapter.part(part))
        for number, (key, name) in enumerate(present, start=1):
            builder.heading(3, f"{number}．{name}")
            builder.narrative(builder.section(key), 4)
    if builder.has_text(SectionKey.INDICATOR_SYSTEM):
        sub(chapter.part("indicators"))
        builder.narrative(builder.section(SectionKey.INDICATOR_SYSTEM), 3)


def chapter_conclusion(builder: Builder, chapter: profiles.Chapter) -> None:
    """综合评价情况, 评价结论 with the score table (seed 000 calls them 评价结论 and 评分结果), 绩效分析."""
    data = builder.data
    builder.chapter_heading(chapter.heading)
    sub = SubSections(builder)
    if builder.has_text(SectionKey.OVERALL):
        sub(chapter.part("overall"))
        builder.narrative(builder.section(SectionKey.OVERALL), 3)
    sub(chapter.part("conclusion"))
    builder.narrative(builder.section(SectionKey.CONCLUSION), 3)
    result = data.scored.result
    if result is None:
        builder.para("尚未选定指标体系，无法计算得分。")
    else:
        if builder.prints("summary"):
            caption = builder.caption(f"{department_short(data)}部门整体评价得分表")
            builder.table(report_tables.summary_table(result, caption, sheet=report_tables.sheet_of(caption, "得分")))
        if result.rescaled or result.capped or result.unscored:
            builder.para(result.conclusion)
    if builder.has_text(SectionKey.PERFORMANCE):
        sub(chapter.part("performance"))
        builder.narrative(builder.section(SectionKey.PERFORMANCE), 3)


def first_level_title(node: scoring.NodeResult) -> str:
    return node.name if node.name.endswith("类") or node.kind == scoring.ADJUSTMENT else f"{node.name}类"


def leaf_lead(node: scoring.NodeResult) -> str:
    weight = format_amount(node.weight)
    if node.kind in (scoring.BONUS, scoring.DEDUCTION):
        return f"{node.code}{node.name}（{scoring.INDICATOR_KIND_LABELS[node.kind]}，{weight}分）："
    return f"{node.code}{node.name}（{weight}分）："


def process_lines(builder: Builder, node: scoring.NodeResult) -> list[str]:
    """The 评分过程 of a third-level indicator as printed: "… 依据评分细则，本项指标得2.00分。".

    The score is printed once. Without a written 评分过程 the engine's drafted sentence is printed as
    it is: it already states the score (and an adjustment with its reason). A score the team adjusted
    away from its rule ends on the rule's score, the adjusted one and the reason. Chapter 五 and a
    printed 附件1 with its 评分过程 column print the same lines.
    """
    judgment = builder.data.judgments.get(node.code)
    process = builder.filled(judgment.process, f"{node.code}评分过程") if judgment else ""
    lines, stated = leaf_lines(node, process)
    if stated is not None:
        builder.warn(f"{node.code}{node.name}：评分过程写得{stated}分，计算得分为{format_amount(node.score)}分，报告按计算得分输出。")
    return lines


def leaf_lines(node: scoring.NodeResult, process: str) -> tuple[list[str], str | None]:
    """The paragraphs a leaf's (filled) 评分过程 prints as, and the score the text states when it is not the engine's.

    The report and the checks before sign-off (``reports.checks``) both read a text through this.
    """
    lines = narrative.paragraphs_of(process)
    score_text = None if node.score is None else format_amount(node.score)
    stated = None
    if not node.applicable:
        lines = [scoring.NOT_APPLICABLE_SENTENCE]
    elif not lines:
        lines = [node.sentence]
    elif node.overridden and score_text is not None:
        rule_text = None if node.computed_score is None else format_amount(node.computed_score)
        closed = adjusted(lines, score_text, rule_text, node.override_reason, node.kind)
        lines, stated = list(closed.lines), closed.stated
    else:
        closed = close(lines, score_text, node.kind)
        lines, stated = list(closed.lines), closed.stated
        if node.score is None:
            lines[-1] += "（尚未评分）"
    return lines, stated


def leaf_paragraphs(builder: Builder, node: scoring.NodeResult) -> None:
    """"A11部门职能明确性（2.00分）：评分过程… 依据评分细则，本项指标得2.00分。" (one paragraph per line)."""
    for index, line in enumerate(process_lines(builder, node)):
        builder.para(line, lead=leaf_lead(node) if index == 0 else "")


def chapter_analysis(builder: Builder, chapter: profiles.Chapter) -> None:
    result = builder.data.scored.result
    builder.chapter_heading(chapter.heading)
    if result is None:
        builder.para("尚未选定指标体系。")
        return
    sub = SubSections(builder)
    for node in result.nodes:
        if not node.applicable:
            continue
        title = first_level_title(node)
        sub(f"{title}指标分析")
        caption = builder.caption(f"{title}指标得分情况表")
        number = caption.split(" ", 1)[0]
        builder.para(f"{node.sentence}各指标得分情况详见{number}：")
        builder.table(report_tables.first_level_table(node, caption, key=f"level1_{node.code}"))
        seconds = [child for child in node.children if child.applicable]
        for index, second in enumerate(seconds, start=1):
            builder.heading(3, f"{index}.{second.name}")
            builder.para(second.sentence + second.composition)
            for leaf in second.children:
                leaf_paragraphs(builder, leaf)


def text_or_none(builder: Builder, key: str, level: int) -> None:
    """A chapter's (or part's) text; "无。" when nothing is written, so the outline's heading is never bare."""
    if builder.has_text(key):
        builder.narrative(builder.section(key), level)
    else:
        builder.para("无。")


def items_or_none(builder: Builder, items: list, level: int) -> None:
    if not items:
        builder.para("无。")
    numbered_items(builder, items, level)


def chapter_experience(builder: Builder, chapter: profiles.Chapter) -> None:
    builder.chapter_heading(chapter.heading)
    text_or_none(builder, SectionKey.EXPERIENCE, 2)


def chapter_problems(builder: Builder, chapter: profiles.Chapter) -> None:
    builder.chapter_heading(chapter.heading)
    items_or_none(builder, list(builder.data.problems), 2)


def chapter_suggestions(builder: Builder, chapter: profiles.Chapter) -> None:
    builder.chapter_heading(chapter.heading)
    items_or_none(builder, list(builder.data.suggestions), 2)


def chapter_experience_problems(builder: Builder, chapter: profiles.Chapter) -> None:
    """主要经验及做法、存在的问题及原因分析 (财预〔2020〕10号): two parts of one chapter."""
    builder.chapter_heading(chapter.heading)
    sub = SubSections(builder)
    sub(chapter.part("experience"))
    text_or_none(builder, SectionKey.EXPERIENCE, 3)
    sub(chapter.part("problems"))
    items_or_none(builder, list(builder.data.problems), 3)


def chapter_problems_suggestions(builder: Builder, chapter: profiles.Chapter) -> None:
    """存在的问题及建议 (seed 000): the problems, then the suggestions, each numbered （1）（2）…."""
    builder.chapter_heading(chapter.heading)
    sub = SubSections(builder)
    sub(chapter.part("problems"))
    items_or_none(builder, list(builder.data.problems), 3)
    sub(chapter.part("suggestions"))
    items_or_none(builder, list(builder.data.suggestions), 3)


def chapter_other(builder: Builder, chapter: profiles.Chapter) -> None:
    builder.chapter_heading(chapter.heading)
    text_or_none(builder, SectionKey.OTHER, 2)


CHAPTERS: dict[str, Callable[[Builder, profiles.Chapter], None]] = {
    "overview": chapter_overview,
    "department": chapter_department,
    "budget": chapter_budget,
    "conduct": chapter_conduct,
    "conclusion": chapter_conclusion,
    "analysis": chapter_analysis,
    "experience": chapter_experience,
    "problems": chapter_problems,
    "suggestions": chapter_suggestions,
    "experience_problems": chapter_experience_problems,
    "problems_suggestions": chapter_problems_suggestions,
    "other": chapter_other,
}


# ---------------------------------------------------------------------------
# Signature and annexes


def printed_annexes(data: ReportData) -> list[str]:
    """The annexes printed: the profile's that the evaluation has something for (附件2 needs a questionnaire),
    then the project forms chosen for the report (项目支出绩效自评表), if any."""
    have = {"indicators": True, "surveys": data.surveys is not None}
    keys = [key for key in data.profile.annexes if have[key]]
    if any(part.project.in_report for part in data.projects):
        keys.append("projects")
    return keys


def annex_titles(data: ReportData) -> dict[str, str]:
    titles = {
        "indicators": indicator_sheet.title(data.department.name),
        "surveys": survey_annex_spec.TITLE,
        "projects": project_form.ANNEX_TITLE,
    }
    return {key: titles[key] for key in printed_annexes(data)}


def signature(builder: Builder) -> None:
    data, wanted = builder.data, builder.outline.signature
    titles = list(annex_titles(data).values())
    if "annex_list" in wanted and titles:
        builder.para("附件：", PLAIN)
        for number, title in enumerate(titles, start=1):
            builder.para(f"{number}．{title}", PLAIN)
    _, day = report_date_texts(data.evaluation)
    lines = {
        "firm": data.evaluation.firm.name,
        "report_date": day if day != NO_VALUE else "",
        "lead": f"项目主评人：{data.lead_name}" if data.lead_name else "",
    }
    printed = tuple(lines[key] for key in wanted if lines.get(key))
    if printed:
        builder.add(Signature(printed))


def annex_indicators(builder: Builder, number: int) -> None:
    data = builder.data
    builder.add(PageBreak(landscape=True))
    builder.heading(1, f"附件{number}")
    builder.para(annex_titles(data)["indicators"], TITLE)
    result = data.scored.result
    if result is None:
        builder.para("尚未选定指标体系。")
        return
    processes = {}
    if "process" in builder.outline.annex1_columns:
        processes = {leaf.code: "\n".join(process_lines(builder, leaf)) for leaf in result.walk() if leaf.is_leaf}
    builder.table(
        evaluation_annex(data, builder.values, printed=True, columns=builder.outline.annex1_columns, processes=processes)
    )
    if any(node.kind == scoring.DEDUCTION for node in result.walk()):
        builder.para(indicator_sheet.DEDUCTION_NOTE, NOTE)


def annex_projects(builder: Builder, number: int) -> None:
    """The project forms chosen for the report (项目支出绩效自评表), as the last annex."""
    for block in project_form.project_annex_blocks(builder.data.projects, number):
        builder.add(block)


def annex_surveys(builder: Builder, number: int, charts: bool) -> None:
    builder.add(PageBreak(landscape=False))
    builder.heading(1, f"附件{number}")
    for block in survey_annex_blocks(builder.data.surveys, charts=charts):
        builder.add(block)


# ---------------------------------------------------------------------------
# The whole report


def toc(builder: Builder) -> None:
    builder.add(TableOfContents())


def build_report(data: ReportData, *, draft: bool | None = None, charts: bool = True) -> Document:
    """The report of one evaluation in its profile's outline; ``draft`` defaults to "not signed off yet"."""
    values = placeholder_values(data)
    references = {ref.name: reference_mark(ref.name) for ref in TABLE_REFERENCES}
    builder = Builder(data, {**values, **references})
    evaluation, outline = data.evaluation, data.profile
    title = report_title(evaluation)
    problems, suggestions = list(data.problems), list(data.suggestions)

    front: dict[str, Callable[[Builder], None]] = {
        "cover": cover,
        "basic_info": basic_info,
        "toc": toc,
        "summary": lambda b: summary(b, problems, suggestions),
    }
    for index, key in enumerate(outline.front):
        front[key](builder)
        # page 1 is the first page of the report's body: the pages before it carry no number
        builder.add(PageBreak(restart_numbering=index == len(outline.front) - 1))
    builder.add(Paragraph(tuple(Run(phrase) for phrase in report_title_phrases(evaluation)), TITLE))
    if builder.has_text(SectionKey.PREFACE):
        builder.narrative(builder.section(SectionKey.PREFACE), 2)
    for chapter in outline.chapters:
        CHAPTERS[chapter.kind](builder, chapter)
    signature(builder)
    for number, key in enumerate(printed_annexes(data), start=1):
        if key == "indicators":
            annex_indicators(builder, number)
        elif key == "surveys":
            annex_surveys(builder, number, charts)
        else:
            annex_projects(builder, number)
    builder.resolve_references()
    builder.unprinted_sections()

    sheets = [table for table in builder.blocks if isinstance(table, Table) and table.sheet]
    if data.scored.result is not None:
        sheets.insert(0, evaluation_annex(data, values, printed=False))
    return Document(
        title=title,
        blocks=tuple(builder.blocks),
        draft=(not data.signed) if draft is None else draft,
        sheets=tuple(sheets),
        author=evaluation.firm.name,
        warnings=tuple(builder.warnings),
    )
