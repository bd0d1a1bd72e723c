"""A resubmitted report against the version reviewed before: what was fixed, what remains, what is new. Pure.

Findings are matched by their identity (the check and what it is about, not
the wording of the place), so a contradiction still there after the firm moved
a paragraph is still "remaining".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from audits.checks.base import Finding


@dataclass
class Comparison:
    fixed: list[Finding] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)
    new: list[Finding] = field(default_factory=list)

    def stored(self) -> dict[str, list[dict[str, str]]]:
        return {name: [finding.stored() for finding in getattr(self, name)] for name in ("fixed", "remaining", "new")}

    @classmethod
    def from_stored(cls, data: dict) -> Comparison:
        return cls(*([Finding.from_stored(item) for item in data.get(name, [])] for name in ("fixed", "remaining", "new")))


def compare(previous: list[Finding], current: list[Finding]) -> Comparison:
    before = {finding.identity for finding in previous}
    now = {finding.identity for finding in current}
    return Comparison(
        fixed=[finding for finding in previous if finding.identity not in now],
        remaining=[finding for finding in current if finding.identity in before],
        new=[finding for finding in current if finding.identity not in before],
    )
