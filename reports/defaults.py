"""The drafted text of each section until the team writes its own.

Where the seeds show formulaic text (评价结论, 评价对象和范围, 指标体系, the
budget paragraphs, 人员编制) the draft quotes every number through a
placeholder, so it stays right when the data changes; lists the evaluation
already holds (部门职能, 评价方法, 评价依据) are written out from the data.
Sections that only people can write (主要工作任务, 综合评价情况…) start empty.
"""

from __future__ import annotations

from collections.abc import Callable

from evalsite.lib.chinese import chinese_numeral
from reports.enums import SectionKey
from reports.queries import ReportData
from reports.selfeval_values import selfeval_lines

METHOD_TEXTS: dict[str, str] = {
    "比较法": "指通过对绩效目标和预期实施效果、历史与当期情况的比较，综合分析绩效目标实现程度",
    "因素分析法": "是指通过综合分析影响绩效目标实现、预期实施效果的内外因素，评估绩效目标的预期实现程度",
    "公众评判法": "是指通过专家评估、公众问卷及抽样调查等对财政支出效果进行评判，评估绩效目标的预期实现程度",
    "专家评议法": (
        "是指专家在阅读相关资料后，将自己的看法、观点、建议以口头或书面形式、定性或定量方式表达，并作出最终价值判断"
    ),
    "成本效益分析法": "是指将一定时期内的支出与效益进行对比分析，评价绩效目标实现程度",
    "最低成本法": "是指对效益确定却不易计量的多个同类对象的实施成本进行比较，评价绩效目标实现程度",
    "标杆管理法": "是指以国内外同行业中较高的绩效水平为标杆进行评判，评价绩效目标实现程度",
}

PURPOSE = (
    "本次绩效评价的目的在于加强资金管理，优化财政资源配置，提高资源配置效率和资金使用效益，提升公共服务质量。"
    "通过开展部门整体支出绩效评价，围绕资金主线条，衡量部门整体及核心业务的实施效果，强化部门支出责任，"
    "规范资金管理行为，推动提高部门整体绩效水平。"
)

SCOPE = "\n".join(
    (
        "评价对象：对{年度}年度{部门简称}部门整体支出进行绩效评价。主要内容包括：绩效目标的设定情况，"
        "资金投入和使用情况，为实现绩效目标制定的制度、采取的措施，绩效目标的实现程度及效果，部门开展预算绩效管理的情况等。",
        "评价范围：包括{部门简称}{年度}年度财政批复的纳入部门预算管理的全部资金；包括当年财政拨款和通过以前年度财政拨款"
        "结转和结余资金、事业收入、事业单位经营收入等其他收入安排的支出；包括基本支出和项目支出。",
        "评价时段：{年度}年1月1日至{年度}年12月31日。",
    )
)

CONCLUSION = (
    "依据设定的部门整体预算绩效评价指标体系及评分标准，结合评价组实地调研情况分析，{年度}年度{部门简称}"
    "部门整体绩效评价总体得分为{总分}分，评价等级为“{等级}”。具体各类指标得分情况详见{得分表}："
)

RESULT_SENTENCE = (
    "通过被评价单位提供的基础数据、问卷调查和访谈获取的信息资料，评价组对“{年度}年{部门}部门整体支出”"
    "进行了独立客观地评价，最终评分结果为{总分}分，评价等级为“{等级}”。"
)

INDICATOR_SYSTEM = "\n".join(
    (
        "此次评价指标体系共由{一级指标数}个一级指标、{二级指标数}个二级指标、{三级指标数}个三级指标构成。{指标体系构成}",
        "评价指标体系与评价标准详见附件1。",
    )
)

PREFACE = (
    "{评价机构}受{委托单位}委托，对{部门}（以下简称：{部门简称}）{年度}年度部门整体支出实施绩效评价。"
)

STAFFING = (
    "{部门简称}核定行政编制{行政编制数}名，事业编制{事业编制数}名。年末实有人数{实有人数}人，"
    "其中：行政{行政实有人数}人，事业{事业实有人数}人。"
)

SUMMARY_PROFILE = "{部门}内设机构{内设机构数}个，包括：{内设机构}。" + STAFFING

INCOME = (
    "{年度}年度{部门简称}年初收入预算{收入总计年初预算数}万元，调整预算数{收入总计调整预算数}万元，"
    "收入决算数为{收入总计决算数}万元。具体各类收入预决算情况详见{收入表}："
)

EXPENSE = (
    "{年度}年度{部门简称}支出预算{支出总计年初预算数}万元，调整预算数{支出总计调整预算数}万元，"
    "支出决算数{支出总计决算数}万元。支出决算数包括基本支出{基本支出决算数}万元，项目支出{项目支出决算数}万元，"
    "年末结转和结余{年末结转和结余决算数}万元。部门预算支出安排、调整及决算情况详见{支出表}："
)

BASIC = (
    "基本支出：{年度}年度{部门简称}基本支出预算安排{基本支出年初预算数}万元，调整预算数为{基本支出调整预算数}万元，"
    "决算数{基本支出决算数}万元，预算调整率为{基本支出预算调整率}。"
)

PROJECT = "项目支出：{年度}年度部门项目支出预算安排{项目支出年初预算数}万元，决算数{项目支出决算数}万元。"

THREE_PUBLIC = "{年度}年度“三公经费”财政拨款支出预算为{三公经费预算数}万元，支出决算为{三公经费决算数}万元。"

