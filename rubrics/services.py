"""Writes with rules: templates, copying a system into an evaluation, judgments."""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterator, Mapping
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from evalsite.accounts.models import Organization
from evalsite.lib.numbers import NumberError, format_plain, to_decimal
from evalsite.lib.text_limits import text_problem, too_long
from evaluations.enums import EvaluationStatus
from evaluations.models import Evaluation
from evaluations.queries import figures_for
from evaluations.revisions import check_revision
from evaluations.services import refuse_if_locked, save_budget
from rubrics import result_cache, scoring, selfeval_form
from rubrics.limits import INDICATOR, JUDGMENT, SYSTEM_NAME, SYSTEM_SOURCE, code_problem, weight_problem
from rubrics.models import Evidence, Indicator, IndicatorSystem, Judgment, ProcessDraft, ProjectForm, Rubric
from rubrics.queries import (
    NO_SOURCES,
    LeafSources,
    ScoringContext,
    engine_indicator,
    indicator_rows,
    judgment_entry,
    judgment_of,
    scoring_context,
    untyped,
)

SYSTEMS_DIR = Path(__file__).resolve().parent / "systems"
TEXT_FIELDS = ("explanation", "basis", "target", "criteria")


# ---------------------------------------------------------------------------
# Reading and checking a system document


def check_system(tree: list[dict], settings: Mapping | None = None) -> list[scoring.IndicatorSpec]:
    """Parse and validate a RULES.md tree; raise ValidationError listing every problem."""
    try:
        parsed = scoring.indicators_from_dicts(tree)
        scoring.settings_from_dict(settings or {})
    except scoring.ScoringError as error:
        raise ValidationError(error.messages) from None
    problems = scoring.validate_tree(parsed) or storage_problems(tree)
    if problems:
        raise ValidationError(problems)
    return parsed


def storage_problems(tree: list[dict]) -> list[str]:
    """What the indicator rows could not hold (``rubrics.limits``): unaddressable codes, weights, long texts.

    ``tree`` has been parsed by the engine already, so its weights are numbers.
    """
    problems = []
    for node, _level, _parent in walk_dicts(tree):
        code = str(node.get("code") or "")
        if problem := code_problem(code):
            problems.append(problem)
        if problem := weight_problem(to_decimal(node.get("weight") or 0)):
            problems.append(f"{code}：{problem}")
        for name in ("name", *TEXT_FIELDS):
            if problem := too_long(str(node.get(name) or ""), INDICATOR[name]):
                problems.append(f"{code}：{Indicator._meta.get_field(name).verbose_name}{problem}")
    return problems


def walk_dicts(nodes: list[dict], level: int = 1, parent: dict | None = None) -> Iterator[tuple[dict, int, dict | None]]:
    for node in nodes:
        yield node, level, parent
        yield from walk_dicts(node.get("children") or [], level + 1, node)


# ---------------------------------------------------------------------------
# The template library


@functools.cache
def _builtin_texts() -> tuple[str, ...]:
    """The shipped templates' JSON, read and checked once per process (they change only with a release)."""
    texts = tuple(path.read_text(encoding="utf-8") for path in sorted(SYSTEMS_DIR.glob("*.json")))
    for text in texts:
        document = json.loads(text)
        check_system(document["indicators"], document.get("settings"))
    return texts


def builtin_documents() -> list[dict]:
    """Fresh copies of the shipped templates (each call parses again: callers may change what they get)."""
    return [json.loads(text) for text in _builtin_texts()]


@transaction.atomic
def install_builtin_systems(firm: Organization) -> list[IndicatorSystem]:
    """Put the shipped templates into the firm's library (idempotent; a firm's edits are kept).

    Called when a firm is created (``rubrics.signals``) and by ``load_indicator_systems``; one query
    writes the missing templates, so creating a firm stays cheap.
    """
    documents = builtin_documents()
    existing = {system.slug: system for system in IndicatorSystem.objects.filter(firm=firm)}
    missing = []
    for document in documents:
        if document["slug"] in existing:
            continue
        missing.append(
            IndicatorSystem(
                firm=firm,
                slug=document["slug"],
                name=document["name"],
                family=document.get("family", ""),
                source=document.get("source", ""),
                settings=document.get("settings") or {},
                tree=document["indicators"],
                builtin=True,
            )
        )
    IndicatorSystem.objects.bulk_create(missing, ignore_conflicts=True)
    new = {system.slug: system for system in missing}
    return [existing.get(document["slug"]) or new[document["slug"]] for document in documents]


