"""How long each stored text of an indicator system and a judgment may be.

Django-free, because the spreadsheet importer (:mod:`rubrics.indicator_xlsx`,
tested without Django) checks every cell against these before a preview is
shown; the model fields take their ``max_length`` from here, so each limit is
written once.
"""

from __future__ import annotations

import re

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
