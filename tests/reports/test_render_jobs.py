"""Drafts render in the background worker: progress in the page, the stored file served while nothing changed,
a new render when a judgment changes, charts drawn once per change of their counts and linked from the preview.

Tasks run as they are queued in the tests (django-tasks' immediate backend); the
progress tests queue on the dummy backend and run the worker's function by
hand, and one test runs the real ``db_worker`` command on the database queue.
"""

import io
import re
import signal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from docx import Document as WordDocument

from evaluations.enums import TeamRole
from reports import render_jobs
from reports.enums import PREVIEW, RenderState
from reports.models import RenderJob
from rubrics import services as rubric_services
from rubrics.models import Indicator
from surveys import charts
from surveys.queries import survey_results
from surveys.services import load_demo_surveys
from tests.factories import YANJIN_BUDGET, EvaluationFactory, small_rubric, team

pytestmark = pytest.mark.django_db
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def evaluation():
    evaluation = small_rubric(EvaluationFactory(budget=YANJIN_BUDGET))
    load_demo_surveys(evaluation)
    return evaluation


@pytest.fixture
def lead_client(client, evaluation):
    client.force_login(team(evaluation)[TeamRole.LEAD])
    return client


def paragraphs(content: bytes) -> list[str]:
    return [p.text for p in WordDocument(io.BytesIO(content)).paragraphs]


def judge_a11(evaluation, yes: bool) -> None:
    indicator = Indicator.objects.get(evaluation=evaluation, code="A11")
    indicator.evaluation = evaluation
    rubric_services.save_judgment(indicator, inputs={"yes": yes}, user=None, process="符合。" if yes else "不符合。")


def test_an_unchanged_draft_is_rendered_once_and_served_again(lead_client, evaluation):
    url = reverse("report_download", args=[evaluation.pk, "docx"])
    first = lead_client.get(url)
    assert first["Content-Type"].endswith("wordprocessingml.document")
    job = RenderJob.objects.get()
    evaluation.refresh_from_db()
    assert (job.state, job.step, job.format) == (RenderState.READY, 5, "docx")
    assert (job.content_version, job.evaluation_status) == (evaluation.content_version, evaluation.status)
    second = lead_client.get(url)
    assert second.content == first.content
    assert list(RenderJob.objects.values_list("pk", flat=True)) == [job.pk]  # nothing rendered again
    assert any("部门整体支出绩效评价报告" in text for text in paragraphs(second.content))


def test_a_changed_judgment_renders_a_new_draft_and_drops_the_old_file(lead_client, evaluation):
    url = reverse("report_download", args=[evaluation.pk, "docx"])
    before = lead_client.get(url)
    old = RenderJob.objects.get()
    judge_a11(evaluation, yes=False)
    after = lead_client.get(url)
    new = RenderJob.objects.get()  # the older render is pruned
    assert new.pk != old.pk and new.content_version == old.content_version + 1
    assert not default_storage.exists(old.file.name)
    total = "总体得分为{}分，评价等级为“{}”"
    assert any(total.format("60.00", "中") in text for text in paragraphs(after.content))
    assert any(total.format("100.00", "优") in text for text in paragraphs(before.content))


def test_the_page_shows_the_workers_progress_then_links_the_file(lead_client, evaluation, settings):
    settings.TASKS = DUMMY  # queued, not run: the worker has not got to it
    page = lead_client.get(reverse("report_download", args=[evaluation.pk, "pdf"]))
    job = RenderJob.objects.get()
    assert page.status_code == 200 and job.state == RenderState.QUEUED
    status_url = reverse("report_render_status", args=[evaluation.pk, "pdf"])
    assert f'hx-get="{status_url}"' in page.content.decode() and 'hx-trigger="every 1s"' in page.content.decode()

    RenderJob.objects.filter(pk=job.pk).update(state=RenderState.RUNNING, step=3, step_label="组织文档")
    progress = lead_client.get(status_url).content.decode()
    assert "正在生成……第3步，共5步（组织文档）" in progress and "every 1s" in progress

    render_jobs.run_render_job(job.pk)  # the worker's part
    done = lead_client.get(status_url).content.decode()
    assert "every 1s" not in done  # polling stops
    link = reverse("report_render_file", args=[evaluation.pk, job.pk])
    assert f'href="{link}"' in done
    pdf = lead_client.get(link)
    assert pdf.content.startswith(b"%PDF") and "attachment" in pdf["Content-Disposition"]
    assert RenderJob.objects.count() == 1


def test_a_job_whose_content_changed_before_the_worker_got_to_it_is_not_rendered(lead_client, evaluation, settings):
    settings.TASKS = DUMMY
    lead_client.get(reverse("report_download", args=[evaluation.pk, "docx"]))
    queued = RenderJob.objects.get()
    judge_a11(evaluation, yes=False)
    render_jobs.run_render_job(queued.pk)
    queued.refresh_from_db()
    assert queued.state == RenderState.FAILED and not queued.file
    assert "已修改" in queued.error
    status = lead_client.get(reverse("report_render_status", args=[evaluation.pk, "docx"])).content.decode()
    assert "排队等待生成" in status  # the page follows the current content's job
    assert RenderJob.objects.filter(content_version=queued.content_version + 1, state=RenderState.QUEUED).exists()


