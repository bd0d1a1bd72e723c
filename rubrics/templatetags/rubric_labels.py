"""Chinese names for rule kinds and the badge of each node state, in templates."""

from django import template

from rubrics import scoring

register = template.Library()

#: The Bootstrap badge of each node state (``scoring.STATE_LABELS``).
STATE_BADGES: dict[str, str] = {
    scoring.SCORED: "text-bg-success",
    scoring.OVERRIDDEN: "text-bg-info",
    scoring.IN_ERROR: "text-bg-danger",
    scoring.UNSCORED: "text-bg-secondary",
    scoring.PARTLY_UNSCORED: "text-bg-secondary",
    scoring.NOT_APPLICABLE: "text-bg-secondary",
}


@register.filter
def rule_label(rule) -> str:
    kind = scoring.rule_kind_of(rule if isinstance(rule, dict) else None)
    spec = scoring.RULE_KINDS.get(kind)
    return spec.label if spec else kind


@register.filter
def state_badge(state: str) -> str:
    return STATE_BADGES[state]
