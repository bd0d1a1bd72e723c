"""The bureau's delivery desk: what it receives of a signed evaluation and what it sends back.

The bureau sees the signed versions and their stored files (``reports.archive``),
the evidence the team marked 共享给委托单位, and nothing else of the workshop.
It confirms receipt of the current version and writes 意见, which the firm sees
on the evaluation's report page.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse

from evaluations.enums import TeamRole
from evaluations.models import Evaluation
from reports.archive import latest_version
from reports.enums import NotificationKind
from reports.models import BureauResponse, SignedVersion
from reports.notifications import notify
from rubrics.models import Evidence

OPINION_MAX_LENGTH = 5000


def _delivered(evaluation: Evaluation) -> SignedVersion:
    """The version the bureau has in hand: the latest signed one, while the evaluation is signed."""
    version = latest_version(evaluation) if evaluation.is_signed else None
    if version is None:
        raise ValidationError("报告尚未签发交付。")
    return version


def responses(evaluation: Evaluation) -> QuerySet[BureauResponse]:
    return BureauResponse.objects.filter(evaluation=evaluation).select_related("author").order_by("at", "pk")


def receipt_of(evaluation: Evaluation, version: int) -> BureauResponse | None:
    return responses(evaluation).filter(version=version, kind=BureauResponse.Kind.RECEIPT).first()


def confirm_receipt(evaluation: Evaluation, user) -> BureauResponse:
    """Record that the bureau received the current version (once per version; a second confirmation changes nothing)."""
    version = _delivered(evaluation).version
    existing = receipt_of(evaluation, version)
    if existing is not None:
        return existing
    return BureauResponse.objects.create(
        evaluation=evaluation, version=version, kind=BureauResponse.Kind.RECEIPT, author=user
    )


@transaction.atomic
def send_opinion(evaluation: Evaluation, user, text: str) -> BureauResponse:
    """A written 意见 on the current version, for the firm."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("请填写意见。")
    if len(text) > OPINION_MAX_LENGTH:
        raise ValidationError(f"意见不能超过{OPINION_MAX_LENGTH}字。")
    version = _delivered(evaluation).version
    opinion = BureauResponse.objects.create(
        evaluation=evaluation, version=version, kind=BureauResponse.Kind.OPINION, text=text, author=user
    )
    # the 项目负责人 who signed and the 主评人 who wrote the report
    answerable = [m.user for m in evaluation.memberships.all() if m.role in (TeamRole.REVIEWER, TeamRole.LEAD)]
    notify(answerable, kind=NotificationKind.OPINION, evaluation=evaluation,
           url=reverse("report_overview", args=[evaluation.pk]) + "#bureau-responses",
           message=f"{evaluation.bureau.name}对《{evaluation.title}》（第{version}版）提出了意见：{text}")
    return opinion


def shared_evidence(evaluation: Evaluation) -> QuerySet[Evidence]:
    """The working papers the team marked 共享给委托单位 (and did not remove), by indicator."""
    return (
        Evidence.objects.filter(indicator__evaluation=evaluation, shared_with_bureau=True, removed_at__isnull=True)
        .select_related("indicator")
        .order_by("indicator__position", "number")
    )
