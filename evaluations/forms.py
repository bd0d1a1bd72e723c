"""Forms convert; services decide. Layouts live here and hold no rules."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from evalsite.accounts.models import Organization
from evalsite.lib.text_limits import LINE, MAX_LINES, lines_problem
from evaluations.enums import TeamRole
from evaluations.models import BudgetFigures, Department, DepartmentFacts, EconomicLine, Evaluation, Project
from evaluations.services import BUDGET_AMOUNT_FIELDS

METHOD_CHOICES = [(m, m) for m in ("因素分析法", "比较法", "公众评判法", "专家评议法", "成本效益分析法", "最低成本法", "标杆管理法")]
STANDARD_CHOICES = [(s, s) for s in ("计划标准", "行业标准", "历史标准", "通用标准", "其他标准")]


class LinesField(forms.CharField):
    """A textarea holding one item per line, cleaned to a list of non-empty lines (bounded like the model's list)."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, *args, max_lines: int = MAX_LINES, max_line_length: int = LINE, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_lines = max_lines
        self.max_line_length = max_line_length

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def validate(self, value):
        super().validate(value)
        problem = lines_problem(value, self.max_lines, self.max_line_length)
        if problem:
            raise forms.ValidationError(problem)


class DepartmentProfileForm(forms.ModelForm):
    """The facts a report prints about a department, in the firm's list or on one evaluation."""

    functions = LinesField(label="部门职能（每行一项）", required=False)
    internal_units = LinesField(label="内设机构（每行一个）", required=False)

    class Meta:
        fields = list(Department.PROFILE_FIELDS)
        widgets = {"profile": forms.Textarea(attrs={"rows": 3})}


class DepartmentFactsForm(DepartmentProfileForm):
    """The evaluation's own copy (页签“部门情况”): what its report prints."""

    class Meta(DepartmentProfileForm.Meta):
        model = DepartmentFacts


class DepartmentForm(DepartmentProfileForm):
    """A department of the firm's list: the starting point of its next evaluations."""

    class Meta(DepartmentProfileForm.Meta):
        model = Department

    def __init__(self, *args, firm=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.firm = firm

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        firm = self.firm or getattr(self.instance, "firm", None)
        duplicates = Department.objects.filter(firm=firm, name=name).exclude(pk=self.instance.pk)
        if firm is not None and duplicates.exists():
            raise forms.ValidationError(f"部门“{name}”已存在。")
        return name


class EvaluationForm(forms.ModelForm):
    # Not a model field of the form: the 委托单位 changes only through ``services.change_bureau`` (logged).
    bureau = forms.ModelChoiceField(label="委托单位", queryset=Organization.objects.none(), required=False)
    new_bureau = forms.CharField(
        label="或新增委托单位", required=False, max_length=100,
        help_text="委托单位列表中没有时，在此填写全称（如：延津县财政局）。",
    )
    methods = forms.MultipleChoiceField(
        label="评价方法", choices=METHOD_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    standards = forms.MultipleChoiceField(
        label="评价标准", choices=STANDARD_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    basis = LinesField(label="评价依据（每行一项）", required=False)

    class Meta:
        model = Evaluation
        fields = [
            "department", "year", "bureau_section", "fund_source",
            "methods", "standards", "basis", "start_date", "end_date", "report_date",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "report_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, departments=None, bureaus=None, bureau_editable=True, **kwargs):
        """``bureaus``: the firm's clients; ``bureau_editable``: whether this user may (still) change the 委托单位."""
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["bureau"].queryset = bureaus
        self.fields["bureau"].help_text = "本机构的委托单位（机构管理员可在“用户管理”中添加）。"
        if not self.instance.pk:
            self.fields["year"].initial = timezone.localdate().year - 1
        if self.instance.pk:
            self.fields["department"].disabled = True
            self.initial.setdefault("bureau", self.instance.bureau_id)
        if not bureau_editable:
            self.fields["bureau"].disabled = True
            self.fields["bureau"].help_text = "只有项目负责人可以在提交审核前更改委托单位。"
            del self.fields["new_bureau"]

    def validate_unique(self):
        """Department and year are checked in clean() with a message that names them."""

    def clean(self):
        cleaned = super().clean()
        if "new_bureau" in self.fields and not cleaned.get("bureau") and not (cleaned.get("new_bureau") or "").strip():
            self.add_error("bureau", "请选择委托单位，或在下方填写新的委托单位。")
        department, year = cleaned.get("department"), cleaned.get("year")
        if department and year and not self.instance.pk and Evaluation.objects.filter(department=department, year=year).exists():
            self.add_error("year", f"{department.name}{year}年度的评价项目已存在。")
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "评价结束日期不能早于开始日期。")
        return cleaned


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(label="成员", queryset=get_user_model().objects.none())
    role = forms.ChoiceField(label="角色", choices=TeamRole.choices)

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates
        self.fields["user"].label_from_instance = lambda user: f"{user.display_name}（{user.username}）"


class RevisionField(forms.IntegerField):
    """The revision a page was loaded with (hidden); missing counts as 0, so a stale page is never taken as current."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=0, **kwargs)

    def clean(self, value):
        try:
            return super().clean(value) or 0
        except forms.ValidationError:
            return 0


class BudgetForm(forms.ModelForm):
    """The figures of 表2-1, 表2-2 and the extras; totals are not fields."""

    revision = RevisionField()

    class Meta:
        model = BudgetFigures
        fields = list(BUDGET_AMOUNT_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].initial = self.instance.revision
        for name in BUDGET_AMOUNT_FIELDS:
            field = self.fields[name]
            field.min_value = 0
            field.validators.append(_non_negative)
            field.widget.attrs.update({"class": "form-control form-control-sm text-end", "step": "0.01", "placeholder": "-"})

    def bound(self, name: str):
        return self[name]


def _non_negative(value):
    if value is not None and value < 0:
        raise forms.ValidationError("金额不能为负数。")


class CompactInputs:
    """Small Bootstrap inputs for forms laid out as table rows."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name == "DELETE":
                continue
            css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)
            if isinstance(field, forms.DecimalField):
                field.widget.attrs.update({"step": "0.01", "class": css + " text-end"})


class EconomicLineForm(CompactInputs, forms.ModelForm):
    class Meta:
        model = EconomicLine
        fields = ["category", "name", "amount"]

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        _non_negative(amount)
        return amount


class ProjectForm(CompactInputs, forms.ModelForm):
    class Meta:
        model = Project
        fields = ["name", "initial", "adjusted", "final"]

    def clean(self):
        cleaned = super().clean()
        for name in ("initial", "adjusted", "final"):
            value = cleaned.get(name)
            if value is not None and value < 0:
                self.add_error(name, "金额不能为负数。")
        return cleaned


# Plain formsets over the rows' values: the service replaces the whole list, so a row needs no database id
# (a form loaded before someone else's save stays valid, and the revision decides whether it may be saved).
EconomicFormSet = forms.formset_factory(EconomicLineForm, extra=2, can_delete=True)
ProjectFormSet = forms.formset_factory(ProjectForm, extra=1, can_delete=True)


def economic_formset(data, evaluation: Evaluation):
    """The 表2-3 rows; filled from the stored lines only when shown (posted rows are read as posted)."""
    if data is not None:
        return EconomicFormSet(data, prefix="economic")
    initial = [{"category": line.category, "name": line.name, "amount": line.amount} for line in evaluation.economic_lines.all()]
    return EconomicFormSet(initial=initial, prefix="economic")


def project_formset(data, evaluation: Evaluation):
    """The project rows; filled from the stored projects only when shown (posted rows are read as posted)."""
    if data is not None:
        return ProjectFormSet(data, prefix="projects")
    initial = [
        {"name": p.name, "initial": p.initial, "adjusted": p.adjusted, "final": p.final} for p in evaluation.projects.all()
    ]
    return ProjectFormSet(initial=initial, prefix="projects")


def kept_rows(formset) -> list[dict]:
    """The cleaned rows of a formset that were filled in and not marked for deletion."""
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


class XlsxFileField(forms.FileField):
    """An uploaded spreadsheet for an import: .xlsx by name and no larger than IMPORT_MAX_BYTES."""

    def clean(self, data, initial=None):
        from django.conf import settings

        upload = super().clean(data, initial)
        if upload is None:
            return upload
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(f"文件过大（{upload.size // 1024} KB），上限为{settings.IMPORT_MAX_BYTES // 1024} KB。")
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传.xlsx格式的Excel文件（.xls或.csv请先在Excel中另存为.xlsx）。")
        return upload


class BudgetImportForm(forms.Form):
    file = XlsxFileField(label="预算表XLSX文件", help_text="可含表2-1、表2-2、表2-3、项目支出、三公经费等工作表；先预览，确认后才保存。")
