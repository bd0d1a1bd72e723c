"""The bureau's delivery desk, and serving the files stored at sign-off (to the bureau and to the team).

The client bureau sees a signed evaluation only here (``Capability.VIEW_DELIVERED``):
the result, the versions with their files and SHA-256, the sign-off record, the
evidence the team shared; it confirms receipt and writes 意见
(``Capability.CONFIRM_RECEIPT``). Every stored file goes out through
:func:`serve_signed_file`, which refuses bytes that are not those signed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from evalsite.exports import attachment
from evaluations.permissions import Capability, get_evaluation_for_user
from reports import delivery
from reports.archive import StoredFileChanged, signed_versions, stored_file, verified_content
from reports.exports import EXPORTERS
from reports.forms import OpinionForm
from reports.models import BureauResponse, ReportFile


def serve_signed_file(request: HttpRequest, report_file: ReportFile) -> HttpResponse:
    """The stored bytes as a download, or an error page when they are not the bytes signed."""
    try:
        content = verified_content(report_file)
    except StoredFileChanged as error:
        context = {"code": 500, "heading": "文件校验失败，不能下载", "reason": str(error)}
        return render(request, "reports/file_refused.html", context, status=500)
    response = attachment(content, report_file.filename, EXPORTERS[report_file.format].content_type)
    response["X-Content-SHA256"] = report_file.sha256
    return response


def _stored(evaluation, version: int, fmt: str) -> ReportFile:
    report_file = stored_file(evaluation, fmt, version)
    if report_file is None:
        raise Http404("没有这个签发文件。")
    return report_file


@login_required
def report_file(request: HttpRequest, pk: int, version: int, fmt: str) -> HttpResponse:
    """A file of any signed version, for the team (superseded versions too)."""
    evaluation = get_evaluation_for_user(request, pk, Capability.DOWNLOAD_REPORT)
    return serve_signed_file(request, _stored(evaluation, version, fmt))


def _desk(request, evaluation, form=None) -> HttpResponse:
    versions = signed_versions(evaluation)
    current = versions[0] if versions else None
    context = {
        "evaluation": evaluation,
        "versions": versions,
        "current": current,
        "facts": current.facts if current else {},
        "receipt": delivery.receipt_of(evaluation, current.version) if current else None,
        "responses": delivery.responses(evaluation),
        "shared_evidence": delivery.shared_evidence(evaluation),
        "opinion_form": form or OpinionForm(),
        "receipt_kind": BureauResponse.Kind.RECEIPT,
    }
    return render(request, "reports/delivery.html", context)


@login_required
def delivery_desk(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.VIEW_DELIVERED)
    return _desk(request, evaluation)


@login_required
def delivery_file(request: HttpRequest, pk: int, version: int, fmt: str) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.VIEW_DELIVERED)
    return serve_signed_file(request, _stored(evaluation, version, fmt))


@login_required
def delivery_evidence(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    """An evidence file the team shared with the bureau (any other is not found)."""
    evaluation = get_evaluation_for_user(request, pk, Capability.VIEW_DELIVERED)
    evidence = get_object_or_404(delivery.shared_evidence(evaluation), pk=evidence_pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def delivery_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.CONFIRM_RECEIPT)
    try:
        receipt = delivery.confirm_receipt(evaluation, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"已确认收到第{receipt.version}版报告。")
    return redirect("delivery_desk", pk=evaluation.pk)


@login_required
@require_POST
def delivery_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.CONFIRM_RECEIPT)
    form = OpinionForm(request.POST)
    if form.is_valid():
        try:
            delivery.send_opinion(evaluation, request.user, form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error("text", error)
        else:
            messages.success(request, "意见已发送给评价机构。")
            return redirect("delivery_desk", pk=evaluation.pk)
    return _desk(request, evaluation, form)
