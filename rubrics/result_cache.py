"""An evaluation's engine result, kept under its content version in the cache every process shares.

Scoring a whole tree costs time in proportion to its size, and pages read it
far more often than anyone writes. Every write service moves the
evaluation's ``content_version`` (``evaluations.services.refuse_if_locked``),
so what is cached under a version never goes stale: a version is scored once,
by its first reader, and each reader gets a shape no larger than it needs:

- :class:`Totals`: total, grade and progress (the dashboard);
- :class:`Walk`: the leaves in order, which apply and which are scored (the
  judgment page: neighbours and progress without the tree);
- :class:`Overview`: the engine's result with each leaf's review flag and
  text-score contradiction (the indicator overview).

Saving a judgment carries the walk forward to the new version and records
what it saved: one leaf's judgment is all that changed, so the first page that
needs the total scores that leaf (and any saved since) into the last cached
result (:func:`rubrics.scoring.rescore_leaf`, the same result as scoring the
tree). Neither 保存并下一项 nor the next dashboard or overview scores the
whole tree.
The cache is Django's (``settings.CACHES``: files or the database), never a
process's memory.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property

from django.core.cache import cache
from django.db import transaction

from evaluations.models import Evaluation
from rubrics import scoring
from rubrics.consistency import process_mismatch
from rubrics.queries import Scored, evaluation_result, judgment_of

logger = logging.getLogger(__name__)

#: Part of every key: raise it when a cached shape changes, so an older pickle is never read.
SHAPE = 3
#: Stored for an evaluation without an indicator system (a miss would score it again on every read).
NO_SYSTEM = "no-system"
MISSING = object()


@dataclass(frozen=True)
class Totals:
    total: Decimal
    grade: str
    unscored_count: int
    scored_count: int
    applicable_count: int
    provisional: bool  # the engine's word: some leaf unscored, the total is 暂计

    @property
    def progress_percent(self) -> int:
        return scoring.progress_percent(self.scored_count, self.applicable_count)


@dataclass(frozen=True)
class Walk:
    """Every third-level indicator in tree order, with which apply and which still lack a score."""

    codes: tuple[str, ...]
    not_applicable: frozenset[str]
    unscored: frozenset[str]

    @cached_property
    def _index(self) -> dict[str, int]:
        return {code: index for index, code in enumerate(self.codes)}

    def position(self, code: str) -> int:
        """1-based place of ``code`` among the leaves."""
        return self._index[code] + 1

    def neighbours(self, code: str) -> tuple[str | None, str | None]:
        index = self._index[code]
        previous = self.codes[index - 1] if index > 0 else None
        following = self.codes[index + 1] if index + 1 < len(self.codes) else None
        return previous, following

    def applies(self, code: str) -> bool:
        return code not in self.not_applicable

    @property
    def applicable_count(self) -> int:
        return len(self.codes) - len(self.not_applicable)

    @property
    def scored_count(self) -> int:
        return self.applicable_count - len(self.unscored)

    @property
    def progress_percent(self) -> int:
        return scoring.progress_percent(self.scored_count, self.applicable_count)

    def with_leaf(self, code: str, *, scored: bool) -> Walk:
        """The walk after one applicable leaf's judgment was saved."""
        if not self.applies(code):
            return self
        unscored = self.unscored - {code} if scored else self.unscored | {code}
        return replace(self, unscored=frozenset(unscored))


@dataclass(frozen=True)
class Overview:
    """The engine's result and, per leaf, what the overview flags beside its score."""

    result: scoring.EvaluationResult
    review_flags: tuple[tuple[str, str], ...]  # (code, what changed since it was saved)
    mismatches: dict[str, str]

    @cached_property
    def review(self) -> frozenset[str]:
        return frozenset(code for code, _message in self.review_flags)


def _key(pk: int, version: int, what: str) -> str:
    return f"result:{SHAPE}:{pk}:{version}:{what}"


def keys(evaluation: Evaluation, what: str) -> str:
    return _key(evaluation.pk, evaluation.content_version, what)


def _derived(overview: Overview) -> dict[str, object]:
    """The three shapes, the totals and the walk read from the overview's result."""
    result = overview.result
    leaves = [node for node in result.walk() if node.is_leaf]
    return {
        "totals": Totals(result.total, result.grade, result.unscored_count, result.scored_count,
                         result.applicable_leaf_count, result.provisional),
        "walk": Walk(
            tuple(node.code for node in leaves),
            frozenset(node.code for node in leaves if not node.applicable),
            frozenset(result.unscored),
        ),
        "overview": overview,
    }


def _shapes(scored: Scored) -> dict[str, object]:
    """The three cached shapes of one scoring (``NO_SYSTEM`` each when there is no tree)."""
    result = scored.result
    if result is None:
        return {"totals": NO_SYSTEM, "walk": NO_SYSTEM, "overview": NO_SYSTEM}
    mismatches = {}
    for node in result.walk():
        if node.is_leaf and node.applicable and (judgment := judgment_of(scored.row(node.code))) is not None:
            mismatch = process_mismatch(judgment.process, node.score, node.kind)
            if mismatch:
                mismatches[node.code] = mismatch
    return _derived(Overview(result, tuple(scored.review_flags), mismatches))


def _read(key: str):
    try:
        return cache.get(key, MISSING)
    except Exception:  # an unreadable entry (a shape from older code) is a miss
        logger.warning("unreadable cache entry %s", key, exc_info=True)
        return MISSING


