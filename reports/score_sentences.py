"""The closing sentence of a third-level paragraph: "依据评分细则，本项指标得N分。" Pure Python.

N is the engine's score, formatted by the caller. A 评分过程 text that already
ends with that sentence is not repeated; one that ends with it but names a
different number gets the engine's number (the report prints one score, the
computed one) and the difference is reported. Any other score the text states
at its end ("得分=3×100%=3分") is kept as written, the closing sentence is
added, and the difference is reported too, so a reviewer can fix the words. The
stated score is read by :func:`rubrics.consistency.stated_score`, the same
function the indicator pages use, so the report check lists what they list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rubrics.consistency import stated_score

VERBS = {"normal": "得", "bonus": "加", "deduction": "扣"}
#: The closing sentence as the report writes it, possibly after other clauses (依据评分细则，扣减1.5分，本项指标得0.5分。).
CLOSING = re.compile(r"本项指标(?P<verb>[得加扣])\s*(?P<number>\d+(?:\.\d+)?)\s*分[。.]?\s*$")


@dataclass(frozen=True)
class Closed:
    """The paragraph lines to print and, when the text disagreed with the engine, the number it stated."""

    lines: tuple[str, ...]
    stated: str | None = None


def _same(text: str, score_text: str) -> bool:
    try:
        return Decimal(text) == Decimal(score_text)
    except InvalidOperation:
        return False


def closing_sentence(score_text: str, kind: str = "normal") -> str:
    return f"依据评分细则，本项指标{VERBS.get(kind, '得')}{score_text}分。"


def close(lines: list[str], score_text: str | None, kind: str = "normal") -> Closed:
    """``lines`` (the 评分过程 paragraphs) ending with the score sentence; ``score_text`` None means unscored."""
    lines = list(lines)
    if score_text is None:
        return Closed(tuple(lines))
    sentence = closing_sentence(score_text, kind)
    if not lines:
        return Closed((sentence,))
    last = lines[-1]
    closing = CLOSING.search(last)
    if closing:
        if _same(closing.group("number"), score_text):
            return Closed(tuple(lines))
        fixed = last[: closing.start("number")] + score_text + last[closing.end("number") :]
        return Closed((*lines[:-1], fixed), closing.group("number"))
    stated = stated_score("\n".join(lines))  # the same reading as the indicator page's check
    mismatch = None if stated is None or _same(str(stated), score_text) else f"{stated.normalize():f}"
    separator = "" if last.endswith(("。", "；", "！", "？", ".")) else "。"
    return Closed((*lines[:-1], f"{last}{separator}{sentence}"), mismatch)
