"""What must be right before a report is submitted and signed: one module, each check a function.

A check takes a :class:`CheckContext` (the report's data, its document tree,
the placeholder values, the open 复核意见) and returns :class:`Finding` s: an
error blocks the step, a warning must be acknowledged by whoever takes it (the
acknowledgement is recorded in the step's event), and each says where to fix it.
Nothing here changes a number: it compares what the data says with what the
words say, and points at what is missing.

:data:`CHECKS` lists the checks and the steps they guard; :data:`BUREAU_CHECKLIST`
is the finance bureau's own quality checklist (the points it deducts when it
grades a third-party report), run as a pre-flight and shown with the points at stake.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import pairwise

from django.db import models
from django.urls import reverse

from evalsite.lib.numbers import format_amount
from evaluations import fiscal
from reports import narrative, profiles
from reports.bureau_checklist import ITEM_BY_KEY as CHECKLIST_ITEMS
from reports.bureau_checklist import Item as CheckedItem
from reports.defaults import section_text
from reports.document import build_report, leaf_lines
from reports.document_model import PLAIN, Cover, Document, Heading, Paragraph, Signature, Table
from reports.enums import SECTION_OUTLINE, SectionKey
from reports.models import ReviewComment
from reports.placeholder_values import placeholder_values
from reports.placeholders import fill, unknown_names
from reports.queries import ReportData, report_data
from reports.selfeval_values import missing_values
from rubrics import scoring
from surveys.services import count_errors


class Severity(models.TextChoices):
    ERROR = "error", "须修改"
    WARNING = "warning", "需确认"


class Stage(models.TextChoices):
    """The steps a check guards (``reports.workflow`` runs them)."""

    SUBMIT = "submit", "提交审核前"
    SIGN_OFF = "sign_off", "复核通过和签发前"


@dataclass(frozen=True)
class Finding:
    severity: str
    message: str
    url: str = ""
    check: str = ""

    @property
    def blocking(self) -> bool:
        return self.severity == Severity.ERROR

    @property
    def label(self) -> str:
        return Severity(self.severity).label


def error(message: str, url: str = "") -> Finding:
    return Finding(Severity.ERROR, message, url)


def warning(message: str, url: str = "") -> Finding:
    return Finding(Severity.WARNING, message, url)


@dataclass(frozen=True)
class CheckContext:
    data: ReportData
    document: Document
    values: dict[str, str]
    open_comments: tuple[ReviewComment, ...] = ()

    @property
    def pk(self) -> int:
        return self.data.evaluation.pk

    def url(self, name: str, *args, anchor: str = "") -> str:
        return reverse(name, args=[self.pk, *args]) + (f"#{anchor}" if anchor else "")

    def leaves(self) -> list[scoring.NodeResult]:
        result = self.data.scored.result
        return [] if result is None else [node for node in result.walk() if node.is_leaf]


def check_context(evaluation, data: ReportData | None = None, document: Document | None = None) -> CheckContext:
    """Everything the checks read, in a fixed number of queries."""
    data = data if data is not None else report_data(evaluation)
    document = document if document is not None else build_report(data, charts=False)
    comments = ReviewComment.objects.filter(evaluation=evaluation, closed_at__isnull=True)
    return CheckContext(data, document, placeholder_values(data), tuple(comments))


def indicator(node: scoring.NodeResult) -> str:
    return f"{node.code}{node.name}"


# ---------------------------------------------------------------------------
# Scores


def unscored_indicators(ctx: CheckContext) -> list[Finding]:
    if ctx.data.scored.result is None:
        return [error("尚未选定指标体系，报告中没有得分。", ctx.url("rubric_overview"))]
    return [
        error(f"{indicator(node)}尚未评分。", ctx.url("judgment_edit", node.code))
        for node in ctx.leaves()
        if node.applicable and node.score is None and not node.error
    ]


def scoring_errors(ctx: CheckContext) -> list[Finding]:
    """What the engine could not score (an override without a reason is its own check)."""
    result = ctx.data.scored.result
    if result is None:
        return []
    unexplained = {code for code, judgment in ctx.data.judgments.items() if _override_without_reason(judgment)}
    findings = []
    node_errors = set()
    for node in ctx.leaves():
        if node.error:
            node_errors.add(node.error)
            if node.code not in unexplained:
                findings.append(error(f"评分有误：{node.error}", ctx.url("judgment_edit", node.code)))
    findings += [
        error(f"评分有误：{message}", ctx.url("rubric_overview")) for message in result.errors if message not in node_errors
    ]
    return findings


def _override_without_reason(judgment) -> bool:
    return judgment.override_score is not None and not (judgment.override_reason or "").strip()


def override_without_reason(ctx: CheckContext) -> list[Finding]:
    return [
        error(f"{code}：调整了得分却没有写明理由。", ctx.url("judgment_edit", code))
        for code, judgment in ctx.data.judgments.items()
        if _override_without_reason(judgment)
    ]


def stated_score_mismatch(ctx: CheckContext) -> list[Finding]:
    """A 评分过程 that states another score than the engine's, read as the report reads it."""
    findings = []
    for node in ctx.leaves():
        judgment = ctx.data.judgments.get(node.code)
        if judgment is None or node.score is None or not node.applicable:
            continue
        _, stated = leaf_lines(node, fill(judgment.process, ctx.values))
        if stated is not None:
            findings.append(
                error(
                    f"{indicator(node)}：评分过程写得{stated}分，计算得分为{format_amount(node.score)}分，请修改评分过程。",
                    ctx.url("judgment_edit", node.code),
                )
            )
    return findings


