"""Template filters for the report's HTML layout (no numbers are touched here)."""

from django import template

from reports.render_html import image_source

register = template.Library()


@register.filter
def png_data_uri(image) -> str:
    """An image block as a ``data:`` URI (the PDF fetcher allows no other outside resource)."""
    return image_source(image)


@register.filter
def width_percent(table, index: int) -> str:
    """Column ``index``'s share of the table width, for ``<col style="width:…%">``."""
    total = sum(table.widths) or 1
    return f"{table.widths[index] * 100 / total:.2f}"
