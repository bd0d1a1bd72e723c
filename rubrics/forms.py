"""Forms for judgments and templates: they convert input to engine shapes and hold no rules."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Layout
from django import forms

from evalsite.lib.text_limits import lines_problem
from evaluations.forms import RevisionField, XlsxFileField
from rubrics import scoring
from rubrics.enums import IndicatorKind, rule_kind_choices
from rubrics.limits import INDICATOR, JUDGMENT, SYSTEM_NAME, code_problem
from rubrics.models import Evidence, IndicatorSystem
from rubrics.rule_fields import RuleFields, composite_kinds, part_prefix, ratio_choices
from surveys import limits as survey_limits

DECIMAL_ATTRS = {"class": "form-control", "step": "0.01", "inputmode": "decimal"}
MET, NOT_MET = "1", "0"
ANSWER_CHOICES = [(MET, "符合"), (NOT_MET, "不符合")]


def _answer(value: str | None) -> bool | None:
    """A radio pair's answer: 符合 True, 不符合 False, unanswered None (never read as 不符合)."""
    return {MET: True, NOT_MET: False}.get(value or "")


def _as_choice(value) -> str | None:
    return None if value is None else (MET if value else NOT_MET)


class _Inputs:
    """The input fields of one rule (or one part of a composite rule), named with ``prefix``.

    Labels are the engine's (``scoring.RULE_KINDS[kind].inputs``); the input a
    bound value feeds (``fed``) gets no field at all, whether or not the value
    can be read. Each 评价要点 is a 符合 / 不符合 pair, unanswered by default.
    """

    def __init__(self, rule: scoring.Rule, *, prefix: str = "", fed: str | None = None, points: tuple[str, ...] = (),
                 weight: Decimal, tiers: tuple[scoring.Tier, ...], caption: str = "", keep_count: bool = False):
        self.rule = rule
        self.keep_count = keep_count  # a deduction saved as a count before its points were listed
        self.prefix = prefix
        self.fed = fed
        self.points = points
        self.weight = weight
        self.tiers = tiers
        self.caption = caption
        self.fields: dict[str, forms.Field] = {}
        self.radios: list[str] = []
        getattr(self, f"_fields_{rule.kind}")()

    def label(self, key: str, suffix: str = "") -> str:
        text = scoring.input_label(self.rule.kind, key) + suffix
        return f"{self.caption} · {text}" if self.caption else text

    def _add(self, key: str, field: forms.Field) -> None:
        if key != self.fed:
            self.fields[self.prefix + key] = field

    def _number(self, key: str, suffix: str = "", help_text: str = "") -> None:
        self._add(key, forms.DecimalField(
            label=self.label(key, suffix), required=False, max_digits=16, decimal_places=4,
            widget=forms.NumberInput(attrs={**DECIMAL_ATTRS, "step": "any"}), help_text=help_text,
        ))

    def _radio(self, name: str, label: str, choices=ANSWER_CHOICES) -> None:
        self.fields[self.prefix + name] = forms.ChoiceField(
            label=label, choices=choices, required=False, widget=forms.RadioSelect
        )
        self.radios.append(self.prefix + name)

    def _point_fields(self, count: int) -> None:
        for index in range(count):
            text = self.points[index] if index < len(self.points) else f"第{index + 1}项评价要点"
            self._radio(f"met_{index}", f"{scoring.circled(index + 1)} {text}")

    def _fields_checklist(self) -> None:
        self._point_fields(self.rule.items)

    def _fields_deduct(self) -> None:
        if self.rule.items is not None:
            self._point_fields(self.rule.items)
        if self.rule.items is None or self.keep_count:
            self._add("failures", forms.IntegerField(
                label=self.label("failures"), min_value=0, required=False,
                widget=forms.NumberInput(attrs={"class": "form-control"}),
                help_text="原记录为不符处数；逐项判断后以各要点的判断为准。" if self.keep_count else "",
            ))

    def _fields_ratio(self) -> None:
        self._number("actual")
        self._number("target")

    def _fields_rate_deviation(self) -> None:
        self._number("rate", help_text="例如 95.24 表示 95.24%")

    def _fields_bands(self) -> None:
        self._number("value", "（%）" if self.rule.percent else "")

    def _fields_yes_no(self) -> None:
        self._radio("yes", self.label("yes"))

    def _fields_tier(self) -> None:
        tiers = self.rule.tiers or self.tiers
        self._add("tier", forms.ChoiceField(
            label=self.label("tier"), required=False,
            choices=[("", "——请选择——")] + [(t.name, f"{t.name}（{t.low}%–{t.high}%）") for t in tiers],
            widget=forms.Select(attrs={"class": "form-select"}),
        ))
        self._number("share", help_text="须在所选档次的区间内")

    def _fields_judgment(self) -> None:
        self._number("score", f"（0–{scoring.format_plain(self.weight)}分）")

    def _fields_composite(self) -> None:  # parts are built by the form, each with its own prefix
        pass

    def read(self, data: dict) -> dict:
        """The cleaned values in the engine's shape (numbers as strings); nothing for what was left blank."""
        if self.rule.kind in ("checklist", "deduct") and self.rule.items is not None:
            answers = [_answer(data.get(f"{self.prefix}met_{index}")) for index in range(self.rule.items)]
            if any(answer is not None for answer in answers):
                return {"met": answers}
            count = data.get(f"{self.prefix}failures")
            return {"failures": count} if self.keep_count and count is not None else {}
        values = {}
        for name in self.fields:
            value = data.get(name)
            if value is None or value == "":
                continue
            key = name[len(self.prefix):]
            values[key] = _answer(value) if name in self.radios else str(value) if isinstance(value, Decimal) else value
        return values



