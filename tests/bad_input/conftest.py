"""A small evaluation with something in every part, and the people who may change each part."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pytest
from django.core.files.base import ContentFile

from evaluations.enums import EvaluationStatus, TeamRole
from evaluations.models import Evaluation, Membership
from reports import services as report_services
from reports.models import Notification, ReviewComment
from rubrics import services as rubric_services
from rubrics.models import Evidence, Indicator, ProjectForm
from surveys.services import copy_builtin
from tests.factories import SMALL_TREE, EvaluationFactory, UserFactory, economic_line, member, project, small_rubric

NASTY_TEXT = {
    "html": '<script>alert(1)</script><img src=x onerror="alert(2)">',
    "template": "{{ 1234500|add:74 }}{% now 'Y' %}{总分}{{",
    "nul": "名称\x00截断",
}
LONG_TEXT = "名" * 5000
#: What an HTML payload or an evaluated template would leave on a page if it were not escaped.
UNESCAPED = ('<script>alert(1)</script>', 'onerror="alert(2)"', "1234574")
NASTY_NUMBERS = ["-1", "1e30", "NaN", "１２３.４５", "abc", "99999999999999999999", "0", "1.23456789", "3000000000"]
#: Hidden inputs: a forged text, a foreign or huge id, an address; a formset's form count out of step (stale page).
NASTY_HIDDEN = ["abc", "99999999999", "a/b", "100000"]
NASTY_CHOICES = ["999999999", "abc"]
NASTY_DATES = ["2022-02-30", "99999-01-01"]


@dataclass
class World:
    evaluation: Evaluation  # 评分中, with a two-indicator system, a questionnaire, a problem and a suggestion
    empty: Evaluation  # the same team's evaluation without an indicator system yet
    lead: object
    staff: object
    admin: object  # the firm's administrator (not on the team)
    system: object  # a template of the firm's library
    problem: object
    suggestion: object
    questionnaire: object
    bureau_user: object  # a user of the client bureau

    @cached_property
    def reviewer(self):
        return self.evaluation.memberships.get(role=TeamRole.REVIEWER).user

    @cached_property
    def under_review(self) -> Evaluation:
        """An evaluation of the same firm (one review level) before its 项目负责人: 退回修改 or 签发."""
        evaluation = EvaluationFactory(firm=self.evaluation.firm, department=self.evaluation.department,
                                       bureau=self.evaluation.bureau, year=2020)
        for role, user in ((TeamRole.LEAD, self.lead), (TeamRole.STAFF, self.staff), (TeamRole.REVIEWER, self.reviewer)):
            Membership.objects.create(evaluation=evaluation, user=user, role=role)
        small_rubric(evaluation)
        Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.REVIEW, review_level=1)
        evaluation.refresh_from_db()
        return evaluation

    @cached_property
    def first_of_two_levels(self) -> Evaluation:
        """Under review at the first of two levels (another firm's): its 项目负责人 复核通过 or 退回."""
        evaluation = EvaluationFactory(firm__review_levels=2, year=2019)
        member(evaluation, TeamRole.LEAD)
        member(evaluation, TeamRole.QUALITY)
        evaluation.first_reviewer = member(evaluation, TeamRole.REVIEWER)
        small_rubric(evaluation)
        Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.REVIEW, review_level=1)
        evaluation.refresh_from_db()
        return evaluation

    @cached_property
    def comment(self):
        """An open 复核意见 on A11 of the evaluation in 评分中."""
        return ReviewComment.objects.create(
            evaluation=self.evaluation, version=1, target_kind="indicator", target_key="A11",
            target_label="A11", text="请补充会议纪要。", author=self.reviewer,
        )

    @cached_property
    def notification(self):
        return Notification.objects.create(
            user=self.staff, evaluation=self.evaluation, kind="returned", message="退回修改", url="/",
        )

    @cached_property
    def project_form(self):
        return ProjectForm.objects.create(
            evaluation=self.evaluation, name="政务服务经费", tree=SMALL_TREE,
            funds=[{"label": "年度资金总额", "initial": "245", "adjusted": "291.54", "final": "291.54"}],
        )

    @cached_property
    def profile(self):
        """A report profile of the firm's own (a copy of the reference outline: built-ins are not edited)."""
        from reports.models import ReportProfile
        from reports.profile_services import copy_profile
        from reports.profiles import FALLBACK_SLUG

        return copy_profile(ReportProfile.objects.get(firm=self.evaluation.firm, slug=FALLBACK_SLUG))

    @cached_property
    def review(self):
        """A 复核 record of the client bureau, with a report read (the bureau's 复核台)."""
        from tests.audits.factories import stored_review

        return stored_review(self.evaluation.bureau, self.bureau_user)

    @cached_property
    def signed_reviewer(self):
        return self.signed.memberships.get(role=TeamRole.REVIEWER).user

    @cached_property
    def signed(self) -> Evaluation:
        """A signed evaluation of the same firm and bureau, its report files sealed and stored (the delivery desk)."""
        from django.utils import timezone

        from reports.archive import freeze

        signed = EvaluationFactory(firm=self.evaluation.firm, department=self.evaluation.department,
                                   bureau=self.evaluation.bureau, year=2021)
        reviewer = member(signed, TeamRole.REVIEWER)
        small_rubric(signed)
        Evaluation.objects.filter(pk=signed.pk).update(status=EvaluationStatus.SIGNED)
        signed.refresh_from_db()
        freeze(signed, version=1, signed_by=reviewer, signed_at=timezone.now())
        return signed


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    evaluation = EvaluationFactory(status=EvaluationStatus.SCORING, year=2022)
    lead = member(evaluation, TeamRole.LEAD)
    staff = member(evaluation, TeamRole.STAFF, email="staff@example.com")
    member(evaluation, TeamRole.REVIEWER)
    small_rubric(evaluation)
    economic_line(evaluation)
    project(evaluation)
    questionnaire = copy_builtin(evaluation, "public-service")
    problem = report_services.save_problem(evaluation, title="年度计划不细", text="未分解到科室。")
    suggestion = report_services.save_suggestion(evaluation, title="细化计划", text="分解到科室。", problem=problem)
    empty = EvaluationFactory(firm=evaluation.firm, department=evaluation.department, bureau=evaluation.bureau, year=2023)
    from evaluations.models import Membership

    Membership.objects.create(evaluation=empty, user=lead, role=TeamRole.LEAD)
    admin = UserFactory(organization=evaluation.firm, is_firm_admin=True)
    system = rubric_services.save_system(evaluation.firm, slug="test", name="测试模板", tree=SMALL_TREE)
    a11 = Indicator.objects.get(evaluation=evaluation, code="A11")
    evidence = Evidence(indicator=a11, number=1, title="会议纪要", uploaded_by=staff)
    evidence.file.save("会议纪要.txt", ContentFile("纪要".encode()))
    bureau_user = UserFactory(organization=evaluation.bureau)
    return World(evaluation, empty, lead, staff, admin, system, problem, suggestion, questionnaire, bureau_user)
