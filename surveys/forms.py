"""Forms convert what is typed into service entries; services decide. Layouts live here and hold no rules."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from evalsite.lib.text_limits import lines_problem
from evaluations.forms import RevisionField, XlsxFileField
from surveys import limits, scale
from surveys.builtin import builtin, builtin_questionnaires
from surveys.enums import Aggregation, Method
from surveys.models import Questionnaire
from surveys.services import OptionEntry, QuestionEntry, standard_options

BLANK = "blank"
TOTALS = "totals"


def _helper(submit: str, form_id: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = True
    helper.form_id = form_id
    helper.add_input(Submit("submit", submit, css_class="btn-primary"))
    return helper


class QuestionnaireCreateForm(forms.Form):
    source = forms.ChoiceField(label="问卷来源", widget=forms.RadioSelect, initial=BLANK)
    group = forms.CharField(
        label="调查对象", max_length=limits.GROUP, required=False,
        help_text="如：企业和办事群众、窗口工作人员。从模板复制时可留空，沿用模板的调查对象。",
    )
    title = forms.CharField(label="问卷名称", max_length=limits.TITLE, required=False, help_text="留空时为“调查对象+满意度调查”。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [
            (BLANK, "空白问卷（稍后添加题目）"),
            (TOTALS, "仅有汇总数（只有发放、回收、有效份数和满意度，没有各题份数）"),
        ] + [(item.key, f"复制模板：{item.name}") for item in builtin_questionnaires()]
        self.helper = _helper("创建问卷", "survey-create-form")

    def clean(self):
        cleaned = super().clean()
        source = cleaned.get("source")
        group = (cleaned.get("group") or "").strip()
        if not group and source and source not in (BLANK, TOTALS):
            group = builtin(source).group
        if not group:
            self.add_error("group", "请填写调查对象（如：企业和办事群众）。")
        cleaned["group"] = group
        return cleaned


class QuestionnaireSettingsForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["group", "title", "mode", "method", "aggregation"]
        widgets = {"method": forms.RadioSelect, "aggregation": forms.RadioSelect}
        help_texts = {
            "method": "加权得分法：Σ(份数×权重)÷回答份数；前两项占比法：选前两项的份数÷回答份数（标为“不计入分母”的选项除外）。",
            "aggregation": "各题平均：计入满意度的各题满意度取算术平均；合并计算：计入各题的全部回答合并后计算。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = Method.choices
        self.fields["aggregation"].choices = Aggregation.choices

    def validate_unique(self):
        """The service checks the group name (with a clearer message)."""


class SmallInputs:
    """Bootstrap classes for inputs laid out in table cells."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif not isinstance(widget, forms.HiddenInput):
                css = "form-control form-control-sm"
                if isinstance(field, forms.DecimalField | forms.IntegerField):
                    css += " text-end"
                widget.attrs.setdefault("class", css)


class QuestionForm(SmallInputs, forms.Form):
    order = forms.IntegerField(label="题号", min_value=1, widget=forms.NumberInput(attrs={"style": "width: 4.5rem"}))
    title = forms.CharField(label="题目", max_length=limits.QUESTION)
    counted = forms.BooleanField(label="计入满意度", required=False)
    delete = forms.BooleanField(label="删除本题", required=False)


