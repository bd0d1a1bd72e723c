"""Reusable reads: an evaluation's questionnaires as the pure ``results`` shapes.

The functions other apps use:

* :func:`composite_rates` — group name → composite satisfaction (%, full
  precision, ``None`` when it cannot be computed), for indicator bindings
  (``{"survey": "<group>"}``);
* :func:`survey_facts` — the 基本信息表 figures (发放调查问卷, 回收有效问卷,
  满意度情况) and each group's composite;
* :func:`survey_results` — every questionnaire with its computed result
  (the 附件2 tables, the method text).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from evalsite.lib.numbers import format_percent
from evaluations.history import SHOWN, Change, changes_of, newest_first
from evaluations.models import Evaluation
from surveys import results
from surveys.models import Option, Question, Questionnaire


def with_questions(queryset: QuerySet[Questionnaire]) -> QuerySet[Questionnaire]:
    """Questions and options prefetched: three queries however many questionnaires."""
    return queryset.prefetch_related(Prefetch("questions", queryset=Question.objects.prefetch_related("options")))


def questionnaire_queryset(evaluation: Evaluation) -> QuerySet[Questionnaire]:
    """The evaluation's questionnaires in order, with questions and options."""
    return with_questions(Questionnaire.objects.filter(evaluation=evaluation))


def spec_of(questionnaire: Questionnaire) -> results.SurveySpec:
    """The questionnaire as the engine's input (uses prefetched questions and options when present)."""
    return results.SurveySpec(
        group=questionnaire.group,
        title=questionnaire.display_title,
        questions=tuple(
            results.QuestionSpec(
                question.title,
                tuple(
                    results.OptionSpec(option.label, option.weight, option.count, option.excluded)
                    for option in question.options.all()
                ),
                question.counted and not question.multiple,
                question.multiple,
                question.answered,
            )
            for question in questionnaire.questions.all()
        ),
        method=questionnaire.method,
        aggregation=questionnaire.aggregation,
        issued=questionnaire.issued,
        returned=questionnaire.returned,
        valid=questionnaire.valid,
        totals_only=questionnaire.totals_only,
        stated_rate=questionnaire.stated_rate,
    )


def result_of(questionnaire: Questionnaire) -> results.SurveyResult:
    return results.compute(spec_of(questionnaire))


def survey_results(evaluation: Evaluation) -> list[tuple[Questionnaire, results.SurveyResult]]:
    """Every questionnaire with its result; uses questionnaires prefetched by :func:`prefetch_questionnaires`."""
    if "questionnaires" in getattr(evaluation, "_prefetched_objects_cache", {}):
        questionnaires = evaluation.questionnaires.all()
    else:
        questionnaires = questionnaire_queryset(evaluation)
    return [(q, result_of(q)) for q in questionnaires]


def prefetch_questionnaires() -> Prefetch:
    """For a list of evaluations: questionnaires, questions and options in three queries."""
    return Prefetch("questionnaires", queryset=with_questions(Questionnaire.objects.all()))


def composite_rates(evaluation: Evaluation) -> dict[str, Decimal | None]:
    """Group name → the questionnaire's composite satisfaction rate in %, full precision (round for display);
    a questionnaire known only by its totals gives its stated rate."""
    return {questionnaire.group: result.composite for questionnaire, result in survey_results(evaluation)}


@dataclass(frozen=True)
class GroupFact:
    group: str
    title: str
    issued: int
    returned: int
    valid: int
    composite: Decimal | None
    method_label: str
    method_text: str
    totals_only: bool = False

    @property
    def composite_text(self) -> str:
        return format_percent(self.composite)


@dataclass(frozen=True)
class SurveyFacts:
    """The survey lines of the 基本信息表: totals over the questionnaires and each group's rate."""

    issued: int
    returned: int
    valid: int
    groups: tuple[GroupFact, ...]

    @property
    def has_surveys(self) -> bool:
        return bool(self.groups)

    @property
    def satisfaction_text(self) -> str:
        """``90.43%`` for one questionnaire; ``企业和办事群众90.43%，大厅入驻单位工作人员97.88%`` for several."""
        if not self.groups:
            return "—"
        if len(self.groups) == 1:
            return self.groups[0].composite_text
        return "，".join(f"{g.group}{g.composite_text}" for g in self.groups)


def survey_facts(evaluation: Evaluation) -> SurveyFacts:
    """发放调查问卷 = Σ issued, 回收有效问卷 = Σ valid, 满意度情况 = each group's composite."""
    return facts_from(survey_results(evaluation))


def facts_from(rows: list[tuple[Questionnaire, results.SurveyResult]]) -> SurveyFacts:
    groups = tuple(
        GroupFact(
            group=q.group,
            title=q.display_title,
            issued=r.issued,
            returned=r.returned,
            valid=r.valid,
            composite=r.composite,
            method_label=r.method_label,
            method_text=r.method_text,
            totals_only=r.totals_only,
        )
        for q, r in rows
    )
    return SurveyFacts(
        issued=sum(g.issued for g in groups),
        returned=sum(g.returned for g in groups),
        valid=sum(g.valid for g in groups),
        groups=groups,
    )


QUESTIONNAIRE_HISTORY_FIELDS = ("group", "title", "mode", "method", "aggregation", "issued", "returned", "valid", "source")
OPTION_HISTORY_FIELDS = ("label", "weight", "excluded", "count")


def questionnaire_history(questionnaire: Questionnaire) -> list[Change]:
    """Every stored change of the questionnaire's settings, totals and option counts, newest first (team only)."""
    numbers = {q.pk: (n, q.title) for n, q in enumerate(questionnaire.questions.all(), start=1)}

    def option_subject(record) -> str:
        number, title = numbers.get(record.question_id, (None, ""))
        where = f"第{number}题“{title[:20]}”" if number else "已删除的题目"
        return f"{where}选项“{record.label}”"

    return newest_first(
        changes_of(Questionnaire.history.filter(id=questionnaire.pk), QUESTIONNAIRE_HISTORY_FIELDS, lambda r: "问卷"),
        changes_of(Option.history.filter(question_id__in=list(numbers)), OPTION_HISTORY_FIELDS, option_subject),
    )[:SHOWN]
