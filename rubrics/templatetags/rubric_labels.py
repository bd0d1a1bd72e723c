"""Chinese names for rule kinds in templates."""

from django import template

from rubrics.enums import RuleKind

register = template.Library()
LABELS = dict(RuleKind.choices)


@register.filter
def rule_label(rule) -> str:
    kind = (rule or {}).get("kind", "judgment") if isinstance(rule, dict) else "judgment"
    return LABELS.get(kind, kind)
