"""Display filters that only format numbers already computed elsewhere."""

from django import template

from evalsite.lib.numbers import format_amount, format_percent

register = template.Library()


@register.filter
def pct(value):
    """A percentage (95.2381 → 95.24%); — when undefined."""
    return format_percent(value)


@register.filter
def amt(value):
    """An amount in 万元 with two decimals; - when not given."""
    return "-" if value is None else format_amount(value)
