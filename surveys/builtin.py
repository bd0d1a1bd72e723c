"""Ready-made questionnaires (seed 002's two surveys, without counts) to copy into an evaluation."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

BUILTIN_FILE = Path(__file__).resolve().parent / "builtin_questionnaires.json"


@dataclass(frozen=True)
class BuiltinQuestionnaire:
    key: str
    name: str
    data: dict

    @property
    def group(self) -> str:
        return self.data["group"]


@cache
def builtin_questionnaires() -> tuple[BuiltinQuestionnaire, ...]:
    data = json.loads(BUILTIN_FILE.read_text(encoding="utf-8"))
    return tuple(BuiltinQuestionnaire(item["key"], item["name"], item) for item in data["questionnaires"])


def builtin(key: str) -> BuiltinQuestionnaire:
    for item in builtin_questionnaires():
        if item.key == key:
            return item
    raise KeyError(key)

