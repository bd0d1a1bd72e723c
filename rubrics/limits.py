"""How long each stored text of an indicator system and a judgment may be.

Django-free, because the spreadsheet importer (:mod:`rubrics.indicator_xlsx`,
tested without Django) checks every cell against these before a preview is
shown; the model fields take their ``max_length`` from here, so each limit is
written once.
"""

from __future__ import annotations

from evalsite.lib.text_limits import LONG_TEXT, NOTE

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
#: A template's name and where it came from (``IndicatorSystem.name``/``source``, ``Rubric.source_name``).
SYSTEM_NAME = 200
SYSTEM_SOURCE = 300
