"""The closing sentence of a third-level paragraph: "依据评分细则，本项指标得N分。" Pure Python.

N is the engine's score, formatted by the caller. The score is printed once: a
评分过程 text that already ends with that sentence, or that already states the
engine's score ("…，得3分。"), gets no closing sentence; a closing sentence of
the text's own prints the engine's number, formatted like every score. One
that ends with the sentence but names a different number gets the engine's
number (the report prints one score, the computed one) and the difference is
reported. Any other score the text states ("得分=3×100%=3分", "扣1分") is kept
as written, the closing sentence is added, and the difference is reported too,
so a reviewer can fix the words. The stated score is read by
:func:`rubrics.consistency.stated_score`, the same function the indicator pages
use, so the report check lists what they list. A score the evaluation team
adjusted away from its rule ends on :func:`adjusted`: the rule's score, the
adjusted one and the reason.
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


def joined(text: str, sentence: str) -> str:
    """``sentence`` after ``text`` in one paragraph, with a full stop between them when ``text`` has none."""
    separator = "" if not text or text.endswith(("。", "；", "！", "？", ".")) else "。"
    return f"{text}{separator}{sentence}"


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
    if stated is not None and stated.closing:  # the report's own sentence: it prints the engine's number
        fixed = text[: stated.start] + score_text + text[stated.end :]
        return Closed(tuple(fixed.split("\n")), None if _agrees(stated.number, score_text) else stated.text)
    if stated is not None and _agrees(stated.number, score_text):
        return Closed(tuple(lines))  # the text already states the score: print it once
    mismatch = None if stated is None else stated.text
    return Closed((*lines[:-1], joined(lines[-1], sentence)), mismatch)


def adjusted(lines: list[str], score_text: str, rule_text: str | None, reason: str, kind: str = NORMAL) -> Closed:
    """``lines`` ending on the team's adjustment: "按评分标准计算得4.00分，评价组调整为3.50分，理由：…。".

    The sentence states the score, so no closing sentence follows; a different score stated by the
    text itself is still reported.
    """
    stated = stated_score("\n".join(lines), kind)
    mismatch = None if stated is None or _agrees(stated.number, score_text) else stated.text
    rule = f"按评分标准计算得{rule_text}分，" if rule_text is not None else ""
    reason = reason.strip()
    end = "" if reason.endswith(("。", "！", "？", "）", ")")) else "。"
    sentence = f"{rule}评价组调整为{score_text}分，理由：{reason}{end}"
    if not lines:
        return Closed((sentence,), mismatch)
    return Closed((*lines[:-1], joined(lines[-1], sentence)), mismatch)
