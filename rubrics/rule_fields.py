"""The template editor's rule fields, generated from the engine's registry (``scoring.RULE_KINDS``).

Every field a rule kind declares (``scoring.Param``) becomes a form field of
its type; the fields of the kind chosen are read back into a RULES.md rule
dict, which the engine checks; each message the engine gives lands on the
field it names. A composite rule's parts (up to :data:`MAX_PARTS`) get the
same fields under their own prefix, with a name, a share and a data source.
Nothing here knows a rule kind by name except through the registry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms

from evalsite.lib.numbers import format_plain
from evaluations import fiscal
from rubrics import scoring
from rubrics.enums import rule_kind_choices

MAX_PARTS = 3
RULE_PREFIX = "rule"
LIST_SEPARATORS = re.compile(r"[,，、;；\s]+")


def ratio_choices() -> list[tuple[str, str]]:
    """Typed by hand, or any ratio ``evaluations.fiscal`` computes."""
    return [("", "手工填写")] + [(key, f"预算数据：{label}") for key, label in fiscal.RATIO_LABELS.items()]


def composite_kinds() -> list[str]:
    """The rule kinds made of parts (whose fields include a ``PARTS`` field)."""
    return [kind for kind, spec in scoring.RULE_KINDS.items() if any(p.type == scoring.PARTS for p in spec.params)]


def part_kind_choices() -> list[tuple[str, str]]:
    """The kinds a part of a composite rule may have: any but a composite one."""
    return [(kind, label) for kind, label in rule_kind_choices() if kind not in composite_kinds()]


def field_name(prefix: str, kind: str, param: str) -> str:
    return f"{prefix}_{kind}_{param}"


def _choice_default(param: scoring.Param) -> str:
    labels = dict(param.choices)
    return f"（默认：{labels[param.default]}）" if param.default in labels else "——请选择——"


def form_field(param: scoring.Param) -> forms.Field:
    """The form field of one rule field, by its type; the engine decides what is required."""
    common = {"label": param.label, "required": False, "help_text": param.help}
    if param.type == scoring.INTEGER:
        return forms.IntegerField(min_value=1, widget=forms.NumberInput(attrs={"class": "form-control"}), **common)
    if param.type == scoring.CHOICE:
        return forms.ChoiceField(choices=[("", _choice_default(param)), *param.choices], **common)
    if param.type == scoring.FLAG:
        return forms.BooleanField(initial=bool(param.default), **common)
    if param.type in (scoring.BANDS, scoring.TIERS):
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    return forms.CharField(max_length=200, **common)  # NUMBER, AMOUNT, AMOUNTS, TEXT: read exactly by the engine


def _rows(text: str, width: int, shape: str) -> list[list[str]]:
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        cells = line.split()
        if not cells:
            continue
        if len(cells) != width:
            raise forms.ValidationError(f"第{number}行应写成“{shape}”")
        rows.append(cells)
    return rows


def to_rule_value(param: scoring.Param, value: Any) -> Any:
    """A cleaned form value as the rule dict holds it (``None``: leave the field out)."""
    if param.type == scoring.FLAG:
        return None if bool(value) == bool(param.default) else bool(value)
    if value in (None, ""):
        return None
    if param.type == scoring.INTEGER:
        return int(value)
    if param.type == scoring.AMOUNTS:
        return [item for item in LIST_SEPARATORS.split(value.strip()) if item]
    if param.type == scoring.BANDS:
        return [{"min": low, "score": score} for low, score in _rows(value, 2, "下限 得分")] or None
    if param.type == scoring.TIERS:
        return _rows(value, 3, "名称 下限 上限") or None
    return value.strip() if isinstance(value, str) else value


def to_initial(param: scoring.Param, value: Any) -> Any:
    """A rule dict's value as the form field shows it."""
    if param.type == scoring.FLAG:
        return bool(param.default) if value is None else value
    if value is None:
        return None
    if param.type == scoring.AMOUNTS and isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if param.type == scoring.BANDS and isinstance(value, list):
        return "\n".join(f"{band.get('min', '')} {band.get('score', '')}" for band in value if isinstance(band, Mapping))
    if param.type == scoring.TIERS and isinstance(value, list):
        return "\n".join(" ".join(str(cell) for cell in row) for row in value if isinstance(row, (list, tuple)))
    if isinstance(value, Decimal):
        return format_plain(value)
    return value


def _params(kind: str) -> tuple[scoring.Param, ...]:
    """The fields of ``kind`` that are form fields of their own (a composite rule's parts are built apart)."""
    spec = scoring.RULE_KINDS.get(kind)
    return tuple(param for param in spec.params if param.type != scoring.PARTS) if spec else ()


def part_prefix(index: int) -> str:
    return f"part{index}"


