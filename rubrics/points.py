"""The 评价要点 of an indicator, read from its printed 评分标准 or 指标解释 (pure; no Django).

Seeds number the points ``①…②…``, ``(1)…(2)…`` / ``（1）…`` or ``1.…；2.…``.
A list is recognised only when its markers count up from 1 without gaps and
every point has text; what follows the last point's sentence (``以上4项各占1/4
的权重分…``) is not part of it. The importer and the built-in templates use
:func:`points_from_texts`, so an imported checklist and a shipped one list
their points the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from rubrics.scoring import CIRCLED

# Each style: a pattern finding the markers, and how to read a marker's number.
_STYLES: tuple[tuple[re.Pattern[str], Callable[[str], int]], ...] = (
    (re.compile(f"[{CIRCLED}]"), lambda marker: CIRCLED.index(marker) + 1),
    (re.compile(r"[(（](\d{1,2})[)）]"), lambda marker: int(re.sub(r"\D", "", marker))),
    (re.compile(r"(?:^|(?<=[；;。，,\n\s]))(\d{1,2})[.、．](?!\d)"), lambda marker: int(re.sub(r"\D", "", marker))),
)
_POINT_END = re.compile(r"[。\n]")
_TRIM = "；;，,。.、 \t\r\n"
MIN_POINT_LENGTH = 2


def _numbered(text: str, pattern: re.Pattern[str], number_of) -> list[str]:
    """The points of ``text`` in one numbering style, or ``[]`` when it does not hold a proper list."""
    markers = list(pattern.finditer(text))
    numbers = [number_of(match.group(0)) for match in markers]
    if len(markers) < 2 or numbers != list(range(1, len(markers) + 1)):
        return []
    points = []
    for index, match in enumerate(markers):
        end = markers[index + 1].start() if index + 1 < len(markers) else len(text)
        body = text[match.end():end]
        if index + 1 == len(markers):
            body = _POINT_END.split(body, maxsplit=1)[0]
        point = body.strip(_TRIM)
        if len(point) < MIN_POINT_LENGTH:
            return []
        points.append(point)
    return points


def points_from_text(text: str) -> list[str]:
    """The numbered points of one text (``[]`` when it lists none)."""
    for pattern, number_of in _STYLES:
        points = _numbered(text or "", pattern, number_of)
        if points:
            return points
    return []


def points_from_texts(texts: Iterable[str]) -> list[str]:
    """The points of the first text that lists some: the 评分标准 first, then the 指标解释."""
    for text in texts:
        points = points_from_text(text)
        if points:
            return points
    return []
