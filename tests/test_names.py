"""Names that say one thing: ``target`` is the 标杆值, ``goal`` the declared 绩效目标; ``process`` is the 评分过程,
``procedure`` the 评价过程 chapter. reports 0010 renames the stored keys and the model, both ways."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reports import profiles
from reports.enums import REPORT_PARTS, SectionKey
from reports.models import GoalRow, ReportProfile, ReviewComment, Section
from tests.factories import EvaluationFactory

BEFORE = [("reports", "0009_profile_source_bounded")]


def migrate(target=None):
    """Migrate to ``target`` and return its apps; by default to the latest state (where the other tests expect it)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(target).apps if target else None


def test_the_report_keys_name_the_goals_and_the_procedure_not_targets_or_process():
    assert SectionKey.GOALS == "goals" and SectionKey.GOALS.label == "部门绩效目标（表前说明）"
    assert SectionKey.PROCEDURE == "procedure" and SectionKey.PROCEDURE.label == "评价过程"
    assert {"targets", "process"}.isdisjoint(SectionKey.values)
    assert "targets" not in REPORT_PARTS and REPORT_PARTS["goals"] == "部门整体绩效目标申报表"
    assert "targets" not in profiles.TABLE_LABELS and profiles.TABLE_LABELS["goals"] == "部门整体绩效目标申报表"
    for kind in profiles.CHAPTER_KINDS:
        assert {"targets", "process"}.isdisjoint(part.key for part in kind.parts)
        assert {"targets", "process"}.isdisjoint(kind.content)
    for builtin in profiles.builtin_profiles():
        assert profiles.definition_errors(builtin.definition) == []
        assert "targets" not in builtin.definition["tables"]


def test_the_declared_goals_are_goal_rows():
    assert GoalRow._meta.verbose_name == "绩效目标申报表行"
    names = {model.__name__ for model in apps.get_app_config("reports").get_models()}
    assert {"GoalRow", "HistoricalGoalRow"} <= names
    assert not {name for name in names if "Target" in name}
    assert GoalRow._meta.get_field("evaluation").remote_field.related_name == "report_goals"


OLD_DEFINITION = {
    "front": ["cover", "toc"],
    "chapters": [
        {"kind": "overview", "heading": "基本情况", "included": True,
         "parts": {"department": "部门情况", "funds": "资金情况", "targets": "本所写的绩效目标标题"}},
        {"kind": "conduct", "heading": "绩效评价工作开展情况", "included": True},
        {"kind": "conclusion", "heading": "综合评价情况及评价结论", "included": True},
    ],
    "tables": ["targets", "income", "summary"],
    "annex1_columns": ["level1", "level2", "level3", "weight", "target", "process", "score"],
    "annexes": ["indicators"],
    "cover_fields": ["department"],
    "signature": ["firm"],
}


@pytest.mark.django_db(transaction=True)
def test_stored_targets_and_process_keys_read_as_goals_and_procedure_and_back():
    evaluation = EvaluationFactory()
    try:
        old = migrate(BEFORE)
        User = old.get_model("accounts", "User")
        reviewer = User.objects.create(username="old-reviewer")
        OldSection = old.get_model("reports", "Section")
        OldHistoricalSection = old.get_model("reports", "HistoricalSection")
        for key, text in (("targets", "绩效目标见下表："), ("process", "本次评价分三个阶段。"), ("overall", "总体良好。")):
            section = OldSection.objects.create(evaluation_id=evaluation.pk, key=key, text=text)
            OldHistoricalSection.objects.create(id=section.pk, evaluation_id=evaluation.pk, key=key, text=text,
                                                history_date="2024-01-01T00:00:00Z", history_type="+",
                                                updated_at="2024-01-01T00:00:00Z")
        OldTargetRow = old.get_model("reports", "TargetRow")
        row = OldTargetRow.objects.create(evaluation_id=evaluation.pk, position=1, level1="产出指标", level2="数量指标",
                                          level3="办件量", value="≥1000件", basis="年度计划")
        OldComment = old.get_model("reports", "ReviewComment")
        for kind, key in (("section", "targets"), ("section", "process"), ("indicator", "process")):
            OldComment.objects.create(evaluation_id=evaluation.pk, version=1, target_kind=kind, target_key=key,
                                      target_label="旧", text="请核对。", author=reviewer)
        OldProfile = old.get_model("reports", "ReportProfile")
        profile = OldProfile.objects.create(firm_id=evaluation.firm_id, name="旧格式", definition=OLD_DEFINITION)
        builtin = OldProfile.objects.filter(firm_id=evaluation.firm_id, builtin=True).first()
        assert "targets" in builtin.definition["tables"]  # the built-in copies were stored in the old words too

        migrate()

        assert dict(Section.objects.filter(evaluation=evaluation).values_list("key", "text")) == {
            "goals": "绩效目标见下表：", "procedure": "本次评价分三个阶段。", "overall": "总体良好。"
        }
        assert Section.objects.get(evaluation=evaluation, key=SectionKey.PROCEDURE).get_key_display() == "评价过程"
        assert set(Section.history.filter(evaluation=evaluation).values_list("key", flat=True)) == {
            "goals", "procedure", "overall"
        }
        kept = GoalRow.objects.get(pk=row.pk)
        assert (kept.evaluation_id, kept.level3, kept.value, kept.basis) == (evaluation.pk, "办件量", "≥1000件", "年度计划")
        assert list(evaluation.report_goals.values_list("level3", flat=True)) == ["办件量"]
        assert sorted(ReviewComment.objects.filter(evaluation=evaluation).values_list("target_kind", "target_key")) == [
            ("indicator", "process"), ("section", "goals"), ("section", "procedure")
        ]
        definition = ReportProfile.objects.get(pk=profile.pk).definition
        assert definition["tables"] == ["goals", "income", "summary"]
        assert definition["chapters"][0]["parts"] == {"department": "部门情况", "funds": "资金情况", "goals": "本所写的绩效目标标题"}
        assert definition["annex1_columns"] == OLD_DEFINITION["annex1_columns"]  # 标杆值 and 评分过程 columns untouched
        assert profiles.definition_errors(definition) == []
        assert ReportProfile.objects.get(pk=profile.pk).outline.chapters[0].part("goals") == "本所写的绩效目标标题"
        assert "goals" in ReportProfile.objects.get(pk=builtin.pk).definition["tables"]

        old = migrate(BEFORE)
        sections = old.get_model("reports", "Section").objects.filter(evaluation_id=evaluation.pk)
        assert set(sections.values_list("key", flat=True)) == {"targets", "process", "overall"}
        assert old.get_model("reports", "TargetRow").objects.get(pk=row.pk).level3 == "办件量"
        assert old.get_model("reports", "ReportProfile").objects.get(pk=profile.pk).definition == OLD_DEFINITION
        comments = old.get_model("reports", "ReviewComment").objects.filter(evaluation_id=evaluation.pk)
        assert sorted(comments.values_list("target_kind", "target_key")) == [
            ("indicator", "process"), ("section", "process"), ("section", "targets")
        ]
    finally:
        migrate()
