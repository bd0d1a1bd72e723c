"""Placeholders in narrative texts: ``{总分}`` is replaced by the number the data gives.

Pure Python. A text is never evaluated as a template: the only thing that
happens to it is that each ``{名称}`` whose name is in the given values is
replaced by that value. Anything else stays exactly as written: ``{{``,
``}}``, ``<script>``, ``&``. A name written with doubled braces (``{{总分}}``)
is not a placeholder either, so a text can quote the syntax itself.

The names and what they stand for are listed in :data:`CATALOG` (shown on the
edit page); their values for one evaluation come from
``reports.placeholder_values``. The ratio placeholders are every ratio
``evaluations.fiscal`` computes, named by :attr:`fiscal.Ratio.name`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from evaluations import fiscal

#: ``{名称}``: 1 to 30 characters without braces or whitespace, not part of ``{{…}}``.
PATTERN = re.compile(r"(?<!\{)\{([^{}\s]{1,30})\}(?!\})")


@dataclass(frozen=True)
class Placeholder:
    name: str
    meaning: str
    group: str


@dataclass(frozen=True)
class TableReference:
    """A placeholder that names a table of the report: its number (``表2-1``) depends on the profile's outline."""

    name: str
    meaning: str
    tables: tuple[str, ...]  # the keys of the document tables it may name (``reports.document_model.Table.key``)


#: ``{得分表}`` and its kin: the report puts the number of the table they name once it is built (the next such
#: table after the text, else the last before it); any other text shows :data:`TABLE_REFERENCE_ELSEWHERE`.
TABLE_REFERENCES: tuple[TableReference, ...] = (
    TableReference("绩效目标表", "部门整体绩效目标申报表", ("goals",)),
    TableReference("收入表", "收入预算执行情况表", ("income",)),
    TableReference("支出表", "支出预算执行情况表", ("expenditure",)),
    TableReference("基本支出表", "基本支出情况表", ("economic",)),
    TableReference("项目支出表", "项目支出情况表", ("projects",)),
    TableReference("得分表", "部门整体评价得分表（摘要中为“表1”）", ("summary", "summary_abstract")),
)
TABLE_REFERENCE_ELSEWHERE = "下表"


def names_in(text: str) -> list[str]:
    """Every placeholder name in ``text``, in order, each once."""
    seen: dict[str, None] = {}
    for match in PATTERN.finditer(text or ""):
        seen.setdefault(match.group(1), None)
    return list(seen)


