"""Display filters for survey pages; they only format numbers computed elsewhere."""

from django import template

from evalsite.lib.numbers import format_plain
from surveys import annex

register = template.Library()


@register.filter
def plain(value):
    """A weight as written: ``100``, ``80``, ``37.5``."""
    return format_plain(value)


@register.simple_tag
def annex_labels():
    """The 附件2 table's header and row labels (``surveys.annex``), so the page prints the report's table."""
    return annex.LABELS
