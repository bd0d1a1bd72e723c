"""Every write to a questionnaire that has rules: create, copy, edit questions, counts, import, demo.

Each function runs in one transaction and raises ``ValidationError`` with
Chinese messages naming the question and the option; nothing is saved then.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from evalsite.lib.numbers import round_half_up
from evalsite.lib.text_limits import shortened, too_long
from evaluations.models import Evaluation
from evaluations.revisions import check_revision
from evaluations.services import refuse_if_locked
from surveys import limits, results, scale
from surveys.builtin import builtin
from surveys.models import Option, Question, Questionnaire
from surveys.queries import questionnaire_queryset, spec_of
from surveys.tally import Tally

DEMO_DIR = Path(settings.BASE_DIR) / "demo"
MAX_WEIGHT = Decimal(100)


@dataclass(frozen=True)
class OptionEntry:
    label: str
    weight: Decimal
    excluded: bool = False
    count: int = 0
    pk: int | None = None


@dataclass(frozen=True)
class QuestionEntry:
    title: str
    options: tuple[OptionEntry, ...] = field(default_factory=tuple)
    counted: bool = True
    pk: int | None = None
    multiple: bool = False
    answered: int | None = None

    @property
    def total(self) -> int:
        """The answers to the question: the option counts' sum, or a multiple-choice question's answers."""
        if self.multiple:
            return self.answered if self.answered is not None else max((o.count for o in self.options), default=0)
        return sum(o.count for o in self.options)


def standard_options(labels: Sequence[str] = scale.STANDARD_LABELS) -> tuple[OptionEntry, ...]:
    """Options weighted by position on the default scale (100, 80, 60, 40, 0, then 0)."""
    return tuple(
        OptionEntry(label, scale.default_weight(i), excluded=scale.level_of(label) == len(scale.LEVEL_WORDS))
        for i, label in enumerate(labels)
    )


# --------------------------------------------------------------------------
# Validation


def question_errors(number: int, entry: QuestionEntry) -> list[str]:
    errors: list[str] = []
    if not entry.title.strip():
        errors.append(f"第{number}题：题目不能为空")
    elif problem := too_long(entry.title.strip(), limits.QUESTION):
        errors.append(f"第{number}题：题目{problem}")
    if len(entry.options) < 2:
        errors.append(f"第{number}题：至少要有两个选项")
    seen: set[str] = set()
    for index, option in enumerate(entry.options):
        name = f"第{number}题选项{results.letter(index)}"
        if not option.label.strip():
            errors.append(f"{name}：选项文字不能为空")
            continue
        if problem := too_long(option.label.strip(), limits.OPTION):
            errors.append(f"{name}：选项文字{problem}")
            continue
        key = scale.option_key(option.label)
        if key in seen:
            errors.append(f"第{number}题：选项“{option.label}”重复")
        seen.add(key)
        if option.weight is None or not (Decimal(0) <= option.weight <= MAX_WEIGHT):
            errors.append(f"{name}“{option.label}”：权重应在0到100之间")
        elif option.weight != round_half_up(option.weight):
            errors.append(f"{name}“{option.label}”：权重最多两位小数")
        if option.count < 0:
            errors.append(f"{name}“{option.label}”：份数不能为负数")
    return errors


def count_errors(issued: int, returned: int, valid: int, totals: Iterable[tuple[int, int]]) -> list[str]:
    """``totals``: (question number, answers). A question may have fewer answers than valid questionnaires."""
    errors: list[str] = []
    if min(issued, returned, valid) < 0:
        errors.append("发放、回收、有效问卷份数不能为负数")
    if returned > issued:
        errors.append(f"回收问卷（{returned}份）不能多于发放问卷（{issued}份）")
    if valid > returned:
        errors.append(f"有效问卷（{valid}份）不能多于回收问卷（{returned}份）")
    for number, total in totals:
        if total > valid:
            errors.append(f"第{number}题合计{total}份，多于有效问卷{valid}份：请核对份数，或修改有效问卷份数")
    return errors


def rate_errors(stated_rate: Decimal | None) -> list[str]:
    """The satisfaction rate of a questionnaire known by its totals: a percentage with at most two decimals."""
    if stated_rate is None:
        return ["请填写满意度（百分数，如 100 表示100%）"]
    if not (Decimal(0) <= stated_rate <= Decimal(100)):
        return [f"满意度应在0到100之间（填写的是{stated_rate}）"]
    if stated_rate != stated_rate.quantize(Decimal("0.01")):
        return ["满意度最多两位小数"]
    return []


def refuse_if_totals_only(questionnaire: Questionnaire) -> None:
    if questionnaire.totals_only:
        raise ValidationError(
            f"“{questionnaire.group}”是仅有汇总数的问卷，没有题目和份数；有各题份数时请新建问卷或导入答卷。"
        )


def _raise(errors: list[str]) -> None:
    if errors:
        raise ValidationError(errors)


def _check_group(evaluation: Evaluation, group: str, exclude_pk: int | None = None) -> str:
    group = group.strip()
    if not group:
        raise ValidationError("调查对象不能为空（如：企业和办事群众）")
    if problem := too_long(group, limits.GROUP):
        raise ValidationError(f"调查对象{problem}")
    if Questionnaire.objects.filter(evaluation=evaluation, group=group).exclude(pk=exclude_pk).exists():
        raise ValidationError(f"本项目已有调查对象为“{group}”的问卷")
    return group


# --------------------------------------------------------------------------
# Writes


def _create_question(questionnaire: Questionnaire, position: int, entry: QuestionEntry) -> Question:
    question = Question.objects.create(
        questionnaire=questionnaire, position=position, title=entry.title.strip(),
        counted=entry.counted and not entry.multiple, multiple=entry.multiple, answered=entry.answered,
    )
    bulk_create_with_history(
        [
            Option(question=question, position=i, label=o.label.strip(), weight=o.weight, excluded=o.excluded, count=o.count)
            for i, o in enumerate(entry.options, start=1)
        ],
        Option,
    )
    return question


def _next_revision(questionnaire: Questionnaire) -> None:
    """A change the counts form depends on (its questions, options or counts) moves the questionnaire's revision."""
    Questionnaire.objects.filter(pk=questionnaire.pk).update(revision=F("revision") + 1)
    questionnaire.revision = Questionnaire.objects.values_list("revision", flat=True).get(pk=questionnaire.pk)


