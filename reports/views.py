"""The dashboard: every evaluation the user may see, with its state and result."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from evaluations.permissions import Action, allowed_actions, can_create_evaluation, evaluations_for_user, team_prefetch


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    evaluations = (
        evaluations_for_user(request.user)
        .select_related("department", "bureau")
        .prefetch_related(team_prefetch())
        .order_by("-year", "department__name")
    )
    rows = [
        {
            "evaluation": evaluation,
            "can_open": Action.VIEW in allowed_actions(request.user, evaluation),
            "team": list(evaluation.memberships.all()),
        }
        for evaluation in evaluations
    ]
    return render(
        request,
        "reports/dashboard.html",
        {"rows": rows, "can_create": can_create_evaluation(request.user)},
    )
