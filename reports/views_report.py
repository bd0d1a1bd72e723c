"""The 报告 tab: narrative editing, the checks, the preview and the downloads.

Every view goes through ``get_evaluation_for_user`` and names its capability:
the team may look (VIEW) and download (DOWNLOAD_REPORT), the 主评人 writes
the narrative (WRITE_REPORT); after sign-off nothing changes and the client
bureau may look and download.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from evalsite.exports import download
from evaluations.permissions import Capability, get_evaluation_for_user
from reports import render_jobs, services
from reports.archive import signed_versions, stored_file
from reports.checks import check_context, run_checks
from reports.defaults import draft_text, section_text
from reports.delivery import responses
from reports.document import build_report
from reports.enums import PREVIEW, SECTION_OUTLINE, RenderState, ReportFormat, SectionKey
from reports.exports import INDICATOR_ANNEX
from reports.forms import GoalsForm, ProblemForm, SectionForm, SuggestionForm
from reports.models import Problem, RenderJob, Suggestion
from reports.placeholder_values import placeholder_values
from reports.placeholders import catalog_groups, fill
from reports.queries import report_data
from reports.views_delivery import serve_signed_file
from reports.views_profiles import choice_context
from surveys.charts import read_stored_chart
from surveys.views import chart_response


def _context(request, evaluation, **extra) -> dict:
    return {"evaluation": evaluation, "tab": "report", **extra}


@login_required
def report_overview(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk)
    data = report_data(evaluation)
    document = build_report(data, charts=False)
    outline = [
        (
            title,
            [
                {
                    "key": key,
                    "label": SectionKey(key).label,
                    "saved": key in data.sections,
                    "empty": not section_text(key, data).strip(),
                }
                for key in keys
            ],
        )
        for title, keys in SECTION_OUTLINE
    ]
    return render(
        request,
        "reports/report_overview.html",
        _context(
            request, evaluation, data=data, outline=outline,
            checks=run_checks(check_context(evaluation, data, document)),
            formats=ReportFormat.choices, versions=signed_versions(evaluation), responses=responses(evaluation),
            choice=choice_context(evaluation),
        ),
    )


def _render_page(request, evaluation, fmt: str, *, retry: bool = False) -> tuple[RenderJob, HttpResponse | None]:
    """The job of ``fmt`` at the evaluation's current content; a page showing its progress unless it is ready."""
    job = render_jobs.request_render(evaluation, fmt, user=request.user, retry=retry)
    if job.ready:
        return job, None
    context = _context(request, evaluation, job=job, fmt=fmt, what=_what(fmt), steps=len(render_jobs.STEPS))
    return job, render(request, "reports/render_wait.html", context)


def _what(fmt: str) -> str:
    return "报告预览" if fmt == PREVIEW else ReportFormat(fmt).label


@login_required
def report_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as a page: rendered by the worker once per change, its charts linked (cached by the browser)."""
    evaluation = get_evaluation_for_user(request, pk)
    job, waiting = _render_page(request, evaluation, PREVIEW, retry="retry" in request.GET)
    if waiting is not None:
        return waiting
    return render(
        request, "reports/report_preview.html",
        _context(request, evaluation, body=mark_safe(render_jobs.read_preview(job)), formats=ReportFormat.choices),
    )


@login_required
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The draft in ``fmt``: the worker's file while the content is unchanged, else a page following its rendering;
    once signed, the file stored at sign-off."""
    evaluation = get_evaluation_for_user(request, pk, Capability.DOWNLOAD_REPORT)
    if fmt not in ReportFormat.values:
        raise Http404("没有这种格式")
    if evaluation.is_signed:  # the file stored at sign-off (its latest version), never rendered again
        report_file = stored_file(evaluation, fmt)
        if report_file is None:
            raise Http404("签发时没有保存这种文件。")
        return serve_signed_file(request, report_file)
    job, waiting = _render_page(request, evaluation, fmt, retry="retry" in request.GET)
    return waiting if waiting is not None else render_jobs.file_response(job)


