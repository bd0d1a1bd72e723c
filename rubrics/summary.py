"""The first-level score table as plain data, for the command line and JSON."""

from __future__ import annotations

from evalsite.lib.numbers import format_amount
from rubrics import scoring


def summary_dict(result: scoring.EvaluationResult) -> dict:
    """``{"total": "89.50", "grade": "良", "provisional": false, "first_level": [{code, name, weight, score, rate}, ...]}``.

    While indicators are unscored the total is provisional (暂计) and ``grade`` is ``null``.
    """
    rows = [row for row in result.summary if row.code]
    return {
        "total": format_amount(result.total),
        "grade": result.grade,
        "provisional": result.provisional,
        "first_level": [
            {
                "code": row.code,
                "name": row.name,
                "weight": format_amount(row.weight),
                "score": format_amount(row.score),
                "rate": "" if row.rate is None else format_amount(row.rate),
            }
            for row in rows
        ],
    }
