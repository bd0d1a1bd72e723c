"""One evaluation as a self-contained archive, and back into any database: a backup you can trust.

The archive is a zip:

* ``manifest.json``: the format and its version, the source evaluation, the
  schema it was written with, and the SHA-256 of every other member;
* ``data.json``: the records, model by model in the order they are restored,
  with their original keys;
* ``files/<n>/<name>``: every stored file the records name (evidence, the
  signed report files), byte for byte.

What goes in is not a list kept by hand: :func:`archive_plan` starts from
:class:`Evaluation` and takes every model of the project that points at a
model already taken (foreign key or one-to-one, history tables and
many-to-many tables included), in dependency order. A model added later
(signed versions and their frozen files, review comments…) is archived
without touching this module. Records outside the evaluation that it points
at are named by what identifies them in any database (:data:`SHARED`): users
by username, organizations by name, the firm's department by firm and name.

:func:`restore` checks every member against the manifest before reading any
(a changed byte refuses the archive), then writes the records with new keys in
one transaction, keeping their timestamps (a raw save, as ``loaddata`` does)
and storing each file through the storage API. History rows of objects deleted
before the export are not restored (their object no longer exists to point at);
the command says how many.
"""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from evalsite.accounts.models import Organization
from evaluations.models import Department, Evaluation

FORMAT = "evalsite-evaluation-archive"
#: 2: the declared 绩效目标 are ``reports.GoalRow`` and the report's keys "goals" and "procedure" (reports 0010).
VERSION = 2
MANIFEST = "manifest.json"
DATA = "data.json"
APPS = ("accounts", "evaluations", "rubrics", "surveys", "reports")
#: Models outside the evaluation that its records point at, by the fields that identify a row in any database.
SHARED: dict[str, tuple[str, ...]] = {
    "accounts.User": ("username",),
    "accounts.Organization": ("name",),
    "evaluations.Department": ("firm", "name"),
    "reports.ReportProfile": ("firm", "name"),  # the firm's library: the report profile an evaluation chose
}


class ArchiveError(Exception):
    """The archive cannot be written or restored; the message says why, in Chinese."""


@dataclass(frozen=True)
class Part:
    """One model of the archive and the lookup from it to the evaluation (``indicator__evaluation``)."""

    model: type[models.Model]
    path: str

    @property
    def label(self) -> str:
        return self.model._meta.label


def _relations(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.is_relation and (f.many_to_one or f.one_to_one)]


def _candidates() -> list[type[models.Model]]:
    return [
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if model is not Evaluation and model._meta.label not in SHARED
    ]


def _needs(model: type[models.Model], owned: set) -> set:
    """The archived models whose rows must be restored before ``model``'s (a history row needs its object)."""
    needed = {f.related_model for f in _relations(model) if f.related_model in owned and f.related_model is not model}
    tracked = getattr(model, "instance_type", None)
    if tracked is not None:
        needed.add(tracked)
    return needed


def archive_plan() -> list[Part]:
    """Every model that belongs to an evaluation, each after the models it points at."""
    taken: dict[type[models.Model], str] = {Evaluation: "pk"}
    order = [Part(Evaluation, "pk")]
    remaining = _candidates()
    while True:
        found = [
            (model, next(f for f in _relations(model) if f.related_model in taken))
            for model in remaining
            if any(f.related_model in taken for f in _relations(model))
        ]
        if not found:
            break
        for model, link in found:
            parent = taken[link.related_model]
            taken[model] = link.name if parent == "pk" else f"{link.name}__{parent}"
            remaining.remove(model)
    owned = set(taken)
    placed: list[type[models.Model]] = [Evaluation]
    pending = [model for model in taken if model is not Evaluation]
    while pending:
        ready = [model for model in pending if all(needed in placed for needed in _needs(model, owned))]
        if not ready:
            raise ArchiveError(f"无法确定归档顺序：{', '.join(m._meta.label for m in pending)}")
        for model in ready:
            placed.append(model)
            pending.remove(model)
            order.append(Part(model, taken[model]))
    for part in order:
        for link in _relations(part.model):
            target = link.related_model
            if target not in owned and target._meta.label not in SHARED and not link.null:
                raise ArchiveError(f"{part.label}.{link.name} 指向不属于评价项目的 {target._meta.label}，无法归档")
    return order


