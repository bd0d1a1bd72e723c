"""Display filters for survey pages; they only format numbers computed elsewhere."""

from django import template

from evalsite.lib.numbers import format_plain

register = template.Library()


@register.filter
def plain(value):
    """A weight as written: ``100``, ``80``, ``37.5``."""
    return format_plain(value)
