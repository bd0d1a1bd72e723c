"""How a narrative text is read into paragraphs and sub-headings. Pure Python.

Every non-empty line is one paragraph (blank lines are allowed between them
and change nothing); lines beginning 一是 / 1. / （1） stay exactly as
written, never renumbered. A line on its own that starts with a bracketed
Chinese numeral, such as ``（一）持续推进基层便民服务工作规范化建设``, and does
not end like a sentence, is a sub-heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Characters XML (and so DOCX and XLSX) cannot hold; removed from every text the report prints.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
SUBHEADING = re.compile(r"^（[一二三四五六七八九十]{1,3}）\S")
SENTENCE_ENDS = ("。", "；", "：", ";", ":", "！", "？", ".", "，")
SUBHEADING_MAX = 60


def clean(text: str) -> str:
    """Text with Windows line ends folded and XML-illegal control characters removed."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_CHARACTERS.sub("", text)


@dataclass(frozen=True)
class Line:
    text: str
    is_subheading: bool = False


def is_subheading(line: str) -> bool:
    return bool(SUBHEADING.match(line)) and len(line) <= SUBHEADING_MAX and not line.endswith(SENTENCE_ENDS)


def lines_of(text: str) -> list[Line]:
    """The paragraphs and sub-headings of a narrative text, in order."""
    result = []
    for raw in clean(text).split("\n"):
        line = raw.strip()
        if line:
            result.append(Line(line, is_subheading(line)))
    return result


def paragraphs_of(text: str) -> list[str]:
    """The non-empty lines of a text (no sub-heading detection)."""
    return [line.text for line in lines_of(text)]
