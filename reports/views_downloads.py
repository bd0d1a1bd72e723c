"""Downloads of the report's annexes outside the 报告 tab: 附件2 from the survey pages, 附件1 of a library template,
a project's 项目支出绩效自评表 from the project forms page.

Both are the report's own tables (``reports.exports``), so a lower layer's
page links here instead of writing its own copy of the annex.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from evalsite.exports import download
from evaluations.permissions import Capability, get_evaluation_for_user
from reports.exports import PROJECT_FORMS, SURVEY_ANNEX, TEMPLATE_ANNEX
from rubrics.models import ProjectForm
from rubrics.permissions import get_system_for_user
from rubrics.scoring import ScoringError


@login_required
def survey_annex_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """附件2 绩效评价调查问卷结果分析 of every questionnaire, one sheet each, as the report prints it."""
    return download(SURVEY_ANNEX, get_evaluation_for_user(request, pk))


@login_required
def system_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """A library template as 附件1 without scores, readable again by the indicator import."""
    system = get_system_for_user(request, pk)
    try:
        return download(TEMPLATE_ANNEX, system)
    except ScoringError as error:
        messages.error(request, "模板有问题，不能导出：" + "；".join(error.messages))
        return redirect("system_detail", pk=system.pk)


@login_required
def project_form_download(request: HttpRequest, pk: int, project_pk: int, fmt: str) -> HttpResponse:
    """One 项目支出绩效自评表 as XLSX or DOCX, the form the report's annex prints."""
    evaluation = get_evaluation_for_user(request, pk, Capability.DOWNLOAD_REPORT)
    if fmt not in PROJECT_FORMS:
        raise Http404("没有这种格式")
    project = get_object_or_404(ProjectForm, pk=project_pk, evaluation=evaluation)
    return download(PROJECT_FORMS[fmt], project)