def _initial_inputs(inputs: dict, prefix: str = "") -> dict:
    """Stored inputs as the initial values of the fields named with ``prefix``."""
    initial = {}
    for key, value in (inputs or {}).items():
        if key == "met" and isinstance(value, list):
            initial.update({f"{prefix}met_{i}": _as_choice(answer) for i, answer in enumerate(value)})
        elif key == "yes":
            initial[prefix + key] = _as_choice(value)
        else:
            initial[prefix + key] = value
    return initial


AUTOSAVE_STATUS = (
    '<div class="small text-muted mb-3 mt-n2" data-autosave-status aria-live="polite" data-testid="autosave-status">'
    "评分过程边写边自动保存为草稿（仅你可见），关闭页面或登录过期也不会丢失。</div>"
)


class JudgmentForm(forms.Form):
    """Inputs for one third-level indicator, shaped by its rule; bound inputs are shown, never typed."""

    applicable = forms.BooleanField(label="本指标适用", required=False, initial=True)
    not_applicable_reason = forms.CharField(
        label="不适用的理由", required=False, max_length=INDICATOR["not_applicable_reason"],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="取消“本指标适用”时必须填写；该指标不参与评分，其余指标折算为百分制。",
    )
    override_score = forms.DecimalField(
        label="调整后得分（可选）", required=False, max_digits=7, decimal_places=2,
        widget=forms.NumberInput(attrs=DECIMAL_ATTRS),
        help_text="只有评价组认为按规则计算的得分不合理，或无法按规则计分时才填写，必须同时写明理由。",
    )
    override_reason = forms.CharField(label="调整理由", required=False, max_length=JUDGMENT["override_reason"],
                                      widget=forms.Textarea(attrs={"rows": 2}))
    actual_text = forms.CharField(label="实际完成值（报告中显示的文字）", required=False, max_length=JUDGMENT["actual"])
    process = forms.CharField(
        label="评分过程", required=False, max_length=JUDGMENT["process"], widget=forms.Textarea(attrs={"rows": 6}),
        help_text="写明查阅的资料和发现；留空时报告使用系统根据规则和输入草拟的句子。",
    )
    deviation_reason = forms.CharField(
        label="偏差原因分析及改进措施", required=False, max_length=JUDGMENT["deviation_reason"],
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    revision = RevisionField()
    TRAILING = ("process", "actual_text", "deviation_reason", "override_score", "override_reason",
                "applicable", "not_applicable_reason", "revision")

    def __init__(self, *args, rule: scoring.Rule, weight: Decimal, points: tuple[str, ...] = (),
                 fed: tuple[str | None, list[str | None]] = (None, []),
                 tiers: tuple[scoring.Tier, ...] = scoring.DEFAULT_TIERS, autosave_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if autosave_url:  # static/js/app.js keeps what is typed as a draft on the server
            self.fields["process"].widget.attrs.update({"data-autosave-url": autosave_url})
        self.rule = rule
        own, part_fed = fed
        keep_count = "failures" in self.initial and not any(name.startswith("met_") for name in self.initial)
        self.groups = [_Inputs(rule, fed=own, points=points, weight=weight, tiers=tiers, keep_count=keep_count)]
        if isinstance(rule, scoring.CompositeRule):
            self.groups = [
                _Inputs(part.rule, prefix=f"part{index}_", fed=part_fed[index] if index < len(part_fed) else None,
                        weight=weight * Decimal(part.share.numerator) / Decimal(part.share.denominator),
                        tiers=tiers, caption=part.name)
                for index, part in enumerate(rule.parts)
            ]
        for group in self.groups:
            self.fields.update(group.fields)
        self.input_names = [name for group in self.groups for name in group.fields]
        self.order_fields([*self.input_names, *self.TRAILING])
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        radios = {name for group in self.groups for name in group.radios}
        self.helper.layout = Layout(*(InlineRadios(name) if name in radios else name for name in self.fields))
        if autosave_url:  # where static/js/app.js says how the draft is kept, right under the 评分过程
            self.helper.layout.insert(list(self.fields).index("process") + 1, HTML(AUTOSAVE_STATUS))

    def inputs(self) -> dict:
        """The cleaned inputs in the engine's shape (numbers as strings); a composite rule's as ``parts``."""
        if isinstance(self.rule, scoring.CompositeRule):
            parts = [group.read(self.cleaned_data) for group in self.groups]
            return {"parts": parts} if scoring.inputs_given(parts) else {}
        return self.groups[0].read(self.cleaned_data)

    @classmethod
    def initial_from(cls, judgment, indicator, rule: scoring.Rule) -> dict:
        initial = {
            "applicable": indicator.applicable, "not_applicable_reason": indicator.not_applicable_reason,
            "revision": judgment.revision if judgment is not None else 0,
        }
        if judgment is None:
            return initial
        inputs = judgment.inputs or {}
        if isinstance(rule, scoring.CompositeRule):
            for index, typed in enumerate(inputs.get("parts") or []):
                initial.update(_initial_inputs(typed, f"part{index}_"))
        else:
            initial.update(_initial_inputs(inputs))
        initial.update(
            override_score=judgment.override_score,
            override_reason=judgment.override_reason,
            process=judgment.process,
            actual_text=judgment.actual,
            deviation_reason=judgment.deviation_reason,
        )
        return initial

    def has_content(self) -> bool:
        """Whether anything was entered at all (an untouched page saves nothing)."""
        data = self.cleaned_data
        texts = ("process", "actual_text", "deviation_reason", "override_reason")
        return bool(self.inputs()) or data.get("override_score") is not None or any(
            (data.get(name) or "").strip() for name in texts
        )


class EvidenceForm(forms.ModelForm):
    class Meta:
        model = Evidence
        fields = ["file", "title", "document_date", "shared_with_bureau"]
        labels = {"file": "佐证材料文件", "title": "说明（资料名称）"}
        widgets = {"document_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_file(self):
        from pathlib import Path

        from django.conf import settings

        upload = self.cleaned_data["file"]
        if upload.size > settings.EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(
                f"文件过大（{upload.size // 1024 // 1024} MB），上限为{settings.EVIDENCE_MAX_BYTES // 1024 // 1024} MB。"
            )
        if Path(upload.name).suffix.lower() not in settings.EVIDENCE_EXTENSIONS:
            allowed = "、".join(ext.lstrip(".") for ext in settings.EVIDENCE_EXTENSIONS)
            raise forms.ValidationError(f"不支持这种文件类型，请上传：{allowed}。")
        return upload


class ChooseSystemForm(forms.Form):
    system = forms.ModelChoiceField(label="指标体系模板", queryset=IndicatorSystem.objects.none(),
                                    widget=forms.RadioSelect, empty_label=None)

    def __init__(self, *args, systems=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = systems
        self.fields["system"].label_from_instance = lambda s: f"{s.name}（{s.family or '自定义'}）"


class NodeForm(forms.Form):
    """One node of a template tree: texts, weight, and for a leaf its 评价要点, rule and data source.

    The rule's fields are a form fitted to each rule kind, generated from the
    engine's registry (:mod:`rubrics.rule_fields`); the engine checks the rule
    and its messages appear on the fields they name.
    """

    code = forms.CharField(label="编码", max_length=INDICATOR["code"])
    name = forms.CharField(label="名称", max_length=INDICATOR["name"])
    weight = forms.DecimalField(label="权重（末级指标）", required=False, max_digits=7, decimal_places=2,
                                help_text="上级指标的权重自动等于下级之和。")
    kind = forms.ChoiceField(label="类型", choices=IndicatorKind.choices, initial=IndicatorKind.NORMAL)
    explanation = forms.CharField(label="指标解释", required=False, max_length=INDICATOR["explanation"],
                                  widget=forms.Textarea(attrs={"rows": 2}))
    basis = forms.CharField(label="评价依据", required=False, max_length=INDICATOR["basis"],
                            widget=forms.Textarea(attrs={"rows": 2}))
    target = forms.CharField(label="标杆值", required=False, max_length=INDICATOR["target"])
    criteria = forms.CharField(label="评分标准", required=False, max_length=INDICATOR["criteria"],
                               widget=forms.Textarea(attrs={"rows": 3}))
    points = forms.CharField(
        label="评价要点（每行一项）", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="要点计分和每处不符扣分的规则逐项判断“符合/不符合”；要点数即行数。",
    )
    rule_kind = forms.ChoiceField(label="评分规则", choices=rule_kind_choices, initial=scoring.DEFAULT_RULE_KIND)
    binding_ratio = forms.ChoiceField(label="输入取自", required=False, choices=ratio_choices)
    binding_survey = forms.CharField(
        label="或取自满意度问卷", required=False, max_length=survey_limits.GROUP,
        help_text="填写问卷的调查对象，如“企业和办事群众”；评分时取该问卷的综合满意度。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule_fields = RuleFields(self)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "code", "name", "weight", "kind", "explanation", "basis", "target", "criteria", "points", "rule_kind",
            *(self._kind_block(kind, names) for kind, names in self.rule_fields.groups.items() if names),
            self._parts_block(),
            "binding_ratio", "binding_survey",
        )

    @staticmethod
    def _kind_block(kind: str, names: list[str], part: str = "") -> Div:
        attrs = {"data_part_kind": kind, "data_part": part} if part else {"data_rule_kind": kind}
        return Div(*names, css_class="rule-params border-start ps-3 mb-2", **attrs)

    def _parts_block(self) -> Div:
        parts = []
        for index, groups in enumerate(self.rule_fields.part_groups):
            prefix = part_prefix(index)
            parts.append(Div(
                HTML(f'<div class="small fw-semibold mb-1">分项{index + 1}</div>'),
                f"{prefix}_name", f"{prefix}_share", f"{prefix}_kind",
                *(self._kind_block(kind, names, prefix) for kind, names in groups.items() if names),
                f"{prefix}_binding_ratio", f"{prefix}_binding_survey",
                css_class="border rounded p-2 mb-2", data_part_box=prefix,
            ))
        return Div(*parts, css_class="rule-params mb-2", data_rule_kind=" ".join(composite_kinds()))

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code:
            raise forms.ValidationError("编码不能为空。")
        if problem := code_problem(code):
            raise forms.ValidationError(f"{problem}。")
        return code

    def clean_points(self) -> list[str]:
        points = [line.strip() for line in (self.cleaned_data.get("points") or "").splitlines() if line.strip()]
        if problem := lines_problem(points):
            raise forms.ValidationError(f"评价要点{problem}。")
        return points

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("binding_ratio") and (cleaned.get("binding_survey") or "").strip():
            self.add_error("binding_survey", "数据来源只能选一个：预算数据或满意度问卷。")
        kind = cleaned.get("rule_kind")
        if kind:
            rule = self.rule_fields.read(kind, cleaned)
            if rule is not None:
                try:
                    scoring.rule_from_dict(rule, cleaned.get("code", ""), len(cleaned.get("points") or []))
                except scoring.RuleError as error:
                    self.rule_fields.place_error(kind, error)
            cleaned["rule"] = rule
        return cleaned

    def node_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) or "" for name in
                ("code", "name", "kind", "explanation", "basis", "target", "criteria")}
        data["weight"] = self.cleaned_data.get("weight") or 0
        data["rule"] = self.cleaned_data.get("rule")
        data["points"] = self.cleaned_data.get("points") or []
        ratio = self.cleaned_data.get("binding_ratio")
        group = (self.cleaned_data.get("binding_survey") or "").strip()
        data["binding"] = {"ratio": ratio} if ratio else {"survey": group} if group else None
        return data

    @classmethod
    def initial_from(cls, node: dict) -> dict:
        binding = node.get("binding") or {}
        return {
            **{name: node.get(name, "") for name in ("code", "name", "explanation", "basis", "target", "criteria")},
            "weight": node.get("weight"),
            "kind": node.get("kind") or scoring.NORMAL,
            "points": "\n".join(node.get("points") or []),
            **RuleFields.initial(node.get("rule")),
            "binding_ratio": binding.get("ratio", ""),
            "binding_survey": binding.get("survey", ""),
        }


class SystemImportForm(forms.Form):
    file = XlsxFileField(label="指标体系XLSX文件",
                           help_text="每行一个三级指标；一、二级指标可合并单元格或只在首行填写；权重可写在名称中，如“A部门决策（15）”。")
    name = forms.CharField(label="模板名称", max_length=SYSTEM_NAME, required=False,
                           help_text="导入为模板时使用；留空则用文件名。")

class EvaluationImportForm(SystemImportForm):
    name = None
    with_scores = forms.BooleanField(label="同时导入得分和评分过程", required=False, initial=True,
                                     help_text="表中有“得分”列时，按表中的分数作为评价人员的判断导入，可逐项改为计算规则。")


class ProjectFormImportForm(forms.Form):
    file = XlsxFileField(
        label="项目支出绩效自评表XLSX文件",
        help_text="一个工作表一个项目；有多个工作表时可在预览中选择。先预览，确认后才保存。",
    )