def stale_bound_inputs(ctx: CheckContext) -> list[Finding]:
    """An indicator whose bound source (budget figures, a survey) changed after it was scored."""
    scored = ctx.data.scored
    return [
        error(f"{code}{scored.row(code).name}：{message}，请复核后重新保存评分。", ctx.url("judgment_edit", code))
        for code, message in scored.review_flags
    ]


def unknown_process_placeholders(ctx: CheckContext) -> list[Finding]:
    findings = []
    for code, judgment in ctx.data.judgments.items():
        unknown = unknown_names(judgment.process, ctx.values)
        if unknown:
            names = "、".join(f"{{{name}}}" for name in unknown)
            findings.append(error(f"{code}评分过程中有未知的占位符{names}。", ctx.url("judgment_edit", code)))
    return findings


def deducted_without_problem(ctx: CheckContext) -> list[Finding]:
    linked = {code for problem in ctx.data.problems for code in problem.indicator_codes}
    return [
        warning(f"{indicator(node)}有扣分，但没有关联到任何存在的问题。", ctx.url("report_overview", anchor="problems"))
        for node in ctx.leaves()
        if node.kind == scoring.NORMAL and node.applicable and node.score is not None and node.score < node.weight
        and node.code not in linked
    ]


# ---------------------------------------------------------------------------
# Figures and surveys


def survey_counts(ctx: CheckContext) -> list[Finding]:
    """Answer counts that disagree with 发放/回收/有效 (the same rule as the survey pages)."""
    if ctx.data.surveys is None:
        return []
    findings = []
    for questionnaire, result in ctx.data.surveys.results:
        totals = [(number, question.total) for number, question in enumerate(result.questions, start=1)]
        for message in count_errors(result.issued, result.returned, result.valid, totals):
            findings.append(
                error(f"{questionnaire.group}问卷：{message}。", ctx.url("survey_detail", questionnaire.pk))
            )
    return findings


def budget_consistency(ctx: CheckContext) -> list[Finding]:
    return [
        warning(message, ctx.url("budget_detail")) for message in fiscal.consistency_warnings(ctx.data.figures)
    ]


# ---------------------------------------------------------------------------
# Narrative

#: The chapters written in words that a report cannot leave empty (as the 报告 page groups the sections).
REQUIRED_CHAPTERS = ("一、部门概况", "三、绩效评价开展情况", "四、综合评价情况及评价结论", "六、主要经验做法")


def empty_chapters(ctx: CheckContext) -> list[Finding]:
    findings = []
    for title, keys in SECTION_OUTLINE:
        if title not in REQUIRED_CHAPTERS:
            continue
        has_goals = title == "一、部门概况" and ctx.data.goals
        if not has_goals and not any(narrative.lines_of(section_text(key, ctx.data)) for key in keys):
            findings.append(error(f"“{title}”一章没有内容。", ctx.url("report_overview", anchor=f"section-{keys[0]}")))
    if not ctx.data.problems:
        findings.append(error("“七、存在的问题及原因分析”一章没有内容。", ctx.url("report_overview", anchor="problems")))
    if not ctx.data.suggestions:
        findings.append(error("“八、有关建议”一章没有内容。", ctx.url("report_overview", anchor="suggestions")))
    return findings