@transaction.atomic
def save_system(firm: Organization, *, slug: str, name: str, tree: list[dict], settings: dict | None = None,
                family: str = "", source: str = "") -> IndicatorSystem:
    check_system(tree, settings)
    for what, text, limit in (("模板名称", name, SYSTEM_NAME), ("来源", source, SYSTEM_SOURCE)):
        if problem := too_long(text, limit):
            raise ValidationError(f"{what}{problem}。")
    system, _ = IndicatorSystem.objects.update_or_create(
        firm=firm, slug=slug,
        defaults={"name": name, "tree": tree, "settings": settings or {}, "family": family, "source": source},
    )
    return system


def recompute_parent_weights(tree: list[dict]) -> None:
    """A parent's weight is the sum of its children (bottom up); leaves keep theirs."""
    for node in tree:
        children = node.get("children") or []
        if children:
            recompute_parent_weights(children)
            node["weight"] = format_plain(sum((to_decimal(child["weight"]) for child in children), Decimal(0)))


def _find(tree: list[dict], code: str) -> tuple[dict, list[dict]]:
    for node, _level, parent in walk_dicts(tree):
        if node["code"] == code:
            return node, (parent["children"] if parent else tree)
    raise ValidationError(f"指标体系中没有编码为“{code}”的指标。")


def find_node(tree: list[dict], code: str) -> dict:
    return _find(tree, code)[0]


def leaf_count(tree: list[dict]) -> int:
    return sum(1 for node, _, _ in walk_dicts(tree) if not node.get("children"))


def first_level_total(tree: list[dict]) -> Decimal:
    """The sum of the normal first-level weights (should be 100)."""
    total = Decimal(0)
    for node in tree:
        if (node.get("kind") or scoring.NORMAL) == scoring.NORMAL:
            try:
                total += to_decimal(node.get("weight") or 0)
            except NumberError:
                pass
    return total


def tree_problems(tree: list[dict]) -> list[str]:
    """Problems that block using a template; shown on the tree page while it is edited."""
    try:
        check_system(tree)
    except ValidationError as error:
        return list(error.messages)
    return []


def _edit(system: IndicatorSystem, change) -> IndicatorSystem:
    """Apply ``change`` to a copy of the tree, keep parent weights derived, refuse what cannot be read."""
    tree = copy.deepcopy(system.tree)
    change(tree)
    recompute_parent_weights(tree)
    codes = [node["code"] for node, _, _ in walk_dicts(tree)]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise ValidationError(f"编码重复：{'、'.join(duplicates)}。")
    try:
        scoring.indicators_from_dicts(tree)
    except scoring.ScoringError as error:
        raise ValidationError(error.messages) from None
    system.tree = tree
    system.save(update_fields=["tree", "updated_at"])
    return system


def node_fields(data: Mapping[str, Any]) -> dict:
    """The editable fields of a node, cleaned (weight as text, rule as a dict)."""
    fields = {"code": str(data["code"]).strip(), "name": str(data["name"]).strip()}
    try:
        fields["weight"] = format_plain(to_decimal(data.get("weight") or "0"))
    except NumberError:
        raise ValidationError(f"权重“{data.get('weight')}”不是数字。") from None
    if to_decimal(fields["weight"]) < 0:
        raise ValidationError("权重不能为负数。")
    for name in ("kind", *TEXT_FIELDS):
        if name in data:
            fields[name] = data[name] or ""
    if "rule" in data:
        fields["rule"] = data["rule"]
    if "points" in data:
        fields["points"] = [str(point).strip() for point in data["points"] or [] if str(point).strip()]
    if "binding" in data:
        fields["binding"] = data["binding"] or None
    return fields


@transaction.atomic
def add_node(system: IndicatorSystem, parent_code: str | None, data: Mapping[str, Any]) -> IndicatorSystem:
    fields = node_fields(data)

    def change(tree):
        if parent_code:
            parent, _ = _find(tree, parent_code)
            if level_of(tree, parent_code) >= scoring.MAX_DEPTH:
                raise ValidationError("三级指标下不能再添加下级指标。")
            parent.pop("rule", None)
            parent.setdefault("children", []).append({**fields, "children": []})
        else:
            tree.append({**fields, "children": []})

    return _edit(system, change)