def test_a_failed_render_can_be_retried(lead_client, evaluation, settings):
    settings.TASKS = DUMMY
    lead_client.get(reverse("report_download", args=[evaluation.pk, "xlsx"]))
    job = RenderJob.objects.get()
    RenderJob.objects.filter(pk=job.pk).update(state=RenderState.FAILED, error="生成失败：磁盘已满")
    page = lead_client.get(reverse("report_download", args=[evaluation.pk, "xlsx"])).content.decode()
    assert "生成失败：磁盘已满" in page and "?retry=1" in page
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    retried = lead_client.get(reverse("report_download", args=[evaluation.pk, "xlsx"]) + "?retry=1")
    assert retried["Content-Type"].endswith("spreadsheetml.sheet")


def test_a_long_failure_is_stored_cut_with_an_ellipsis(lead_client, evaluation, settings):
    settings.TASKS = DUMMY
    lead_client.get(reverse("report_download", args=[evaluation.pk, "xlsx"]))
    job = RenderJob.objects.get()
    limit = RenderJob._meta.get_field("error").max_length
    render_jobs._fail(job, "生成失败：" + "字" * (limit * 2))
    job.refresh_from_db()
    assert len(job.error) == limit and job.error.startswith("生成失败：字") and job.error.endswith("字…")


def test_the_database_worker_command_renders_a_queued_job(transactional_db, lead_client, evaluation, settings):
    # Committed data (transactional_db): the worker closes old connections after each task, as in production,
    # which on PostgreSQL would end a test's enclosing transaction.
    settings.TASKS = DATABASE
    page = lead_client.get(reverse("report_download", args=[evaluation.pk, "xlsx"]))
    assert "排队等待生成" in page.content.decode()
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(status="READY").count() == 1
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:  # the worker installs its own shutdown handlers in this process
        for number, handler in handlers.items():
            signal.signal(number, handler)
    job = RenderJob.objects.get()
    assert job.state == RenderState.READY and default_storage.exists(job.file.name)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    served = lead_client.get(reverse("report_download", args=[evaluation.pk, "xlsx"]))
    assert served["Content-Type"].endswith("spreadsheetml.sheet")


def test_the_preview_links_its_charts_and_is_served_again_while_unchanged(lead_client, evaluation):
    page = lead_client.get(reverse("report_preview", args=[evaluation.pk])).content.decode()
    links = re.findall(r'src="(/evaluations/\d+/report/charts/[0-9a-f]{64}\.png)"', page)
    assert links and "data:image/png;base64" not in page
    again = lead_client.get(reverse("report_preview", args=[evaluation.pk])).content.decode()
    assert again.count("<img") == page.count("<img") and again.count("<table") == page.count("<table")
    assert RenderJob.objects.filter(format=PREVIEW).count() == 1  # served from the stored render

    chart = lead_client.get(links[0])
    assert chart["Content-Type"] == "image/png" and chart.content.startswith(b"\x89PNG")
    assert chart["Cache-Control"] == "private, max-age=31536000, immutable"
    assert chart["ETag"] == f'"{links[0].rsplit("/", 1)[-1][:-4]}"'
    again = lead_client.get(links[0], headers={"If-None-Match": chart["ETag"]})
    assert again.status_code == 304 and again.content == b""


def test_a_chart_url_needs_access_to_the_evaluation(client, evaluation):
    client.force_login(team(evaluation)["outsider"])
    digest = "0" * 64
    assert client.get(reverse("report_chart", args=[evaluation.pk, f"{digest}.png"])).status_code == 404


def test_a_chart_is_drawn_once_per_change_of_its_counts(evaluation, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the chart is replaced below: no other test may read it
    _questionnaire, result = survey_results(evaluation)[0]
    question = result.questions[0]
    digest, png = charts.stored_chart(question)
    assert png.startswith(b"\x89PNG") and default_storage.exists(charts.chart_name(digest))
    default_storage.delete(charts.chart_name(digest))
    stored = b"\x89PNG\r\n\x1a\n(stored)"
    default_storage.save(charts.chart_name(digest), ContentFile(stored))
    assert charts.stored_chart(question) == (digest, stored)  # read, not drawn again
    default_storage.delete(charts.chart_name(digest))
    default_storage.save(charts.chart_name(digest), ContentFile(b"broken"))
    assert charts.stored_chart(question) == (digest, png)  # a damaged file is drawn again
    assert charts.read_stored_chart(digest) == png
    changed = question.__class__(**{**question.__dict__, "options": question.options[:-1]})
    assert charts.chart_digest(changed) != digest


def test_the_survey_page_chart_answers_not_modified_while_its_counts_stand(lead_client, evaluation):
    questionnaire = evaluation.questionnaires.first()
    url = reverse("survey_chart", args=[evaluation.pk, questionnaire.pk, 1, "png"])
    first = lead_client.get(url)
    assert first.status_code == 200 and first["Cache-Control"] == "private, no-cache"
    assert lead_client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
