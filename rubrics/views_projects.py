"""The evaluation's project forms (项目支出绩效自评表): list, import with preview, remove, choose for the report.

Downloads of a form are the report layer's (``reports.views_downloads.project_form_download``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from evaluations.permissions import Capability, get_evaluation_for_user
from evaluations.previews import apply_preview, sign_preview
from rubrics import selfeval_form, services
from rubrics.forms import ProjectFormImportForm
from rubrics.models import ProjectForm
from rubrics.queries import project_form_result
from rubrics.views import _preview_context, _upload_form, import_payload, read_indicator_upload

PROJECT_IMPORT_KIND = "project-form"
NOT_A_PROJECT_FORM = (
    "没有找到项目支出绩效自评表的“项目资金”栏目（年初预算数、全年预算数、全年执行数、分值、执行率、得分）"
    "和“项目名称”：请上传项目支出绩效自评表；部门整体支出绩效自评表请在“指标评分”页面导入。"
)


@login_required
def project_forms(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk)
    rows = []
    for project in evaluation.project_forms.all():
        result = project_form_result(project)
        form = selfeval_form.SelfEvalForm.from_json({"kind": selfeval_form.PROJECT, "funds": project.funds})
        rows.append({"project": project, "result": result, "rate": form.execution_rate,
                     "total_line": form.funds[0] if form.funds else None})
    return render(request, "rubrics/project_forms.html", {"evaluation": evaluation, "rows": rows})


@login_required
def project_form_import(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.EDIT_ENGAGEMENT)
    form = _upload_form(ProjectFormImportForm, request)
    context = {"evaluation": evaluation, "form": form, "project_import": True}
    if request.method == "POST":
        read = read_indicator_upload(
            request, PROJECT_IMPORT_KIND, evaluation, form,
            accept=lambda imported: imported.form is not None and imported.form.kind == selfeval_form.PROJECT,
            refusal=NOT_A_PROJECT_FORM,
        )
        context.update(read)
        imported = read.get("imported")
        if imported is not None:
            payload = {
                **import_payload(imported, True),
                "execution_code": imported.execution_code,
                "stated_total": None if imported.stated_total is None else str(imported.stated_total),
                "source": f"{imported.sheet}",
            }
            context.update(_preview_context(imported, True))
            context.update(
                project=imported.form,
                token=sign_preview(PROJECT_IMPORT_KIND, payload, owner=evaluation),
                confirm_url=reverse("project_form_import_confirm", args=[evaluation.pk]),
                restart_url=reverse("project_form_import", args=[evaluation.pk]),
            )
            return render(request, "rubrics/import_preview.html", context)
    return render(request, "rubrics/import_upload.html", context)


@login_required
@require_POST
def project_form_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.EDIT_ENGAGEMENT)

    def apply(payload: dict) -> ProjectForm:
        return services.import_project_form(evaluation, payload, source=f"导入自工作表“{payload['source']}”")

    try:
        project = apply_preview(
            PROJECT_IMPORT_KIND, request.POST.get("token", ""), owner=evaluation, apply=apply, user=request.user
        )
    except ValidationError as error:
        messages.error(request, "导入失败，未保存任何数据：" + "；".join(error.messages))
        return redirect("project_form_import", pk=evaluation.pk)
    messages.success(request, f"已导入“{project.name}”的项目支出绩效自评表。")
    return redirect("project_forms", pk=evaluation.pk)


def _change_project(request: HttpRequest, pk: int, project_pk: int, change) -> HttpResponse:
    """Apply ``change`` (a service taking the project) to one project form of the evaluation; back to the list."""
    evaluation = get_evaluation_for_user(request, pk, Capability.EDIT_ENGAGEMENT)
    project = get_object_or_404(ProjectForm, pk=project_pk, evaluation=evaluation)
    try:
        message = change(project)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        if message:
            messages.success(request, message)
    return redirect("project_forms", pk=evaluation.pk)


@login_required
@require_POST
def project_form_delete(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    def delete(project: ProjectForm) -> str:
        services.delete_project_form(project)
        return f"已删除“{project.name}”的项目支出绩效自评表。"

    return _change_project(request, pk, project_pk, delete)


@login_required
@require_POST
def project_form_in_report(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    def choose(project: ProjectForm) -> str:
        services.set_project_in_report(project, request.POST.get("in_report") == "1")
        return ""

    return _change_project(request, pk, project_pk, choose)
