"""Rendering drafts in the background worker, and serving what was rendered while the content stands.

A page asks for a format (:func:`request_render`): the job of the evaluation's
current content (its content version and state, the format, the options) is
found or created and, when new, queued for the worker (``reports.tasks``).
The worker runs :func:`run_render_job`: it reports each step into the job's
row (the page polls it: "正在生成……第3步，共5步"), stores the file through
Django's storage API and removes the files of older content. Asking again
while nothing changed serves the stored file: unchanged drafts are rendered once.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from evalsite.exports import CONTENT_TYPES, attachment
from evalsite.lib.text_limits import shortened
from evaluations.facts import with_frozen_facts
from evaluations.models import Evaluation
from evaluations.permissions import team_prefetch
from reports.enums import PREVIEW, RenderState, ReportFormat
from reports.models import RenderJob

logger = logging.getLogger(__name__)

#: What the worker does, in order; the page shows "第N步，共5步" with the step's name.
STEPS = ("读取数据", "绘制图表", "组织文档", "生成文件", "保存文件")
#: A job queued or running without news for this long lost its worker (stopped, killed): it is queued again.
STALE_AFTER = timedelta(minutes=15)
#: Formats whose document carries the survey charts.
WITH_CHARTS = {ReportFormat.DOCX, ReportFormat.PDF, PREVIEW}
HTML_CONTENT_TYPE = "text/html; charset=utf-8"


def render_formats() -> list[str]:
    return [*ReportFormat.values, PREVIEW]


def _key(evaluation: Evaluation, fmt: str, options: str) -> dict:
    return {
        "evaluation": evaluation,
        "content_version": evaluation.content_version,
        "evaluation_status": evaluation.status,
        "format": fmt,
        "options": options,
    }


def _filename(evaluation: Evaluation, fmt: str) -> str:
    if fmt == PREVIEW:
        return f"{evaluation.pk}-preview.html"
    from reports.exports import EXPORTERS

    return EXPORTERS[fmt].filename(evaluation)


def _enqueue(job: RenderJob) -> None:
    from reports.tasks import render_report

    render_report.enqueue(job.pk)


def request_render(
    evaluation: Evaluation, fmt: str, *, user=None, options: str | None = None, retry: bool = False
) -> RenderJob:
    """The job rendering ``fmt`` of the evaluation's current content, queued if it is new (or ``retry`` of a
    failed one, or one whose worker was lost); a ready job is returned as it is, its file served again.

    ``options`` defaults to the report profile followed, with its revision (``profile:12.3``): a profile edited
    in the library, or another bureau default, changes the report without changing the evaluation's content.
    """
    if fmt not in render_formats():
        raise ValueError(f"unknown render format: {fmt!r}")
    if options is None:
        from reports.queries import outline_of

        options = outline_of(evaluation).key
    key = _key(evaluation, fmt, options)
    job = RenderJob.objects.filter(**key).first()
    if job is None:
        try:
            with transaction.atomic():
                job = RenderJob.objects.create(
                    **key, steps=len(STEPS), filename=_filename(evaluation, fmt),
                    requested_by=user if user is not None and user.is_authenticated else None,
                )
        except IntegrityError:  # another request created it first
            return RenderJob.objects.get(**key)
        _enqueue(job)
        job.refresh_from_db()  # a worker that runs at once (tests) has finished it
        return job
    lost = not job.finished and timezone.now() - job.updated_at > STALE_AFTER
    if (retry and job.state == RenderState.FAILED) or lost:
        RenderJob.objects.filter(pk=job.pk).update(
            state=RenderState.QUEUED, step=0, step_label="", error="", updated_at=timezone.now()
        )
        _enqueue(job)
        job.refresh_from_db()
    return job


def _progress(job: RenderJob, step: int) -> None:
    RenderJob.objects.filter(pk=job.pk).update(
        state=RenderState.RUNNING, step=step, step_label=STEPS[step - 1], updated_at=timezone.now()
    )


def _fail(job: RenderJob, message: str) -> None:
    RenderJob.objects.filter(pk=job.pk).update(
        state=RenderState.FAILED, error=shortened(message, RenderJob._meta.get_field("error").max_length),
        updated_at=timezone.now(),
    )


def _evaluation(pk: int) -> Evaluation:
    """The evaluation as its pages show it (a signed one with the facts it was signed with)."""
    return with_frozen_facts(
        Evaluation.objects.select_related("department", "bureau", "firm").prefetch_related(team_prefetch()).get(pk=pk)
    )


def _current(job: RenderJob) -> bool:
    evaluation = Evaluation.objects.filter(pk=job.evaluation_id).values("content_version", "status").first()
    return evaluation == {"content_version": job.content_version, "status": job.evaluation_status}


def chart_prefix(evaluation_pk: int) -> str:
    """The URL under which the preview links its charts (``<prefix><digest>.png``)."""
    return reverse("report_chart", args=[evaluation_pk, "x"])[:-1]


def _draw_charts(data) -> None:
    """Draw (or find stored) every survey chart before the document is built from them."""
    if data.surveys is None:
        return
    from surveys.charts import stored_chart

    for _questionnaire, result in data.surveys.results:
        for question in result.questions:
            if question.total:
                stored_chart(question, "png")


def render_content(job: RenderJob, evaluation: Evaluation) -> bytes:
    """The job's file, reporting steps 1–4 into its row."""
    from reports.exports import document_for, render_document
    from reports.queries import report_data

    _progress(job, 1)
    data = report_data(evaluation)
    _progress(job, 2)
    if job.format in WITH_CHARTS:
        _draw_charts(data)
    _progress(job, 3)
    document_format = ReportFormat.PDF if job.format == PREVIEW else job.format
    document = document_for(data, document_format)
    _progress(job, 4)
    if job.format == PREVIEW:
        from reports.render_html import render_body

        return render_body(document, chart_prefix(evaluation.pk)).encode("utf-8")
    return render_document(document, job.format)


