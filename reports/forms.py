"""Forms for the narrative: they convert input and hold no rules (placeholders are checked by the services)."""

from __future__ import annotations

from django import forms

from reports.models import BureauResponse, Problem, Section, Suggestion
from reports.services import parse_goal_lines
from rubrics.models import Indicator

TEXT_HELP = "每行一段；单独一行、以“（一）”开头且不以句号结尾的文字作为小标题。数字请用右侧的占位符，如{总分}。"


def limit(model, name: str) -> int:
    """The stored field's length: a form never accepts what the database would refuse."""
    return model._meta.get_field(name).max_length


class SectionForm(forms.Form):
    text = forms.CharField(
        label="内容", required=False, strip=False, max_length=limit(Section, "text"),
        widget=forms.Textarea(attrs={"rows": 14, "class": "font-monospace-cjk"}), help_text=TEXT_HELP,
    )


class IndicatorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Indicator) -> str:
        indent = "　" * (obj.level - 1)
        return f"{indent}{obj.code} {obj.name}"


class ProblemForm(forms.Form):
    title = forms.CharField(label="问题（标题）", max_length=limit(Problem, "title"))
    text = forms.CharField(label="问题说明及原因分析", required=False, strip=False, max_length=limit(Problem, "text"),
                           widget=forms.Textarea(attrs={"rows": 8}), help_text=TEXT_HELP)
    indicators = IndicatorChoiceField(
        label="相关指标", queryset=Indicator.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text="按住 Ctrl（Mac 上为 ⌘）可多选。关联后，报告检查会列出有扣分却没有对应问题的指标。",
    )

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].queryset = evaluation.indicators.order_by("position")


class SuggestionForm(forms.Form):
    title = forms.CharField(label="建议（标题）", max_length=limit(Suggestion, "title"))
    text = forms.CharField(label="建议内容", required=False, strip=False, max_length=limit(Suggestion, "text"),
                           widget=forms.Textarea(attrs={"rows": 8}), help_text=TEXT_HELP)
    problem = forms.ModelChoiceField(label="针对的问题", queryset=Problem.objects.none(), required=False,
                                     empty_label="（不针对某个问题）")

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem"].queryset = Problem.objects.filter(evaluation=evaluation)


class GoalsForm(forms.Form):
    rows = forms.CharField(
        label="部门整体绩效目标申报表", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 16}),
        help_text="每行一个三级指标：一级指标、二级指标、三级指标、指标值、指标设定依据，用 Tab（从 Excel 复制即是）或“|”分隔；"
        "一级、二级指标与上一行相同时可以留空。",
    )

    def clean_rows(self):
        return parse_goal_lines(self.cleaned_data["rows"])


class OpinionForm(forms.Form):
    """The bureau's written 意见 on a delivered report."""

    text = forms.CharField(
        label="意见", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=limit(BureauResponse, "text"),
        help_text="写给评价机构的意见，评价机构在该项目的报告页面看到。",
    )


class StepForm(forms.Form):
    """One workflow step: the comment (required to return or reopen) and the acknowledgement of warnings."""

    comment = forms.CharField(label="意见或理由", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    acknowledge = forms.BooleanField(label="已阅读并确认以上提示", required=False)
