"""Forms for judgments and templates: they convert input to engine shapes and hold no rules."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from evaluations import fiscal
from evaluations.forms import XlsxFileField
from rubrics import scoring
from rubrics.enums import IndicatorKind, rule_kind_choices
from rubrics.models import Evidence, IndicatorSystem

DECIMAL_ATTRS = {"class": "form-control", "step": "0.01", "inputmode": "decimal"}


class JudgmentForm(forms.Form):
    """Inputs for one third-level indicator, shaped by its rule; the bound input is shown, not typed."""

    applicable = forms.BooleanField(label="本指标适用", required=False, initial=True)
    override_score = forms.DecimalField(
        label="调整后得分（可选）", required=False, max_digits=7, decimal_places=2,
        widget=forms.NumberInput(attrs=DECIMAL_ATTRS),
        help_text="只有评价组认为按规则计算的得分不合理时才填写，必须同时写明理由。",
    )
    override_reason = forms.CharField(label="调整理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    actual_text = forms.CharField(label="实际完成值（报告中显示的文字）", required=False, max_length=300)
    process = forms.CharField(
        label="评分过程", required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="写明查阅的资料和发现；留空时报告使用系统根据规则和输入草拟的句子。",
    )
    deviation_reason = forms.CharField(
        label="偏差原因分析及改进措施", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, rule: scoring.Rule, weight: Decimal, bound_input: str | None = None,
                 tiers: tuple[scoring.Tier, ...] = scoring.DEFAULT_TIERS, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule
        self.weight = weight
        self.bound_input = bound_input
        self.input_names: list[str] = []
        builder = getattr(self, f"_fields_{rule.kind}")
        builder(tiers)
        self.order_fields(["applicable", *self.input_names, "process", "actual_text", "deviation_reason", "override_score", "override_reason"])

    def _add(self, name: str, field: forms.Field) -> None:
        if name == self.bound_input:
            return
        self.fields[name] = field
        self.input_names.append(name)

    def _number(self, label: str, help_text: str = "", required: bool = True) -> forms.DecimalField:
        return forms.DecimalField(
            label=label, required=required, max_digits=16, decimal_places=4,
            widget=forms.NumberInput(attrs={**DECIMAL_ATTRS, "step": "any"}), help_text=help_text,
        )

    def _fields_checklist(self, tiers) -> None:
        for index in range(self.rule.items):
            self._add(f"met_{index}", forms.BooleanField(label=f"第{index + 1}项要点符合", required=False))

    def _fields_deduct(self, tiers) -> None:
        self._add("failures", forms.IntegerField(label="不符合的要点数（处）", min_value=0, initial=0,
                                                 widget=forms.NumberInput(attrs={"class": "form-control"})))

    def _fields_ratio(self, tiers) -> None:
        self._add("actual", self._number("实际完成值"))
        self._add("target", self._number("标杆值（目标值）"))

    def _fields_rate_deviation(self, tiers) -> None:
        self._add("rate", self._number("比率（%）", "例如 95.24 表示 95.24%"))

    def _fields_bands(self, tiers) -> None:
        self._add("value", self._number("取值（%）" if self.rule.percent else "取值"))

    def _fields_yes_no(self, tiers) -> None:
        self._add("yes", forms.TypedChoiceField(
            label="是否符合评价要点", choices=[("1", "符合"), ("0", "不符合")], coerce=lambda v: v == "1",
            widget=forms.RadioSelect, required=True,
        ))

    def _fields_tier(self, tiers) -> None:
        tiers = self.rule.tiers or tiers
        self._add("tier", forms.ChoiceField(
            label="达成情况", choices=[(t.name, f"{t.name}（{t.low}%–{t.high}%）") for t in tiers],
            widget=forms.Select(attrs={"class": "form-select"}),
        ))
        self._add("share", self._number("完成比例（%）", "须在所选档次的区间内"))

    def _fields_judgment(self, tiers) -> None:
        self._add("score", self._number(f"得分（0–{scoring.format_plain(self.weight)}分）"))

    # ------------------------------------------------------------------
    def inputs(self) -> dict:
        """The cleaned inputs in the engine's shape (numbers as strings)."""
        data = self.cleaned_data
        kind = self.rule.kind
        if kind == "checklist":
            return {"met": [bool(data.get(f"met_{i}")) for i in range(self.rule.items)]}
        values = {}
        for name in self.input_names:
            value = data.get(name)
            if value is None or value == "":
                continue
            values[name] = str(value) if isinstance(value, Decimal) else value
        return values

    @classmethod
    def initial_from(cls, judgment, indicator) -> dict:
        initial = {"applicable": indicator.applicable}
        if judgment is None:
            return initial
        inputs = judgment.inputs or {}
        for key, value in inputs.items():
            if key == "met":
                initial.update({f"met_{i}": bool(v) for i, v in enumerate(value)})
            elif key == "yes":
                initial["yes"] = "1" if value else "0"
            else:
                initial[key] = value
        initial.update(
            override_score=judgment.override_score,
            override_reason=judgment.override_reason,
            process=judgment.process,
            actual_text=judgment.actual,
            deviation_reason=judgment.deviation_reason,
        )
        return initial


