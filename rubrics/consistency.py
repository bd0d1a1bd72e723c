"""The one reader of the score a written 评分过程 states, and the check built on it (pure; no ORM).

The indicator pages and the report's closing sentence (``reports.score_sentences``)
both call :func:`stated_score`, so they flag the same texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from rubrics.scoring import BONUS, NORMAL, SCORE_VERBS

# A number of points ("2分", "2.50 分"), not a 得分率.
POINTS = re.compile(r"(\d+(?:\.\d+)?)\s*分(?!率)")
CLAUSE_END = re.compile(r"[。；;，,！!\n]")
#: The text's closing sentence: "…本项指标得2分。" with nothing after it.
CLOSING_LEAD = "本项指标"
CLOSING_TAIL = re.compile(r"\s*分[。.]?\s*")


def stating_verbs(kind: str) -> str:
    """The verbs with which a text states a leaf's score: the kind's own (得, 加, 扣); a 加分项 may also say 得."""
    own = SCORE_VERBS.get(kind, SCORE_VERBS[NORMAL])
    return own + SCORE_VERBS[NORMAL] if kind == BONUS else own


@dataclass(frozen=True)
class StatedScore:
    """A score a text states: its verb, the number, where the number is, and whether it closes the text."""

    verb: str
    number: Decimal
    start: int
    end: int
    closing: bool

    @property
    def text(self) -> str:
        return f"{self.number.normalize():f}"

    def agrees_with(self, score: Decimal) -> bool:
        return self.number == score


def stated_score(process: str, kind: str = NORMAL) -> StatedScore | None:
    """The last score ``process`` states for a leaf of ``kind`` ("本项指标得2分", "得分=3×100%=3分", "扣1分").

    Reads the clause after the last stating verb (:func:`stating_verbs`) that
    names points, and takes the last number of points in it.
    """
    text = process or ""
    verbs = stating_verbs(kind)
    for index in range(len(text) - 1, -1, -1):
        if text[index] not in verbs:
            continue
        clause_start = index + 1
        clause = CLAUSE_END.split(text[clause_start:], maxsplit=1)[0]
        points = list(POINTS.finditer(clause))
        if not points:
            continue
        number = points[-1]
        start, end = clause_start + number.start(1), clause_start + number.end(1)
        closing = (
            text[:index].endswith(CLOSING_LEAD)
            and not text[clause_start:start].strip()
            and CLOSING_TAIL.fullmatch(text[end:]) is not None
        )
        return StatedScore(text[index], Decimal(number.group(1)), start, end, closing)
    return None


def process_mismatch(process: str, score: Decimal | None, kind: str = NORMAL) -> str | None:
    """A Chinese warning when the text's stated score differs from the computed one."""
    stated = stated_score(process, kind)
    if stated is None or score is None or stated.agrees_with(score):
        return None
    return f"评分过程中写的得分（{stated.text}分）与当前得分（{score}分）不一致，请修改评分过程。"
