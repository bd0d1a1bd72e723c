"""审核与签发: the review page, the workflow steps, the 复核意见 and the notifications.

Each step has its own URL and declares the capability it needs; the step
itself (and every rule about who and when) is ``reports.workflow.take_step``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from evaluations.enums import EvaluationStatus
from evaluations.permissions import Capability, get_evaluation_for_user
from reports import comments as review_comments_service
from reports import notifications
from reports.checks import Stage, bureau_checklist, check_context, run_checks
from reports.enums import Step
from reports.forms import StepForm
from reports.models import Notification, ReviewComment, TransitionEvent
from reports.workflow import (
    TRANSITIONS,
    TransitionRefused,
    level_label,
    level_role,
    refusal,
    review_levels,
    take_step,
)


def _stage(evaluation) -> str | None:
    if evaluation.status in (EvaluationStatus.DRAFT, EvaluationStatus.SCORING):
        return Stage.SUBMIT
    if evaluation.status == EvaluationStatus.REVIEW:
        return Stage.SIGN_OFF
    return None


def _steps(evaluation, user) -> list[dict]:
    """The steps the user's capabilities allow from this state, each with the reason it is refused (if it is)."""
    return [
        {"step": step, "rule": rule, "refusal": refusal(evaluation, step, user), "url": f"evaluation_{step.value}"}
        for step, rule in TRANSITIONS.items()
        if rule.source == evaluation.status and rule.capability in evaluation.can
    ]


@login_required
def evaluation_review(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.SEE_WORKING_PAPERS)
    stage = _stage(evaluation)
    findings, checklist = [], []
    if stage is not None:
        ctx = check_context(evaluation)
        findings, checklist = run_checks(ctx, stage), bureau_checklist(ctx)
    levels = review_levels(evaluation)
    team = list(evaluation.memberships.all())
    context = {
        "evaluation": evaluation,
        "tab": "review",
        "stage": Stage(stage).label if stage else "",
        "findings": findings,
        "errors": [f for f in findings if f.blocking],
        "warnings": [f for f in findings if not f.blocking],
        "checklist": checklist,
        "points_at_stake": sum((r.item.points for r in checklist if not r.passed), 0),
        "steps": _steps(evaluation, request.user),
        "levels": [
            {"number": n, "label": level_label(n),
             "people": [m.user.display_name for m in team if m.role == level_role(n)],
             "current": evaluation.status == EvaluationStatus.REVIEW and evaluation.review_level == n}
            for n in range(1, levels + 1)
        ],
        "open_comments": [c for c in review_comments_service.comments_of(evaluation) if c.is_open],
        "events": TransitionEvent.objects.filter(evaluation=evaluation).select_related("actor"),
        "form": StepForm(),
    }
    return render(request, "reports/review.html", context)


def _take(request: HttpRequest, pk: int, step: Step) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, TRANSITIONS[step].capability)
    form = StepForm(request.POST)
    form.is_valid()
    try:
        take_step(
            evaluation, step, request.user,
            comment=form.cleaned_data.get("comment", ""), acknowledge=form.cleaned_data.get("acknowledge", False),
        )
    except TransitionRefused as refused:
        messages.error(request, refused.summary)
    else:
        messages.success(request, f"已{step.label}。")
    return redirect("evaluation_review", pk=pk)


def _step_view(step: Step):
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _take(request, pk, step)

    view.__name__ = f"evaluation_{step.value}"
    view.__doc__ = f"{step.label}（{TRANSITIONS[step].capability.label}）"
    return view


evaluation_start = _step_view(Step.START)
evaluation_submit = _step_view(Step.SUBMIT)
evaluation_approve = _step_view(Step.APPROVE)
evaluation_return = _step_view(Step.RETURN)
evaluation_sign_off = _step_view(Step.SIGN_OFF)
evaluation_reopen = _step_view(Step.REOPEN)


# ---------------------------------------------------------------------------
# 复核意见


@login_required
def review_comments(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.SEE_WORKING_PAPERS)
    rows = list(review_comments_service.comments_of(evaluation))
    for comment in rows:
        comment.url = review_comments_service.target_url(comment)
    context = {
        "evaluation": evaluation,
        "tab": "review",
        "open": [c for c in rows if c.is_open],
        "closed": [c for c in rows if not c.is_open],
    }
    return render(request, "reports/comments.html", context)


def _back(request: HttpRequest, pk: int) -> HttpResponse:
    target = request.POST.get("next", "")
    # a path of this site only: redirect() would read anything else as a URL name ("abc" answered 500)
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect("review_comments", pk=pk)


def _comment_of(evaluation, comment_pk: int) -> ReviewComment:
    return get_object_or_404(ReviewComment.objects.select_related("author", "evaluation"), pk=comment_pk,
                             evaluation=evaluation)


def _act(request: HttpRequest, pk: int, write, success: str) -> HttpResponse:
    """Run one 复核意见 service: its refusal or ``success`` as a message, then back to the page posted from."""
    try:
        write()
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, success)
    return _back(request, pk)


@login_required
@require_POST
def review_comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.COMMENT)
    data = request.POST
    return _act(request, pk, lambda: review_comments_service.open_comment(
        evaluation, request.user, kind=data.get("kind", ""), key=data.get("key", ""), text=data.get("text", ""),
    ), "复核意见已提出。")


@login_required
@require_POST
def review_comment_reply(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.REPLY_COMMENT)
    comment = _comment_of(evaluation, comment_pk)
    text = request.POST.get("text", "")
    return _act(request, pk, lambda: review_comments_service.answer_comment(comment, request.user, text), "回复已发出。")


@login_required
@require_POST
def review_comment_close(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.COMMENT)
    comment = _comment_of(evaluation, comment_pk)
    return _act(request, pk, lambda: review_comments_service.close_comment(comment, request.user),
                f"关于“{comment.target_label}”的复核意见已关闭。")


# ---------------------------------------------------------------------------
# Notifications


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    rows = Notification.objects.filter(user=request.user).select_related("evaluation")[:200]
    return render(request, "reports/notifications.html", {"rows": rows})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    notifications.mark_read(request.user, notification)
    return redirect(notification.url or "notification_list")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications.mark_read(request.user)
    messages.success(request, f"已将{count}条通知标为已读。")
    return redirect("notification_list")
