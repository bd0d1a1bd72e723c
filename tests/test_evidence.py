"""Evidence (工作底稿): attached before scoring, dated apart from the upload, removed only by its uploader before
提交审核 and kept as removed, and listed with its indicator in the evaluation's 底稿 index (page and XLSX)."""

import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations.enums import EvaluationStatus, TeamRole
from evaluations.models import Evaluation
from rubrics.models import Evidence, Judgment
from tests.factories import EvaluationFactory, small_rubric, team

pytestmark = pytest.mark.django_db


@pytest.fixture
def unscored(client, settings, tmp_path):
    """An evaluation whose indicators nobody has scored yet; the 评价人员 logged in."""
    settings.MEDIA_ROOT = tmp_path
    evaluation = small_rubric(EvaluationFactory(status=EvaluationStatus.SCORING), yes=None)
    people = team(evaluation)
    client.force_login(people[TeamRole.STAFF])
    return evaluation, people


def upload(client, evaluation, code, name, title, when=""):
    return client.post(
        reverse("evidence_upload", args=[evaluation.pk, code]),
        {"file": SimpleUploadedFile(name, b"%PDF-1.4 " + name.encode()), "title": title, "document_date": when},
        follow=True,
    )


def test_a_paper_is_attached_before_scoring_with_its_own_date(client, unscored):
    evaluation, people = unscored

    response = upload(client, evaluation, "A11", "目标申报表.pdf", "2022年度部门整体绩效目标申报表", "2022-03-15")

    assert "已上传：A11-1 2022年度部门整体绩效目标申报表" in response.content.decode()
    assert not Judgment.objects.filter(indicator__evaluation=evaluation).exists()  # still unscored
    paper = Evidence.objects.get()
    assert (paper.code, paper.document_date, paper.uploaded_by) == ("A11-1", date(2022, 3, 15), people[TeamRole.STAFF])
    assert paper.uploaded_at.date() != paper.document_date
    item = re.search(r'data-testid="evidence-item">(.*?)</li>', response.content.decode(), re.S).group(1)
    assert "A11-1" in item and "资料日期 2022-03-15" in item and people[TeamRole.STAFF].display_name in item


def test_papers_are_numbered_within_their_indicator_and_never_renumbered(client, unscored):
    evaluation, _ = unscored
    for name in ("一.pdf", "二.pdf", "三.pdf"):
        upload(client, evaluation, "A11", name, name)
    upload(client, evaluation, "B11", "决算表.pdf", "2022年度部门决算表")
    second = Evidence.objects.get(indicator__code="A11", number=2)
    client.post(reverse("evidence_remove", args=[evaluation.pk, second.pk]))

    upload(client, evaluation, "A11", "四.pdf", "四.pdf")

    assert [p.code for p in Evidence.objects.filter(removed_at__isnull=True)] == ["A11-1", "A11-3", "A11-4", "B11-1"]


def test_only_the_uploader_removes_a_paper_and_it_stays_on_record(client, unscored):
    evaluation, people = unscored
    upload(client, evaluation, "A11", "会议纪要.pdf", "党组会议纪要", "2022-01-10")
    paper = Evidence.objects.get()
    client.force_login(people[TeamRole.LEAD])

    refused = client.post(reverse("evidence_remove", args=[evaluation.pk, paper.pk]), follow=True)

    assert "不能移除：只有上传人可以移除佐证材料。" in refused.content.decode()
    assert Evidence.objects.get().removed_at is None
    client.force_login(people[TeamRole.STAFF])
    removed = client.post(reverse("evidence_remove", args=[evaluation.pk, paper.pk]), follow=True).content.decode()

    assert "已移除：A11-1 党组会议纪要" in removed
    paper.refresh_from_db()
    assert (paper.removed_by, paper.removed_at is not None) == (people[TeamRole.STAFF], True)
    assert "<s>党组会议纪要</s>" in removed  # the judgment page keeps it, struck through, with who removed it
    index = client.get(reverse("evidence_index", args=[evaluation.pk])).content.decode()
    assert "已移除的材料（1份，保留记录）" in index
    assert not re.search(r'data-testid="evidence-row">', index)
    download = client.get(reverse("evidence_download", args=[evaluation.pk, paper.pk]))  # kept: the team still reads it
    assert b"".join(download.streaming_content) == "%PDF-1.4 会议纪要.pdf".encode()
    download.close()


