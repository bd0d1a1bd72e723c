"""The 绩效评价报告 as a neutral document tree, built from an evaluation's data.

:func:`build_report` takes :class:`reports.queries.ReportData` (figures,
ratios, the engine's result, survey results, narrative) and returns a
:class:`reports.document_model.Document`: cover, 基本信息表, 目录, 摘要,
chapters 一 to 八 (九 when 其他需要说明的情况 is written) with tables numbered
by chapter, the signature block, 附件1 and 附件2. Every number is taken from
``fiscal``/the engine and formatted once; narrative texts are filled through
:mod:`reports.placeholders`. The renderers only lay this tree out.
"""

from __future__ import annotations

from evalsite.lib.chinese import chinese_numeral
from evalsite.lib.numbers import NO_VALUE, format_amount
from reports import narrative, project_form, report_tables
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
from reports.placeholder_values import placeholder_values, report_date_texts
from reports.placeholders import fill, unknown_names
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


class Builder:
    """Collects blocks, numbers chapters, sub-sections and tables, fills narrative texts."""

    def __init__(self, data: ReportData, values: dict[str, str]) -> None:
        self.data = data
        self.values = values
        self.blocks: list[Block] = []
        self.warnings: list[str] = []
        self.chapter = 0
        self.tables_in_chapter = 0
        self.anchors = 0

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

    # Narrative ----------------------------------------------------------
    def filled(self, text: str, where: str) -> str:
        unknown = unknown_names(text, self.values)
        if unknown:
            names = "、".join(f"{{{name}}}" for name in unknown)
            self.warnings.append(f"{where}：未知的占位符{names}，按原样输出。")
        return fill(text, self.values)

    def section(self, key: str) -> str:
        return self.filled(section_text(key, self.data), SectionKey(key).label)

    def narrative(self, text: str, sub_level: int) -> None:
        """Paragraphs of a filled text; stand-alone （一）… lines become headings at ``sub_level``."""
        for line in narrative.lines_of(text):
            if line.is_subheading and sub_level <= 3:
                self.heading(sub_level, line.text)
            else:
                self.para(line.text)

    def has_text(self, key: str) -> bool:
        return bool(narrative.lines_of(section_text(key, self.data)))


# ---------------------------------------------------------------------------
# Front matter