def level_of(tree: list[dict], code: str) -> int:
    for node, level, _ in walk_dicts(tree):
        if node["code"] == code:
            return level
    raise ValidationError(f"指标体系中没有编码为“{code}”的指标。")


@transaction.atomic
def update_node(system: IndicatorSystem, code: str, data: Mapping[str, Any]) -> IndicatorSystem:
    fields = node_fields(data)

    def change(tree):
        node, _ = _find(tree, code)
        if node.get("children"):
            fields.pop("weight", None)
            fields.pop("rule", None)
            fields.pop("points", None)
        node.update(fields)

    return _edit(system, change)


@transaction.atomic
def delete_node(system: IndicatorSystem, code: str) -> IndicatorSystem:
    def change(tree):
        node, siblings = _find(tree, code)
        siblings.remove(node)

    return _edit(system, change)


@transaction.atomic
def move_node(system: IndicatorSystem, code: str, *, parent_code: str | None = None, offset: int = 0) -> IndicatorSystem:
    """Move a node up/down among its siblings (``offset`` ±1) or under another parent (``parent_code``)."""

    def change(tree):
        node, siblings = _find(tree, code)
        if offset:
            index = siblings.index(node)
            target = min(max(index + offset, 0), len(siblings) - 1)
            siblings.insert(target, siblings.pop(index))
            return
        if parent_code is None:
            return
        if parent_code == code or any(n["code"] == parent_code for n, _, _ in walk_dicts(node.get("children") or [])):
            raise ValidationError("不能把指标移到它自己或它的下级之下。")
        new_parent, _ = _find(tree, parent_code)
        depth = max(level for _, level, _ in walk_dicts([node]))
        if level_of(tree, parent_code) + depth > scoring.MAX_DEPTH:
            raise ValidationError("移动后会超过三级，请先调整其下级指标。")
        siblings.remove(node)
        new_parent.pop("rule", None)
        new_parent.setdefault("children", []).append(node)

    return _edit(system, change)


# ---------------------------------------------------------------------------
# An evaluation's copy


@transaction.atomic
def copy_system_into(evaluation: Evaluation, tree: list[dict], *, source_name: str, settings: dict | None = None) -> Rubric:
    """Copy a tree into the evaluation as rows; refused when the evaluation already has one."""
    refuse_if_locked(evaluation)
    check_system(tree, settings)
    if evaluation.indicators.exists():
        raise ValidationError("本评价项目已有指标体系。")
    rubric = Rubric.objects.create(evaluation=evaluation, source_name=source_name, settings=copy.deepcopy(settings or {}))
    position = 0
    for node, level, parent in walk_dicts(copy.deepcopy(tree)):
        position += 1
        node["_row"] = Indicator.objects.create(
            evaluation=evaluation,
            parent=parent["_row"] if parent else None,
            level=level,
            position=position,
            code=node["code"],
            name=node.get("name", ""),
            weight=to_decimal(node["weight"]),
            kind=node.get("kind") or scoring.NORMAL,
            rule=node.get("rule") or {} if not node.get("children") else {},
            binding=node.get("binding") or None,
            applicable=node.get("applicable", True),
            not_applicable_reason=node.get("not_applicable_reason") or "",
            points=list(node.get("points") or []) if not node.get("children") else [],
            **{name: node.get(name) or "" for name in TEXT_FIELDS},
        )
    return rubric


def tree_as_dicts(rows: list[Indicator]) -> list[dict]:
    """An evaluation's rows back in the RULES.md shape (for export and for a new template)."""
    children: dict[int | None, list[Indicator]] = {}
    for row in sorted(rows, key=lambda r: r.position):
        children.setdefault(row.parent_id, []).append(row)

    def node(row: Indicator) -> dict:
        data = {
            "code": row.code, "name": row.name, "weight": format_plain(row.weight), "kind": row.kind,
            **{name: getattr(row, name) for name in TEXT_FIELDS},
        }
        kids = children.get(row.pk, [])
        if kids:
            data["children"] = [node(kid) for kid in kids]
        else:
            data["rule"] = row.rule or {"kind": scoring.DEFAULT_RULE_KIND}
            data["binding"] = row.binding
            data["applicable"] = row.applicable
            if row.points:
                data["points"] = list(row.points)
            if row.not_applicable_reason:
                data["not_applicable_reason"] = row.not_applicable_reason
        return data

    return [node(row) for row in children.get(None, [])]