def problems_unlinked(ctx: CheckContext) -> list[Finding]:
    answered = {suggestion.problem_pk for suggestion in ctx.data.suggestions}
    findings = []
    for problem in ctx.data.problems:
        url = ctx.url("report_overview", anchor="problems")
        if not problem.indicator_codes:
            findings.append(warning(f"问题“{problem.title}”没有关联指标。", url))
        if problem.pk not in answered:
            findings.append(warning(f"问题“{problem.title}”还没有对应的建议。", url))
    return findings


#: Where a 基本信息表 or cover field comes from: the page that shows it (and offers its edit link to who may).
#: Findings link to pages every team member may open, so nobody is shown a link he cannot follow.
FIELD_PAGES: dict[str, str] = {
    "部门资金投入总额（万元）": "budget_detail",
    "部门全年预算执行数（万元）": "budget_detail",
    "预算执行率": "budget_detail",
    "发放调查问卷（份）": "survey_list",
    "回收有效问卷（份）": "survey_list",
    "满意度情况": "survey_list",
}
EMPTY_MARKS = ("", "—", "-")
#: Fields a report may print as "—" after a look (the sources often name no contact person).
WARN_ONLY_FIELDS = frozenset({"联系人及联系方式"})


def _field_url(ctx: CheckContext, label: str) -> str:
    return ctx.url(FIELD_PAGES.get(label, "evaluation_detail"))


def cover_gaps(ctx: CheckContext) -> list[Finding]:
    return [
        error(f"封面的“{label}”还是“—”。", _field_url(ctx, label))
        for block in ctx.document.blocks
        if isinstance(block, Cover)
        for label, value in block.fields
        if value.strip() in EMPTY_MARKS
    ]


def basic_info_gaps(ctx: CheckContext) -> list[Finding]:
    """Fields of the 基本信息表 still "—" (a label cell is bold, its value follows it), and the 主评人."""
    findings = []
    if not ctx.data.lead_name:
        findings.append(error("尚未指定主评人（基本信息表和签字处要写明）。", ctx.url("evaluation_detail")))
    try:
        table = ctx.document.table("basic_info")
    except KeyError:
        return findings
    for row in table.rows:
        for label, value in pairwise(row):
            if label.bold and not value.bold and value.text.strip() in EMPTY_MARKS and "签字" not in label.text:
                make = warning if label.text in WARN_ONLY_FIELDS else error
                findings.append(make(f"基本信息表的“{label.text}”还是“—”。", _field_url(ctx, label.text)))
    return findings


def selfeval_gaps(ctx: CheckContext) -> list[Finding]:
    """The 自评表 prints “—” where the data holds no 年度指标值 or 实际完成值: say which."""
    no_target, no_actual = missing_values(ctx.data)
    url = ctx.url("report_overview")
    findings = []
    if no_target:
        findings.append(warning(f"自评表：以下指标没有年度指标值（标杆值或绩效目标申报表中同名指标的指标值）：{'、'.join(no_target)}。", url))
    if no_actual:
        findings.append(warning(f"自评表：以下指标没有实际完成值（评分时填写，或由取自数据的值给出）：{'、'.join(no_actual)}。", url))
    return findings


# ---------------------------------------------------------------------------
# Review comments


def open_comments(ctx: CheckContext) -> list[Finding]:
    return [
        error(
            f"复核意见未关闭：{comment.target_label}——{comment.text[:40]}",
            ctx.url("review_comments", anchor=f"comment-{comment.pk}"),
        )
        for comment in ctx.open_comments
    ]


# ---------------------------------------------------------------------------
# The bureau's quality checklist


def _chapters(document: Document) -> dict[str, list[str]]:
    """Each level-1 heading's text → the texts printed under it (running text, tables' cells; not the annex list)."""
    chapters: dict[str, list[str]] = {}
    current: list[str] | None = None
    for block in document.blocks:
        if isinstance(block, Heading) and block.level == 1:
            current = chapters.setdefault(block.text, [])
        elif isinstance(block, Signature):
            current = None
        elif current is not None and isinstance(block, Paragraph) and block.style != PLAIN:
            current.append(block.text)
        elif current is not None and isinstance(block, Table):
            current.extend(cell.text for row in block.rows for cell in row)
    return chapters