class RuleFields:
    """The rule fields of a form: built from the registry, read back into a rule dict, errors placed."""

    def __init__(self, form: forms.Form) -> None:
        self.form = form
        self.groups: dict[str, list[str]] = {}  # kind → its field names (top level)
        self.part_groups: list[dict[str, list[str]]] = []  # per part: kind → field names
        for kind in scoring.RULE_KINDS:
            self.groups[kind] = self._add_params(RULE_PREFIX, kind)
        for index in range(MAX_PARTS):
            prefix = part_prefix(index)
            form.fields[f"{prefix}_name"] = forms.CharField(label="分项名称", required=False, max_length=100)
            form.fields[f"{prefix}_share"] = forms.CharField(
                label="占权重分的比例", required=False, max_length=20, help_text="如 1/2 或 0.5；各分项合计为1"
            )
            form.fields[f"{prefix}_kind"] = forms.ChoiceField(
                label="评分规则", required=False, choices=[("", "——请选择——"), *part_kind_choices()]
            )
            form.fields[f"{prefix}_binding_ratio"] = forms.ChoiceField(
                label="输入取自", required=False, choices=ratio_choices
            )
            form.fields[f"{prefix}_binding_survey"] = forms.CharField(
                label="或取自满意度问卷", required=False, max_length=100
            )
            self.part_groups.append(
                {kind: self._add_params(prefix, kind) for kind, _label in part_kind_choices()}
            )

    def _add_params(self, prefix: str, kind: str) -> list[str]:
        names = [field_name(prefix, kind, param.name) for param in _params(kind)]
        self.form.fields.update({name: form_field(param) for name, param in zip(names, _params(kind), strict=True)})
        return names

    # Reading ---------------------------------------------------------------
    def _read_params(self, prefix: str, kind: str, data: Mapping[str, Any]) -> dict[str, Any] | None:
        rule: dict[str, Any] = {"kind": kind}
        ok = True
        for param in _params(kind):
            name = field_name(prefix, kind, param.name)
            try:
                value = to_rule_value(param, data.get(name))
            except forms.ValidationError as error:
                self.form.add_error(name, error)
                ok = False
                continue
            if value is not None:
                rule[param.name] = value
        return rule if ok else None

    def _read_part(self, index: int, data: Mapping[str, Any]) -> dict[str, Any] | None:
        prefix = part_prefix(index)
        kind = data.get(f"{prefix}_kind")
        name = (data.get(f"{prefix}_name") or "").strip()
        if not kind and not name:
            return None
        part: dict[str, Any] = {"name": name, "share": (data.get(f"{prefix}_share") or "").strip()}
        part["rule"] = self._read_params(prefix, kind, data) if kind else {}
        ratio = data.get(f"{prefix}_binding_ratio")
        group = (data.get(f"{prefix}_binding_survey") or "").strip()
        if ratio and group:
            self.form.add_error(f"{prefix}_binding_survey", "数据来源只能选一个：预算数据或满意度问卷。")
        part["binding"] = {"ratio": ratio} if ratio else {"survey": group} if group else None
        return part

    def read(self, kind: str, data: Mapping[str, Any]) -> dict[str, Any] | None:
        """The rule dict of ``kind`` from the cleaned data (``None`` when a field could not be read)."""
        if kind not in composite_kinds():
            return self._read_params(RULE_PREFIX, kind, data)
        parts = [self._read_part(index, data) for index in range(MAX_PARTS)]
        if any(part is not None and part["rule"] is None for part in parts):
            return None
        return {"kind": kind, "parts": [part for part in parts if part is not None]}

    def place_error(self, kind: str, error: scoring.RuleError) -> None:
        """Put the engine's message on the field it concerns (or on the rule kind)."""
        self.form.add_error(self._field_of(kind, error.field), "；".join(error.messages))

    def _field_of(self, kind: str, path: str | None) -> str:
        if not path:
            return "rule_kind"
        if not path.startswith("parts."):
            name = field_name(RULE_PREFIX, kind, path)
            return name if name in self.form.fields else "rule_kind"
        pieces = path.split(".")
        if len(pieces) < 3 or not pieces[1].isdigit():
            return "rule_kind"
        prefix = part_prefix(int(pieces[1]))
        inner = pieces[2]
        if inner in ("name", "share"):
            return f"{prefix}_{inner}"
        if inner in ("rule", "binding"):
            return f"{prefix}_kind" if inner == "rule" else f"{prefix}_binding_ratio"
        part_kind = self.form.data.get(f"{prefix}_kind") or ""
        name = field_name(prefix, part_kind, inner)
        return name if name in self.form.fields else f"{prefix}_kind"

    # Initial values ----------------------------------------------------------
    @staticmethod
    def initial(rule: Mapping[str, Any] | None) -> dict[str, Any]:
        """A stored rule dict as the initial values of the rule fields."""
        rule = dict(rule or {})
        kind = rule.get("kind") or scoring.DEFAULT_RULE_KIND
        initial: dict[str, Any] = {"rule_kind": kind}
        initial.update(_initial_params(RULE_PREFIX, kind, rule))
        for index, part in enumerate(rule.get("parts") or []):
            if index >= MAX_PARTS or not isinstance(part, Mapping):
                break
            prefix = part_prefix(index)
            part_rule = part.get("rule") or {}
            binding = part.get("binding") or {}
            initial.update({
                f"{prefix}_name": part.get("name", ""),
                f"{prefix}_share": part.get("share", ""),
                f"{prefix}_kind": part_rule.get("kind", ""),
                f"{prefix}_binding_ratio": binding.get("ratio", ""),
                f"{prefix}_binding_survey": binding.get("survey", ""),
                **_initial_params(prefix, part_rule.get("kind", ""), part_rule),
            })
        return initial


def _initial_params(prefix: str, kind: str, rule: Mapping[str, Any]) -> dict[str, Any]:
    return {field_name(prefix, kind, param.name): to_initial(param, rule.get(param.name)) for param in _params(kind)}