@transaction.atomic
def save_judgment(
    indicator: Indicator,
    *,
    inputs: dict,
    user,
    process: str = "",
    override_score: Decimal | None = None,
    override_reason: str = "",
    actual: str = "",
    deviation_reason: str = "",
    applicable: bool | None = None,
    not_applicable_reason: str = "",
    base_revision: int | None = None,
) -> Judgment | None:
    """Store one judgment after the engine accepts it; the bound values in force are recorded.

    Nothing is stored (``None`` is returned) for a leaf nobody has judged when
    nothing was given: no input, no value from data, no override, no text and
    no change of applicability. Untouched is not scored.

    The judgment page passes the revision it was loaded with
    (``base_revision``; 0 when there was no judgment yet). The indicator's row
    is locked and, if someone stored a judgment since,
    :class:`~evaluations.revisions.EditConflict` refuses the save. A save that
    changes nothing stores nothing (no revision, no history entry). The
    user's draft of the 评分过程 is dropped once the judgment is stored.
    """
    evaluation = indicator.evaluation
    refuse_if_locked(evaluation)
    # As stored now, not as the page read it before the lock: the indicator's row (locked: one save per indicator
    # at a time), its judgment, and the evaluation's budget, rubric and facts the bound values and settings come
    # from (another write may have committed since; this save is recorded under the version it moved to).
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    indicator.evaluation = evaluation
    current = Judgment.objects.filter(indicator_id=indicator.pk).first()
    indicator.judgment = current
    check_revision("本指标的评分", current, current.revision if current else 0, base_revision)
    applicable_before = indicator.applicable
    context = scoring_context(Evaluation.objects.get(pk=evaluation.pk), [indicator])
    judgment = _store_judgment(
        indicator,
        context,
        inputs=inputs,
        user=user,
        process=process,
        override_score=override_score,
        override_reason=override_reason,
        actual=actual,
        deviation_reason=deviation_reason,
        applicable=applicable,
        not_applicable_reason=not_applicable_reason,
    )
    if judgment is None:  # nothing stored: every cached shape carries forward as it was
        result_cache.carry_judgment(evaluation, indicator.code, saved=None)
    elif indicator.applicable == applicable_before:  # one leaf's judgment changed: scored into the cached result
        entry = judgment_entry(
            judgment.inputs, context.bound.get(indicator.code), judgment.override_score, judgment.override_reason
        )
        spec = engine_indicator(indicator)
        leaf = scoring.score_indicator(spec, entry, context.settings)
        saved = result_cache.SavedLeaf(spec, entry, context.settings, judgment.process, leaf.score is not None)
        result_cache.carry_judgment(evaluation, indicator.code, saved=saved)
    if judgment is not None and user is not None:
        ProcessDraft.objects.filter(indicator=indicator, user=user).delete()
    return judgment


def _nothing_given(indicator: Indicator, entry: scoring.JudgmentEntry, texts: tuple[str, ...], applicable: bool | None) -> bool:
    """No typed input, no value from data, no override, no text and applicability unchanged."""
    from_data = (entry.bound is not None and entry.bound.value is not None) or any(
        bound is not None and bound.value is not None for bound in entry.part_bounds
    )
    return (
        not scoring.inputs_given(entry.inputs)
        and not from_data
        and entry.override is None
        and not any(text.strip() for text in texts)
        and applicable in (None, indicator.applicable)
    )


def _set_applicable(indicator: Indicator, applicable: bool | None, reason: str) -> None:
    """不适用 needs a reason; marking a leaf applicable again clears it."""
    if applicable is None:
        return
    reason = (reason or "").strip()
    if not applicable and not reason:
        raise ValidationError(f"{indicator.code}：标记为不适用时必须说明理由。")
    if applicable:
        reason = ""
    if (applicable, reason) != (indicator.applicable, indicator.not_applicable_reason):
        indicator.applicable = applicable
        indicator.not_applicable_reason = reason
        indicator.save(update_fields=["applicable", "not_applicable_reason"])


def judgment_values(
    indicator: Indicator,
    sources: LeafSources,
    *,
    inputs: Mapping[str, Any],
    override_score: Decimal | None,
    override_reason: str,
    process: str,
    actual: str,
    deviation_reason: str,
) -> dict[str, Any]:
    """What a judgment stores for what was given: inputs without the bound ones, the bound values in force, texts."""
    return {
        "inputs": untyped(inputs, indicator, sources),  # bound, never retyped
        "bound_value": sources.own.value if sources.own else None,
        "bound_parts": sources.stored_parts,
        "override_score": override_score,
        "override_reason": override_reason.strip() if override_score is not None else "",
        "process": process,
        "actual": actual,
        "deviation_reason": deviation_reason,
    }


