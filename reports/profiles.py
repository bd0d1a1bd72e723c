"""Report profiles: the outline a bureau prescribes, written down as data.

A profile says which front pages the report opens with, which chapters follow
in which order under which headings, which optional tables are printed, which
columns 附件1 has, which annexes, which cover fields and which lines the
signature block carries. Its definition is a JSON object (stored on
``reports.models.ReportProfile``, shipped in ``reports/outlines/*.json``):

.. code-block:: json

    {"front": ["cover", "toc", "summary"],
     "chapters": [{"kind": "department", "heading": "部门概况", "included": true,
                   "parts": {"profile": "部门简介"}}, ...],
     "tables": ["goals", "income", ...],
     "annex1_columns": ["level1", "level2", "level3", "weight", ...],
     "annexes": ["indicators", "surveys"],
     "cover_fields": ["department", "bureau", "firm", "evaluation_date"],
     "signature": ["annex_list", "firm", "report_date", "lead"]}

Every vocabulary here (front pages, chapter kinds and their parts, tables,
cover fields, signature lines) is written once; 附件1's columns are
``rubrics.indicator_sheet``'s. :func:`definition_errors` lists what is wrong
in Chinese; :func:`outline_of` turns a valid definition into the
:class:`Outline` that ``reports.document.build_report`` follows. Pure: no
database, no file written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from rubrics import indicator_sheet

OUTLINES_DIR = Path(__file__).resolve().parent / "outlines"
HEADING_MAX = 40


@dataclass(frozen=True)
class Choice:
    key: str
    label: str


def _labels(choices: tuple[Choice, ...]) -> dict[str, str]:
    return {choice.key: choice.label for choice in choices}


#: The pages before the first chapter, in the order they are printed.
FRONT: tuple[Choice, ...] = (
    Choice("cover", "封面"),
    Choice("basic_info", "绩效评价基本信息表"),
    Choice("toc", "目录"),
    Choice("summary", "摘要"),
)
FRONT_LABELS = _labels(FRONT)


@dataclass(frozen=True)
class ChapterKind:
    """What one chapter holds; ``parts`` are its （一）（二）… sub-sections with their default headings.

    ``content`` names what it prints: two included chapters may not print the same content.
    """

    key: str
    heading: str
    parts: tuple[Choice, ...] = ()
    content: frozenset[str] = frozenset()


def _kind(key: str, heading: str, content: set[str], *parts: tuple[str, str]) -> ChapterKind:
    return ChapterKind(key, heading, tuple(Choice(k, label) for k, label in parts), frozenset(content))


#: Every chapter a report can have.
CHAPTER_KINDS: tuple[ChapterKind, ...] = (
    _kind(
        "overview", "基本概况", {"department", "budget", "goals"},
        ("department", "部门基本概况"), ("funds", "部门资金投入和使用情况"), ("goals", "部门整体绩效目标"),
    ),
    _kind(
        "department", "部门概况", {"department", "goals"},
        ("profile", "部门简介"), ("functions", "部门主要职责"), ("units", "部门预算单位机构设置"),
        ("staffing", "部门人员编制总体情况"), ("tasks", "主要工作任务"), ("goals", "部门绩效目标"),
    ),
    _kind(
        "budget", "部门预算及资金安排情况", {"budget"},
        ("income", "部门收入预决算情况"), ("expense", "部门支出预决算情况"),
        ("three_public", "“三公经费”预算安排及执行情况"),
    ),
    _kind(
        "conduct", "绩效评价开展情况", {"conduct"},
        ("purpose", "绩效评价目的、对象和范围"), ("method", "绩效评价原则、方法及过程"),
        ("indicators", "评价指标体系与评价标准"),
    ),
    _kind(
        "conclusion", "综合评价情况及评价结论", {"conclusion"},
        ("overall", "综合评价情况"), ("conclusion", "评价结论"), ("performance", "绩效分析"),
    ),
    _kind("analysis", "绩效评价指标分析", {"analysis"}),
    _kind("experience", "主要经验做法", {"experience"}),
    _kind("problems", "存在的问题及原因分析", {"problems"}),
    _kind("suggestions", "有关建议", {"suggestions"}),
    _kind(
        "experience_problems", "主要经验及做法、存在的问题及原因分析", {"experience", "problems"},
        ("experience", "主要经验及做法"), ("problems", "存在的问题及原因分析"),
    ),
    _kind(
        "problems_suggestions", "存在的问题及建议", {"problems", "suggestions"},
        ("problems", "存在的问题"), ("suggestions", "有关建议"),
    ),
    _kind("other", "其他需要说明的情况", {"other"}),
)
KIND = {kind.key: kind for kind in CHAPTER_KINDS}

#: Tables a profile may leave out (the first-level tables of 指标分析 and the annexes belong to their chapters).
TABLES: tuple[Choice, ...] = (
    Choice("goals", "部门整体绩效目标申报表"),
    Choice("income", "收入预算执行情况表"),
    Choice("expenditure", "支出预算执行情况表"),
    Choice("economic", "基本支出情况表（按经济分类）"),
    Choice("projects", "项目支出情况表"),
    Choice("summary", "综合评价得分表"),
)
TABLE_LABELS = _labels(TABLES)

ANNEXES: tuple[Choice, ...] = (
    Choice("indicators", "附件1 指标体系评分表"),
    Choice("surveys", "附件2 问卷结果分析（有问卷时）"),
)
ANNEX_LABELS = _labels(ANNEXES)

#: The columns 附件1 cannot do without (its structure and its result).
ANNEX1_REQUIRED = ("level1", "level2", "level3", "weight", "score")
ANNEX1_LABELS = {column.key: column.header for column in indicator_sheet.COLUMNS}

COVER_FIELDS: tuple[Choice, ...] = (
    Choice("department", "项目单位"),
    Choice("bureau", "委托单位"),
    Choice("firm", "评价单位"),
    Choice("evaluation_date", "评价日期"),
    Choice("period", "评价期间"),
    Choice("report_date", "报告日期"),
    Choice("lead", "项目主评人"),
)
COVER_LABELS = _labels(COVER_FIELDS)

SIGNATURE: tuple[Choice, ...] = (
    Choice("annex_list", "附件清单"),
    Choice("firm", "评价机构名称"),
    Choice("report_date", "报告日期"),
    Choice("lead", "项目主评人"),
)
SIGNATURE_LABELS = _labels(SIGNATURE)

#: The lists of plain keys, with their vocabulary and the name a message gives them.
LISTS: tuple[tuple[str, dict[str, str], str], ...] = (
    ("front", FRONT_LABELS, "报告开头"),
    ("tables", TABLE_LABELS, "表格"),
    ("annex1_columns", ANNEX1_LABELS, "附件1的列"),
    ("annexes", ANNEX_LABELS, "附件"),
    ("cover_fields", COVER_LABELS, "封面项目"),
    ("signature", SIGNATURE_LABELS, "落款"),
)


# ---------------------------------------------------------------------------
# What the builder follows


@dataclass(frozen=True)
class Chapter:
    kind: str
    heading: str
    parts: tuple[tuple[str, str], ...]  # (part key, heading) in the kind's order

    def part(self, key: str) -> str:
        return dict(self.parts)[key]


@dataclass(frozen=True)
class Outline:
    """A valid definition as the document builder reads it; only included chapters are listed."""

    name: str
    front: tuple[str, ...]
    chapters: tuple[Chapter, ...]
    tables: frozenset[str]
    annex1_columns: tuple[str, ...]
    annexes: tuple[str, ...]
    cover_fields: tuple[str, ...]
    signature: tuple[str, ...]
    key: str = ""  # what identifies this outline in a render key (profile pk and revision, or the built-in slug)

    def has_table(self, key: str) -> bool:
        return key in self.tables

    def headings(self) -> list[str]:
        return [chapter.heading for chapter in self.chapters]


def chapter_rows(definition: dict[str, Any]) -> list[dict[str, Any]]:
    """Every chapter kind once, in the definition's order, then the kinds it does not list (not included).

    Each row: ``kind``, ``heading``, ``included``, ``parts`` (part key → heading, every part of the kind).
    """
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    listed = definition.get("chapters") if isinstance(definition.get("chapters"), list) else []
    for entry in listed:
        kind = KIND.get(entry.get("kind")) if isinstance(entry, dict) else None
        if kind is None or kind.key in seen:
            continue
        seen.add(kind.key)
        parts = entry.get("parts") if isinstance(entry.get("parts"), dict) else {}
        rows.append(
            {
                "kind": kind.key,
                "heading": str(entry.get("heading") or kind.heading),
                "included": bool(entry.get("included", True)),
                "parts": {part.key: str(parts.get(part.key) or part.label) for part in kind.parts},
            }
        )
    for kind in CHAPTER_KINDS:
        if kind.key not in seen:
            rows.append(
                {"kind": kind.key, "heading": kind.heading, "included": False,
                 "parts": {part.key: part.label for part in kind.parts}}
            )
    return rows


def _list_errors(definition: dict[str, Any]) -> list[str]:
    errors: list[str] = []
    for name, labels, what in LISTS:
        value = definition.get(name, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            errors.append(f"{what}应为名称的列表")
            continue
        unknown = [item for item in value if item not in labels]
        if unknown:
            errors.append(f"{what}中有不认识的项目：{'、'.join(unknown)}")
        repeated = sorted({item for item in value if value.count(item) > 1})
        if repeated:
            errors.append(f"{what}中重复列出：{'、'.join(labels.get(item, item) for item in repeated)}")
    return errors


def _heading_error(where: str, text: Any) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return f"{where}的标题不能为空"
    if len(text.strip()) > HEADING_MAX:
        return f"{where}的标题不能超过{HEADING_MAX}个字"
    if text.strip()[:2] in {f"{n}、" for n in "一二三四五六七八九十"}:
        return f"{where}的标题不要写章号（“一、”等由报告按顺序编号）：{text.strip()}"
    return None


def _chapter_errors(definition: dict[str, Any]) -> list[str]:
    chapters = definition.get("chapters")
    if not isinstance(chapters, list) or not all(isinstance(entry, dict) for entry in chapters):
        return ["章节应为列表，每章写明 kind、heading、included"]
    errors: list[str] = []
    seen: set[str] = set()
    included: list[ChapterKind] = []
    for number, entry in enumerate(chapters, start=1):
        kind = KIND.get(entry.get("kind"))
        if kind is None:
            errors.append(f"第{number}项章节的类型“{entry.get('kind')}”不认识")
            continue
        if kind.key in seen:
            errors.append(f"章节“{kind.heading}”列出了两次")
            continue
        seen.add(kind.key)
        if not entry.get("included", True):
            continue
        included.append(kind)
        heading = entry.get("heading", kind.heading)
        where = f"第{len(included)}章（{kind.heading}）"
        if (error := _heading_error(where, heading)) is not None:
            errors.append(error)
        parts = entry.get("parts", {})
        if not isinstance(parts, dict):
            errors.append(f"{where}的小节标题应为“小节→标题”的对应")
            continue
        names = {part.key: part.label for part in kind.parts}
        for key, text in parts.items():
            if key not in names:
                errors.append(f"{where}没有小节“{key}”")
            elif (error := _heading_error(f"{where}小节“{names[key]}”", text)) is not None:
                errors.append(error)
    if not included and not errors:
        errors.append("至少要选用一章")
    for index, kind in enumerate(included):
        for other in included[index + 1 :]:
            if kind.content & other.content:
                errors.append(f"“{kind.heading}”和“{other.heading}”内容重复，只能选用其一")
    return errors


def definition_errors(definition: Any) -> list[str]:
    """Everything wrong with a definition, in Chinese; an empty list when it can be followed."""
    if not isinstance(definition, dict):
        return ["报告格式的定义应为一个对象"]
    unknown = sorted(set(definition) - {"chapters", *(name for name, _, _ in LISTS)})
    errors = [f"报告格式中有不认识的项目：{'、'.join(unknown)}"] if unknown else []
    errors += _chapter_errors(definition)
    errors += _list_errors(definition)
    columns = definition.get("annex1_columns", [])
    if isinstance(columns, list) and "indicators" in definition.get("annexes", []):
        missing = [ANNEX1_LABELS[key] for key in ANNEX1_REQUIRED if key not in columns]
        if missing:
            errors.append(f"附件1必须包含这些列：{'、'.join(missing)}")
    return errors


def outline_of(definition: dict[str, Any], *, name: str = "", key: str = "") -> Outline:
    """The outline of a valid definition (check it with :func:`definition_errors` first).

    Lists keep their vocabulary's order where order is not the profile's to choose: front pages,
    附件1's columns (the table merges its first columns) and the annexes.
    """

    def ordered(name_: str, choices) -> tuple[str, ...]:
        chosen = set(definition.get(name_, []))
        return tuple(item for item in choices if item in chosen)

    chapters = tuple(
        Chapter(row["kind"], row["heading"].strip(), tuple((k, v.strip()) for k, v in row["parts"].items()))
        for row in chapter_rows(definition)
        if row["included"]
    )
    return Outline(
        name=name,
        front=ordered("front", FRONT_LABELS),
        chapters=chapters,
        tables=frozenset(definition.get("tables", [])),
        annex1_columns=ordered("annex1_columns", ANNEX1_LABELS),
        annexes=ordered("annexes", ANNEX_LABELS),
        cover_fields=tuple(definition.get("cover_fields", [])),
        signature=tuple(definition.get("signature", [])),
        key=key,
    )


# ---------------------------------------------------------------------------
# The built-in profiles


@dataclass(frozen=True)
class BuiltinProfile:
    slug: str
    name: str
    source: str
    definition: dict[str, Any]


@cache
def builtin_profiles() -> tuple[BuiltinProfile, ...]:
    """The shipped profiles (``reports/outlines/*.json``), in their ``position`` order."""
    documents = [json.loads(path.read_text(encoding="utf-8")) for path in OUTLINES_DIR.glob("*.json")]
    documents.sort(key=lambda document: document["position"])
    return tuple(BuiltinProfile(d["slug"], d["name"], d.get("source", ""), d["definition"]) for d in documents)


def builtin_profile(slug: str) -> BuiltinProfile:
    for profile in builtin_profiles():
        if profile.slug == slug:
            return profile
    raise KeyError(slug)


#: The outline of an evaluation that has chosen none and whose bureau has no default: the national reference.
FALLBACK_SLUG = "caiyu-2020-10"


def fallback_outline() -> Outline:
    builtin = builtin_profile(FALLBACK_SLUG)
    return outline_of(builtin.definition, name=builtin.name, key=f"builtin:{builtin.slug}")