class OptionForm(SmallInputs, forms.Form):
    option = forms.IntegerField(required=False, widget=forms.HiddenInput)
    label = forms.CharField(label="选项", max_length=limits.OPTION, required=False)
    weight = forms.DecimalField(
        label="权重", max_digits=5, decimal_places=2, min_value=Decimal(0), max_value=Decimal(100), required=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "style": "width: 6rem"}),
    )
    excluded = forms.BooleanField(label="不计入分母", required=False)
    delete = forms.BooleanField(label="删除", required=False)

    def __init__(self, *args, number: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        where = f"第{number}题" if number else "新选项"
        self.fields["weight"].error_messages.update(
            {
                "invalid": f"{where}：权重应为0到100之间的数字",
                "min_value": f"{where}：权重不能小于0",
                "max_value": f"{where}：权重不能大于100",
                "max_decimal_places": f"{where}：权重最多两位小数",
            }
        )

    @property
    def is_blank_extra(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not data.get("option") and not (data.get("label") or "").strip()


OptionFormSet = forms.formset_factory(OptionForm, extra=1)


class QuestionBlock:
    """One question's form with its options' formset, bound together."""

    def __init__(self, question, number: int, data=None):
        self.question = question
        self.number = number
        prefix = f"q{question.pk}"
        self.form = QuestionForm(
            data, prefix=prefix,
            initial={"order": number, "title": question.title, "counted": question.counted},
        )
        options = list(question.options.all())
        self.options = OptionFormSet(
            data, prefix=f"{prefix}-o", form_kwargs={"number": number},
            initial=[
                {"option": o.pk, "label": o.label, "weight": o.weight, "excluded": o.excluded} for o in options
            ],
        )
        self.counts = {o.pk: o.count for o in options}

    def option_rows(self):
        for form in self.options.forms:
            pk = form.initial.get("option")
            yield form, self.counts.get(pk, 0) if pk else None

    def is_valid(self) -> bool:
        return self.form.is_valid() & self.options.is_valid()

    @property
    def deleted(self) -> bool:
        return bool(self.form.cleaned_data.get("delete"))

    def entry(self) -> QuestionEntry:
        data = self.form.cleaned_data
        options = []
        for index, form in enumerate(self.options.forms, start=1):
            option = form.cleaned_data
            if form.is_blank_extra or option.get("delete"):
                continue
            weight = option.get("weight")
            if weight is None:
                weight = scale.default_weight(index - 1)
            options.append(OptionEntry(option.get("label") or "", weight, bool(option.get("excluded")), pk=option.get("option")))
        return QuestionEntry(data["title"], tuple(options), bool(data.get("counted")), pk=self.question.pk)


PRESET_STANDARD = "standard"
PRESET_STANDARD_UNKNOWN = "standard_unknown"
PRESET_CUSTOM = "custom"


class AddQuestionForm(forms.Form):
    title = forms.CharField(label="题目", max_length=limits.QUESTION)
    preset = forms.ChoiceField(
        label="选项",
        widget=forms.RadioSelect,
        initial=PRESET_STANDARD,
        choices=[
            (PRESET_STANDARD, "五级满意度：很满意100、满意80、一般60、不满意40、很不满意0"),
            (PRESET_STANDARD_UNKNOWN, "五级满意度加“不了解”（权重0，前两项占比法不计入分母）"),
            (PRESET_CUSTOM, "自定义选项（下方每行一个，按顺序默认权重100、80、60、40、0）"),
        ],
    )
    options_text = forms.CharField(label="自定义选项", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    counted = forms.BooleanField(label="计入满意度", required=False, initial=True)

    def clean(self):
        cleaned = super().clean()
        preset = cleaned.get("preset")
        if preset == PRESET_STANDARD:
            cleaned["options"] = standard_options()
        elif preset == PRESET_STANDARD_UNKNOWN:
            cleaned["options"] = standard_options((*scale.STANDARD_LABELS, "不了解"))
        elif preset == PRESET_CUSTOM:
            labels = [line.strip() for line in (cleaned.get("options_text") or "").splitlines() if line.strip()]
            if len(labels) < 2:
                self.add_error("options_text", "自定义选项至少两行，每行一个选项。")
            elif problem := lines_problem(labels, limits.MAX_OPTIONS, limits.OPTION):
                self.add_error("options_text", f"自定义选项{problem}。")
                labels = []
            cleaned["options"] = standard_options(labels)
        return cleaned

    def entry(self) -> QuestionEntry:
        return QuestionEntry(self.cleaned_data["title"], self.cleaned_data["options"], bool(self.cleaned_data.get("counted")))


class TotalsForm(SmallInputs, forms.Form):
    """发放/回收/有效; left blank each defaults to the next (有效 ← the largest question total)."""

    issued = forms.IntegerField(label="发放问卷（份）", min_value=0, max_value=limits.MAX_COUNT, required=False)
    returned = forms.IntegerField(label="回收问卷（份）", min_value=0, max_value=limits.MAX_COUNT, required=False)
    valid = forms.IntegerField(label="有效问卷（份）", min_value=0, max_value=limits.MAX_COUNT, required=False)
    revision = RevisionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("issued", "returned", "valid"):
            field = self.fields[name]
            field.error_messages.update({"invalid": f"{field.label}应为整数", "min_value": f"{field.label}不能为负数",
                                         "max_value": f"{field.label}不能超过{limits.MAX_COUNT}"})

    def totals(self, largest_question_total: int) -> tuple[int, int, int]:
        data = self.cleaned_data
        valid = data.get("valid")
        valid = largest_question_total if valid is None else valid
        returned = data.get("returned")
        returned = valid if returned is None else returned
        issued = data.get("issued")
        issued = returned if issued is None else issued
        return issued, returned, valid


class TotalsOnlyForm(SmallInputs, forms.Form):
    """发放/回收/有效 and the satisfaction rate of a questionnaire known only by its totals."""

    issued = forms.IntegerField(label="发放问卷（份）", min_value=0)
    returned = forms.IntegerField(label="回收问卷（份）", min_value=0)
    valid = forms.IntegerField(label="有效问卷（份）", min_value=0)
    stated_rate = forms.DecimalField(
        label="满意度（%）", min_value=Decimal(0), max_value=Decimal(100), decimal_places=2, max_digits=5,
        help_text="如 100 表示100%；按取得的汇总结果填写。",
    )
    source = forms.CharField(
        label="来源", max_length=200, required=False,
        help_text="汇总数出自何处，如：被评价单位提供的问卷汇总表、原报告基本信息表。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            name = field.label.replace("%", "%%")  # the messages are %-formatted with their limits
            field.error_messages.update(
                {
                    "required": f"请填写{name}",
                    "invalid": f"{name}应为数字",
                    "min_value": f"{name}不能为负数",
                    "max_value": f"{name}不能大于100",
                    "max_decimal_places": f"{name}最多两位小数",
                    "max_digits": f"{name}最多两位小数",
                }
            )


class CountForm(SmallInputs, forms.Form):
    option = forms.IntegerField(widget=forms.HiddenInput)
    count = forms.IntegerField(label="份数", min_value=0, max_value=limits.MAX_COUNT, required=False,
                               widget=forms.NumberInput(attrs={"style": "width: 6rem"}))

    def __init__(self, *args, where: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.where = where
        self.fields["count"].error_messages.update(
            {"invalid": f"{where}：份数应为整数", "min_value": f"{where}：份数不能为负数",
             "max_value": f"{where}：份数不能超过{limits.MAX_COUNT}"}
        )

    def clean_count(self):
        value = self.cleaned_data.get("count")
        return 0 if value is None else value


class BaseCountFormSet(forms.BaseFormSet):
    def __init__(self, *args, places: list[str] | None = None, **kwargs):
        self.places = places or []
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["where"] = self.places[index] if index is not None and index < len(self.places) else ""
        return kwargs


CountFormSet = forms.formset_factory(CountForm, formset=BaseCountFormSet, extra=0)


class SurveyImportForm(forms.Form):
    questionnaire = forms.ModelChoiceField(
        label="导入到", queryset=Questionnaire.objects.none(), required=False, empty_label="新建问卷（题目和选项由文件生成）"
    )
    new_group = forms.CharField(
        label="新问卷的调查对象", max_length=limits.GROUP, required=False, help_text="新建问卷时填写，如：企业和办事群众。"
    )
    file = XlsxFileField(
        label="答卷XLSX文件",
        help_text="每行一份答卷、每列一道题：问卷平台“按选项文本”导出，或“按选项序号”导出（导入到已有问卷，按其选项顺序对应）；"
        "多选题可以一格多项（A┋C）或每个选项一列。先预览，确认后才保存。",
        error_messages={"empty": "文件是空的，请选择问卷平台导出的Excel文件。", "required": "请选择要导入的XLSX文件。"},
    )

    def __init__(self, *args, questionnaires=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = questionnaires if questionnaires is not None else Questionnaire.objects.none()
        self.fields["questionnaire"].label_from_instance = lambda q: f"{q.group}（{q.display_title}）"
        self.helper = _helper("上传并预览", "survey-import-form")

    def clean(self):
        cleaned = super().clean()
        questionnaire = cleaned.get("questionnaire")
        group = (cleaned.get("new_group") or "").strip()
        if questionnaire is None and not group:
            self.add_error("new_group", "请选择要导入的问卷，或填写新问卷的调查对象。")
        if questionnaire is None and group:
            cleaned["questionnaire"] = self.fields["questionnaire"].queryset.filter(group=group).first()
        cleaned["group"] = cleaned["questionnaire"].group if cleaned.get("questionnaire") else group
        return cleaned
