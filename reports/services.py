"""Writes with rules: narrative texts, problems, suggestions and the declared goals.

Every text is checked for placeholders the evaluation does not know (the
error names them); a signed-off evaluation refuses every change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from evalsite.lib.text_limits import too_long
from evaluations.models import Evaluation
from evaluations.services import refuse_if_locked
from reports import narrative
from reports.enums import SectionKey
from reports.models import GoalRow, Problem, Section, Suggestion
from reports.placeholder_values import placeholder_names
from reports.placeholders import unknown_message, unknown_names
from rubrics.models import Indicator

MAX_TEXT = 100_000


def known_names(evaluation: Evaluation) -> set[str]:
    return placeholder_names(
        evaluation.indicators.values_list("code", flat=True),
        evaluation.questionnaires.values_list("group", flat=True),
    )


def check_text(evaluation: Evaluation, text: str, *, known: set[str] | None = None) -> str:
    """The text cleaned of control characters; ValidationError naming unknown placeholders or excess length."""
    text = narrative.clean(text)
    if len(text) > MAX_TEXT:
        raise ValidationError(f"文字过长：{len(text)}字，最多{MAX_TEXT}字。")
    unknown = unknown_names(text, known if known is not None else known_names(evaluation))
    if unknown:
        raise ValidationError(unknown_message(unknown))
    return text


@transaction.atomic
def save_section(evaluation: Evaluation, key: str, text: str, user=None) -> Section:
    refuse_if_locked(evaluation)
    key = SectionKey(key)
    text = check_text(evaluation, text)
    section, _ = Section.objects.update_or_create(
        evaluation=evaluation, key=key, defaults={"text": text, "updated_by": user}
    )
    return section


@transaction.atomic
def reset_section(evaluation: Evaluation, key: str) -> None:
    """Back to the drafted default text."""
    refuse_if_locked(evaluation)
    Section.objects.filter(evaluation=evaluation, key=SectionKey(key)).delete()


def _indicators_of(evaluation: Evaluation, indicators: Iterable[Indicator]) -> list[Indicator]:
    chosen = list(indicators)
    foreign = [indicator for indicator in chosen if indicator.evaluation_id != evaluation.pk]
    if foreign:
        raise ValidationError("只能关联本评价项目的指标。")
    return chosen


def _next_position(queryset) -> int:
    last = queryset.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def save_problem(
    evaluation: Evaluation, *, title: str, text: str, indicators: Iterable[Indicator] = (), problem: Problem | None = None
) -> Problem:
    refuse_if_locked(evaluation)
    known = known_names(evaluation)
    title = check_text(evaluation, title, known=known).strip()
    if not title:
        raise ValidationError("请填写问题。")
    text = check_text(evaluation, text, known=known)
    chosen = _indicators_of(evaluation, indicators)
    if problem is None:
        problem = Problem(evaluation=evaluation, position=_next_position(Problem.objects.filter(evaluation=evaluation)))
    elif problem.evaluation_id != evaluation.pk:
        raise ValidationError("问题不属于本评价项目。")
    problem.title, problem.text = title, text
    problem.save()
    problem.indicators.set(chosen)
    return problem


@transaction.atomic
def delete_problem(evaluation: Evaluation, problem: Problem) -> None:
    refuse_if_locked(evaluation)
    if problem.evaluation_id != evaluation.pk:
        raise ValidationError("问题不属于本评价项目。")
    problem.delete()


@transaction.atomic
def save_suggestion(
    evaluation: Evaluation, *, title: str, text: str, problem: Problem | None = None, suggestion: Suggestion | None = None
) -> Suggestion:
    refuse_if_locked(evaluation)
    known = known_names(evaluation)
    title = check_text(evaluation, title, known=known).strip()
    if not title:
        raise ValidationError("请填写建议。")
    text = check_text(evaluation, text, known=known)
    if problem is not None and problem.evaluation_id != evaluation.pk:
        raise ValidationError("只能针对本评价项目的问题提出建议。")
    if suggestion is None:
        suggestion = Suggestion(
            evaluation=evaluation, position=_next_position(Suggestion.objects.filter(evaluation=evaluation))
        )
    elif suggestion.evaluation_id != evaluation.pk:
        raise ValidationError("建议不属于本评价项目。")
    suggestion.title, suggestion.text, suggestion.problem = title, text, problem
    suggestion.save()
    return suggestion


@transaction.atomic
def delete_suggestion(evaluation: Evaluation, suggestion: Suggestion) -> None:
    refuse_if_locked(evaluation)
    if suggestion.evaluation_id != evaluation.pk:
        raise ValidationError("建议不属于本评价项目。")
    suggestion.delete()


@dataclass(frozen=True)
class GoalLine:
    level1: str
    level2: str
    level3: str
    value: str
    basis: str = ""


GOAL_COLUMNS = 5


def parse_goal_lines(text: str) -> list[GoalLine]:
    """One row per line, columns separated by tabs (pasted from Excel) or by ``|``; at most five columns."""
    rows = []
    problems = []
    for number, raw in enumerate(narrative.clean(text).split("\n"), start=1):
        if not raw.strip():
            continue
        parts = [part.strip() for part in (raw.split("\t") if "\t" in raw else raw.split("|"))]
        if len(parts) > GOAL_COLUMNS:
            problems.append(f"第{number}行有{len(parts)}列，最多{GOAL_COLUMNS}列（一级指标、二级指标、三级指标、指标值、指标设定依据）。")
            continue
        parts += [""] * (GOAL_COLUMNS - len(parts))
        if not parts[2]:
            problems.append(f"第{number}行缺少三级指标。")
            continue
        line = GoalLine(*parts)
        long = [
            f"第{number}行“{field.verbose_name}”{problem}。"
            for field in (GoalRow._meta.get_field(name) for name in line.__dict__)
            if (problem := too_long(getattr(line, field.name), field.max_length))
        ]
        problems += long
        if not long:
            rows.append(line)
    if problems:
        raise ValidationError(problems)
    return rows


@transaction.atomic
def save_goals(evaluation: Evaluation, lines: Sequence[GoalLine]) -> int:
    """Replace the declared goals with ``lines`` (in order)."""
    refuse_if_locked(evaluation)
    GoalRow.objects.filter(evaluation=evaluation).delete()
    rows = [GoalRow(evaluation=evaluation, position=index, **line.__dict__) for index, line in enumerate(lines, start=1)]
    bulk_create_with_history(rows, GoalRow)
    return len(lines)


def goals_as_text(evaluation: Evaluation) -> str:
    return "\n".join(
        "\t".join((row.level1, row.level2, row.level3, row.value, row.basis)).rstrip("\t")
        for row in GoalRow.objects.filter(evaluation=evaluation)
    )