@transaction.atomic
def create_questionnaire(
    evaluation: Evaluation,
    *,
    group: str,
    title: str = "",
    mode: str = "",
    method: str = results.WEIGHTED,
    aggregation: str = results.MEAN,
    questions: Sequence[QuestionEntry] = (),
    issued: int = 0,
    returned: int = 0,
    valid: int = 0,
    source: str = "",
    totals_only: bool = False,
    stated_rate: Decimal | None = None,
) -> Questionnaire:
    """A new questionnaire; ``totals_only`` makes one known only by its totals (no questions, a stated rate,
    which may still be missing right after creation)."""
    refuse_if_locked(evaluation)
    group = _check_group(evaluation, group)
    errors = [e for n, q in enumerate(questions, start=1) for e in question_errors(n, q)]
    errors += count_errors(issued, returned, valid, [(n, q.total) for n, q in enumerate(questions, start=1)])
    if totals_only and questions:
        errors.append("仅有汇总数的问卷没有题目")
    if totals_only and stated_rate is not None:
        errors += rate_errors(stated_rate)
    _raise(errors)
    last = Questionnaire.objects.filter(evaluation=evaluation).aggregate(last=Max("position"))["last"] or 0
    questionnaire = Questionnaire(
        evaluation=evaluation, group=group, title=title.strip(), mode=mode.strip(), method=method,
        aggregation=aggregation, issued=issued, returned=returned, valid=valid, source=source, position=last + 1,
        totals_only=totals_only, stated_rate=stated_rate if totals_only else None,
    )
    questionnaire.full_clean(exclude=["evaluation"], validate_unique=False)
    questionnaire.save()
    for position, entry in enumerate(questions, start=1):
        _create_question(questionnaire, position, entry)
    return questionnaire


def entries_from_data(questions: list[dict]) -> list[QuestionEntry]:
    """Question entries from the JSON shape of the built-in and demo files."""
    return [
        QuestionEntry(
            q["title"],
            tuple(
                OptionEntry(o["label"], Decimal(o["weight"]), bool(o.get("excluded")), int(o.get("count", 0)))
                for o in q["options"]
            ),
            bool(q.get("counted", True)),
        )
        for q in questions
    ]


