"""A number as a report prints it: its value, the text, how many decimals, and whether it is a percentage.

A printed figure agrees with a computed one when the computed one, rounded half
up to the printed number of decimals, is the printed one (``64.1%`` for 50 of 78
answers, ``89.5%`` for 89.5 of 100): a report may print fewer decimals, never
another number. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from evalsite.lib.numbers import NumberError, format_plain, round_half_up, to_decimal
from evalsite.lib.sheet_cells import FULL_WIDTH, SPACES

NUMBER = re.compile(r"^[+\-]?\d+(?:\.\d+)?$")
UNITS = ("万元", "元", "分", "份", "人", "个", "项")


@dataclass(frozen=True)
class Number:
    value: Decimal
    text: str
    places: int
    percent: bool = False

    def agrees(self, computed: Decimal | None) -> bool:
        """``computed`` rounded to this number's decimals is this number (None agrees with nothing)."""
        if computed is None:
            return False
        return round_half_up(computed, self.places) == self.value

    @property
    def shown(self) -> str:
        return self.text


def read_number(text: str | None) -> Number | None:
    """``"2.5"``, ``"100%"``, ``"89.5 %"``, ``"-2"``, ``"3分"`` → a :class:`Number`; None when blank or not a number."""
    if text is None:
        return None
    words = SPACES.sub("", str(text)).translate(FULL_WIDTH).replace("％", "%").replace("，", "").replace(",", "")
    if not words:
        return None
    is_percent = words.endswith("%")
    core = words[:-1] if is_percent else words
    for unit in UNITS:
        if not is_percent and core.endswith(unit):
            core = core[: -len(unit)]
            break
    if not NUMBER.match(core):
        return None
    try:
        value = to_decimal(core)
    except NumberError:
        return None
    places = len(core.split(".", 1)[1]) if "." in core else 0
    return Number(value, words, places, is_percent)


def shown(value: Decimal | None, places: int = 2) -> str:
    """A computed figure as a finding prints it: two decimals unless it is whole (``93``, ``90.43``)."""
    if value is None:
        return "—"
    rounded = round_half_up(value, places)
    return format_plain(rounded) if rounded == rounded.to_integral_value() else str(rounded)


def shown_percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{round_half_up(value, 2)}%"