def _cached(evaluation: Evaluation, what: str):
    """One shape of the evaluation's result at its version, on a miss replayed from the saves since a cached
    result (:func:`_replayed`) or scored (storing every shape)."""
    value = _read(keys(evaluation, what))
    if value is MISSING:
        shapes = _replayed(evaluation) or _shapes(evaluation_result(evaluation))
        cache.set_many({keys(evaluation, name): shape for name, shape in shapes.items()})
        value = shapes[what]
    return None if value == NO_SYSTEM else value


def totals(evaluation: Evaluation) -> Totals | None:
    """Total, grade and progress (``None`` without an indicator system)."""
    return _cached(evaluation, "totals")


def walk(evaluation: Evaluation) -> Walk | None:
    return _cached(evaluation, "walk")


def overview(evaluation: Evaluation) -> Overview | None:
    return _cached(evaluation, "overview")


def totals_of_many(evaluations: Iterable[Evaluation], prefetch) -> dict[int, Totals | None]:
    """Totals of several evaluations: one cache read for all; a miss replayed from the saves since its last
    cached result (cache reads only, at most two per save replayed), else scored with ``prefetch`` (a function
    given the missing evaluations that prefetches what scoring reads, so those cost a fixed number of queries
    however many there are)."""
    evaluations = list(evaluations)
    found = cache.get_many([keys(evaluation, "totals") for evaluation in evaluations])
    stored = {}
    missing = []
    for evaluation in evaluations:
        if keys(evaluation, "totals") not in found:
            if shapes := _replayed(evaluation):
                stored.update({keys(evaluation, name): shape for name, shape in shapes.items()})
            else:
                missing.append(evaluation)
    if missing:
        prefetch(missing)
        for evaluation in missing:
            shapes = _shapes(evaluation_result(evaluation))
            stored.update({keys(evaluation, name): shape for name, shape in shapes.items()})
    if stored:
        cache.set_many(stored)
        found.update(stored)
    return {
        evaluation.pk: None if (value := found[keys(evaluation, "totals")]) == NO_SYSTEM else value
        for evaluation in evaluations
    }


@dataclass(frozen=True)
class SavedLeaf:
    """One leaf's judgment as it was just stored: what the engine needs to score it into the previous result."""

    spec: scoring.IndicatorSpec
    entry: scoring.JudgmentEntry
    settings: scoring.ScoringSettings
    process: str
    scored: bool  # the leaf has a score now


#: Stored for a version whose save changed nothing (its result is the previous version's).
UNCHANGED = "unchanged"
#: A miss replays at most this many saves; past it, the tree is scored.
MAX_REPLAY = 200


def _scored_into(overview: Overview, saved: SavedLeaf | str) -> Overview | None:
    """The overview after ``saved`` (``None`` when the engine cannot score the leaf into it)."""
    if saved == UNCHANGED:
        return overview
    code = saved.spec.code
    result = scoring.rescore_leaf(overview.result, saved.spec, saved.entry, saved.settings)
    if result is None:
        return None
    node = result.node(code)
    mismatches = {leaf: text for leaf, text in overview.mismatches.items() if leaf != code}
    if mismatch := process_mismatch(saved.process, node.score, node.kind):
        mismatches[code] = mismatch
    flags = tuple(flag for flag in overview.review_flags if flag[0] != code)  # its sources as now saved
    return Overview(result, flags, mismatches)


def _replayed(evaluation: Evaluation) -> dict[str, object] | None:
    """The shapes of the evaluation's version from the latest cached overview and the judgments saved since
    (each version a save made records what it saved, :func:`carry_judgment`); ``None`` when a version on the way
    was made by another write or nothing is cached."""
    pk, version = evaluation.pk, evaluation.content_version
    saves = []
    while len(saves) < MAX_REPLAY:
        saved = _read(_key(pk, version - len(saves), "saved"))
        if not (saved == UNCHANGED or isinstance(saved, SavedLeaf)):
            return None
        saves.append(saved)
        overview = _read(_key(pk, version - len(saves), "overview"))
        if isinstance(overview, Overview):
            break
    else:
        return None
    for saved in reversed(saves):
        overview = _scored_into(overview, saved)
        if overview is None:
            return None
    return _derived(overview)


def carry_judgment(evaluation: Evaluation, code: str, *, saved: SavedLeaf | None) -> None:
    """After one leaf's judgment is saved (its applicability unchanged), carry what was cached for the previous
    version forward to the new one when the change commits.

    Only one write moved the version (the guard holds the evaluation's row until
    commit), so the previous version's result with this leaf scored again is the
    result of this version. The walk is carried at once (the leaf's state
    replaced; the next judgment page reads it); the save itself is recorded
    (``saved``, or :data:`UNCHANGED` when nothing was stored) and the first page
    that needs the total scores it into the previous result (:func:`_replayed`),
    so a save never reads or writes the whole result. Stored only on commit: a
    rolled-back version number is used again by the next write.
    """
    version = evaluation.content_version

    def carry() -> None:
        previous = _read(_key(evaluation.pk, version - 1, "walk"))
        if isinstance(previous, Walk):
            walk = previous if saved is None else previous.with_leaf(code, scored=saved.scored)
            cache.add(_key(evaluation.pk, version, "walk"), walk)
        cache.add(_key(evaluation.pk, version, "saved"), UNCHANGED if saved is None else saved)

    transaction.on_commit(carry)