def copy_builtin(evaluation: Evaluation, key: str, *, group: str | None = None, title: str | None = None) -> Questionnaire:
    """A ready-made questionnaire copied into the evaluation, counts at zero."""
    template = builtin(key).data
    group = (group or "").strip() or template["group"]
    if title is None:
        title = template["title"] if group == template["group"] else ""
    return create_questionnaire(
        evaluation,
        group=group,
        title=title,
        mode=template.get("mode", ""),
        method=template["method"],
        aggregation=template["aggregation"],
        questions=entries_from_data(template["questions"]),
    )


@transaction.atomic
def save_settings(questionnaire: Questionnaire, *, group: str, title: str, mode: str, method: str, aggregation: str) -> None:
    refuse_if_locked(questionnaire.evaluation)
    questionnaire.group = _check_group(questionnaire.evaluation, group, exclude_pk=questionnaire.pk)
    questionnaire.title = title.strip()
    questionnaire.mode = mode.strip()
    questionnaire.method = method
    questionnaire.aggregation = aggregation
    questionnaire.full_clean(exclude=["evaluation"], validate_unique=False)
    questionnaire.save()


@transaction.atomic
def save_structure(questionnaire: Questionnaire, questions: Sequence[QuestionEntry]) -> None:
    """Make the questions and options exactly ``questions``, in that order.

    Entries with a ``pk`` update that question/option (its count is kept);
    entries without create one; questions left out are deleted with their
    counts; an option left out is deleted only while nobody chose it.
    """
    refuse_if_locked(questionnaire.evaluation)
    refuse_if_totals_only(questionnaire)
    Questionnaire.objects.select_for_update().filter(pk=questionnaire.pk).first()
    current = {q.pk: q for q in Question.objects.filter(questionnaire=questionnaire).prefetch_related("options")}
    errors: list[str] = []
    for number, entry in enumerate(questions, start=1):
        if entry.pk is not None and entry.pk not in current:
            errors.append(f"第{number}题已被删除或不属于本问卷，请刷新页面后再修改")
            continue
        existing = {o.pk: o for o in current[entry.pk].options.all()} if entry.pk else {}
        errors += question_errors(number, entry)
        listed = {o.pk for o in entry.options if o.pk is not None}
        if listed - set(existing):
            errors.append(f"第{number}题有选项已被删除，请刷新页面后再修改")
        for option in existing.values():
            if option.pk not in listed and option.count:
                errors.append(
                    f"第{number}题选项“{option.label}”已有{option.count}份回答，不能删除；请先在“录入份数”中改为0"
                )
    _raise(errors)
    listed_questions = {entry.pk for entry in questions if entry.pk is not None}
    Question.objects.filter(questionnaire=questionnaire).exclude(pk__in=listed_questions).delete()
    for position, entry in enumerate(questions, start=1):
        if entry.pk is None:
            _create_question(questionnaire, position, entry)
            continue
        question = current[entry.pk]
        question.position, question.title, question.counted = position, entry.title.strip(), entry.counted
        question.save(update_fields=["position", "title", "counted"])
        keep = {o.pk for o in entry.options if o.pk is not None}
        question.options.exclude(pk__in=keep).delete()
        existing = {o.pk: o for o in question.options.all()}
        for index, option_entry in enumerate(entry.options, start=1):
            if option_entry.pk is None:
                Option.objects.create(
                    question=question, position=index, label=option_entry.label.strip(),
                    weight=option_entry.weight, excluded=option_entry.excluded,
                )
            else:
                option = existing[option_entry.pk]
                option.position, option.label = index, option_entry.label.strip()
                option.weight, option.excluded = option_entry.weight, option_entry.excluded
                option.save(update_fields=["position", "label", "weight", "excluded"])
    _next_revision(questionnaire)
    questionnaire.save(update_fields=["updated_at"])


