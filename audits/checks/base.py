"""What a check returns, and what it is given besides the report. Pure: no ORM.

A :class:`Finding` is a contradiction or an omission: its severity, where it
is (the table and row, or the paragraph quoted), what is wrong, and the two
figures (the one the report's own data give, the one it prints). A
:class:`Note` records what was checked and agreed (a survey rate reproduced by a
named method), for the 复核意见书's list of what was verified.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rubrics import scoring

ERROR = "error"
WARNING = "warning"
SEVERITY_LABELS = {ERROR: "须更正", WARNING: "需说明"}
QUOTE_LENGTH = 60


@dataclass(frozen=True)
class Finding:
    check: str
    severity: str
    place: str
    message: str
    expected: str = ""
    found: str = ""
    key: str = ""  # the same contradiction in a resubmitted version has the same key

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    @property
    def identity(self) -> str:
        return self.key or f"{self.check}|{self.place}|{self.message}"

    def as_dict(self) -> dict[str, str]:
        """The ``review_report --json`` shape."""
        return {
            "severity": self.severity,
            "place": self.place,
            "message": self.message,
            "expected": self.expected,
            "found": self.found,
        }

    def stored(self) -> dict[str, str]:
        return {**self.as_dict(), "check": self.check, "key": self.identity}

    @classmethod
    def from_stored(cls, data: dict[str, str]) -> Finding:
        return cls(data["check"], data["severity"], data["place"], data["message"], data.get("expected", ""),
                   data.get("found", ""), data.get("key", ""))


@dataclass(frozen=True)
class Note:
    check: str
    place: str
    message: str

    def stored(self) -> dict[str, str]:
        return {"check": self.check, "place": self.place, "message": self.message}


@dataclass(frozen=True)
class OutlineChapter:
    """A chapter a bureau prescribes, with the words reports use for it (any one present counts)."""

    title: str
    words: tuple[str, ...]
    required: bool = True


@dataclass(frozen=True)
class Settings:
    """The bureau's rules for a 复核: its grade bands and its prescribed outline."""

    grade_bands: tuple[scoring.GradeBand, ...] = scoring.DEFAULT_GRADE_BANDS
    outline: tuple[OutlineChapter, ...] = ()


@dataclass
class Outcome:
    findings: list[Finding] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == WARNING]


def quote(text: str, around: int | None = None) -> str:
    """A paragraph quoted in a finding: the sentence around position ``around`` (or the start), at most 60 characters."""
    text = " ".join(text.split())
    if len(text) <= QUOTE_LENGTH:
        return text
    around = min(around or 0, len(text) - 1)
    start = max(text.rfind("。", 0, around), text.rfind("；", 0, around)) + 1
    stop = text.find("。", around)
    end = len(text) if stop < 0 else stop + 1
    if end - start > QUOTE_LENGTH:
        start = max(start, around - QUOTE_LENGTH // 2 + 5)
        end = min(end, start + QUOTE_LENGTH)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def number_text(value: Decimal | None) -> str:
    from audits.facts.numbers import shown

    return shown(value)
