from django.db import models


class SectionKey(models.TextChoices):
    """The narrative texts of a report, one per evaluation; labels are what the edit page shows."""

    PREFACE = "preface", "报告开头（委托与评价说明）"
    SUMMARY_PROFILE = "summary_profile", "摘要·部门概况"
    PROFILE = "profile", "部门简介"
    FUNCTIONS = "functions", "部门主要职责"
    UNITS = "units", "部门预算单位机构设置"
    STAFFING = "staffing", "部门人员编制总体情况"
    TASKS = "tasks", "主要工作任务"
    GOALS = "goals", "部门绩效目标（表前说明）"
    BUDGET_INCOME = "budget_income", "部门收入预决算情况"
    BUDGET_EXPENSE = "budget_expense", "部门支出预决算情况"
    BUDGET_BASIC = "budget_basic", "基本支出"
    BUDGET_PROJECT = "budget_project", "项目支出"
    THREE_PUBLIC = "three_public", "“三公”经费预算安排及执行情况"
    PURPOSE = "purpose", "评价目的"
    SCOPE = "scope", "评价对象及范围"
    PRINCIPLES = "principles", "评价原则"
    METHODS = "methods", "评价方法"
    BASIS = "basis", "评价依据"
    PROCEDURE = "procedure", "评价过程"
    INDICATOR_SYSTEM = "indicator_system", "评价指标体系与评价标准"
    OVERALL = "overall", "综合评价情况"
    CONCLUSION = "conclusion", "评价结论"
    PERFORMANCE = "performance", "绩效分析（评价结论之后）"
    EXPERIENCE = "experience", "主要经验做法"
    OTHER = "other", "其他需要说明的情况"
    RESULT_SENTENCE = "result_sentence", "基本信息表·绩效评价结果"
    SELFEVAL_GOALS = "selfeval_goals", "自评表·年度总体目标（预期目标）"
    SELFEVAL_OUTCOME = "selfeval_outcome", "自评表·目标实际完成情况"
    SELFEVAL_NOTES = "selfeval_notes", "自评表·注"


class ReportFormat(models.TextChoices):
    """What can be downloaded or rendered from the command line."""

    DOCX = "docx", "Word（DOCX）"
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel（附件1与预算表）"
    SELFEVAL_XLSX = "selfeval-xlsx", "自评表 Excel"
    SELFEVAL_DOCX = "selfeval-docx", "自评表 Word"


#: The report's HTML body shown by the preview page, rendered by the worker like a download.
PREVIEW = "preview"


class RenderState(models.TextChoices):
    """Where a background render is."""

    QUEUED = "queued", "排队等待"
    RUNNING = "running", "正在生成"
    READY = "ready", "已完成"
    FAILED = "failed", "生成失败"


#: The narrative sections as the edit page lists them, by the part of the report they belong to.
SECTION_OUTLINE: tuple[tuple[str, tuple[SectionKey, ...]], ...] = (
    ("基本信息表与摘要", (SectionKey.RESULT_SENTENCE, SectionKey.SUMMARY_PROFILE)),
    ("报告开头", (SectionKey.PREFACE,)),
    (
        "一、部门概况",
        (
            SectionKey.PROFILE,
            SectionKey.FUNCTIONS,
            SectionKey.UNITS,
            SectionKey.STAFFING,
            SectionKey.TASKS,
            SectionKey.GOALS,
        ),
    ),
    (
        "二、部门预算及资金安排情况",
        (
            SectionKey.BUDGET_INCOME,
            SectionKey.BUDGET_EXPENSE,
            SectionKey.BUDGET_BASIC,
            SectionKey.BUDGET_PROJECT,
            SectionKey.THREE_PUBLIC,
        ),
    ),
    (
        "三、绩效评价开展情况",
        (
            SectionKey.PURPOSE,
            SectionKey.SCOPE,
            SectionKey.PRINCIPLES,
            SectionKey.METHODS,
            SectionKey.BASIS,
            SectionKey.PROCEDURE,
            SectionKey.INDICATOR_SYSTEM,
        ),
    ),
    ("四、综合评价情况及评价结论", (SectionKey.OVERALL, SectionKey.CONCLUSION, SectionKey.PERFORMANCE)),
    ("六、主要经验做法", (SectionKey.EXPERIENCE,)),
    ("其他需要说明的情况", (SectionKey.OTHER,)),
    ("自评表", (SectionKey.SELFEVAL_GOALS, SectionKey.SELFEVAL_OUTCOME, SectionKey.SELFEVAL_NOTES)),
)


class Step(models.TextChoices):
    """The steps of the workflow (``reports.workflow.TRANSITIONS`` says from where to where and who)."""

    START = "start", "开始评分"
    SUBMIT = "submit", "提交审核"
    APPROVE = "approve", "复核通过，提交下一级复核"
    RETURN = "return", "退回修改"
    SIGN_OFF = "sign_off", "签发"
    REOPEN = "reopen", "重新打开"


class CommentTarget(models.TextChoices):
    """What a 复核意见 is about; with a key (an indicator code, a section key, a table key, a questionnaire id)."""

    INDICATOR = "indicator", "指标"
    SECTION = "section", "报告章节"
    BUDGET = "budget", "预算表"
    SURVEY = "survey", "满意度问卷"


#: The budget page's tables a 复核意见 may point at (the anchors of templates/evaluations/_budget_tables.html).
BUDGET_TABLES: dict[str, str] = {
    "income": "表2-1 收入预算执行情况表",
    "expense": "表2-2 支出预算执行情况表",
    "basic": "表2-3 基本支出情况表",
    "projects": "项目支出",
    "other": "“三公”经费、上年数据与政府采购",
    "ratios": "财政比率",
}

#: Report parts a 复核意见 may point at besides the narrative sections (``SectionKey``).
REPORT_PARTS: dict[str, str] = {
    "goals": "部门整体绩效目标申报表",
    "problems": "存在的问题及原因分析",
    "suggestions": "有关建议",
}


class NotificationKind(models.TextChoices):
    SUBMITTED = "submitted", "提交审核"
    RETURNED = "returned", "退回修改"
    ANSWERED = "answered", "复核意见有回复"
    SIGNED = "signed", "已签发"
    REOPENED = "reopened", "重新打开（新版本）"
    DELIVERED = "delivered", "报告已送达"
    OPINION = "opinion", "委托单位意见"