SELFEVAL_NOTES = "\n".join(
    (
        "注：1. 部门（单位）整体支出绩效自评采取打分评价形式，满分为100分，各部门可根据指标的重要程度自主确定各项二、三级指标的"
        "权重分值，各项指标得分加总得出该项目绩效自评的总分，各项指标得分最高不能超过该指标分值上限。",
        "2. 定性指标根据指标完成情况分为：全部或基本达成预期指标、部分达成预期指标且有一定效果、未达成预期指标且效果较差三类，"
        "分别按照100%-80%（含）、80%-60%（含）、60%-0%合理填写完成比例。",
    )
)


def _functions(data: ReportData) -> str:
    functions = data.department.functions
    if not functions:
        return ""
    lines = ["{部门}的主要职责是："]
    lines += [f"{number}.{item}" for number, item in enumerate(functions, start=1)]
    return "\n".join(lines)


def _units(data: ReportData) -> str:
    if not data.department.internal_units:
        return ""
    return "{部门}内设机构{内设机构数}个，包括：{内设机构}。"


def _methods(data: ReportData) -> str:
    methods = data.evaluation.methods
    parts = [
        f"{chinese_numeral(number)}是{method}。{METHOD_TEXTS[method]}" if method in METHOD_TEXTS else f"{chinese_numeral(number)}是{method}"
        for number, method in enumerate(methods, start=1)
    ]
    return ("；".join(parts) + "。") if parts else ""


def _basis(data: ReportData) -> str:
    basis = data.evaluation.basis
    lines = [
        "评价依据包括但不限于：国家、省、市相关法律、法规和方针政策、规章制度；各级财政部门制定的政策评价管理制度及工作规范；"
        "相关行业政策、行业标准及专业技术规范；其他相关材料等。"
    ]
    if basis:
        lines.append("本次部门整体绩效评价的依据主要如下：")
        lines += [f"（{number}）{item}{'；' if number < len(basis) else '。'}" for number, item in enumerate(basis, start=1)]
    return "\n".join(lines)


def _basic(data: ReportData) -> str:
    text = BASIC
    if data.figures.basic_is_split:
        text += "其中包括人员经费{人员经费决算数}万元，公用经费{公用经费决算数}万元。"
    if data.figures.economic:
        text += "基本支出情况详见{基本支出表}："
    return text


def _three_public(data: ReportData) -> str:
    if data.ratios["three_public_control_rate"].value is None:
        return THREE_PUBLIC
    return THREE_PUBLIC[:-1] + "，完成预算的{三公经费控制率}。"


def _goals(data: ReportData) -> str:
    return "{部门}{年度}年度部门整体绩效目标申报表如下：" if data.goals else ""


def _selfeval_goals(data: ReportData) -> str:
    """The department's own 年度总体目标 (an imported 自评表), else the goals it declared (绩效目标申报表)."""
    if data.form_texts.get("goals"):
        return data.form_texts["goals"]
    return "\n".join(f"{entry.level3}：{entry.value}" for entry in data.goals if entry.level3 and entry.value)


def _selfeval_outcome(data: ReportData) -> str:
    """The department's own account of the outcome, else each indicator's 实际完成值 against its 年度指标值."""
    if data.form_texts.get("outcome"):
        return data.form_texts["outcome"]
    result = data.scored.result
    if result is None:
        return ""
    names = {leaf.code: leaf.name for leaf in result.walk() if leaf.is_leaf}
    return "\n".join(
        f"{names[code]}：{line.actual}" + (f"（年度指标值{line.target}）" if line.target else "")
        for code, line in selfeval_lines(data).items()
        if line.actual
    )


def _constant(text: str) -> Callable[[ReportData], str]:
    return lambda data: text


DRAFTS: dict[str, Callable[[ReportData], str]] = {
    SectionKey.PREFACE: _constant(PREFACE),
    SectionKey.SUMMARY_PROFILE: _constant(SUMMARY_PROFILE),
    SectionKey.PROFILE: lambda data: data.department.profile,
    SectionKey.FUNCTIONS: _functions,
    SectionKey.UNITS: _units,
    SectionKey.STAFFING: _constant(STAFFING),
    SectionKey.GOALS: _goals,
    SectionKey.BUDGET_INCOME: _constant(INCOME),
    SectionKey.BUDGET_EXPENSE: _constant(EXPENSE),
    SectionKey.BUDGET_BASIC: _basic,
    SectionKey.BUDGET_PROJECT: _constant(PROJECT),
    SectionKey.THREE_PUBLIC: _three_public,
    SectionKey.PURPOSE: _constant(PURPOSE),
    SectionKey.SCOPE: _constant(SCOPE),
    SectionKey.METHODS: _methods,
    SectionKey.BASIS: _basis,
    SectionKey.PROCEDURE: _constant("本次评价主要包括前期准备、评价实施、报告撰写三个阶段。"),
    SectionKey.INDICATOR_SYSTEM: _constant(INDICATOR_SYSTEM),
    SectionKey.CONCLUSION: _constant(CONCLUSION),
    SectionKey.RESULT_SENTENCE: _constant(RESULT_SENTENCE),
    SectionKey.SELFEVAL_GOALS: _selfeval_goals,
    SectionKey.SELFEVAL_OUTCOME: _selfeval_outcome,
    SectionKey.SELFEVAL_NOTES: _constant(SELFEVAL_NOTES),
}


def draft_text(key: str, data: ReportData) -> str:
    """The drafted text of a section (empty for sections only people can write)."""
    draft = DRAFTS.get(key)
    return draft(data) if draft else ""


def section_text(key: str, data: ReportData) -> str:
    """What the report prints for a section: the saved text, else the draft."""
    if key in data.sections:
        return data.sections[key]
    return draft_text(key, data)
