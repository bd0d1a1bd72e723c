"""Names that say one thing: the declared 绩效目标 are "goals", the 评价过程 chapter is "procedure".

``target`` stays the 标杆值/指标值 of an indicator and ``process`` the 评分过程 of a
judgment. The model ``TargetRow`` (and its history) becomes ``GoalRow`` (the table
is renamed, its rows kept); the stored keys are rewritten: ``Section.key`` and its
history, a 复核意见 on a section or on the goals table, and every stored report
profile's ``tables`` list and chapter sub-section keys. The mapping is written
here, not imported, so that this migration keeps working whatever the code becomes.
"""

from django.db import migrations, models
import django.db.models.deletion

#: Old stored key → new stored key (sections, 复核意见 on the report, profile tables and parts).
SECTION_KEYS = {"targets": "goals", "process": "procedure"}
PROFILE_KEYS = {"targets": "goals"}  # a profile names the goals table and sub-section; no part is "process"

SECTION_CHOICES = [
    ("preface", "报告开头（委托与评价说明）"), ("summary_profile", "摘要·部门概况"), ("profile", "部门简介"),
    ("functions", "部门主要职责"), ("units", "部门预算单位机构设置"), ("staffing", "部门人员编制总体情况"),
    ("tasks", "主要工作任务"), ("goals", "部门绩效目标（表前说明）"), ("budget_income", "部门收入预决算情况"),
    ("budget_expense", "部门支出预决算情况"), ("budget_basic", "基本支出"), ("budget_project", "项目支出"),
    ("three_public", "“三公”经费预算安排及执行情况"), ("purpose", "评价目的"), ("scope", "评价对象及范围"),
    ("principles", "评价原则"), ("methods", "评价方法"), ("basis", "评价依据"), ("procedure", "评价过程"),
    ("indicator_system", "评价指标体系与评价标准"), ("overall", "综合评价情况"), ("conclusion", "评价结论"),
    ("performance", "绩效分析（评价结论之后）"), ("experience", "主要经验做法"), ("other", "其他需要说明的情况"),
    ("result_sentence", "基本信息表·绩效评价结果"), ("selfeval_goals", "自评表·年度总体目标（预期目标）"),
    ("selfeval_outcome", "自评表·目标实际完成情况"), ("selfeval_notes", "自评表·注"),
]


def renamed_definition(definition, keys: dict[str, str]):
    """``definition`` with its table keys and chapter sub-section keys renamed by ``keys`` (order kept)."""
    if not isinstance(definition, dict):
        return definition
    renamed = dict(definition)
    if isinstance(renamed.get("tables"), list):
        renamed["tables"] = [keys.get(key, key) if isinstance(key, str) else key for key in renamed["tables"]]
    if isinstance(renamed.get("chapters"), list):
        chapters = []
        for chapter in renamed["chapters"]:
            if isinstance(chapter, dict) and isinstance(chapter.get("parts"), dict):
                chapter = {**chapter, "parts": {keys.get(key, key): text for key, text in chapter["parts"].items()}}
            chapters.append(chapter)
        renamed["chapters"] = chapters
    return renamed


def rename_keys(apps, section_keys: dict[str, str], profile_keys: dict[str, str]) -> None:
    for name in ("Section", "HistoricalSection"):
        model = apps.get_model("reports", name)
        for old, new in section_keys.items():
            model.objects.filter(key=old).update(key=new)
    comments = apps.get_model("reports", "ReviewComment").objects.filter(target_kind="section")
    for old, new in section_keys.items():
        comments.filter(target_key=old).update(target_key=new)
    ReportProfile = apps.get_model("reports", "ReportProfile")
    for profile in ReportProfile.objects.all():
        definition = renamed_definition(profile.definition, profile_keys)
        if definition != profile.definition:
            ReportProfile.objects.filter(pk=profile.pk).update(definition=definition)


def forward(apps, schema_editor):
    rename_keys(apps, SECTION_KEYS, PROFILE_KEYS)


def backward(apps, schema_editor):
    rename_keys(
        apps, {new: old for old, new in SECTION_KEYS.items()}, {new: old for old, new in PROFILE_KEYS.items()}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0009_profile_source_bounded"),
    ]

    operations = [
        migrations.RenameModel(old_name="TargetRow", new_name="GoalRow"),
        migrations.RenameModel(old_name="HistoricalTargetRow", new_name="HistoricalGoalRow"),
        migrations.AlterField(
            model_name="goalrow",
            name="evaluation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="report_goals",
                to="evaluations.evaluation", verbose_name="评价项目",
            ),
        ),
        migrations.AlterField(
            model_name="section",
            name="key",
            field=models.CharField(choices=SECTION_CHOICES, max_length=30, verbose_name="章节"),
        ),
        migrations.AlterField(
            model_name="historicalsection",
            name="key",
            field=models.CharField(choices=SECTION_CHOICES, max_length=30, verbose_name="章节"),
        ),
        migrations.RunPython(forward, backward),
    ]
