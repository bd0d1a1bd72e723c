from decimal import Decimal

from django import forms
from django.utils import timezone

from audits.checklist import ITEMS
from audits.read import KINDS

ACCEPT = ",".join(f".{extension}" for extension in KINDS)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ReportFilesField(forms.FileField):
    """One or more files: the report (DOCX), its 附件1 (XLSX), or a PDF."""

    widget = MultipleFileInput(attrs={"accept": ACCEPT})

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        if not files:
            raise forms.ValidationError("请选择要复核的报告文件。")
        return [super(ReportFilesField, self).clean(file, initial) for file in files]


class UploadForm(forms.Form):
    files = ReportFilesField(label="报告文件", help_text="Word报告（.docx），可同时上传附件1（.xlsx）；没有Word文档时可上传PDF。")


class ReviewForm(UploadForm):
    firm_name = forms.CharField(label="评价机构", max_length=100)
    department_name = forms.CharField(label="被评价部门", max_length=100)
    year = forms.IntegerField(label="评价年度", min_value=2000, max_value=2100)

    field_order = ["firm_name", "department_name", "year", "files"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1


class ChecklistForm(forms.Form):
    """The points each item of the bureau's checklist deducts."""

    def __init__(self, *args, points: dict[str, Decimal] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        points = points or {}
        for item in ITEMS:
            self.fields[item.key] = forms.DecimalField(
                label=item.title, min_value=0, max_value=100, max_digits=5, decimal_places=2,
                initial=points.get(item.key, item.points),
            )
