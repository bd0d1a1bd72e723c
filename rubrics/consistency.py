"""Checks that a written 评分过程 agrees with the computed score (pure; no ORM)."""

from __future__ import annotations

import re
from decimal import Decimal

# A number of points ("2分", "2.50 分"), not a 得分率.
POINTS = re.compile(r"(\d+(?:\.\d+)?)\s*分(?!率)")
CLAUSE_END = re.compile(r"[。；;，,！!]")


def stated_score(process: str) -> Decimal | None:
    """The score a 评分过程 text concludes with ("本项指标得2分", "得分=3×100%=3分"), if it states one.

    Reads the clause after the last "得" that names points, and takes the last
    number of points in it.
    """
    text = process or ""
    for index in range(len(text) - 1, -1, -1):
        if text[index] != "得":
            continue
        clause = CLAUSE_END.split(text[index + 1 :], maxsplit=1)[0]
        points = POINTS.findall(clause)
        if points:
            return Decimal(points[-1])
    return None


def process_mismatch(process: str, score: Decimal | None) -> str | None:
    """A Chinese warning when the text's stated score differs from the computed one."""
    stated = stated_score(process)
    if stated is None or score is None or stated == score:
        return None
    return f"评分过程中写的得分（{stated.normalize():f}分）与当前得分（{score}分）不一致，请修改评分过程。"
