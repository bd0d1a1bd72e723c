"""A judgment field by field, as people read it, and what changed between two of its versions.

The judgment page's 修改记录 and its refused-save comparison (two people, one
indicator) both print a judgment through :func:`judgment_texts`: each input
named as the page names it (each 评价要点 with its text), the value taken from
data, the score the engine gives for that version, the override and the
texts. History rows come from django-simple-history's ``diff_against``; the
service stores nothing for a save that changes nothing, so it shows nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from evalsite.lib.numbers import NO_VALUE, format_amount, format_percent
from evaluations.history import ACTIONS, Change, FieldChange, who
from rubrics import scoring
from rubrics.models import Indicator, Judgment
from rubrics.queries import LeafSources, engine_indicator, judgment_entry, part_rules

POINT_ANSWERS = {True: "符合", False: "不符合", None: "未判断"}
#: Stored fields that do not change what a judgment says: a difference in them alone is no change.
BOOKKEEPING = ("updated_at", "updated_by", "revision")
TEXT_FIELDS = ("override_score", "override_reason", "process", "actual", "deviation_reason")
SCORE_LABEL = "本项得分"
#: How many of the latest saves the judgment page lists.
SHOWN = 10


def _printed(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return POINT_ANSWERS[value]
    return NO_VALUE if value == "" else str(value)


def _input_texts(rule: Any, inputs: Mapping[str, Any], points: tuple[str, ...], caption: str = "") -> dict[str, str]:
    """Each input of one rule (or one part) by the name the page gives it; every 评价要点 with its text."""
    prefix = f"{caption} · " if caption else ""
    texts: dict[str, str] = {}
    items = getattr(rule, "items", None) if rule.kind in ("checklist", "deduct") else None
    if items:
        answers = inputs.get("met") if isinstance(inputs.get("met"), list) else []
        for index in range(items):
            point = points[index] if index < len(points) else f"第{index + 1}项评价要点"
            answer = answers[index] if index < len(answers) else None
            texts[f"{prefix}{scoring.circled(index + 1)} {point}"] = _printed(answer)
    for key, value in inputs.items():
        if key == "parts" or (key == "met" and items):
            continue
        texts[prefix + scoring.input_label(rule.kind, key)] = _printed(value)
    return texts


def _as_stored(sources: LeafSources, state: Any) -> LeafSources:
    """The leaf's sources with the values ``state`` recorded (a past version is scored on the data it used)."""
    own = replace(sources.own, value=state.bound_value) if sources.own is not None else None
    stored = list(state.bound_parts or [])
    parts = tuple(
        None if part is None else replace(part, value=Decimal(stored[i]) if i < len(stored) and stored[i] is not None else None)
        for i, part in enumerate(sources.parts)
    )
    return LeafSources(own, parts)


def judgment_texts(indicator: Indicator, state: Any, sources: LeafSources, settings: scoring.ScoringSettings) -> dict[str, str]:
    """What ``state`` (a judgment, a historical version of one, or an unsaved one) says, label → printed value.

    The score is the engine's for that version, on the bound values it recorded.
    """
    node = engine_indicator(indicator)
    rule = node.rule or scoring.JudgmentRule()
    inputs = state.inputs or {}
    texts: dict[str, str] = {}
    if isinstance(rule, scoring.CompositeRule):
        typed = inputs.get("parts") if isinstance(inputs.get("parts"), list) else []
        for index, part in enumerate(rule.parts):
            texts.update(_input_texts(part.rule, typed[index] if index < len(typed) else {}, (), part.name))
    else:
        texts.update(_input_texts(rule, inputs, node.points))
    if sources.own is not None:
        texts[f"{sources.own.title}（取自{sources.own.origin}）"] = format_percent(state.bound_value)
    stored_parts = list(state.bound_parts or [])
    for index, (part, source) in enumerate(zip(part_rules(indicator), sources.parts, strict=False)):
        if source is not None:
            value = stored_parts[index] if index < len(stored_parts) else None
            texts[f"{part.get('name', '')} · {source.title}（取自{source.origin}）"] = format_percent(
                None if value is None else Decimal(value)
            )
    entry = judgment_entry(inputs, _as_stored(sources, state), state.override_score, state.override_reason)
    result = scoring.score_indicator(node, entry, settings)
    if result.error:
        texts[SCORE_LABEL] = f"无法计分（{result.error}）"
    else:
        texts[SCORE_LABEL] = format_amount(result.score) if result.score is not None else result.status
    for name in TEXT_FIELDS:
        label = str(Judgment._meta.get_field(name).verbose_name)
        value = getattr(state, name)
        texts[label] = format_amount(value) if name == "override_score" else (value or NO_VALUE)
    return texts


def compared(old: Mapping[str, str], new: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(label, old, new) for every label whose printed value differs, in the page's order."""
    labels = dict.fromkeys([*new, *old])
    return [(label, old.get(label, NO_VALUE), new.get(label, NO_VALUE)) for label in labels
            if old.get(label, NO_VALUE) != new.get(label, NO_VALUE)]


def judgment_history(
    indicator: Indicator, judgment: Judgment, sources: LeafSources, settings: scoring.ScoringSettings, limit: int = SHOWN
) -> list[Change]:
    """The latest ``limit`` saves of ``judgment``, newest first, each with old → new per changed field."""
    records = list(judgment.history.select_related("history_user", "updated_by").order_by("-history_date", "-history_id")[: limit + 1])
    records.reverse()
    changes = []
    previous = None
    for record in records:
        if previous is None and record.history_type != "+":
            previous = record  # the oldest version listed: what the next one is compared with
            continue
        if previous is not None and not record.diff_against(previous, excluded_fields=BOOKKEEPING).changes:
            previous = record
            continue
        old = judgment_texts(indicator, previous, sources, settings) if previous is not None else {}
        rows = compared(old, judgment_texts(indicator, record, sources, settings))
        previous = record
        if rows:
            author = who(record) if record.history_user_id else (record.updated_by.display_name if record.updated_by else "系统")
            fields = tuple(FieldChange(label, before, after) for label, before, after in rows)
            changes.append(Change(record.history_date, author, ACTIONS[record.history_type], "评分记录", fields))
    changes.reverse()
    return changes