def run_render_job(job_pk: int) -> None:
    """The worker's part: render the job's file if its content still stands, store it, prune older files."""
    job = RenderJob.objects.filter(pk=job_pk).first()
    if job is None or job.ready:
        return
    if not _current(job):
        _fail(job, "项目内容在排队期间已修改，将按新内容重新生成。")
        return
    started = time.perf_counter()
    try:
        content = render_content(job, _evaluation(job.evaluation_id))
    except Exception as error:
        logger.exception("render job %s failed", job.pk)
        _fail(job, f"生成失败：{error}"[:1000])
        return
    if not _current(job):  # changed while rendering: what was read may mix two versions
        _fail(job, "项目内容在生成期间已修改，将按新内容重新生成。")
        return
    _progress(job, 5)
    job.refresh_from_db()
    extension = "html" if job.format == PREVIEW else job.filename.rsplit(".", 1)[-1]
    job.file.save(f"{job.evaluation_id}-{job.content_version}-{job.format}.{extension}", ContentFile(content), save=False)
    job.state, job.error, job.seconds = RenderState.READY, "", time.perf_counter() - started
    job.save(update_fields=["file", "state", "error", "seconds", "updated_at"])
    prune(job)


def prune(job: RenderJob) -> None:
    """Remove the finished renders of the same format built from older content (their files too)."""
    older = RenderJob.objects.filter(evaluation_id=job.evaluation_id, format=job.format, options=job.options).exclude(
        pk=job.pk
    ).exclude(state__in=(RenderState.QUEUED, RenderState.RUNNING))
    for stale in older:
        if stale.file:
            stale.file.delete(save=False)
        stale.delete()


def file_response(job: RenderJob) -> HttpResponse:
    """A ready job's file as a download, named like every download of its format."""
    with job.file.open("rb") as stored:
        return attachment(stored.read(), job.filename, CONTENT_TYPES[job.filename.rsplit(".", 1)[-1]])


def read_preview(job: RenderJob) -> str:
    with job.file.open("rb") as stored:
        return stored.read().decode("utf-8")