def _same(judgment: Judgment, values: Mapping[str, Any]) -> bool:
    """Whether ``judgment`` already stores ``values`` (numbers compared as numbers)."""
    for name, value in values.items():
        stored = getattr(judgment, name)
        if name == "bound_parts":
            stored = [None if v is None else Decimal(v) for v in stored or []]
            value = [None if v is None else Decimal(v) for v in value or []]
        if stored != value:
            return False
    return True


def _store_judgment(
    indicator: Indicator,
    context: ScoringContext,
    *,
    inputs: Mapping[str, Any],
    user,
    process: str,
    override_score: Decimal | None,
    override_reason: str,
    actual: str,
    deviation_reason: str,
    applicable: bool | None,
    not_applicable_reason: str = "",
) -> Judgment | None:
    """Check one judgment with the engine and store it; ``context`` is read once by the caller."""
    sources = context.bound.get(indicator.code) or NO_SOURCES
    values = judgment_values(
        indicator, sources, inputs=inputs, override_score=override_score, override_reason=override_reason,
        process=process, actual=actual, deviation_reason=deviation_reason,
    )
    entry = judgment_entry(values["inputs"], sources, override_score, override_reason)
    judgment = judgment_of(indicator)
    if judgment is None and _nothing_given(indicator, entry, (process, actual, deviation_reason), applicable):
        return None
    _set_applicable(indicator, applicable, not_applicable_reason)
    if not indicator.applicable:  # left out: its inputs are not scored, an override still needs a reason
        entry = scoring.JudgmentEntry(override=entry.override)
    node = replace(engine_indicator(indicator), applicable=True)
    result = scoring.score_indicator(node, entry, context.settings)
    if result.error:
        raise ValidationError(result.error)
    if judgment is not None and _same(judgment, values):
        return judgment  # nothing changed: nothing stored, no history entry
    judgment = judgment or Judgment(indicator=indicator)
    for name, value in values.items():
        setattr(judgment, name, value)
    judgment.revision += 1
    judgment.updated_by = user
    if user is not None:
        judgment._history_user = user  # the history names who saved, also outside a request (imports)
    judgment.save()
    indicator.judgment = judgment
    return judgment


@transaction.atomic
def save_process_draft(indicator: Indicator, user, text: str) -> ProcessDraft | None:
    """Keep what ``user`` is writing as the 评分过程 of ``indicator`` (an empty text drops the draft).

    A draft is not the evaluation's content: its version (and what is cached under it) stays.
    """
    refuse_if_locked(indicator.evaluation, content=False)
    if problem := text_problem(text, JUDGMENT["process"]):
        raise ValidationError(f"评分过程{problem}，草稿未保存。")
    if not text.strip():
        discard_process_draft(indicator, user)
        return None
    draft, _ = ProcessDraft.objects.update_or_create(indicator=indicator, user=user, defaults={"text": text})
    return draft


@transaction.atomic
def discard_process_draft(indicator: Indicator, user) -> None:
    ProcessDraft.objects.filter(indicator=indicator, user=user).delete()


#: While an evaluation is in these states its papers may still be removed (by their uploader): before 提交审核.
REMOVABLE_STATES = (EvaluationStatus.DRAFT, EvaluationStatus.SCORING)


@transaction.atomic
def add_evidence(indicator: Indicator, *, file, user, title: str = "", document_date=None,
                 shared_with_bureau: bool = False) -> Evidence:
    """Attach a working paper to ``indicator`` (scored or not), numbered next within it."""
    refuse_if_locked(indicator.evaluation)
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()  # numbers are handed out one at a time
    last = Evidence.objects.filter(indicator=indicator).aggregate(last=Max("number"))["last"] or 0
    evidence = Evidence(
        indicator=indicator, number=last + 1, file=file, title=(title or "").strip() or file.name,
        document_date=document_date, uploaded_by=user, shared_with_bureau=shared_with_bureau,
    )
    evidence.save()
    return evidence


