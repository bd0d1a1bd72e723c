"""The dashboard: every evaluation the user may see, with its state and result."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from evalsite.lib.numbers import format_amount
from evaluations.facts import with_frozen_facts
from evaluations.permissions import (
    Capability,
    can_create_evaluation,
    capabilities_of,
    evaluations_for_user,
    team_prefetch,
)
from rubrics.queries import evaluation_result, with_scoring_data


def _page_of(evaluation, can) -> str | None:
    """Where the user opens the evaluation: the workshop for the team, the delivery desk for the bureau."""
    if Capability.VIEW in can:
        return reverse("evaluation_detail", args=[evaluation.pk])
    if Capability.VIEW_DELIVERED in can:
        return reverse("delivery_desk", args=[evaluation.pk])
    return None


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    evaluations = with_scoring_data(
        evaluations_for_user(request.user)
        .select_related("bureau", "department_facts")
        .prefetch_related(team_prefetch())
        .order_by("-year", "department_facts__name")
    )
    rows = []
    for evaluation in evaluations:
        can = capabilities_of(request.user, evaluation)
        evaluation = with_frozen_facts(evaluation)
        frozen = evaluation.facts if evaluation.is_signed and evaluation.facts else None
        result = evaluation_result(evaluation).result if Capability.VIEW in can and frozen is None else None
        rows.append(
            {
                "evaluation": evaluation,
                "url": _page_of(evaluation, can),
                "team": list(evaluation.memberships.all()),
                "total": frozen["total"] if frozen else None if result is None else format_amount(result.total),
                "grade": frozen["grade"] if frozen else None if result is None else result.grade,
                "provisional": result is not None and result.provisional,
                "unscored": 0 if result is None else result.unscored_count,
            }
        )
    return render(request, "reports/dashboard.html", {"rows": rows, "can_create": can_create_evaluation(request.user)})
