"""The bureau's 复核台: its records, uploading a report, the findings page, the 复核意见书, its checklist.

Every view goes through :mod:`audits.permissions`: only the users of the bureau
that owns a record reach it; anyone else (a firm's staff included) gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from audits import checklist, services
from audits.checks.base import ERROR, WARNING, Finding
from audits.compare import Comparison
from audits.enums import FileKind, ReviewStatus
from audits.forms import ChecklistForm, ReviewForm, UploadForm
from audits.models import ReviewFile
from audits.permissions import bureau_of, get_review_for_user, reviews_for_user
from evalsite.exports import CONTENT_TYPES, attachment
from reports.archive import sha256

FILE_CHANGED = "文件校验失败（与上传时的SHA-256不一致），不能下载。"


def _uploads(form) -> list[services.Upload]:
    return [services.Upload(file.name, file.read()) for file in form.cleaned_data["files"]]


def _list(request: HttpRequest, form: ReviewForm) -> HttpResponse:
    reviews = reviews_for_user(request.user).prefetch_related("versions")
    return render(request, "audits/review_list.html", {"reviews": reviews, "form": form})


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    bureau_of(request)
    return _list(request, ReviewForm())


@login_required
@require_POST
def review_create(request: HttpRequest) -> HttpResponse:
    bureau = bureau_of(request)
    form = ReviewForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            review = services.create_review(
                bureau, request.user, firm_name=form.cleaned_data["firm_name"],
                department_name=form.cleaned_data["department_name"], year=form.cleaned_data["year"],
                uploads=_uploads(form),
            )
        except ValidationError as error:
            form.add_error("files", error)
        else:
            return redirect("review_detail", pk=review.pk)
    return _list(request, form)


def _findings(version) -> tuple[list[Finding], list[Finding]]:
    findings = services.stored_findings(version)
    return [f for f in findings if f.severity == ERROR], [f for f in findings if f.severity == WARNING]


def _detail(request: HttpRequest, review, upload_form=None) -> HttpResponse:
    versions = list(review.versions.prefetch_related("files"))
    version = versions[0] if versions else None
    errors, warnings = _findings(version) if version else ([], [])
    context = {
        "review": review,
        "version": version,
        "versions": versions,
        "errors": errors,
        "warnings": warnings,
        "checklist": [checklist.ItemResult.from_stored(item) for item in version.checklist] if version else [],
        "comparison": Comparison.from_stored(version.comparison) if version and version.comparison else None,
        "upload_form": upload_form or UploadForm(),
        "accepted": review.status == ReviewStatus.ACCEPTED,
        "opinion": next((f for f in version.files.all() if f.kind == FileKind.OPINION), None) if version else None,
        "report_files": [f for f in version.files.all() if f.kind == FileKind.REPORT] if version else [],
    }
    return render(request, "audits/review_detail.html", context)


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_review_for_user(request, pk))


@login_required
@require_POST
def review_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for_user(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = services.resubmit(review, request.user, _uploads(form))
        except ValidationError as error:
            form.add_error("files", error)
        else:
            messages.success(request, f"已复核第{version.number}版。")
            return redirect("review_detail", pk=review.pk)
    return _detail(request, review, form)


@login_required
@require_POST
def review_accept(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for_user(request, pk)
    try:
        services.accept(review, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "已接受该报告。")
    return redirect("review_detail", pk=review.pk)


@login_required
def review_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    """A file of the record (an uploaded report or a 复核意见书), served only as stored."""
    review = get_review_for_user(request, pk)
    record = get_object_or_404(ReviewFile.objects.select_related("version"), pk=file_pk, version__review=review)
    with record.file.open("rb") as stored:
        content = stored.read()
    if sha256(content) != record.sha256:
        context = {"code": 500, "heading": FILE_CHANGED, "reason": FILE_CHANGED}
        return render(request, "audits/file_refused.html", context, status=500)
    extension = record.name.rsplit(".", 1)[-1].lower()
    response = attachment(content, record.name, CONTENT_TYPES.get(extension, "application/octet-stream"))
    response["X-Content-SHA256"] = record.sha256
    return response


@login_required
def review_opinion(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The 复核意见书 of one version."""
    review = get_review_for_user(request, pk)
    record = ReviewFile.objects.filter(version__review=review, version__number=number, kind=FileKind.OPINION).first()
    if record is None:
        raise Http404("没有这一版的复核意见书")
    return review_file(request, pk, record.pk)


@login_required
def review_settings(request: HttpRequest) -> HttpResponse:
    bureau = bureau_of(request)
    _, points = services.settings_of(bureau)
    form = ChecklistForm(request.POST or None, points=points)
    if request.method == "POST" and form.is_valid():
        services.save_settings(bureau, form.cleaned_data)
        messages.success(request, "复核清单的分值已保存，之后的复核按新分值评分。")
        return redirect("review_settings")
    return render(request, "audits/review_settings.html", {"form": form, "bureau": bureau})
