"""Everything a report is built from, read in a fixed number of queries.

:func:`report_data` gathers the evaluation, its budget figures and ratios
(``evaluations.fiscal``), the engine's result (``rubrics.queries``), the
survey results (``surveys.queries``, only when the evaluation has
questionnaires) and the narrative rows. The document builders take the
returned :class:`ReportData` and never query the database themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Prefetch, Q, Value, When

from evaluations import fiscal
from evaluations.enums import TeamRole
from evaluations.models import Evaluation
from evaluations.queries import figures_for
from reports import profiles
from reports.models import (
    GoalRow,
    Problem,
    ReportProfile,
    Section,
    Suggestion,
)
from rubrics import scoring
from rubrics.models import Judgment, ProjectForm
from rubrics.queries import Scored, evaluation_result, judgment_of, project_form_result, rubric_of


@dataclass(frozen=True)
class ProblemEntry:
    pk: int
    title: str
    text: str
    indicator_codes: tuple[str, ...]
    indicator_labels: tuple[str, ...]


@dataclass(frozen=True)
class SuggestionEntry:
    pk: int
    title: str
    text: str
    problem_pk: int | None
    problem_title: str


@dataclass(frozen=True)
class GoalEntry:
    level1: str
    level2: str
    level3: str
    value: str
    basis: str


@dataclass(frozen=True)
class ProjectPart:
    """A 项目支出绩效自评表 of the evaluation with the engine's result of its tree."""

    project: ProjectForm
    result: scoring.EvaluationResult


@dataclass(frozen=True)
class SurveyPart:
    """The survey data a report prints: the 基本信息表 facts and each questionnaire's result."""

    facts: object  # surveys.queries.SurveyFacts
    results: tuple  # ((Questionnaire, surveys.results.SurveyResult), ...)


@dataclass(frozen=True)
class ReportData:
    evaluation: Evaluation
    figures: fiscal.Figures
    ratios: dict[str, fiscal.Ratio]
    scored: Scored
    sections: dict[str, str]
    problems: tuple[ProblemEntry, ...] = ()
    suggestions: tuple[SuggestionEntry, ...] = ()
    goals: tuple[GoalEntry, ...] = ()
    surveys: SurveyPart | None = None
    lead_name: str = ""
    judgments: dict[str, Judgment] = field(default_factory=dict)
    form_texts: dict[str, str] = field(default_factory=dict)  # a department 自评表's own texts, when imported from one
    projects: tuple[ProjectPart, ...] = ()
    profile: profiles.Outline = field(default_factory=profiles.fallback_outline)

    @property
    def department(self):
        """The department as this evaluation holds it (``DepartmentFacts``), never the firm's list."""
        return self.evaluation.department_facts

    @property
    def signed(self) -> bool:
        return self.evaluation.is_signed


def stored_sections(evaluation: Evaluation) -> dict[str, str]:
    """The texts the team has saved, by section key (a missing key means "use the drafted default")."""
    return dict(Section.objects.filter(evaluation=evaluation).values_list("key", "text"))


def problems_of(evaluation: Evaluation) -> tuple[ProblemEntry, ...]:
    problems = Problem.objects.filter(evaluation=evaluation).prefetch_related(
        Prefetch("indicators", queryset=evaluation.indicators.model.objects.order_by("position"))
    )
    return tuple(
        ProblemEntry(
            problem.pk,
            problem.title,
            problem.text,
            tuple(indicator.code for indicator in problem.indicators.all()),
            tuple(f"{indicator.code}{indicator.name}" for indicator in problem.indicators.all()),
        )
        for problem in problems
    )


def suggestions_of(evaluation: Evaluation) -> tuple[SuggestionEntry, ...]:
    suggestions = Suggestion.objects.filter(evaluation=evaluation).select_related("problem")
    return tuple(
        SuggestionEntry(s.pk, s.title, s.text, s.problem_id, s.problem.title if s.problem else "") for s in suggestions
    )


def goals_of(evaluation: Evaluation) -> tuple[GoalEntry, ...]:
    return tuple(
        GoalEntry(row.level1, row.level2, row.level3, row.value, row.basis)
        for row in GoalRow.objects.filter(evaluation=evaluation)
    )


def survey_part(evaluation: Evaluation) -> SurveyPart | None:
    """The questionnaires' results, or ``None`` when the evaluation has none."""
    if not evaluation.questionnaires.exists():
        return None
    from surveys.queries import facts_from, survey_results

    rows = survey_results(evaluation)
    return SurveyPart(facts=facts_from(rows), results=tuple(rows))


def projects_of(evaluation: Evaluation) -> tuple[ProjectPart, ...]:
    """The evaluation's project forms, each scored by the engine."""
    return tuple(ProjectPart(project, project_form_result(project)) for project in evaluation.project_forms.all())


def lead_name(evaluation: Evaluation) -> str:
    """The 主评人's name (memberships are prefetched by the access helper)."""
    for membership in evaluation.memberships.all():
        if membership.role == TeamRole.LEAD:
            return membership.user.display_name
    return ""


#: Where an evaluation's profile comes from (shown beside the choice).
CHOSEN, BUREAU_DEFAULT, FALLBACK = "本项目选定", "委托单位的默认格式", "默认（财预〔2020〕10号参考提纲）"


def profile_of(evaluation: Evaluation) -> tuple[ReportProfile | None, str]:
    """The profile the evaluation's report follows and why, in one query: its own choice, else its bureau's
    default for the firm, else the firm's copy of the national reference outline (``None`` when the firm has
    none: the shipped one applies)."""
    chosen = Q(evaluations__evaluation_id=evaluation.pk)
    default = Q(bureau_defaults__firm_id=evaluation.firm_id, bureau_defaults__bureau_id=evaluation.bureau_id)
    reference = Q(firm_id=evaluation.firm_id, slug=profiles.FALLBACK_SLUG)
    candidates = ReportProfile.objects.filter(chosen | default | reference).annotate(
        rank=Case(
            When(chosen, then=Value(0)),
            When(default, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )
    best = candidates.order_by("rank").first()
    if best is None:
        return None, FALLBACK
    return best, (CHOSEN, BUREAU_DEFAULT, FALLBACK)[best.rank]


def outline_of(evaluation: Evaluation) -> profiles.Outline:
    profile, _ = profile_of(evaluation)
    return profile.outline if profile is not None else profiles.fallback_outline()


def report_data(evaluation: Evaluation) -> ReportData:
    figures = figures_for(evaluation)
    scored = evaluation_result(evaluation, figures)
    judgments = {row.code: judgment for row in scored.rows if (judgment := judgment_of(row)) is not None}
    return ReportData(
        evaluation=evaluation,
        figures=figures,
        ratios=fiscal.ratio_by_key(figures),
        scored=scored,
        sections=stored_sections(evaluation),
        problems=problems_of(evaluation),
        suggestions=suggestions_of(evaluation),
        goals=goals_of(evaluation),
        surveys=survey_part(evaluation),
        lead_name=lead_name(evaluation),
        judgments=judgments,
        form_texts=dict(rubric.form_texts) if (rubric := rubric_of(evaluation)) is not None else {},
        projects=projects_of(evaluation),
        profile=outline_of(evaluation),
    )