def unknown_names(text: str, known) -> list[str]:
    """The placeholder names in ``text`` that ``known`` (a set or mapping of names) does not hold."""
    return [name for name in names_in(text) if name not in known]


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with every known placeholder replaced; unknown ones stay as written."""
    return PATTERN.sub(lambda match: values.get(match.group(1), match.group(0)), text or "")


def unknown_message(names: list[str]) -> str:
    quoted = "、".join(f"{{{name}}}" for name in names)
    return f"未知的占位符：{quoted}。可用的占位符见下方列表；花括号本身请写成双花括号。"


# ---------------------------------------------------------------------------
# The catalog shown on the edit page

AMOUNT_LINES: tuple[tuple[str, str], ...] = (
    ("收入合计", "本年收入合计"),
    ("收入总计", "收入总计（含年初结转结余）"),
    ("一般公共预算收入", "一般公共预算财政拨款收入"),
    ("政府性基金收入", "政府性基金预算财政拨款收入"),
    ("其他收入", "其他收入"),
    ("年初结转结余", "年初结转结余"),
    ("支出合计", "本年支出合计（基本支出＋项目支出）"),
    ("支出总计", "支出总计（含年末结转和结余）"),
    ("基本支出", "基本支出"),
    ("人员经费", "人员经费"),
    ("公用经费", "公用经费"),
    ("项目支出", "项目支出"),
    ("年末结转和结余", "年末结转和结余"),
)
AMOUNT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("年初预算数", "initial"),
    ("调整预算数", "adjusted"),
    ("决算数", "final"),
)

_BASIC = "基本信息"
_RESULT = "评分结果"
_MONEY = "预算金额（万元，两位小数）"
_RATIO = "财政比率（两位小数的百分数）"
_STAFF = "人员与机构"
_SURVEY = "满意度问卷"
_TABLES = "表格编号（报告中按报告格式的章节编号，如“表2-1”）"
SURVEY_GROUP = "某一份问卷（把“企业和办事群众”换成问卷的调查对象）"
INDICATOR_GROUP = "任一指标（把A1换成指标编码）"

CATALOG: tuple[Placeholder, ...] = (
    Placeholder("年度", "评价年度，如 2022", _BASIC),
    Placeholder("部门", "被评价部门全称", _BASIC),
    Placeholder("部门简称", "部门简称（未填时为全称）", _BASIC),
    Placeholder("委托单位", "委托单位（财政局）", _BASIC),
    Placeholder("财政局分管科室", "财政局分管科室", _BASIC),
    Placeholder("评价机构", "评价机构全称", _BASIC),
    Placeholder("主评人", "项目主评人姓名", _BASIC),
    Placeholder("资金来源", "资金来源", _BASIC),
    Placeholder("评价方法", "评价方法，以顿号分隔", _BASIC),
    Placeholder("评价标准", "评价标准，以顿号分隔", _BASIC),
    Placeholder("评价日期", "报告日期的年月，如 2023年11月（未填报告日期时取评价结束日期）", _BASIC),
    Placeholder("评价期间", "评价开始日期至结束日期，如 2023年9月1日至2023年11月28日", _BASIC),
    Placeholder("报告日期", "报告日期，如 2023年11月28日", _BASIC),
    Placeholder("总分", "总体得分，两位小数，如 86.00", _RESULT),
    Placeholder("等级", "评价等级：优、良、中、差", _RESULT),
    Placeholder("一级指标数", "一级指标个数（不含加减分项）", _RESULT),
    Placeholder("二级指标数", "二级指标个数（不含加减分项）", _RESULT),
    Placeholder("三级指标数", "三级指标个数（不含加减分项）", _RESULT),
    Placeholder("加减分项数", "加分项和减分项的个数", _RESULT),
    Placeholder("满分指标数", "得满分的三级指标个数", _RESULT),
    Placeholder("指标体系构成", "“一是部门决策，权重分10分，主要从……2个方面加以考察；……”一整句", _RESULT),
    *(Placeholder(ref.name, f"{ref.meaning}的表号", _TABLES) for ref in TABLE_REFERENCES),
    *(
        Placeholder(f"{line}{column}", f"{meaning}·{column}", _MONEY)
        for line, meaning in AMOUNT_LINES
        for column, _ in AMOUNT_COLUMNS
    ),
    Placeholder("三公经费预算数", "“三公”经费预算数", _MONEY),
    Placeholder("三公经费决算数", "“三公”经费决算数", _MONEY),
    Placeholder("上年三公经费预算数", "上年“三公”经费预算数", _MONEY),
    Placeholder("上年末结转结余", "上年末结转结余", _MONEY),
    Placeholder("政府采购预算数", "政府采购预算数", _MONEY),
    Placeholder("政府采购实际数", "政府采购实际数", _MONEY),
    *(Placeholder(ratio.name, f"{ratio.label} = {ratio.formula}", _RATIO) for ratio in fiscal.RATIO_SPECS),
    Placeholder("编制数", "核定编制数（行政＋事业）", _STAFF),
    Placeholder("行政编制数", "行政编制数", _STAFF),
    Placeholder("事业编制数", "事业编制数", _STAFF),
    Placeholder("实有人数", "年末实有人数（行政＋事业）", _STAFF),
    Placeholder("行政实有人数", "行政实有人数", _STAFF),
    Placeholder("事业实有人数", "事业实有人数", _STAFF),
    Placeholder("内设机构数", "内设机构个数", _STAFF),
    Placeholder("内设机构", "内设机构名称，以顿号分隔", _STAFF),
    Placeholder("问卷发放数", "各问卷发放份数合计", _SURVEY),
    Placeholder("有效问卷数", "各问卷有效份数合计", _SURVEY),
    Placeholder("满意度", "综合满意度（基本信息表所用的数）", _SURVEY),
    Placeholder("企业和办事群众满意度", "某一调查对象问卷的综合满意度（把“企业和办事群众”换成问卷的调查对象）", SURVEY_GROUP),
    Placeholder("企业和办事群众问卷发放数", "该问卷的发放份数", SURVEY_GROUP),
    Placeholder("企业和办事群众有效问卷数", "该问卷的有效份数", SURVEY_GROUP),
    Placeholder("A1权重", "指标A1的权重（分值）", INDICATOR_GROUP),
    Placeholder("A1得分", "指标A1的得分", INDICATOR_GROUP),
    Placeholder("A1得分率", "指标A1的得分率", INDICATOR_GROUP),
)


def catalog_groups() -> list[tuple[str, list[Placeholder]]]:
    """The catalog grouped for display, groups in first-seen order."""
    groups: dict[str, list[Placeholder]] = {}
    for placeholder in CATALOG:
        groups.setdefault(placeholder.group, []).append(placeholder)
    return list(groups.items())
