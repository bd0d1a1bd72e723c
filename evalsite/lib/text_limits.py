"""How long a stored text may be, and how an import says that one is too long. Django-free.

Every text a person types or an import brings has a limit, checked before the
database sees it: a form field takes the model field's ``max_length``; a
spreadsheet import checks the same number cell by cell and names the cell.
Sizes that a Django-free importer checks live in its app's table
(``rubrics.limits``, ``surveys.limits``), which the model fields read, so each
limit is written once.
"""

from __future__ import annotations

#: 评分过程, a report chapter, 指标解释/评分标准, a 部门简介: a 1,000,000-character 评分过程 took the PDF minutes.
LONG_TEXT = 20_000
#: A reason or an explanation beside a value (调整理由, 偏差原因).
NOTE = 2_000
#: One item of a list kept one per line (部门职能, 内设机构, 评价依据) and how many items a list may hold.
LINE = 500
MAX_LINES = 200


#: What a text typed outside a Django form field says when it holds a NUL character (PostgreSQL cannot store one).
NUL_PROBLEM = "含有不可见的空字符，请删除后再提交"


def text_problem(text: str, limit: int) -> str | None:
    """What is wrong with a typed text that no form field cleaned: a NUL character, or more than ``limit``."""
    if "\x00" in text:
        return NUL_PROBLEM
    return too_long(text, limit)


def shortened(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with "…" as the last, when it is longer (a stored copy, not an input)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def too_long(text: str, limit: int) -> str | None:
    """``内容过长（20,001字），最多20,000字`` when ``text`` is longer than ``limit``; ``None`` when it fits."""
    if len(text) <= limit:
        return None
    return f"内容过长（{len(text):,}字），最多{limit:,}字"


def lines_problem(lines: list, max_lines: int = MAX_LINES, max_length: int = LINE) -> str | None:
    """What is wrong with a list kept one item per line: too many items, an item not a text or too long."""
    if not isinstance(lines, list):
        return "应为一行一项的列表"
    if len(lines) > max_lines:
        return f"共{len(lines)}项，最多{max_lines}项"
    for number, line in enumerate(lines, start=1):
        if not isinstance(line, str):
            return f"第{number}项不是文字"
        problem = too_long(line, max_length)
        if problem:
            return f"第{number}项{problem}"
    return None