@login_required
def report_render_status(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """htmx, polled every second: the progress of the current content's render, then the link to its file."""
    capability = Capability.VIEW if fmt == PREVIEW else Capability.DOWNLOAD_REPORT
    evaluation = get_evaluation_for_user(request, pk, capability)
    if fmt not in render_jobs.render_formats():
        raise Http404("没有这种格式")
    job = render_jobs.request_render(evaluation, fmt, user=request.user)
    response = render(
        request, "reports/_render_progress.html",
        {"evaluation": evaluation, "job": job, "fmt": fmt, "what": _what(fmt), "steps": len(render_jobs.STEPS)},
    )
    if job.ready and fmt == PREVIEW:
        response["HX-Refresh"] = "true"  # the preview page now shows the report
    return response


@login_required
def report_render_file(request: HttpRequest, pk: int, job_pk: int) -> HttpResponse:
    """The file a finished render stored (the one the page waited for, even if the content moved on since)."""
    evaluation = get_evaluation_for_user(request, pk, Capability.DOWNLOAD_REPORT)
    job = get_object_or_404(RenderJob, pk=job_pk, evaluation=evaluation, state=RenderState.READY)
    if job.format == PREVIEW:
        raise Http404("预览没有文件可下载")
    return render_jobs.file_response(job)


@login_required
def report_chart(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """A survey chart the preview links, by its digest: cached by the browser for good (the digest is its content)."""
    get_evaluation_for_user(request, pk)
    digest, _, extension = name.partition(".")
    content = read_stored_chart(digest, extension)
    if content is None:
        raise Http404("图表不存在")
    return chart_response(request, digest, lambda: content, extension, immutable=True)


@login_required
def indicator_sheet_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The 指标体系评分表 (附件1) as XLSX: the report's own annex table, placeholders filled."""
    evaluation = get_evaluation_for_user(request, pk, Capability.DOWNLOAD_REPORT)
    if not evaluation.indicators.exists():
        raise Http404("本项目尚未设置指标体系")
    return download(INDICATOR_ANNEX, evaluation)


@login_required
def report_section_edit(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.WRITE_REPORT)
    if key not in SectionKey.values:
        raise Http404("没有这一部分")
    data = report_data(evaluation)
    if request.method == "POST" and "reset" in request.POST:
        services.reset_section(evaluation, key)
        messages.success(request, f"“{SectionKey(key).label}”已恢复为系统草拟的文字。")
        return redirect("report_section_edit", pk=evaluation.pk, key=key)
    form = SectionForm(request.POST or None, initial={"text": section_text(key, data)})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_section(evaluation, key, form.cleaned_data["text"], user=request.user)
        except ValidationError as error:
            form.add_error("text", error)
        else:
            messages.success(request, f"“{SectionKey(key).label}”已保存。")
            return redirect("report_overview", pk=evaluation.pk)
    values = placeholder_values(data)
    current = section_text(key, data)
    return render(
        request,
        "reports/section_edit.html",
        _context(
            request, evaluation, form=form, key=key, label=SectionKey(key).label, saved=key in data.sections,
            draft=draft_text(key, data), filled=fill(current, values),
            catalog=[(group, [(p, values.get(p.name, "")) for p in items]) for group, items in catalog_groups()],
        ),
    )


@login_required
def report_goals_edit(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.WRITE_REPORT)
    form = GoalsForm(request.POST or None, initial={"rows": services.goals_as_text(evaluation)})
    if request.method == "POST" and form.is_valid():
        count = services.save_goals(evaluation, form.cleaned_data["rows"])
        messages.success(request, f"部门整体绩效目标申报表已保存（{count}行）。")
        return redirect("report_overview", pk=evaluation.pk)
    return render(request, "reports/goals_edit.html", _context(request, evaluation, form=form))


def _problem_of(evaluation, problem_pk) -> Problem:
    return get_object_or_404(Problem, pk=problem_pk, evaluation=evaluation)


def _suggestion_of(evaluation, suggestion_pk) -> Suggestion:
    return get_object_or_404(Suggestion, pk=suggestion_pk, evaluation=evaluation)


def _problem_form_page(request, evaluation, problem: Problem | None) -> HttpResponse:
    initial = {}
    if problem is not None:
        initial = {"title": problem.title, "text": problem.text, "indicators": list(problem.indicators.all())}
    form = ProblemForm(request.POST or None, initial=initial, evaluation=evaluation)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_problem(
                evaluation, title=form.cleaned_data["title"], text=form.cleaned_data["text"],
                indicators=form.cleaned_data["indicators"], problem=problem,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "问题已保存。")
            return redirect("report_overview", pk=evaluation.pk)
    return render(request, "reports/item_edit.html", _context(request, evaluation, form=form, item=problem, kind="problem"))


@login_required
def report_problem_create(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.WRITE_REPORT)
    return _problem_form_page(request, evaluation, None)


@login_required
def report_problem_edit(request: HttpRequest, pk: int, problem_pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.WRITE_REPORT)
    return _problem_form_page(request, evaluation, _problem_of(evaluation, problem_pk))


@login_required
@require_POST
def report_problem_delete(request: HttpRequest, pk: int, problem_pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.WRITE_REPORT)
    problem = _problem_of(evaluation, problem_pk)
    services.delete_problem(evaluation, problem)
    messages.success(request, f"已删除问题：{problem.title}")
    return redirect("report_overview", pk=evaluation.pk)


def _suggestion_form_page(request, evaluation, suggestion: Suggestion | None) -> HttpResponse:
    initial = {}
    if suggestion is not None:
        initial = {"title": suggestion.title, "text": suggestion.text, "problem": suggestion.problem}
    elif request.GET.get("problem"):
        initial = {"problem": Problem.objects.filter(evaluation=evaluation, pk=request.GET["problem"]).first()}
    form = SuggestionForm(request.POST or None, initial=initial, evaluation=evaluation)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_suggestion(
                evaluation, title=form.cleaned_data["title"], text=form.cleaned_data["text"],
                problem=form.cleaned_data["problem"], suggestion=suggestion,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "建议已保存。")
            return redirect("report_overview", pk=evaluation.pk)
    return render(
        request, "reports/item_edit.html", _context(request, evaluation, form=form, item=suggestion, kind="suggestion")
    )


@login_required
def report_suggestion_create(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.WRITE_REPORT)
    return _suggestion_form_page(request, evaluation, None)


@login_required
def report_suggestion_edit(request: HttpRequest, pk: int, suggestion_pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.WRITE_REPORT)
    return _suggestion_form_page(request, evaluation, _suggestion_of(evaluation, suggestion_pk))


@login_required
@require_POST
def report_suggestion_delete(request: HttpRequest, pk: int, suggestion_pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.WRITE_REPORT)
    suggestion = _suggestion_of(evaluation, suggestion_pk)
    services.delete_suggestion(evaluation, suggestion)
    messages.success(request, f"已删除建议：{suggestion.title}")
    return redirect("report_overview", pk=evaluation.pk)
