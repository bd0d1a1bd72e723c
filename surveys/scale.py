"""The standard five-level satisfaction scale: its words, default weights, and how labels are matched.

Pure Python. Used when a questionnaire is created from an exported file (the
options of a question are recognised as the scale, ordered and weighted) and
when an answer text is matched against a question's options.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

#: 很满意 100, 满意 80, 一般 60, 不满意 40, 很不满意 0: the default weight of the option at each position.
DEFAULT_WEIGHTS: tuple[Decimal, ...] = (Decimal(100), Decimal(80), Decimal(60), Decimal(40), Decimal(0))
STANDARD_LABELS: tuple[str, ...] = ("很满意", "满意", "一般", "不满意", "很不满意")

#: The words seen for each level, most common first.
LEVEL_WORDS: tuple[tuple[str, ...], ...] = (
    ("很满意", "非常满意", "十分满意"),
    ("满意", "比较满意", "较满意"),
    ("一般", "基本满意"),
    ("不满意", "不太满意", "较不满意", "比较不满意"),
    ("很不满意", "非常不满意", "十分不满意"),
)
#: "Cannot judge" answers: weight 0, left out of the top-two denominator, placed last.
UNKNOWN_WORDS: tuple[str, ...] = ("不了解", "不清楚", "不知道", "说不清", "无法评价")


def default_weight(index: int) -> Decimal:
    """The default weight of the option at 0-based ``index`` (0 past the fifth)."""
    return DEFAULT_WEIGHTS[index] if 0 <= index < len(DEFAULT_WEIGHTS) else Decimal(0)


_LETTER_PREFIX = re.compile(r"^[A-Za-z](?:[.、:)]|(?=[\u4e00-\u9fff]))")
_NUMBERING = re.compile(r"^(?:[Qq]\d+[.、:)]?|第\d+题[.、:)]?|\d+[.、:)])")
_TYPE_MARK = re.compile(r"[(\[【（]?(?:单选题|单选|必答题|必答|多选题|多选)[)\]】）]?$")
_TRAILING = re.compile(r"[?？。.!！:：;；]+$")


def plain(text) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text if text is not None else "")))


def option_key(label) -> str:
    """An option label as compared: width-folded, no spaces, without an ``A.`` letter prefix."""
    text = plain(label)
    stripped = _LETTER_PREFIX.sub("", text)
    return stripped or text


def title_key(title) -> str:
    """A question title as compared: no numbering (``1、`` ``Q1.``), type mark or final punctuation."""
    text = plain(title)
    text = _NUMBERING.sub("", text)
    text = _TYPE_MARK.sub("", text)
    return _TRAILING.sub("", text)


def clean_title(title) -> str:
    """A header cell as a question title: numbering and type marks removed, spacing and punctuation kept as written."""
    text = str(title).strip()
    text = re.sub(r"^\s*(?:[QqＱｑ][\d０-９]+\s*[.、:)．：）]?|第[\d０-９]+题\s*[.、:)．：）]?|[\d０-９]+\s*[.、:)．：）])\s*", "", text)
    return _TYPE_MARK.sub("", text).strip()


def clean_label(label) -> str:
    """An answer as an option label: no letter prefix, outer spaces removed."""
    text = str(label).strip()
    return _LETTER_PREFIX.sub("", text).strip() or text


def level_of(label) -> int | None:
    """0–4 for the five levels, 5 for 不了解 and the like, ``None`` when not a scale word."""
    key = option_key(label)
    for level, words in enumerate(LEVEL_WORDS):
        if key in words:
            return level
    if key in UNKNOWN_WORDS:
        return len(LEVEL_WORDS)
    return None


@dataclass(frozen=True)
class ScaleOption:
    label: str
    weight: Decimal
    excluded: bool


def recognise(labels: list[str]) -> list[ScaleOption] | None:
    """The full scale for a question whose answers are all scale words, else ``None``.

    Levels nobody chose still appear (with the standard word) so the annex
    prints every option with its zero; a 不了解-type answer is added last,
    weight 0, excluded from the top-two denominator.
    """
    if not labels:
        return None
    levels: dict[int, str] = {}
    for label in labels:
        level = level_of(label)
        if level is None or (level in levels and option_key(levels[level]) != option_key(label)):
            return None
        levels[level] = clean_label(label)
    options = [
        ScaleOption(levels.get(level, STANDARD_LABELS[level]), DEFAULT_WEIGHTS[level], False)
        for level in range(len(LEVEL_WORDS))
    ]
    if len(LEVEL_WORDS) in levels:
        options.append(ScaleOption(levels[len(LEVEL_WORDS)], Decimal(0), True))
    return options
