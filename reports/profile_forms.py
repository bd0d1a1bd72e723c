"""Forms of the report profiles: the outline editor, the bureau defaults and an evaluation's choice.

They convert what is typed into a definition (``reports.profiles``) and hold no
rules: the definition's checks and their Chinese messages are the profiles
module's, the writes ``reports.profile_services``'.
"""

from __future__ import annotations

from typing import Any

from django import forms

from reports import profiles
from reports.models import ReportProfile


def _checkboxes(label: str, choices, help_text: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text
    )


class ProfileForm(forms.Form):
    """Name, front pages, the chapters (included, order, heading, sub-section headings), tables, 附件1's columns,
    annexes, cover fields and signature lines. ``definition`` in ``cleaned_data`` is the profile's new definition."""

    name = forms.CharField(label="名称", max_length=100)
    source = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        max_length=ReportProfile._meta.get_field("source").max_length,
        help_text="如：哪个财政局要求的提纲、依据哪份文件。",
    )
    front = _checkboxes("报告开头", [(c.key, c.label) for c in profiles.FRONT], "按封面、基本信息表、目录、摘要的顺序排在正文之前，不编页码。")
    tables = _checkboxes("输出的表格", [(c.key, c.label) for c in profiles.TABLES])
    annex1_columns = _checkboxes(
        "附件1的列", [(key, label) for key, label in profiles.ANNEX1_LABELS.items()],
        "一级指标、二级指标、三级指标、权重、得分必须保留；没有任何指标填写的评价依据、标杆值不输出。",
    )
    annexes = _checkboxes("附件", [(c.key, c.label) for c in profiles.ANNEXES])
    cover_fields = _checkboxes("封面项目", [(c.key, c.label) for c in profiles.COVER_FIELDS])
    signature = _checkboxes("落款", [(c.key, c.label) for c in profiles.SIGNATURE])

    def __init__(self, *args, profile: ReportProfile, **kwargs):
        definition = profile.definition
        rows = profiles.chapter_rows(definition)
        initial = {
            "name": profile.name,
            "source": profile.source,
            **{name: list(definition.get(name, [])) for name, _, _ in profiles.LISTS},
        }
        for order, row in enumerate(rows, start=1):
            initial[f"{row['kind']}-included"] = row["included"]
            initial[f"{row['kind']}-order"] = order
            initial[f"{row['kind']}-heading"] = row["heading"]
            for part, heading in row["parts"].items():
                initial[f"{row['kind']}-part-{part}"] = heading
        super().__init__(*args, initial=initial, **kwargs)
        self.kinds = [profiles.KIND[row["kind"]] for row in rows]
        count = len(rows)
        for kind in self.kinds:
            self.fields[f"{kind.key}-included"] = forms.BooleanField(label="选用", required=False)
            self.fields[f"{kind.key}-order"] = forms.IntegerField(
                label="顺序", min_value=1, max_value=count,
                error_messages={
                    "required": f"请填写“{kind.heading}”的顺序",
                    "invalid": f"“{kind.heading}”的顺序应为整数",
                    "min_value": f"“{kind.heading}”的顺序应在1到{count}之间",
                    "max_value": f"“{kind.heading}”的顺序应在1到{count}之间",
                },
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "style": "width: 4.5rem"}),
            )
            self.fields[f"{kind.key}-heading"] = forms.CharField(
                label="标题", required=False, max_length=profiles.HEADING_MAX,
                error_messages={"max_length": f"“{kind.heading}”的标题不能超过{profiles.HEADING_MAX}个字"},
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )
            for part in kind.parts:
                self.fields[f"{kind.key}-part-{part.key}"] = forms.CharField(
                    label=part.label, required=False, max_length=profiles.HEADING_MAX,
                    error_messages={"max_length": f"小节“{part.label}”的标题不能超过{profiles.HEADING_MAX}个字"},
                    widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
                )
        self.fields["name"].error_messages.update(
            {"required": "请填写报告格式的名称", "max_length": "名称不能超过100个字"}
        )

    def chapter_rows(self) -> list[dict[str, Any]]:
        """Per chapter kind its bound fields, for the template's table."""
        return [
            {
                "kind": kind,
                "included": self[f"{kind.key}-included"],
                "order": self[f"{kind.key}-order"],
                "heading": self[f"{kind.key}-heading"],
                "parts": [self[f"{kind.key}-part-{part.key}"] for part in kind.parts],
            }
            for kind in self.kinds
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        position = {kind.key: index for index, kind in enumerate(self.kinds)}

        def place(kind) -> tuple[int, int, int]:
            """By the number typed; a chapter given the number another one had goes before it (moved there)."""
            order = cleaned[f"{kind.key}-order"]
            return order, 0 if order != self.initial.get(f"{kind.key}-order") else 1, position[kind.key]

        ordered = sorted(self.kinds, key=place)
        chapters = []
        for kind in ordered:
            included = bool(cleaned[f"{kind.key}-included"])
            heading = cleaned[f"{kind.key}-heading"].strip()
            entry: dict[str, Any] = {
                "kind": kind.key,
                # a chapter left out keeps a heading to come back to; an included one must have its own
                "heading": heading if included else heading or kind.heading,
                "included": included,
            }
            if kind.parts:  # a blank sub-section heading takes the default one
                entry["parts"] = {
                    part.key: cleaned[f"{kind.key}-part-{part.key}"].strip() or part.label for part in kind.parts
                }
            chapters.append(entry)
        definition = {"front": cleaned["front"], "chapters": chapters}
        for name in ("tables", "annex1_columns", "annexes", "cover_fields", "signature"):
            definition[name] = cleaned[name]
        for error in profiles.definition_errors(definition):
            self.add_error(None, error)
        cleaned["definition"] = definition
        return cleaned


class BureauDefaultsForm(forms.Form):
    bureaus = forms.ModelMultipleChoiceField(
        label="默认用于这些委托单位", queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text="这些委托单位的评价项目未另选格式时按本格式输出；已设为其他格式默认的委托单位改为本格式。",
    )

    def __init__(self, *args, bureaus, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureaus"].queryset = bureaus


class ProfileChoiceForm(forms.Form):
    profile = forms.ModelChoiceField(
        label="报告格式", queryset=None, required=False, empty_label="按委托单位的默认格式",
        error_messages={"invalid_choice": "所选报告格式不存在或不属于本机构，请刷新页面后重选。"},
    )

    def __init__(self, *args, profiles_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = profiles_queryset
        self.fields["profile"].widget.attrs["class"] = "form-select form-select-sm"