def test_papers_cannot_be_removed_once_submitted_for_review(client, unscored):
    evaluation, _ = unscored
    upload(client, evaluation, "A11", "会议纪要.pdf", "党组会议纪要")
    paper = Evidence.objects.get()
    Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.REVIEW)

    response = client.post(reverse("evidence_remove", args=[evaluation.pk, paper.pk]))

    assert response.status_code == 403  # under review nobody scores or removes: the page names who may do what
    assert "报告正在审核中" in response.content.decode() or "只有" in response.content.decode()
    assert Evidence.objects.get().removed_at is None
    assert ">移除</button>" not in client.get(reverse("judgment_edit", args=[evaluation.pk, "A11"])).content.decode()


def test_the_index_lists_every_paper_with_its_indicator_and_downloads_as_xlsx(client, unscored):
    from openpyxl import load_workbook

    evaluation, people = unscored
    upload(client, evaluation, "B11", "决算表.pdf", "2022年度部门决算表", "2023-02-20")
    upload(client, evaluation, "A11", "申报表.pdf", "绩效目标申报表", "2022-03-15")
    upload(client, evaluation, "A11", "纪要.pdf", "党组会议纪要")
    client.post(reverse("evidence_remove", args=[evaluation.pk, Evidence.objects.get(title="党组会议纪要").pk]))
    staff = people[TeamRole.STAFF].display_name

    page = client.get(reverse("evidence_index", args=[evaluation.pk])).content.decode()

    rows = re.findall(r'<tr data-testid="evidence-row">(.*?)</tr>', page, re.S)
    cells = [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)] for row in rows]
    assert [row[:5] for row in cells] == [
        ["A11-1", "A11 绩效目标合理性", "绩效目标申报表", "2022-03-15", staff],
        ["B11-1", "B11 预算执行率", "2022年度部门决算表", "2023-02-20", staff],
    ]
    response = client.get(reverse("evidence_index_xlsx", args=[evaluation.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["底稿索引", "已移除"]
    sheet = workbook["底稿索引"]
    assert sheet["A1"].value == f"2022{evaluation.department.name}工作底稿索引"
    assert [cell.value for cell in sheet[2]] == ["编号", "指标", "资料名称", "资料日期", "上传人", "上传时间"]
    assert [cell.value for cell in sheet[3]][:5] == ["A11-1", "A11 绩效目标合理性", "绩效目标申报表", "2022-03-15", staff]
    assert [cell.value for cell in sheet[4]][:5] == ["B11-1", "B11 预算执行率", "2022年度部门决算表", "2023-02-20", staff]
    assert sheet.max_row == 4
    removed = workbook["已移除"]
    assert [cell.value for cell in removed[3]][:3] == ["A11-2", "A11 绩效目标合理性", "党组会议纪要"]
    assert removed.cell(row=3, column=7).value == staff


def test_the_bureau_sees_no_working_papers(client, unscored):
    evaluation, people = unscored
    upload(client, evaluation, "A11", "申报表.pdf", "绩效目标申报表")
    Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.SIGNED)
    client.force_login(people["bureau"])

    assert client.get(reverse("evidence_index", args=[evaluation.pk])).status_code == 403
    assert client.get(reverse("evidence_index_xlsx", args=[evaluation.pk])).status_code == 403
    assert "工作底稿索引" not in client.get(reverse("rubric_overview", args=[evaluation.pk])).content.decode()