def _chapter(document: Document, name: str) -> list[str] | None:
    for title, texts in _chapters(document).items():
        if title.split("、", 1)[-1] == name:
            return texts
    return None


def cover_complete(ctx: CheckContext) -> list[Finding]:
    if "cover" not in ctx.data.profile.front:  # the bureau's outline has none (seed 000 opens on its 基本信息表)
        return []
    if not any(isinstance(block, Cover) for block in ctx.document.blocks):
        return [error("报告没有封面。", ctx.url("report_preview"))]
    return cover_gaps(ctx)


def _number(cell) -> Decimal | None:
    if cell.value is not None:
        return Decimal(cell.value)
    try:
        return Decimal(cell.text)
    except InvalidOperation:
        return None


def scores_add_up(ctx: CheckContext) -> list[Finding]:
    """散总一致: in every score table the rows add up to the row that closes them, and 表4-1 ends on the total."""
    findings = []
    result = ctx.data.scored.result
    for table in ctx.document.tables():
        if table.key == "summary":
            rows = [row for row in table.rows if row[0].text and not row[0].bold]
            closing = next((row for row in table.rows if row[0].bold), None)
            if closing is None:
                continue
            parts = sum((_number(row[2]) or Decimal(0) for row in rows), Decimal(0))
            if parts != _number(closing[2]):
                findings.append(error(f"{table.caption}：各一级指标得分之和{format_amount(parts)}与合计{closing[2].text}不符。",
                                      ctx.url("report_preview")))
            if result is not None and _number(table.rows[-1][2]) != result.total:
                findings.append(error(f"{table.caption}：表末得分{table.rows[-1][2].text}与总分{format_amount(result.total)}不符。",
                                      ctx.url("report_preview")))
        elif table.key.startswith("level1_"):
            findings += _second_level_sums(ctx, table)
    return findings


def _second_level_sums(ctx: CheckContext, table: Table) -> list[Finding]:
    """表5-n: each bold (second-level) row is the sum of the rows under it; 合计 is the sum of the bold rows."""
    findings = []
    groups: list[tuple[object, list]] = []
    closing = table.rows[-1]
    for row in table.rows[:-1]:
        if row[0].bold:
            groups.append((row, []))
        elif groups:
            groups[-1][1].append(row)
    for head, leaves in groups:
        parts = sum((_number(row[2]) or Decimal(0) for row in leaves), Decimal(0))
        if _number(head[2]) is not None and parts != _number(head[2]):
            findings.append(error(f"{table.caption}：“{head[0].text}”的得分{head[2].text}不等于其下各项之和{format_amount(parts)}。",
                                  ctx.url("report_preview")))
    total = sum((_number(head[2]) or Decimal(0) for head, _ in groups), Decimal(0))
    if _number(closing[2]) is not None and total != _number(closing[2]):
        findings.append(error(f"{table.caption}：合计{closing[2].text}不等于各二级指标得分之和{format_amount(total)}。",
                              ctx.url("report_preview")))
    return findings


GRADE_WORDS = re.compile(r"(?:等级|评级|评定为|评为)(?:为|是)?\s*[“\"「『]?\s*(优秀|优|良好|良|中等|中|差)")
TOTAL_WORDS = re.compile(r"(?:总体得分|总得分|总分|综合得分|最终评分结果|最终得分)(?:为|是|：|:)?\s*(\d+(?:\.\d+)?)\s*分")
#: The texts that state the total and the grade in words.
RESULT_SECTIONS = (SectionKey.RESULT_SENTENCE, SectionKey.CONCLUSION, SectionKey.OVERALL, SectionKey.SUMMARY_PROFILE)


