"""复核意见: a reviewer's note on an indicator, a report section, a budget table or a questionnaire.

A reviewer (``Capability.COMMENT``) opens a note on a target (a kind and a
key), the team answers in its thread (``Capability.REPLY_COMMENT``), a
reviewer closes it. Open notes block sign-off (``reports.checks.open_comments``).
Each note keeps the version it was written on. Nothing is written once the
evaluation is signed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from evalsite.lib.text_limits import NOTE, NUL_PROBLEM, text_problem
from evaluations.enums import EvaluationStatus
from evaluations.models import Evaluation
from evaluations.permissions import Capability, capabilities_of, only_holders
from evaluations.services import SIGNED_MESSAGE, current_status
from reports.enums import BUDGET_TABLES, REPORT_PARTS, CommentTarget, NotificationKind, SectionKey
from reports.models import CommentReply, ReviewComment
from reports.notifications import notify
from rubrics.models import Indicator
from surveys.models import Questionnaire


@dataclass(frozen=True)
class Target:
    kind: str
    key: str
    label: str


def section_targets() -> list[tuple[str, str]]:
    """The report's parts a note may point at: every narrative section, then the lists."""
    return [*SectionKey.choices, *REPORT_PARTS.items()]


def resolve_target(evaluation: Evaluation, kind: str, key: str) -> Target:
    """The target named by ``kind`` and ``key`` on this evaluation, with its label; ValidationError if none."""
    key = (key or "").strip()
    label = None
    if kind == CommentTarget.INDICATOR:
        indicator = Indicator.objects.filter(evaluation=evaluation, code=key).first()
        label = f"{indicator.code}{indicator.name}" if indicator else None
    elif kind == CommentTarget.SECTION:
        label = dict(section_targets()).get(key)
    elif kind == CommentTarget.BUDGET:
        label = BUDGET_TABLES.get(key)
    elif kind == CommentTarget.SURVEY:
        questionnaire = (
            Questionnaire.objects.filter(evaluation=evaluation, pk=key).first() if key.isdigit() else None
        )
        label = f"{questionnaire.group}问卷" if questionnaire else None
    if label is None:
        raise ValidationError("请选择复核意见针对的指标、报告章节、预算表或问卷。")
    return Target(kind, key, label)


def target_url(comment: ReviewComment) -> str:
    """Where the note's target is shown (and fixed)."""
    pk, key = comment.evaluation_id, comment.target_key
    if comment.target_kind == CommentTarget.INDICATOR:
        return reverse("judgment_edit", args=[pk, key])
    if comment.target_kind == CommentTarget.SECTION:
        anchor = "problems" if key == "problems" else "suggestions" if key == "suggestions" else f"section-{key}"
        return reverse("report_overview", args=[pk]) + f"#{anchor}"
    if comment.target_kind == CommentTarget.BUDGET:
        return reverse("budget_detail", args=[pk]) + f"#table-{key}"
    return reverse("survey_detail", args=[pk, key])


def _clean(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError("请填写内容。")
    if problem := text_problem(text, NOTE):
        raise ValidationError(f"内容{problem}。" if problem == NUL_PROBLEM else f"{problem}。")
    return text


def _require(user, evaluation: Evaluation, capability: Capability) -> None:
    if current_status(evaluation) == EvaluationStatus.SIGNED:
        raise ValidationError(SIGNED_MESSAGE)
    if capability not in capabilities_of(user, evaluation):
        raise ValidationError(only_holders(capability))


@transaction.atomic
def open_comment(evaluation: Evaluation, user, *, kind: str, key: str, text: str) -> ReviewComment:
    _require(user, evaluation, Capability.COMMENT)
    target = resolve_target(evaluation, kind, key)
    return ReviewComment.objects.create(
        evaluation=evaluation,
        version=evaluation.version,
        target_kind=target.kind,
        target_key=target.key,
        target_label=target.label,
        text=_clean(text),
        author=user,
    )


@transaction.atomic
def answer_comment(comment: ReviewComment, user, text: str) -> CommentReply:
    evaluation = comment.evaluation
    _require(user, evaluation, Capability.REPLY_COMMENT)
    if not comment.is_open:
        raise ValidationError("这条复核意见已关闭，不能再回复。")
    answer = CommentReply.objects.create(comment=comment, author=user, text=_clean(text))
    participants = [comment.author, *(r.author for r in comment.replies.select_related("author"))]
    notify(
        participants, kind=NotificationKind.ANSWERED, evaluation=evaluation, exclude=user,
        url=reverse("review_comments", args=[evaluation.pk]) + f"#comment-{comment.pk}",
        message=f"{user.display_name}回复了关于“{comment.target_label}”的复核意见：{answer.text[:80]}",
    )
    return answer


@transaction.atomic
def close_comment(comment: ReviewComment, user) -> ReviewComment:
    _require(user, comment.evaluation, Capability.COMMENT)
    if not comment.is_open:
        raise ValidationError("这条复核意见已经关闭。")
    comment.closed_by, comment.closed_at = user, timezone.now()
    comment.save(update_fields=["closed_by", "closed_at"])
    return comment


# ---------------------------------------------------------------------------
# Reads


def comments_of(evaluation: Evaluation) -> QuerySet[ReviewComment]:
    """The evaluation's notes, open first, with authors and threads (three queries)."""
    return (
        ReviewComment.objects.filter(evaluation=evaluation)
        .select_related("author", "closed_by")
        .prefetch_related(Prefetch("replies", queryset=CommentReply.objects.select_related("author")))
        .order_by("closed_at", "-version", "created_at", "pk")
    )


def open_counts(evaluations) -> dict[int, int]:
    """Evaluation pk → number of open notes, for a list of evaluations (one query)."""
    rows = (
        ReviewComment.objects.filter(evaluation__in=evaluations)
        .values("evaluation")
        .annotate(open=Count("pk", filter=Q(closed_at__isnull=True)))
    )
    return {row["evaluation"]: row["open"] for row in rows if row["open"]}