@transaction.atomic
def add_question(questionnaire: Questionnaire, entry: QuestionEntry) -> Question:
    refuse_if_locked(questionnaire.evaluation)
    refuse_if_totals_only(questionnaire)
    number = Question.objects.filter(questionnaire=questionnaire).count() + 1
    _raise(question_errors(number, entry))
    last = Question.objects.filter(questionnaire=questionnaire).aggregate(last=Max("position"))["last"] or 0
    question = _create_question(questionnaire, last + 1, entry)
    _next_revision(questionnaire)
    questionnaire.save(update_fields=["updated_at"])
    return question


@transaction.atomic
def save_counts(
    questionnaire: Questionnaire, counts: dict[int, int], *, issued: int, returned: int, valid: int,
    source: str = "手工录入", base_revision: int | None = None,
) -> None:
    """Store every option's count and the 发放/回收/有效 numbers; ``counts`` maps option pk → count.

    The counts form passes the revision it was loaded with (``base_revision``):
    a save based on an older one is refused with
    :class:`~evaluations.revisions.EditConflict`, checked under a row lock.
    Only what changed is stored (and recorded in the history); a save that
    changes nothing stores nothing.
    """
    refuse_if_locked(questionnaire.evaluation)
    refuse_if_totals_only(questionnaire)
    stored = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    check_revision(f"问卷“{stored.group}”的份数", stored, stored.revision, base_revision)
    questions = list(Question.objects.filter(questionnaire=questionnaire).prefetch_related("options"))
    options = {o.pk: (number, q, o) for number, q in enumerate(questions, start=1) for o in q.options.all()}
    errors: list[str] = []
    unknown = set(counts) - set(options)
    if unknown:
        errors.append("有选项已被删除或不属于本问卷，请刷新页面后再录入")
    totals: dict[int, int] = {}
    changed: list[Option] = []
    for pk, (number, question, option) in options.items():
        value = counts.get(pk, option.count)
        if value is None or value < 0:
            errors.append(f"第{number}题选项“{option.label}”：份数不能为负数")
            value = 0
        if value != option.count:
            option.count = value
            changed.append(option)
        if question.multiple:  # several options per answer: no option is chosen more often than answers exist
            totals[number] = max(totals.get(number, 0), value)
        else:
            totals[number] = totals.get(number, 0) + value
    errors += count_errors(issued, returned, valid, sorted(totals.items()))
    _raise(errors)
    figures = {"issued": issued, "returned": returned, "valid": valid}
    if not changed and all(getattr(stored, name) == value for name, value in figures.items()):
        return  # nothing changed: nothing stored, no history entry
    bulk_update_with_history(changed, Option, ["count"])
    for name, value in {**figures, "source": source, "revision": stored.revision + 1}.items():
        setattr(stored, name, value)
        setattr(questionnaire, name, value)
    stored.save(update_fields=["issued", "returned", "valid", "source", "revision", "updated_at"])


@transaction.atomic
def save_totals(
    questionnaire: Questionnaire, *, issued: int, returned: int, valid: int, stated_rate: Decimal | None,
    source: str = "手工录入汇总数",
) -> None:
    """The 发放/回收/有效 numbers and the stated satisfaction of a questionnaire known only by its totals."""
    refuse_if_locked(questionnaire.evaluation)
    if not questionnaire.totals_only:
        raise ValidationError("这份问卷有题目，份数请逐项录入，满意度由份数计算。")
    _raise(count_errors(issued, returned, valid, []) + rate_errors(stated_rate))
    questionnaire.issued, questionnaire.returned, questionnaire.valid = issued, returned, valid
    questionnaire.stated_rate = stated_rate
    questionnaire.source = source.strip() or "手工录入汇总数"
    questionnaire.full_clean(exclude=["evaluation"], validate_unique=False)
    questionnaire.save(update_fields=["issued", "returned", "valid", "stated_rate", "source", "updated_at"])


def same_structure(spec: results.SurveySpec, tally: Tally) -> bool:
    if len(spec.questions) != len(tally.questions):
        return False
    for question, tallied in zip(spec.questions, tally.questions, strict=True):
        if scale.title_key(question.title) != scale.title_key(tallied.title):
            return False
        if [scale.option_key(o.label) for o in question.options] != [scale.option_key(o.label) for o in tallied.options]:
            return False
    return True