def grade_agrees(ctx: CheckContext) -> list[Finding]:
    """评分与评级相符: the grade is the total's, and no text states another total or grade."""
    result = ctx.data.scored.result
    if result is None or result.grade is None:  # no grade while indicators are unscored (their own check)
        return []
    findings = []
    if scoring.grade_for(result.total, ctx.data.scored.settings.grade_bands) != result.grade:
        findings.append(error(f"总分{format_amount(result.total)}对应的等级与“{result.grade}”不符。", ctx.url("rubric_overview")))
    for key in RESULT_SECTIONS:
        text = fill(section_text(key, ctx.data), ctx.values)
        url = ctx.url("report_overview", anchor=f"section-{key}")
        for match in GRADE_WORDS.finditer(text):
            if match.group(1)[0] != result.grade[0]:
                findings.append(error(f"“{SectionKey(key).label}”写评价等级为“{match.group(1)}”，计算等级为“{result.grade}”。", url))
        for match in TOTAL_WORDS.finditer(text):
            if Decimal(match.group(1)) != result.total:
                findings.append(error(
                    f"“{SectionKey(key).label}”写总分为{match.group(1)}分，计算总分为{format_amount(result.total)}分。", url
                ))
    return findings


DIGIT = re.compile(r"\d")


def conclusions_have_figures(ctx: CheckContext) -> list[Finding]:
    """结论有数据支撑: the words of 综合评价情况及评价结论 quote figures (scores, rates, amounts)."""
    paragraphs = [
        block.text for block in _blocks_of_chapter(ctx.document, "综合评价情况及评价结论") if isinstance(block, Paragraph)
    ]
    if not any(DIGIT.search(text) for text in paragraphs):
        return [warning("“综合评价情况及评价结论”的文字中没有数据（得分、比率、金额），结论缺少数据支撑。",
                        ctx.url("report_overview", anchor=f"section-{SectionKey.OVERALL}"))]
    return []


def _blocks_of_chapter(document: Document, name: str) -> list:
    blocks, inside = [], False
    for block in document.blocks:
        if isinstance(block, Heading) and block.level == 1:
            inside = block.text.split("、", 1)[-1] == name
        elif inside:
            blocks.append(block)
    return blocks


def outline_chapter(*contents: str, make: Callable[[str, str], Finding] = error) -> Callable[[CheckContext], list[Finding]]:
    """The chapters of the outline (财预〔2020〕10号 参考提纲) holding ``contents`` (``reports.profiles`` content
    keys), present and written, as the evaluation's report profile prints them.

    The profile is the bureau's prescription: content it leaves out (seed 000's outline has no 评价工作开展情况)
    is not asked for; content it includes must not be an empty chapter.
    """

    def check(ctx: CheckContext) -> list[Finding]:
        findings = []
        for content in contents:
            chapter = next(
                (c for c in ctx.data.profile.chapters if content in profiles.KIND[c.kind].content), None
            )
            if chapter is None:
                continue
            texts = _chapter(ctx.document, chapter.heading)
            if texts is None or not any(text.strip() and text.strip() != "无。" for text in texts):
                findings.append(make(f"报告缺少“{chapter.heading}”一章（参考提纲要求）。", ctx.url("report_overview")))
        return findings

    return check


#: The outline's chapters (``reports.profiles`` content keys) the bureau's "outline" item asks for. 其他需要说明的
#: 问题 is optional: the 复核台 notes its absence without deducting, so it fails no item here either.
OUTLINE_CONTENTS = ("department", "conduct", "conclusion", "analysis", "experience", "problems", "suggestions")


def outline_complete(ctx: CheckContext) -> list[Finding]:
    """参考提纲各章齐全: every chapter of the outline the profile prints is there and written."""
    return outline_chapter(*OUTLINE_CONTENTS)(ctx)


@dataclass(frozen=True)
class ChecklistItem:
    """One item of the bureau's checklist (:mod:`reports.bureau_checklist`) and how the pre-flight checks it."""

    item: CheckedItem
    run: Callable[[CheckContext], list[Finding]]

    @property
    def key(self) -> str:
        return self.item.key

    @property
    def title(self) -> str:
        return self.item.title

    @property
    def points(self) -> Decimal:
        return self.item.points


def _item(key: str, run: Callable[[CheckContext], list[Finding]]) -> ChecklistItem:
    return ChecklistItem(CHECKLIST_ITEMS[key], run)


