"""A small evaluation with something in every part, and the people who may change each part."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from evaluations.enums import EvaluationStatus, TeamRole
from evaluations.models import Evaluation
from reports import services as report_services
from rubrics import services as rubric_services
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


@pytest.fixture
def world(db) -> World:
    evaluation = EvaluationFactory(status=EvaluationStatus.SCORING, year=2022)
    lead = member(evaluation, TeamRole.LEAD)
    staff = member(evaluation, TeamRole.STAFF)
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
    return World(evaluation, empty, lead, staff, admin, system, problem, suggestion, questionnaire)
