"""What a page of a signed evaluation shows of its stored files (the evaluation's own pages include these)."""

from django import template

from reports.archive import current_files

register = template.Library()


@register.simple_tag
def current_signed_files(evaluation) -> list:
    """The files of the latest signed version (empty when nothing is stored)."""
    return current_files(evaluation)