class EvidenceForm(forms.ModelForm):
    class Meta:
        model = Evidence
        fields = ["file", "title"]
        labels = {"file": "佐证材料文件", "title": "说明"}

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


def ratio_choices() -> list[tuple[str, str]]:
    """Typed by hand, or any ratio ``evaluations.fiscal`` computes."""
    return [("", "手工填写")] + [(key, f"预算数据：{label}") for key, label in fiscal.RATIO_LABELS.items()]


RULE_FIELDS_HELP = (
    "规则参数为JSON，例如：要点计分 {\"items\": 4}；每处不符扣分 {\"per_failure\": \"1/3\", \"unit\": \"share\"}；"
    "比率达标 {\"threshold\": \"95\", \"direction\": \"at_least\", \"step\": \"5/100\", \"unit\": \"share\"}；"
    "分档 {\"bands\": [{\"min\": \"90\", \"score\": \"6\"}, {\"min\": \"85\", \"score\": \"5\"}]}。"
)


class NodeForm(forms.Form):
    """One node of a template tree: texts, weight, and for a leaf its rule."""

    code = forms.CharField(label="编码", max_length=20)
    name = forms.CharField(label="名称", max_length=200)
    weight = forms.DecimalField(label="权重（末级指标）", required=False, max_digits=7, decimal_places=2,
                                help_text="上级指标的权重自动等于下级之和。")
    kind = forms.ChoiceField(label="类型", choices=IndicatorKind.choices, initial=IndicatorKind.NORMAL)
    explanation = forms.CharField(label="指标解释", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    basis = forms.CharField(label="评价依据", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    target = forms.CharField(label="标杆值", required=False, max_length=300)
    criteria = forms.CharField(label="评分标准", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    rule_kind = forms.ChoiceField(label="评分规则", choices=rule_kind_choices, initial=scoring.DEFAULT_RULE_KIND)
    rule_params = forms.JSONField(label="规则参数", required=False, initial=dict, help_text=RULE_FIELDS_HELP,
                                  widget=forms.Textarea(attrs={"rows": 2, "class": "font-monospace"}))
    binding_ratio = forms.ChoiceField(label="输入取自", required=False, choices=ratio_choices)
    binding_survey = forms.CharField(
        label="或取自满意度问卷", required=False, max_length=100,
        help_text="填写问卷的调查对象，如“企业和办事群众”；评分时取该问卷的综合满意度。",
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code:
            raise forms.ValidationError("编码不能为空。")
        return code

    def clean(self):
        cleaned = super().clean()
        params = cleaned.get("rule_params") or {}
        if not isinstance(params, dict):
            self.add_error("rule_params", "规则参数应为JSON对象，例如 {\"items\": 4}。")
            return cleaned
        if cleaned.get("binding_ratio") and (cleaned.get("binding_survey") or "").strip():
            self.add_error("binding_survey", "数据来源只能选一个：预算数据或满意度问卷。")
        if cleaned.get("rule_kind"):
            rule = {"kind": cleaned["rule_kind"], **params}
            try:
                scoring.rule_from_dict(rule, cleaned.get("code", ""))
            except scoring.ScoringError as error:
                self.add_error("rule_params", "；".join(error.messages))
            cleaned["rule"] = rule
        return cleaned

    def node_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) or "" for name in
                ("code", "name", "kind", "explanation", "basis", "target", "criteria")}
        data["weight"] = self.cleaned_data.get("weight") or 0
        data["rule"] = self.cleaned_data.get("rule")
        ratio = self.cleaned_data.get("binding_ratio")
        group = (self.cleaned_data.get("binding_survey") or "").strip()
        data["binding"] = {"ratio": ratio} if ratio else {"survey": group} if group else None
        return data

    @classmethod
    def initial_from(cls, node: dict) -> dict:
        rule = dict(node.get("rule") or {})
        kind = rule.pop("kind", scoring.DEFAULT_RULE_KIND)
        binding = node.get("binding") or {}
        return {
            **{name: node.get(name, "") for name in ("code", "name", "explanation", "basis", "target", "criteria")},
            "weight": node.get("weight"),
            "kind": node.get("kind") or scoring.NORMAL,
            "rule_kind": kind,
            "rule_params": rule,
            "binding_ratio": binding.get("ratio", ""),
            "binding_survey": binding.get("survey", ""),
        }


class SystemImportForm(forms.Form):
    file = XlsxFileField(label="指标体系XLSX文件",
                           help_text="每行一个三级指标；一、二级指标可合并单元格或只在首行填写；权重可写在名称中，如“A部门决策（15）”。")
    name = forms.CharField(label="模板名称", max_length=200, required=False,
                           help_text="导入为模板时使用；留空则用文件名。")

class EvaluationImportForm(SystemImportForm):
    name = None
    with_scores = forms.BooleanField(label="同时导入得分和评分过程", required=False, initial=True,
                                     help_text="表中有“得分”列时，按表中的分数作为评价人员的判断导入，可逐项改为计算规则。")