#: The items of the bureau's checklist the pre-flight checks on the evaluation's own data. The others (得分率,
#: 序号, the figures of the text …) hold by construction: every number of the report is computed from the data.
BUREAU_CHECKLIST: tuple[ChecklistItem, ...] = (
    _item("cover", cover_complete),
    _item("sums", scores_add_up),
    _item("grade", grade_agrees),
    _item("process", stated_score_mismatch),
    _item("budget", budget_consistency),
    _item("surveys", survey_counts),
    _item("outline", outline_complete),
    _item("problems", deducted_without_problem),
    _item("figures", conclusions_have_figures),
)


@dataclass(frozen=True)
class ChecklistResult:
    item: ChecklistItem
    findings: tuple[Finding, ...]

    @property
    def passed(self) -> bool:
        return not self.findings


def bureau_checklist(ctx: CheckContext) -> list[ChecklistResult]:
    return [
        ChecklistResult(item, tuple(Finding(f.severity, f.message, f.url, item.key) for f in item.run(ctx)))
        for item in BUREAU_CHECKLIST
    ]


# ---------------------------------------------------------------------------
# The list


@dataclass(frozen=True)
class CheckSpec:
    key: str
    title: str
    run: Callable[[CheckContext], list[Finding]]
    stages: frozenset[str] = frozenset({Stage.SUBMIT, Stage.SIGN_OFF})


CHECKS: tuple[CheckSpec, ...] = (
    CheckSpec("unscored", "未评分的指标", unscored_indicators),
    CheckSpec("scoring_errors", "评分有误", scoring_errors),
    CheckSpec("override_reason", "调整得分没有理由", override_without_reason),
    CheckSpec("stated_score", "评分过程写的得分与计算得分不一致", stated_score_mismatch),
    CheckSpec("stale_input", "评分后数据来源已变化", stale_bound_inputs),
    CheckSpec("survey_counts", "问卷份数不一致", survey_counts),
    CheckSpec("empty_chapter", "报告章节没有内容", empty_chapters),
    CheckSpec("basic_info", "基本信息表未填写完整", basic_info_gaps),
    CheckSpec("cover", "封面未填写完整", cover_gaps),
    CheckSpec("process_placeholder", "评分过程中的未知占位符", unknown_process_placeholders),
    CheckSpec("deduction_problem", "扣分指标未关联问题", deducted_without_problem),
    CheckSpec("problem_links", "问题未关联指标或建议", problems_unlinked),
    CheckSpec("budget", "预算表之间不一致", budget_consistency),
    # The 自评表 is a form of its own, not part of the signed report: shown on the report page, asked at no step.
    CheckSpec("selfeval", "自评表缺少指标值或完成值", selfeval_gaps, frozenset()),
    # 其他需要说明的问题, printed by the profile and empty: said, as the 复核台 notes it, deducting nothing.
    CheckSpec("optional_chapter", "参考提纲的可选章节没有内容", outline_chapter("other", make=warning), frozenset()),
    CheckSpec("open_comments", "未关闭的复核意见", open_comments, frozenset({Stage.SIGN_OFF})),
)


#: Checks added by apps above this one (``audits`` adds the bureau's 复核 of the rendered Word report). They may be
#: costly (a file rendered and read back), so they run only at a step they name, never in the all-stages listing.
REGISTERED_CHECKS: list[CheckSpec] = []


def register_check(spec: CheckSpec) -> None:
    """Add ``spec`` to the checks of the steps it names (once per key: an app's ``ready()`` may run twice)."""
    if spec.key not in {registered.key for registered in REGISTERED_CHECKS}:
        REGISTERED_CHECKS.append(spec)


def run_checks(ctx: CheckContext, stage: str | None = None) -> list[Finding]:
    """Every finding for ``stage`` (all stages when None), the bureau's checklist included, each once."""
    findings: list[Finding] = []
    seen: set[str] = set()
    specs = [*CHECKS, *(spec for spec in REGISTERED_CHECKS if stage is not None and stage in spec.stages)]
    tagged = [
        Finding(f.severity, f.message, f.url, spec.key)
        for spec in specs
        if stage is None or stage in spec.stages
        for f in spec.run(ctx)
    ]
    tagged += [finding for result in bureau_checklist(ctx) for finding in result.findings]
    for finding in tagged:
        if finding.message not in seen:
            seen.add(finding.message)
            findings.append(finding)
    return sorted(findings, key=lambda f: f.severity != Severity.ERROR)