def removal_refusal(evidence: Evidence, user) -> str | None:
    """Why ``user`` may not remove ``evidence`` now, or None if he may."""
    evaluation = evidence.indicator.evaluation
    if evidence.removed:
        return "该材料已移除。"
    if evidence.uploaded_by_id != user.pk:
        return "只有上传人可以移除佐证材料。"
    if evaluation.status not in REMOVABLE_STATES:
        return "评价已提交审核，佐证材料不能再移除。"
    return None


@transaction.atomic
def remove_evidence(evidence: Evidence, user) -> Evidence:
    """Mark a paper removed (it stays listed as removed, with who and when); only its uploader, only before 提交审核."""
    refuse_if_locked(evidence.indicator.evaluation)
    refusal = removal_refusal(evidence, user)
    if refusal:
        raise ValidationError(refusal)
    evidence.removed_at = timezone.now()
    evidence.removed_by = user
    evidence.shared_with_bureau = False  # a removed paper is not delivered either
    evidence.save(update_fields=["removed_at", "removed_by", "shared_with_bureau"])
    return evidence


@transaction.atomic
def import_judgments(evaluation: Evaluation, entries: Mapping[str, Mapping[str, Any]], user=None) -> int:
    """Store judgments from a scores document (demo files, spreadsheet scores) in one transaction.

    Figures, surveys and settings are read once for the whole document, not per row.
    """
    refuse_if_locked(evaluation)
    rows = {row.code: row for row in indicator_rows(evaluation)}
    context = scoring_context(evaluation, rows.values())
    problems = []
    saved = 0
    for code, entry in entries.items():
        row = rows.get(code)
        if row is None:
            problems.append(f"{code}：指标体系中没有该指标")
            continue
        override = entry.get("override") or {}
        try:
            stored = _store_judgment(
                row,
                context,
                inputs=dict(entry.get("inputs") or {}),
                user=user,
                process=entry.get("process") or "",
                override_score=to_decimal(override["score"]) if override.get("score") not in (None, "") else None,
                override_reason=override.get("reason") or "",
                actual=entry.get("actual") or "",
                deviation_reason=entry.get("deviation_reason") or "",
                applicable=None,
            )
        except ValidationError as error:
            problems.extend(f"{code}：{message}" for message in error.messages)
        else:
            saved += stored is not None
    if problems:
        raise ValidationError(problems)
    return saved


@transaction.atomic
def import_into_evaluation(evaluation: Evaluation, system: Mapping[str, Any], judgments: Mapping[str, Any] | None,
                           user=None, form: Mapping[str, Any] | None = None) -> Rubric:
    """An imported spreadsheet (tree, and optionally its scores) as the evaluation's system, in one transaction.

    ``form`` (``SelfEvalForm.to_json()``) is a department 自评表's blocks: its
    年度总体目标 texts are kept with the rubric (the 自评表 prints them), and its
    funds lines become the budget figures when the evaluation has none yet, so
    the bound 预算执行率 is computed from them.
    """
    rubric = copy_system_into(
        evaluation, system["indicators"], source_name=system.get("name") or "导入的指标体系", settings=system.get("settings")
    )
    if form:
        parsed = selfeval_form.SelfEvalForm.from_json(dict(form))
        if parsed.kind != selfeval_form.DEPARTMENT:
            raise ValidationError("项目支出绩效自评表不能作为部门的指标体系导入。")
        rubric.form_texts = {"goals": parsed.goals, "outcome": parsed.outcome, "note": parsed.note}
        rubric.save(update_fields=["form_texts"])
        amounts = form_budget_amounts(parsed)
        if amounts and figures_for(evaluation).expense_total.is_empty:
            save_budget(evaluation, amounts)
    if judgments:
        import_judgments(evaluation, judgments, user=user)
    return rubric


def form_budget_amounts(form: selfeval_form.SelfEvalForm) -> dict[str, Decimal | None] | None:
    """A department form's 基本支出 and 项目支出 lines as budget figures (``None`` without both lines)."""
    lines = {}
    for line in form.funds[1:]:
        for key, word in (("basic", "基本支出"), ("project", "项目支出")):
            if word in line.label and key not in lines:
                lines[key] = line
    if set(lines) != {"basic", "project"}:
        return None
    amounts = {}
    for key, line in lines.items():
        for column, value in (("initial", line.initial), ("adjusted", line.adjusted), ("final", line.final)):
            amounts[f"{key}_{column}"] = value
    return amounts


