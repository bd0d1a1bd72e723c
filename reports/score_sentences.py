"""The closing sentence of a third-level paragraph: "依据评分细则，本项指标得N分。" Pure Python.

N is the engine's score, formatted by the caller. A 评分过程 text that already
ends with that sentence is not repeated; one that ends with it but names a
different number gets the engine's number (the report prints one score, the
computed one) and the difference is reported. Any other score the text states
("得分=3×100%=3分", "扣1分") is kept as written, the closing sentence is added,
and the difference is reported too, so a reviewer can fix the words. The
stated score is read by :func:`rubrics.consistency.stated_score`, the same
function the indicator pages use, so the report check lists what they list.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rubrics.consistency import stated_score
from rubrics.scoring import NORMAL, SCORE_VERBS


@dataclass(frozen=True)
class Closed:
    """The paragraph lines to print and, when the text disagreed with the engine, the number it stated."""

    lines: tuple[str, ...]
    stated: str | None = None


def _agrees(number: Decimal, score_text: str) -> bool:
    try:
        return number == Decimal(score_text)
    except InvalidOperation:
        return False


def closing_sentence(score_text: str, kind: str = NORMAL) -> str:
    return f"依据评分细则，本项指标{SCORE_VERBS.get(kind, SCORE_VERBS[NORMAL])}{score_text}分。"


def close(lines: list[str], score_text: str | None, kind: str = NORMAL) -> Closed:
    """``lines`` (the 评分过程 paragraphs) ending with the score sentence; ``score_text`` None means unscored."""
    lines = list(lines)
    if score_text is None:
        return Closed(tuple(lines))
    sentence = closing_sentence(score_text, kind)
    if not lines:
        return Closed((sentence,))
    text = "\n".join(lines)
    stated = stated_score(text, kind)  # the same reading as the indicator page's check
    if stated is not None and stated.closing:
        if _agrees(stated.number, score_text):
            return Closed(tuple(lines))
        fixed = text[: stated.start] + score_text + text[stated.end :]
        return Closed(tuple(fixed.split("\n")), stated.text)
    mismatch = None if stated is None or _agrees(stated.number, score_text) else stated.text
    last = lines[-1]
    separator = "" if last.endswith(("。", "；", "！", "？", ".")) else "。"
    return Closed((*lines[:-1], f"{last}{separator}{sentence}"), mismatch)
