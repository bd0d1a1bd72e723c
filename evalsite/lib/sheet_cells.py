"""Reading a spreadsheet cell the same way in every importer (budget, indicators, surveys).

Blanks, numbers typed as text or stored as floats, texts with line breaks,
labels with numbering or stray spaces, and cells merged down all mean the same
thing whichever file they come from. Django-free and openpyxl-free: it works
on the values openpyxl returns (``None``, ``str``, ``int``, ``float``,
``Decimal``, ``bool``, dates) and on merged ranges as openpyxl gives them
(anything with ``min_row``, ``min_col``, ``max_row``, ``max_col``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from evalsite.lib.numbers import NumberError, format_plain, round_half_up, to_decimal

SPACES = re.compile(r"\s+")
#: Full-width digits, signs and capitals as people type them in Chinese input mode.
FULL_WIDTH = str.maketrans(
    "０１２３４５６７８９．－＋ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ−",
    "0123456789.-+ABCDEFGHIJKLMNOPQRSTUVWXYZ-",
)
#: Texts that stand for "no number" in a number cell.
NUMBER_BLANKS = frozenset({"", "-", "—", "－", "/", "／", "无", "——"})
#: Leading numbering of a label: 一、 二. （一） (1) 1、 1. ① (not the "1." of "1.5").
NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十0-9]+[)）]|[0-9]+[、.．](?![0-9])|[①-⑳])\s*"
)


def is_blank(value: Any) -> bool:
    """An empty cell, or one holding only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def from_float(value: float) -> Decimal:
    """A float from a cell, without the binary noise of a formula (2.6000000000000001 → 2.6).

    Raise :class:`NumberError` for an infinite or NaN float (a crafted ``<v>1E999</v>`` reads as one).
    """
    if not math.isfinite(value):
        raise NumberError(repr(value))
    number = Decimal(repr(value))
    cleaned = round_half_up(number, 6)
    return cleaned.normalize() if abs(number - cleaned) < Decimal("1e-9") else number


def cell_number(value: Any, *, unit: str = "") -> Decimal | None:
    """A number cell as an exact Decimal; ``None`` when blank; raise :class:`NumberError` when it is not a number.

    Text is read after removing spaces and thousands separators, turning
    full-width digits into ASCII and dropping a trailing ``unit`` (``分``, ``万元``).
    """
    if isinstance(value, bool):
        raise NumberError(str(value))
    if isinstance(value, float):
        return from_float(value)
    if isinstance(value, (int, Decimal)):
        return to_decimal(value)
    if value is None:
        return None
    text = SPACES.sub("", str(value)).translate(FULL_WIDTH)
    if text in NUMBER_BLANKS:
        return None
    if unit:
        text = text.removesuffix(unit)
    return to_decimal(text)


def shown(value: Any) -> str:
    """A cell as the user typed it, for a message."""
    if isinstance(value, float):
        return format_plain(from_float(value)) if math.isfinite(value) else repr(value)
    return str(value).strip()


def cell_text(value: Any, number_format: str = "General") -> str:
    """A text cell: line breaks kept, surrounding whitespace removed, numbers and dates as Excel shows them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, (int, float, Decimal)):
        number = from_float(value) if isinstance(value, float) else Decimal(value)
        if "%" in (number_format or ""):
            return f"{format_plain(number * 100)}%"
        return format_plain(number)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def squeeze(text: str) -> str:
    """Remove whitespace and line breaks inside Chinese text; keep one space between two Latin words."""
    parts = [part for part in SPACES.split(text) if part]
    if not parts:
        return ""
    out = parts[0]
    for part in parts[1:]:
        if out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out


def strip_numbering(text: str) -> str:
    """``一、部门决策`` → ``部门决策``; ``（1）其他收入`` → ``其他收入``."""
    return NUMBERING.sub("", text)


def compact_label(value: Any) -> str:
    """A label cell compared by its words only: no whitespace, no leading numbering."""
    if value is None:
        return ""
    return strip_numbering(SPACES.sub("", str(value)))


def fill_merged_down(
    values: list[list[Any]],
    ranges: Iterable[Any],
    columns: set[int],
    *,
    first_row: int = 1,
    formats: list[list[str]] | None = None,
) -> None:
    """Give each cell of a merged range in ``columns`` (1-based) the value of its top cell, from ``first_row`` on.

    openpyxl reads the covered cells of a merge as empty; a 评价依据 written
    once for a block of rows belongs to each of them. ``formats`` (number
    formats by row and column, like ``values``) follow their values.
    """
    for merged in ranges:
        top_row, column = merged.min_row, merged.min_col
        if column not in columns or top_row < first_row or top_row > len(values):
            continue
        top = values[top_row - 1][column - 1]
        for row in range(top_row + 1, min(merged.max_row, len(values)) + 1):
            values[row - 1][column - 1] = top
            if formats is not None:
                formats[row - 1][column - 1] = formats[top_row - 1][column - 1]
