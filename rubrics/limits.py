"""How long each stored text of an indicator system and a judgment may be.

Django-free, because the spreadsheet importer (:mod:`rubrics.indicator_xlsx`,
tested without Django) checks every cell against these before a preview is
shown; the model fields take their ``max_length`` from here, so each limit is
written once.
"""

from __future__ import annotations

import re
from decimal import Decimal

from evalsite.lib.numbers import format_plain, round_half_up
from evalsite.lib.text_limits import LONG_TEXT, NOTE, too_long

#: An indicator's texts (``rubrics.models.Indicator``), by field.
INDICATOR: dict[str, int] = {
    "code": 20,
    "name": 200,
    "explanation": LONG_TEXT,
    "basis": LONG_TEXT,
    "target": 300,
    "criteria": LONG_TEXT,
    "not_applicable_reason": NOTE,
}
#: A judgment's texts (``rubrics.models.Judgment``), by field.
JUDGMENT: dict[str, int] = {
    "process": LONG_TEXT,
    "actual": 300,
    "deviation_reason": NOTE,
    "override_reason": NOTE,
}
#: An indicator's weight and an adjusted score are stored with 7 digits, 2 of them decimals.
WEIGHT_DIGITS = 7
WEIGHT_PLACES = 2


def weight_problem(weight: Decimal) -> str | None:
    """Why ``weight`` cannot be stored as an indicator's weight, or ``None``."""
    if weight != round_half_up(weight, WEIGHT_PLACES):
        return f"权重{format_plain(weight)}超过两位小数"
    if abs(weight) >= Decimal(10) ** (WEIGHT_DIGITS - WEIGHT_PLACES):
        return f"权重{format_plain(weight)}超出范围（最多{WEIGHT_DIGITS - WEIGHT_PLACES}位整数）"
    return None


#: What an indicator's code may hold: it is part of the judgment page's address (``…/indicators/A11/``).
CODE_PATTERN = re.compile(r"[0-9A-Za-z\u4e00-\u9fff._-]+")
CODE_RULE = "只能由字母、数字、汉字和“.”“_”“-”组成"


def code_problem(code: str) -> str | None:
    """Why ``code`` cannot be an indicator's code, or ``None``."""
    if not CODE_PATTERN.fullmatch(code):
        return f"编码“{code}”{CODE_RULE}"
    problem = too_long(code, INDICATOR["code"])
    return f"编码{problem}" if problem else None


#: A template's name and where it came from (``IndicatorSystem.name``/``source``, ``Rubric.source_name``).
SYSTEM_NAME = 200
SYSTEM_SOURCE = 300