def cover(builder: Builder) -> None:
    evaluation = builder.data.evaluation
    month, _ = report_date_texts(evaluation)
    builder.add(
        Cover(
            title_lines=report_title_phrases(evaluation),
            fields=(
                ("项目单位", evaluation.department_name),
                ("委托单位", evaluation.bureau.name),
                ("评价单位", evaluation.firm.name),
                ("评价日期", month),
            ),
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
    # The body's table is 表4-1; in the 摘要 the same table is 表1 (as seed 002 numbers it).
    builder.narrative(builder.section(SectionKey.CONCLUSION).replace("表4-1", "表1"), 4)
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
    """（一）title + text, for problems and suggestions; headings at ``level`` (≤3) or bold lines."""
    for number, item in enumerate(items, start=1):
        title = f"{bracketed(number)}{narrative.clean(item.title)}"
        if level <= 3:
            builder.heading(level, title)
        else:
            builder.para(title, SUBTITLE)
        for line in narrative.paragraphs_of(builder.filled(item.text, f"“{item.title}”")):
            builder.para(line)


# ---------------------------------------------------------------------------
# Chapters


class SubSections:
    """（一）（二）… inside a chapter, only for the parts that are printed."""

    def __init__(self, builder: Builder) -> None:
        self.builder = builder
        self.number = 0

    def __call__(self, title: str) -> None:
        self.number += 1
        self.builder.heading(2, f"{bracketed(self.number)}{title}")


def chapter_department(builder: Builder) -> None:
    data = builder.data
    builder.chapter_heading("部门概况")
    sub = SubSections(builder)
    for key, title in (
        (SectionKey.PROFILE, "部门简介"),
        (SectionKey.FUNCTIONS, "部门主要职责"),
        (SectionKey.UNITS, "部门预算单位机构设置"),
        (SectionKey.STAFFING, "部门人员编制总体情况"),
        (SectionKey.TASKS, "主要工作任务"),
    ):
        if builder.has_text(key):
            sub(title)
            builder.narrative(builder.section(key), 3)
    if data.targets or builder.has_text(SectionKey.TARGETS):
        sub("部门绩效目标")
        builder.narrative(builder.section(SectionKey.TARGETS), 3)
        if data.targets:
            builder.table(target_table(data, builder.caption(f"{data.evaluation.year}年度部门（单位）整体绩效目标申报表")))


def target_table(data: ReportData, caption: str) -> Table:
    """The declared targets; a blank 一级/二级 cell continues the one above, and equal runs are merged down."""
    with_basis = any(row.basis for row in data.targets)
    columns = ["一级指标", "二级指标", "三级指标", "指标值"] + (["指标设定依据"] if with_basis else [])
    header = (tuple(report_tables.head(name) for name in columns),)
    filled: list[tuple[str, str]] = []
    for row in data.targets:
        above = filled[-1] if filled else ("", "")
        level1 = row.level1 or above[0]
        level2 = row.level2 or (above[1] if level1 == above[0] else "")
        filled.append((level1, level2))
    spans1 = run_lengths([level1 for level1, _ in filled])
    spans2 = run_lengths(filled)
    rows: list[tuple[Cell, ...]] = []
    for index, row in enumerate(data.targets):
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
    return Table(caption, header, tuple(rows), widths=widths, key="targets")


def run_lengths(labels: list) -> dict[int, int]:
    """Start index → length of each run of equal consecutive labels."""
    runs: dict[int, int] = {}
    start = 0
    for index in range(1, len(labels) + 1):
        if index == len(labels) or labels[index] != labels[start]:
            runs[start] = index - start
            start = index
    return runs


def chapter_budget(builder: Builder) -> None:
    data = builder.data
    figures = data.figures
    short = department_short(data)
    year = data.evaluation.year
    builder.chapter_heading("部门预算及资金安排情况")
    sub = SubSections(builder)
    sub("部门收入预决算情况")
    builder.narrative(builder.section(SectionKey.BUDGET_INCOME), 3)
    builder.table(report_tables.income_table(figures, builder.caption(f"{year}年度{short}收入预算执行情况表")))
    sub("部门支出预决算情况")
    builder.narrative(builder.section(SectionKey.BUDGET_EXPENSE), 3)
    builder.table(report_tables.expenditure_table(figures, builder.caption(f"{year}年度{short}支出预算执行情况表")))
    if builder.has_text(SectionKey.BUDGET_BASIC):
        builder.narrative(builder.section(SectionKey.BUDGET_BASIC), 3)
    if figures.economic:
        builder.table(report_tables.economic_table(figures, builder.caption(f"{year}年度{short}基本支出情况表")))
    if builder.has_text(SectionKey.BUDGET_PROJECT):
        builder.narrative(builder.section(SectionKey.BUDGET_PROJECT), 3)
    if figures.projects:
        builder.table(report_tables.project_table(figures, builder.caption(f"{year}年度{short}项目支出情况表")))
    if builder.has_text(SectionKey.THREE_PUBLIC):
        sub("“三公经费”预算安排及执行情况")
        builder.narrative(builder.section(SectionKey.THREE_PUBLIC), 3)


def chapter_conduct(builder: Builder) -> None:
    builder.chapter_heading("绩效评价开展情况")
    sub = SubSections(builder)
    groups = (
        ("绩效评价目的、对象和范围", ((SectionKey.PURPOSE, "评价目的"), (SectionKey.SCOPE, "评价对象及范围"))),
        (
            "绩效评价原则、方法及过程",
            (
                (SectionKey.PRINCIPLES, "评价原则"),
                (SectionKey.METHODS, "评价方法"),
                (SectionKey.BASIS, "评价依据"),
                (SectionKey.PROCESS, "评价过程"),
            ),
        ),
    )
    for title, parts in groups:
        present = [(key, name) for key, name in parts if builder.has_text(key)]
        if not present:
            continue
        sub(title)
        for number, (key, name) in enumerate(present, start=1):
            builder.heading(3, f"{number}．{name}")
            builder.narrative(builder.section(key), 4)
    if builder.has_text(SectionKey.INDICATOR_SYSTEM):
        sub("评价指标体系与评价标准")
        builder.narrative(builder.section(SectionKey.INDICATOR_SYSTEM), 3)


def chapter_conclusion(builder: Builder) -> None:
    data = builder.data
    builder.chapter_heading("综合评价情况及评价结论")
    sub = SubSections(builder)
    if builder.has_text(SectionKey.OVERALL):
        sub("综合评价情况")
        builder.narrative(builder.section(SectionKey.OVERALL), 3)
    sub("评价结论")
    builder.narrative(builder.section(SectionKey.CONCLUSION), 3)
    result = data.scored.result
    if result is None:
        builder.para("尚未选定指标体系，无法计算得分。")
        return
    builder.table(
        report_tables.summary_table(
            result, builder.caption(f"{department_short(data)}部门整体评价得分表"), sheet="表4-1 得分"
        )
    )
    if result.rescaled or result.capped or result.unscored:
        builder.para(result.conclusion)


def first_level_title(node: scoring.NodeResult) -> str:
    return node.name if node.name.endswith("类") or node.kind == scoring.ADJUSTMENT else f"{node.name}类"


def leaf_lead(node: scoring.NodeResult) -> str:
    weight = format_amount(node.weight)
    if node.kind in (scoring.BONUS, scoring.DEDUCTION):
        return f"{node.code}{node.name}（{scoring.INDICATOR_KIND_LABELS[node.kind]}，{weight}分）："
    return f"{node.code}{node.name}（{weight}分）："


def leaf_paragraphs(builder: Builder, node: scoring.NodeResult) -> None:
    """"A11部门职能明确性（2.00分）：评分过程… 依据评分细则，本项指标得2.00分。" (one paragraph per line of the text).

    The score is printed once. Without a written 评分过程 the engine's drafted sentence is printed as
    it is: it already states the score (and an adjustment with its reason). A score the team adjusted
    away from its rule ends on the rule's score, the adjusted one and the reason.
    """
    judgment = builder.data.judgments.get(node.code)
    process = builder.filled(judgment.process, f"{node.code}评分过程") if judgment else ""
    lines, stated = leaf_lines(node, process)
    if stated is not None:
        builder.warnings.append(
            f"{node.code}{node.name}：评分过程写得{stated}分，计算得分为{format_amount(node.score)}分，报告按计算得分输出。"
        )
    for index, line in enumerate(lines):
        builder.para(line, lead=leaf_lead(node) if index == 0 else "")


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


def chapter_analysis(builder: Builder) -> None:
    result = builder.data.scored.result
    builder.chapter_heading("绩效评价指标分析")
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


def chapter_text(builder: Builder, key: str, title: str) -> None:
    builder.chapter_heading(title)
    builder.narrative(builder.section(key), 2)


def chapter_items(builder: Builder, title: str, items: list) -> None:
    builder.chapter_heading(title)
    if not items:
        builder.para("无。")
    numbered_items(builder, items, 2)


# ---------------------------------------------------------------------------
# Signature and annexes


def annex_titles(data: ReportData) -> list[str]:
    titles = [indicator_sheet.title(data.department.name)]
    if data.surveys is not None:
        titles.append(survey_annex_spec.TITLE)
    if any(part.project.in_report for part in data.projects):
        titles.append(project_form.ANNEX_TITLE)
    return titles


def signature(builder: Builder) -> None:
    data = builder.data
    titles = annex_titles(data)
    builder.para("附件：", PLAIN)
    for number, title in enumerate(titles, start=1):
        builder.para(f"{number}．{title}", PLAIN)
    _, day = report_date_texts(data.evaluation)
    lines = [data.evaluation.firm.name, day if day != NO_VALUE else ""]
    if data.lead_name:
        lines.append(f"项目主评人：{data.lead_name}")
    builder.add(Signature(tuple(line for line in lines if line)))


def annex_indicators(builder: Builder) -> None:
    data = builder.data
    builder.add(PageBreak(landscape=True))
    builder.heading(1, "附件1")
    builder.para(annex_titles(data)[0], TITLE)
    result = data.scored.result
    if result is None:
        builder.para("尚未选定指标体系。")
        return
    builder.table(evaluation_annex(data, builder.values, printed=True))
    if any(node.kind == scoring.DEDUCTION for node in result.walk()):
        builder.para(indicator_sheet.DEDUCTION_NOTE, NOTE)


def annex_projects(builder: Builder) -> None:
    """The project forms chosen for the report (项目支出绩效自评表), as the last annex; nothing when there are none."""
    for block in project_form.project_annex_blocks(builder.data.projects, len(annex_titles(builder.data))):
        builder.add(block)


# ---------------------------------------------------------------------------
# The whole report


def build_report(data: ReportData, *, draft: bool | None = None, charts: bool = True) -> Document:
    """The report of one evaluation; ``draft`` defaults to "not signed off yet"."""
    values = placeholder_values(data)
    builder = Builder(data, values)
    evaluation = data.evaluation
    title = report_title(evaluation)
    problems, suggestions = list(data.problems), list(data.suggestions)

    cover(builder)
    builder.add(PageBreak())
    basic_info(builder)
    builder.add(PageBreak())
    builder.add(TableOfContents())
    builder.add(PageBreak())
    summary(builder, problems, suggestions)
    builder.add(PageBreak(restart_numbering=True))  # page 1 is the first page of the report's body
    builder.add(Paragraph(tuple(Run(phrase) for phrase in report_title_phrases(evaluation)), TITLE))
    if builder.has_text(SectionKey.PREFACE):
        builder.narrative(builder.section(SectionKey.PREFACE), 2)
    chapter_department(builder)
    chapter_budget(builder)
    chapter_conduct(builder)
    chapter_conclusion(builder)
    chapter_analysis(builder)
    chapter_text(builder, SectionKey.EXPERIENCE, "主要经验做法")
    chapter_items(builder, "存在的问题及原因分析", problems)
    chapter_items(builder, "有关建议", suggestions)
    if builder.has_text(SectionKey.OTHER):
        chapter_text(builder, SectionKey.OTHER, "其他需要说明的情况")
    signature(builder)
    annex_indicators(builder)
    if data.surveys is not None:
        builder.add(PageBreak(landscape=False))
        builder.heading(1, "附件2")
        for block in survey_annex_blocks(data.surveys, charts=charts):
            builder.add(block)
    annex_projects(builder)

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