# ---------------------------------------------------------------------------
# Writing


def _encode(value):
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@dataclass
class _Writer:
    archive: zipfile.ZipFile
    sums: dict[str, str] = field(default_factory=dict)
    shared: dict[str, dict[str, dict]] = field(default_factory=lambda: {label: {} for label in SHARED})

    def add(self, name: str, data: bytes) -> None:
        self.archive.writestr(name, data)
        self.sums[name] = hashlib.sha256(data).hexdigest()

    def file(self, field_file) -> dict:
        with field_file.open("rb") as stream:
            data = stream.read()
        member = f"files/{len(self.sums) + 1}/{posixpath.basename(field_file.name)}"
        self.add(member, data)
        return {"name": field_file.name, "member": member}

    def refer(self, target: models.Model) -> str:
        """A shared record, kept once by its identity; its key in the archive."""
        label = target._meta.label
        key = str(target.pk)
        if key not in self.shared[label]:
            self.shared[label][key] = _identity(target, self)
        return key


def _identity(target: models.Model, writer: _Writer) -> dict:
    if isinstance(target, Organization):
        return {"name": target.name, "kind": target.kind}
    if target._meta.label == "reports.ReportProfile":
        return {"firm": writer.refer(target.firm), "name": target.name, "source": target.source,
                "definition": target.definition}
    if isinstance(target, Department):
        return {"firm": writer.refer(target.firm), **target.profile_values()}
    return {
        "username": target.username,
        "full_name": getattr(target, "full_name", ""),
        "email": target.email,
        "organization": writer.refer(target.organization) if getattr(target, "organization_id", None) else None,
    }


def _record(obj: models.Model, writer: _Writer) -> dict:
    record: dict = {"pk": obj.pk}
    for model_field in obj._meta.concrete_fields:
        if model_field.primary_key:
            continue
        if model_field.is_relation:
            target_id = getattr(obj, model_field.attname)
            if target_id is not None and model_field.related_model._meta.label in SHARED:
                target = getattr(obj, model_field.name)
                record[model_field.attname] = writer.refer(target)
            else:
                record[model_field.attname] = target_id
        elif isinstance(model_field, models.FileField):
            value = getattr(obj, model_field.attname)
            record[model_field.attname] = writer.file(value) if value else None
        else:
            record[model_field.attname] = _encode(model_field.value_from_object(obj))
    return record


