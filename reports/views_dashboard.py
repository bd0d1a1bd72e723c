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
from reports.comments import open_counts
from rubrics import result_cache
from rubrics.queries import prefetch_scoring_data


def _page_of(evaluation, can) -> str | None:
    """Where the user opens the evaluation: the workshop for the team, the delivery desk for the bureau."""
    if Capability.VIEW in can:
        return reverse("evaluation_detail", args=[evaluation.pk])
    if Capability.VIEW_DELIVERED in can:
        return reverse("delivery_desk", args=[evaluation.pk])
    return None


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    evaluations = [
        with_frozen_facts(evaluation)
        for evaluation in evaluations_for_user(request.user)
        .select_related("department_facts", "bureau")
        .prefetch_related(team_prefetch())
        .order_by("-year", "department_facts__name")
    ]
    can = {evaluation.pk: capabilities_of(request.user, evaluation) for evaluation in evaluations}
    frozen = {e.pk: e.facts for e in evaluations if e.is_signed and e.facts}
    scored = [e for e in evaluations if Capability.VIEW in can[e.pk] and e.pk not in frozen]
    totals = result_cache.totals_of_many(scored, prefetch=prefetch_scoring_data)
    comments = open_counts(evaluations) if not request.user.is_bureau_user else {}
    rows = []
    for evaluation in evaluations:
        facts, result = frozen.get(evaluation.pk), totals.get(evaluation.pk)
        rows.append(
            {
                "evaluation": evaluation,
                "url": _page_of(evaluation, can[evaluation.pk]),
                "team": list(evaluation.memberships.all()),
                "total": facts["total"] if facts else None if result is None else format_amount(result.total),
                "grade": facts["grade"] if facts else None if result is None else result.grade,
                "provisional": result is not None and result.provisional,
                "unscored": 0 if result is None else result.unscored_count,
                "open_comments": comments.get(evaluation.pk, 0),
            }
        )
    return render(request, "reports/dashboard.html", {"rows": rows, "can_create": can_create_evaluation(request.user)})