def form_notes(evaluation: Evaluation, form: selfeval_form.SelfEvalForm | None) -> list[str]:
    """What confirming a department form will do besides the indicators, said in the preview."""
    if form is None or form.kind != selfeval_form.DEPARTMENT:
        return []
    notes = [f"识别为{form.name}：预算执行率{format_plain(form.weight)}分取自预算执行块，按执行率计算得分（不用表中所填得分）。"]
    amounts = form_budget_amounts(form)
    current = figures_for(evaluation).expense_total
    total = form.funds[0] if form.funds else None
    if amounts is None:
        notes.append("预算执行块没有分列基本支出和项目支出，未写入预算数据；预算执行率按本项目“预算数据”中的数字计算。")
    elif current.is_empty:
        notes.append("本项目还没有预算数据：确认后，预算执行块的基本支出和项目支出（年初预算数、全年预算数、全年执行数）将作为预算数据保存。")
    elif total is not None and (current.initial, current.adjusted, current.final) != (total.initial, total.adjusted, total.final):
        notes.append(
            "本项目已有预算数据（支出合计 全年预算数"
            f"{format_plain(current.adjusted)}、执行数{format_plain(current.final)}万元），与自评表的"
            f"{format_plain(total.adjusted)}、{format_plain(total.final)}万元不同：保留本项目的预算数据，预算执行率按它计算。"
        )
    if form.goals or form.outcome:
        notes.append("年度总体目标（预期目标、实际完成情况）将填入自评表。")
    return notes


# ---------------------------------------------------------------------------
# Project self-evaluation forms (项目支出绩效自评表)


@transaction.atomic
def import_project_form(evaluation: Evaluation, payload: Mapping[str, Any], *, source: str = "") -> ProjectForm:
    """A previewed 项目支出绩效自评表 as one of the evaluation's project forms, in one transaction."""
    refuse_if_locked(evaluation)
    form = selfeval_form.SelfEvalForm.from_json(dict(payload["form"]))
    if form.kind != selfeval_form.PROJECT:
        raise ValidationError("不是项目支出绩效自评表。")
    tree = payload["system"]["indicators"]
    check_system(tree)
    judgments = dict(payload.get("judgments") or {})
    result = selfeval_form.score_project(tree, judgments, form.execution_rate, payload["execution_code"])
    problems = [error for error in result.errors]
    if problems:
        raise ValidationError(problems)
    position = (evaluation.project_forms.aggregate(models.Max("position"))["position__max"] or 0) + 1
    return ProjectForm.objects.create(
        evaluation=evaluation,
        position=position,
        name=form.project or payload["system"].get("name") or f"项目{position}",
        supervisor=form.supervisor,
        implementer=form.implementer,
        funds=form.to_json()["funds"],
        goals=form.goals,
        outcome=form.outcome,
        note=form.note,
        tree=tree,
        judgments=judgments,
        execution_code=payload["execution_code"],
        stated_total=to_decimal(payload["stated_total"]) if payload.get("stated_total") not in (None, "") else None,
        source=source,
    )


@transaction.atomic
def delete_project_form(project: ProjectForm) -> None:
    refuse_if_locked(project.evaluation)
    project.delete()


@transaction.atomic
def set_project_in_report(project: ProjectForm, in_report: bool) -> ProjectForm:
    refuse_if_locked(project.evaluation)
    project.in_report = in_report
    project.save(update_fields=["in_report", "updated_at"])
    return project


def slug_for(name: str, firm: Organization) -> str:
    """A unique slug for a firm's template named ``name`` (Chinese names keep their characters)."""
    base = "".join(ch if ch.isalnum() else "-" for ch in name).strip("-")[:60] or "system"
    slug, number = base, 1
    while IndicatorSystem.objects.filter(firm=firm, slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def set_evidence_shared(evaluation: Evaluation, evidence: Evidence, shared: bool) -> None:
    """Mark a working paper 共享给委托单位 (the bureau sees it on its delivery desk once signed), or take it back."""
    refuse_if_locked(evaluation)
    if evidence.indicator.evaluation_id != evaluation.pk:
        raise ValidationError("该佐证材料不属于本项目。")
    if shared and evidence.removed:
        raise ValidationError("该材料已移除，不能共享给委托单位。")
    Evidence.objects.filter(pk=evidence.pk).update(shared_with_bureau=shared)
    evidence.shared_with_bureau = shared