@transaction.atomic
def apply_tally(evaluation: Evaluation, group: str, tally: Tally, *, source: str = "") -> Questionnaire:
    """Store imported respondent rows: into the group's questionnaire, or a new one inferred from the file.

    The counts replace the questionnaire's counts (importing the same file
    twice gives the same result); valid = the respondents, 回收 and 发放 are
    raised to at least that.
    """
    refuse_if_locked(evaluation)
    group = group.strip()
    source = shortened(source, limits.SOURCE)
    questionnaire = questionnaire_queryset(evaluation).select_for_update(of=("self",)).filter(group=group).first()
    valid = tally.respondents
    if questionnaire is None:
        if not tally.creates:
            raise ValidationError(f"问卷“{group}”已不存在，请重新上传文件")
        questions = [
            QuestionEntry(
                q.title, tuple(OptionEntry(o.label, o.weight, o.excluded, o.count) for o in q.options), q.counted,
                multiple=q.multiple, answered=q.answered if q.multiple else None,
            )
            for q in tally.questions
        ]
        return create_questionnaire(
            evaluation, group=group, title=f"{group}满意度调查", questions=questions,
            issued=valid, returned=valid, valid=valid, source=source,
        )
    refuse_if_totals_only(questionnaire)
    if tally.creates or not same_structure(spec_of(questionnaire), tally):
        raise ValidationError("问卷的题目或选项在预览后已修改，请重新上传文件")
    options = [o for q in questionnaire.questions.all() for o in q.options.all()]
    for option, tallied in zip(options, (o for q in tally.questions for o in q.options), strict=True):
        option.count = tallied.count
    bulk_update_with_history(options, Option, ["count"])
    multiple = []
    for question, tallied in zip(questionnaire.questions.all(), tally.questions, strict=True):
        if question.multiple:
            question.answered = tallied.answered
            multiple.append(question)
    Question.objects.bulk_update(multiple, ["answered"])
    questionnaire.valid = valid
    questionnaire.returned = max(questionnaire.returned, valid)
    questionnaire.issued = max(questionnaire.issued, questionnaire.returned)
    questionnaire.source = source
    questionnaire.revision += 1
    questionnaire.save(update_fields=["issued", "returned", "valid", "source", "revision", "updated_at"])
    return questionnaire


@transaction.atomic
def delete_questionnaire(questionnaire: Questionnaire) -> None:
    refuse_if_locked(questionnaire.evaluation)
    questionnaire.delete()


# --------------------------------------------------------------------------
# Demo


def read_demo_surveys(name: str = "yanjin_2022") -> dict:
    return json.loads((DEMO_DIR / f"{name}_surveys.json").read_text(encoding="utf-8"))


@transaction.atomic
def load_demo_surveys(evaluation: Evaluation, name: str = "yanjin_2022") -> list[Questionnaire]:
    """A demo evaluation's questionnaires (``demo/<name>_surveys.json``): seed 002's two with their counts,
    seed 000's known only by its totals.

    Idempotent: a questionnaire of the same group is restored to the data
    (same pk, questions and counts replaced); others are left alone.
    """
    data = read_demo_surveys(name)
    loaded = []
    for survey in data["surveys"]:
        questions = entries_from_data(survey.get("questions", []))
        fields = {
            "title": survey["title"], "mode": survey["mode"], "method": survey.get("method", results.WEIGHTED),
            "aggregation": survey.get("aggregation", results.MEAN), "issued": survey["issued"],
            "returned": survey["returned"], "valid": survey["valid"],
            "source": survey.get("source") or data.get("loaded_as", "演示数据：seed 002 附件2"),
            "totals_only": bool(survey.get("totals_only")),
            "stated_rate": Decimal(survey["stated_rate"]) if survey.get("stated_rate") is not None else None,
        }
        questionnaire = Questionnaire.objects.filter(evaluation=evaluation, group=survey["group"]).first()
        if questionnaire is None:
            questionnaire = create_questionnaire(evaluation, group=survey["group"], questions=questions, **fields)
        else:
            for field_name, value in fields.items():
                setattr(questionnaire, field_name, value)
            questionnaire.revision += 1  # restored: a counts form loaded before is out of date
            questionnaire.save()
            questionnaire.questions.all().delete()
            for position, entry in enumerate(questions, start=1):
                _create_question(questionnaire, position, entry)
        loaded.append(questionnaire)
    return loaded
