"""The 复核意见 panel that the indicator, report, budget and survey pages include, and the evaluation page's list.

The pages belong to lower layers (``rubrics``, ``evaluations``, ``surveys``);
they name the panel in their templates and never import ``reports``.
"""

from django import template

from evaluations.permissions import Capability
from reports import comments as review_comments
from reports.enums import BUDGET_TABLES, CommentTarget

register = template.Library()


def _choices(kind: str) -> list[tuple[str, str]]:
    if kind == CommentTarget.SECTION:
        return review_comments.section_targets()
    if kind == CommentTarget.BUDGET:
        return list(BUDGET_TABLES.items())
    return []


@register.inclusion_tag("reports/_review_panel.html", takes_context=True)
def review_panel(context, evaluation, kind: str, key: str = "", label: str = "") -> dict:
    """The notes on one target (``key``), or on every target of ``kind`` with a choice of target when no key is given."""
    can = evaluation.can
    shown = Capability.SEE_WORKING_PAPERS in can
    comments = []
    if shown:
        rows = review_comments.comments_of(evaluation).filter(target_kind=kind)
        if key:
            rows = rows.filter(target_key=str(key))
        comments = list(rows)
        for comment in comments:
            comment.url = review_comments.target_url(comment)
    shown = shown and (comments or Capability.COMMENT in can)
    request = context.get("request")
    return {
        "shown": shown,
        "evaluation": evaluation,
        "kind": kind,
        "key": key,
        "label": label,
        "choices": [] if key else _choices(kind),
        "comments": comments,
        "open_count": sum(1 for comment in comments if comment.is_open),
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("reports/_open_comments.html")
def open_comments(evaluation) -> dict:
    """The open notes of an evaluation with links to what they are about (the evaluation page)."""
    rows = []
    if Capability.SEE_WORKING_PAPERS in evaluation.can:
        rows = [comment for comment in review_comments.comments_of(evaluation) if comment.is_open]
        for comment in rows:
            comment.url = review_comments.target_url(comment)
    return {"evaluation": evaluation, "rows": rows, "shown": Capability.SEE_WORKING_PAPERS in evaluation.can}
