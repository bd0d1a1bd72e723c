"""The dashboard: every evaluation the user may see, with its state and result."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from evalsite.lib.numbers import format_amount
from evaluations.permissions import (
    Capability,
    can_create_evaluation,
    capabilities_of,
    evaluations_for_user,
    team_prefetch,
)
from rubrics.queries import evaluation_result, with_scoring_data


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    evaluations = with_scoring_data(
        evaluations_for_user(request.user)
        .select_related("bureau")
        .prefetch_related(team_prefetch())
        .order_by("-year", "department__name")
    )
    rows = []
    for evaluation in evaluations:
        can_open = Capability.VIEW in capabilities_of(request.user, evaluation)
        result = evaluation_result(evaluation).result if can_open else None
        rows.append(
            {
                "evaluation": evaluation,
                "can_open": can_open,
                "team": list(evaluation.memberships.all()),
                "total": None if result is None else format_amount(result.total),
                "grade": None if result is None else result.grade,
                "provisional": result is not None and result.provisional,
                "unscored": 0 if result is None else result.unscored_count,
            }
        )
    return render(request, "reports/dashboard.html", {"rows": rows, "can_create": can_create_evaluation(request.user)})