def schema() -> dict[str, str]:
    """The latest applied migration of each app, for the manifest."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    latest: dict[str, str] = {}
    for app_label, name in sorted(loader.applied_migrations):
        if app_label in APPS:
            latest[app_label] = name
    return latest


def export_evaluation(evaluation: Evaluation) -> tuple[bytes, dict[str, int]]:
    """The archive's bytes and how many records of each model it holds."""
    buffer = io.BytesIO()
    counts: dict[str, int] = {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        writer = _Writer(archive)
        parts = []
        for part in archive_plan():
            rows = part.model.objects.filter(**{part.path: evaluation.pk}).order_by("pk")
            records = [_record(obj, writer) for obj in rows]
            counts[part.label] = len(records)
            parts.append({"model": part.label, "records": records})
        data = {"shared": writer.shared, "parts": parts}
        writer.add(DATA, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created": timezone.now().isoformat(),
            "evaluation": {"id": evaluation.pk, "title": evaluation.title},
            "schema": schema(),
            "sha256": writer.sums,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return buffer.getvalue(), counts


# ---------------------------------------------------------------------------
# Reading


def read_archive(data: bytes) -> tuple[dict, dict, zipfile.ZipFile]:
    """(manifest, data, zip) after every member has been checked against the manifest's SHA-256 sums."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        manifest = json.loads(archive.read(MANIFEST))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ArchiveError("不是评价项目存档：无法读取其中的清单（manifest.json）") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError("不是评价项目存档：清单的格式不对")
    version = manifest.get("version")
    if type(version) is not int or (version != VERSION and version not in UPGRADES):
        raise ArchiveError(f"存档格式版本为{version}，本系统只能恢复版本{'、'.join(map(str, (*UPGRADES, VERSION)))}")
    sums = manifest.get("sha256") or {}
    members = set(archive.namelist()) - {MANIFEST}
    problems = [f"缺少清单中的文件：{name}" for name in sorted(set(sums) - members)]
    problems += [f"有清单之外的文件：{name}" for name in sorted(members - set(sums))]
    for name in sorted(members & set(sums)):
        try:
            actual = hashlib.sha256(archive.read(name)).hexdigest()
        except (zipfile.BadZipFile, OSError):
            actual = ""
        if actual != sums[name]:
            problems.append(f"{name} 的 SHA-256 与清单不符")
    if DATA not in sums:
        problems.append(f"清单中没有 {DATA}")
    if problems:
        raise ArchiveError("存档已被改动或已损坏，未恢复任何数据：" + "；".join(problems))
    try:
        content = upgraded(json.loads(archive.read(DATA)), version)
    except (ValueError, TypeError, KeyError, AttributeError):
        raise ArchiveError(f"存档中的 {DATA} 无法读取，未恢复任何数据") from None
    return manifest, content, archive


# ---------------------------------------------------------------------------
# Archives of earlier versions: their records under the names they have now

#: Version 1 → 2 (the migration ``reports 0010``): the declared 绩效目标 were ``TargetRow`` and the report's keys
#: "targets"; the 评价过程 chapter was "process". A frozen record of what the names were (like a migration), so the
#: evaluations layer does not read the reports vocabulary.
V1_MODELS = {"reports.TargetRow": "reports.GoalRow", "reports.HistoricalTargetRow": "reports.HistoricalGoalRow"}
V1_SECTION_KEYS = {"targets": "goals", "process": "procedure"}  # Section.key, a 复核意见 on a report section
V1_PROFILE_KEYS = {"targets": "goals"}  # a report profile's tables and chapter sub-sections


def _renamed(value, keys: dict[str, str]):
    return keys.get(value, value) if isinstance(value, str) else value


def _profile_from_1(definition):
    if not isinstance(definition, dict):
        return definition
    definition = dict(definition)
    if isinstance(definition.get("tables"), list):
        definition["tables"] = [_renamed(key, V1_PROFILE_KEYS) for key in definition["tables"]]
    if isinstance(definition.get("chapters"), list):
        definition["chapters"] = [
            {**chapter, "parts": {_renamed(key, V1_PROFILE_KEYS): text for key, text in chapter["parts"].items()}}
            if isinstance(chapter, dict) and isinstance(chapter.get("parts"), dict) else chapter
            for chapter in definition["chapters"]
        ]
    return definition


def _from_1(data: dict) -> dict:
    for part in data["parts"]:
        part["model"] = V1_MODELS.get(part["model"], part["model"])
        for record in part["records"]:
            if part["model"] in ("reports.Section", "reports.HistoricalSection") and "key" in record:
                record["key"] = _renamed(record["key"], V1_SECTION_KEYS)
            elif part["model"] == "reports.ReviewComment" and record.get("target_kind") == "section":
                record["target_key"] = _renamed(record.get("target_key"), V1_SECTION_KEYS)
    for identity in data.get("shared", {}).get("reports.ReportProfile", {}).values():
        identity["definition"] = _profile_from_1(identity.get("definition"))
    return data


#: Each earlier version → the function that brings its ``data.json`` to the next version.
UPGRADES = {1: _from_1}


def upgraded(data: dict, version: int) -> dict:
    """``data`` of an archive written as ``version``, as the current version writes it."""
    while version != VERSION:
        data = UPGRADES[version](data)
        version += 1
    return data


@dataclass
class Restored:
    evaluation: Evaluation
    counts: dict[str, int]
    skipped_history: int = 0
    created_users: list[str] = field(default_factory=list)


class _Restorer:
    def __init__(self, data: dict, archive: zipfile.ZipFile):
        self.data = data
        self.archive = archive
        self.keys: dict[str, dict[str, int]] = {}  # model label → archived key → new key
        self.created_users: list[str] = []
        self.stored_files: list[tuple[object, str]] = []  # (storage, name): removed again if the restore fails

    # -- shared records

    def shared(self, label: str, key) -> int:
        key = str(key)
        known = self.keys.setdefault(label, {})
        if key not in known:
            try:
                identity = self.data["shared"][label][key]
            except KeyError:
                raise ArchiveError(f"存档不完整：缺少 {label} {key}") from None
            known[key] = self._find_or_create(label, identity).pk
        return known[key]

    def _find_or_create(self, label: str, identity: dict) -> models.Model:
        if label == "accounts.Organization":
            found = Organization.objects.filter(name=identity["name"]).first()
            return found or Organization.objects.create(name=identity["name"], kind=identity["kind"])
        if label == "reports.ReportProfile":
            model = apps.get_model("reports", "ReportProfile")
            firm_id = self.shared("accounts.Organization", identity["firm"])
            found = model.objects.filter(firm_id=firm_id, name=identity["name"]).first()
            return found or model.objects.create(
                firm_id=firm_id, name=identity["name"], source=identity["source"], definition=identity["definition"]
            )
        if label == "evaluations.Department":
            firm_id = self.shared("accounts.Organization", identity["firm"])
            found = Department.objects.filter(firm_id=firm_id, name=identity["name"]).first()
            if found:
                return found
            department = Department(firm_id=firm_id, **{k: v for k, v in identity.items() if k != "firm"})
            department.full_clean()
            department.save()
            return department
        user_model = get_user_model()
        found = user_model.objects.filter(username=identity["username"]).first()
        if found:
            return found
        organization = identity.get("organization")
        user = user_model(
            username=identity["username"], full_name=identity.get("full_name", ""), email=identity.get("email", ""),
            organization_id=self.shared("accounts.Organization", organization) if organization is not None else None,
            is_active=False,
        )
        user.set_unusable_password()
        user.save()
        self.created_users.append(user.username)
        return user

    # -- owned records

    def restore(self) -> Restored:
        counts: dict[str, int] = {}
        skipped = 0
        for part in self.data["parts"]:
            model = self._model(part["model"])
            pending = list(part["records"])
            restored = 0
            while pending:
                ready = [r for r in pending if self._self_reference_ready(model, r)]
                if not ready:
                    raise ArchiveError(f"存档不完整：{part['model']} 的上级记录缺失")
                for record in ready:
                    pending.remove(record)
                    if self._insert(model, record):
                        restored += 1
                    else:
                        skipped += 1
            counts[part["model"]] = restored
        evaluation_key = next(iter(self.keys["evaluations.Evaluation"].values()))
        evaluation = Evaluation.objects.get(pk=evaluation_key)
        return Restored(evaluation, counts, skipped, self.created_users)

    @staticmethod
    def _model(label: str) -> type[models.Model]:
        try:
            return apps.get_model(label)
        except (LookupError, ValueError):
            raise ArchiveError(f"存档包含本系统没有的数据（{label}），请用相同或更新版本的系统恢复") from None

    def _self_reference_ready(self, model, record) -> bool:
        for link in _relations(model):
            if link.related_model is model and record.get(link.attname) is not None:
                if str(record[link.attname]) not in self.keys.get(model._meta.label, {}):
                    return False
        return True

    def _insert(self, model: type[models.Model], record: dict) -> bool:
        """Write one record with a new key; False when it is the history of an object no longer archived."""
        label = model._meta.label
        fields = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
        unknown = set(record) - set(fields) - {"pk"}
        if unknown:
            raise ArchiveError(f"存档中的 {label} 有本系统没有的字段：{', '.join(sorted(unknown))}")
        instance = model()
        key_field = model._meta.pk
        if key_field.is_relation:  # keyed by the record it belongs to (an evaluation's chosen report profile)
            instance.pk = self._key_of(key_field, record["pk"])
        files = {}
        for attname, model_field in fields.items():
            if attname not in record:
                continue
            value = record[attname]
            if model_field.is_relation:
                value = self._key_of(model_field, value)
                if value is _MISSING:
                    return False
            elif isinstance(model_field, models.FileField):
                files[attname] = value
                continue
            elif value is not None and isinstance(model_field, models.DateTimeField | models.DateField | models.TimeField
                                                  | models.DecimalField):
                value = model_field.to_python(value)
            setattr(instance, attname, value)
        history_of = getattr(model, "instance_type", None)
        if history_of is not None:  # a simple_history row: ``id`` is the tracked object's key
            tracked = self.keys.get(history_of._meta.label, {}).get(str(record.get("id")))
            if tracked is None:
                return False
            instance.id = tracked
        if label == "evaluations.Evaluation":
            self._refuse_duplicate(instance)
        for attname, stored in files.items():
            setattr(instance, attname, self._store_file(instance, fields[attname], stored) if stored else "")
        instance.save_base(raw=True)
        self.keys.setdefault(label, {})[str(record["pk"])] = instance.pk
        return True

    def _key_of(self, model_field, value):
        if value is None:
            return None
        target = model_field.related_model._meta.label
        if target in SHARED:
            return self.shared(target, value)
        new = self.keys.get(target, {}).get(str(value))
        if new is None:
            if model_field.null or not model_field.db_constraint:
                return _MISSING if getattr(model_field.model, "instance_type", None) else None
            raise ArchiveError(f"存档不完整：{model_field.model._meta.label}.{model_field.name} 指向的记录缺失")
        return new

    @staticmethod
    def _refuse_duplicate(evaluation: Evaluation) -> None:
        existing = Evaluation.objects.filter(department_id=evaluation.department_id, year=evaluation.year).first()
        if existing:
            raise ArchiveError(
                f"本系统已有{existing.title}（评价项目 #{existing.pk}），未恢复；"
                "同一部门同一年度只能有一个评价项目"
            )

    def _store_file(self, instance, model_field, stored: dict) -> str:
        data = self.archive.read(stored["member"])
        name = model_field.generate_filename(instance, posixpath.basename(stored["name"]))
        saved = model_field.storage.save(name, ContentFile(data), max_length=model_field.max_length)
        self.stored_files.append((model_field.storage, saved))
        return saved


_MISSING = object()


def restore_archive(data: bytes) -> Restored:
    """Restore an archive written by :func:`export_evaluation` as a new evaluation; nothing is written if it fails."""
    _manifest, content, archive = read_archive(data)
    restorer = _Restorer(content, archive)
    try:
        with transaction.atomic():
            return restorer.restore()
    except (ArchiveError, ValidationError, KeyError, TypeError, ValueError, DatabaseError) as error:
        for storage, name in restorer.stored_files:
            storage.delete(name)
        if isinstance(error, ArchiveError):
            raise
        raise ArchiveError(f"存档中的数据无法恢复，未恢复任何数据：{error}") from None


def files_of(evaluation: Evaluation) -> Iterable[tuple[str, str]]:
    """(storage name, SHA-256) of every stored file the evaluation's records name, as archived."""
    for part in archive_plan():
        file_fields = [f for f in part.model._meta.concrete_fields if isinstance(f, models.FileField)]
        if not file_fields:
            continue
        for obj in part.model.objects.filter(**{part.path: evaluation.pk}).order_by("pk"):
            for file_field in file_fields:
                value = getattr(obj, file_field.attname)
                if value:
                    with value.open("rb") as stream:
                        yield value.name, hashlib.sha256(stream.read()).hexdigest()
