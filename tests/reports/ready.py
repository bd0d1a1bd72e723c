"""A small evaluation that passes every check, so a test can break one thing and see one check trip."""

from datetime import date

from evaluations import services as evaluation_services
from evaluations.enums import EvaluationStatus, TeamRole
from evaluations.models import Evaluation
from reports import services as report_services
from reports.enums import SectionKey
from rubrics.models import Judgment
from surveys.services import load_demo_surveys
from tests.factories import YANJIN_BUDGET, EvaluationFactory, member, small_rubric, team


def ready_evaluation(status: str = EvaluationStatus.DRAFT, **kwargs):
    """Scored (A11 judged, B11 bound to 预算执行率), with a team, surveys, the chapters written, a problem and its suggestion.

    Returns the evaluation in ``status`` with ``people`` (one user per role, 质控复核人 and 机构负责人 included).
    """
    evaluation = small_rubric(EvaluationFactory(
        budget=YANJIN_BUDGET, year=2022, report_date=date(2023, 11, 28), bureau_section="预算股", **kwargs
    ))
    evaluation_services.save_department_facts(evaluation, {"contact_person": "王主任", "profile": "负责全县政务服务。"})
    people = team(evaluation)
    people[TeamRole.QUALITY] = member(evaluation, TeamRole.QUALITY, email="quality@example.cn")
    people[TeamRole.HEAD] = member(evaluation, TeamRole.HEAD, email="head@example.cn")
    for role in (TeamRole.STAFF, TeamRole.LEAD, TeamRole.REVIEWER, "bureau"):
        people[role].email = f"{role}@example.cn"
        people[role].save()
    load_demo_surveys(evaluation)
    # The 自评表's 年度指标值 and 实际完成值 (B11's actual is its bound 预算执行率).
    evaluation.indicators.filter(code="A11").update(target="目标明确")
    evaluation.indicators.filter(code="B11").update(target="100%")
    Judgment.objects.filter(indicator__evaluation=evaluation, indicator__code="A11").update(actual="目标明确")
    report_services.save_section(evaluation, SectionKey.EXPERIENCE, "一是坚持问题导向，全年办件{问卷发放数}份问卷全部回收。")
    report_services.save_section(evaluation, SectionKey.OTHER, "无其他需要说明的情况。")
    problem = report_services.save_problem(
        evaluation, title="绩效目标不够细化", text="目标未分解到科室。",
        indicators=evaluation.indicators.filter(code="A11"),
    )
    report_services.save_suggestion(evaluation, title="细化绩效目标", text="分解到科室。", problem=problem)
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
    evaluation.refresh_from_db()
    evaluation.people = people
    return evaluation


#: The one "需确认" finding :func:`with_a_warning` leaves (a problem linked to no indicator).
A_WARNING = "问题“绩效目标不够细化”没有关联指标。"


def with_a_warning(evaluation) -> str:
    """Leave the ready evaluation with exactly one warning (no error): its problem no longer names an indicator."""
    from reports.models import Problem

    Problem.objects.get(evaluation=evaluation).indicators.clear()
    return A_WARNING
