"""Template filters for the report's HTML layout (no numbers are touched here)."""

from django import template

from reports.render_html import image_source

register = template.Library()


@register.filter
def png_data_uri(image, chart_prefix: str = "") -> str:
    """An image block as a ``data:`` URI (the PDF fetcher allows no other outside resource), or, given the
    URL prefix of the charts (the preview page), a stored chart as a link the browser caches."""
    return image_source(image, chart_prefix)
