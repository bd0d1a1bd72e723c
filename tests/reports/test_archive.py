"""Sign-off freezes the report: files rendered once and stored with their SHA-256, served only as stored.

Until the workflow's sign-off lands, these tests put the evaluation in 已签发 through the ORM and
call ``reports.archive.freeze`` as the sign-off does; reopening is the state going back to 评分中.
"""

import hashlib
import io
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from evalsite.lib.numbers import format_amount
from evaluations import services as evaluation_services
from evaluations.enums import EvaluationStatus, TeamRole
from evaluations.models import Department, Evaluation
from reports import services as report_services
from reports.archive import StoredFileChanged, files_for, freeze, frozen_formats, latest_version, verified_content
from reports.enums import ReportFormat, SectionKey
from reports.models import AppendOnlyRecord, ReportFile, SignedVersion
from reports.queries import report_data
from reports.signing import SealError
from rubrics.queries import evaluation_result
from tests.factories import SMALL_TREE, EvaluationFactory, small_rubric, team
from tests.reports.conftest import open_docx, pdf_text

pytestmark = pytest.mark.django_db

YANJIN_REPORT = "2022年度{}部门整体支出绩效评价报告"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def set_status(evaluation, status):
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
    evaluation.refresh_from_db()
    return evaluation


def sign(evaluation, people, version=1):
    set_status(evaluation, EvaluationStatus.SIGNED)
    return freeze(evaluation, version=version, signed_by=people[TeamRole.REVIEWER], signed_at=timezone.now())


def stored_bytes(report_file: ReportFile) -> bytes:
    with report_file.file.open("rb") as handle:
        return handle.read()


def docx_text(content: bytes) -> str:
    document = open_docx(content)
    body = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    headers = [p.text for s in document.sections for p in s.header.paragraphs]
    return "\n".join(body + cells + headers)


def test_freeze_stores_every_file_with_its_sha256_the_signer_and_the_facts(evaluation, people):
    name = evaluation.department.name
    signed_at = timezone.now()
    set_status(evaluation, EvaluationStatus.SIGNED)

    files = freeze(evaluation, version=1, signed_by=people[TeamRole.REVIEWER], signed_at=signed_at)

    # SMALL_TREE's first level B is bound to 预算执行率 as a whole: the 自评表 is frozen too
    assert [f.format for f in files] == [
        ReportFormat.DOCX, ReportFormat.PDF, ReportFormat.XLSX, ReportFormat.SELFEVAL_XLSX, ReportFormat.SELFEVAL_DOCX,
    ]
    for report_file in files_for(evaluation):
        content = stored_bytes(report_file)
        assert hashlib.sha256(content).hexdigest() == report_file.sha256
        assert len(content) == report_file.size
        assert report_file.version == 1 and report_file.superseded is False
        assert report_file.signed_by == people[TeamRole.REVIEWER] and report_file.signed_at == signed_at
        assert report_file.path.startswith(f"signed/{evaluation.pk}/v1/")
    by_format = {f.format: f for f in files}
    assert by_format[ReportFormat.DOCX].filename == YANJIN_REPORT.format(name) + ".docx"
    report = docx_text(stored_bytes(by_format[ReportFormat.DOCX]))
    assert name in report and "草稿" not in report
    assert stored_bytes(by_format[ReportFormat.PDF]).startswith(b"%PDF-1.7")

    version = SignedVersion.objects.get(evaluation=evaluation)
    total = evaluation_result(evaluation).result.total
    assert version.facts["department"]["name"] == name
    assert version.facts["department"]["admin_authorized"] == 8
    assert version.facts["bureau"] == evaluation.bureau.name and version.facts["firm"] == evaluation.firm.name
    assert version.facts["total"] == format_amount(total)
    assert Evaluation.objects.get(pk=evaluation.pk).facts == version.facts


def test_downloads_serve_the_stored_bytes_and_the_pages_the_signed_facts_after_the_department_changes(
    client, evaluation, people, tmp_path
):
    old_name = evaluation.department.name
    files = sign(evaluation, people)
    stored = {f.format: stored_bytes(f) for f in files}
    client.force_login(people[TeamRole.LEAD])
    url = reverse("report_download", args=[evaluation.pk, "pdf"])
    first, second = client.get(url), client.get(url)
    assert first.content == second.content == stored["pdf"]
    assert first["X-Content-SHA256"] == hashlib.sha256(first.content).hexdigest()

    Department.objects.filter(pk=evaluation.department_id).update(name="改名后的局", admin_authorized=99)

    again = client.get(url)
    assert again.content == stored["pdf"]
    docx = client.get(reverse("report_download", args=[evaluation.pk, "docx"]))
    assert docx.content == stored["docx"]
    assert YANJIN_REPORT.format(old_name) in unquote(docx["Content-Disposition"])
    assert old_name in pdf_text(again.content, tmp_path) and "改名后的局" not in pdf_text(again.content, tmp_path)
    for page in ("evaluation_detail", "report_overview", "report_preview", "budget_detail"):
        text = client.get(reverse(page, args=[evaluation.pk])).content.decode()
        assert old_name in text and "改名后的局" not in text, page
    detail = client.get(reverse("evaluation_detail", args=[evaluation.pk])).content.decode()
    assert "编制数：21（行政8，事业13）" in detail
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert old_name in dashboard and "改名后的局" not in dashboard
    client.force_login(people["bureau"])
    desk = client.get(reverse("delivery_desk", args=[evaluation.pk])).content.decode()
    assert old_name in desk and "改名后的局" not in desk
    out = io.StringIO()
    call_command("render_report", str(evaluation.pk), "--format", "docx", "--output", str(tmp_path), stdout=out)
    assert (tmp_path / (YANJIN_REPORT.format(old_name) + ".docx")).read_bytes() == stored["docx"]
    assert "第1版签发文件" in out.getvalue()


def test_a_stored_file_altered_or_lost_is_refused_never_served(client, evaluation, people):
    files = {f.format: f for f in sign(evaluation, people)}
    pdf, docx = files[ReportFormat.PDF], files[ReportFormat.DOCX]
    altered = stored_bytes(pdf).replace(b"/Producer", b"/Producex", 1)
    with open(pdf.file.path, "wb") as handle:
        handle.write(altered)
    docx.file.storage.delete(docx.file.name)

    client.force_login(people[TeamRole.REVIEWER])
    response = client.get(reverse("report_download", args=[evaluation.pk, "pdf"]))
    page = response.content.decode()
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html") and "Content-Disposition" not in response
    assert "第1版的PDF文件与签发时记录的SHA-256校验值不符，可能已被改动或损坏，不能下载。" in page
    lost = client.get(reverse("report_file", args=[evaluation.pk, 1, "docx"]))
    assert lost.status_code == 500 and "已不在存储中" in lost.content.decode()
    client.force_login(people["bureau"])
    refused = client.get(reverse("delivery_file", args=[evaluation.pk, 1, "pdf"]))
    assert refused.status_code == 500 and b"%PDF" not in refused.content
    with pytest.raises(StoredFileChanged, match="SHA-256"):
        verified_content(pdf)
    with pytest.raises(CommandError, match="SHA-256"):
        call_command("render_report", str(evaluation.pk), "--format", "pdf", "--output", "/dev/null")
    fine = client.get(reverse("delivery_file", args=[evaluation.pk, 1, "xlsx"]))
    assert fine.status_code == 200 and fine.content == stored_bytes(files[ReportFormat.XLSX])


def test_reopening_makes_version_two_and_version_one_still_downloads_byte_identical_marked_superseded(
    client, evaluation, people
):
    old_name = evaluation.department.name
    first = {f.format: stored_bytes(f) for f in sign(evaluation, people)}
    set_status(evaluation, EvaluationStatus.SCORING)  # reopened
    report_services.save_section(evaluation, SectionKey.OTHER, "第二版补充的说明。", user=people[TeamRole.LEAD])
    evaluation_services.save_department_facts(evaluation, {"name": "第二版时的局名"})  # the team's own copy
    evaluation.refresh_from_db()

    second = {f.format: stored_bytes(f) for f in sign(evaluation, people, version=2)}

    client.force_login(people[TeamRole.STAFF])
    for fmt in ("docx", "pdf", "xlsx"):
        assert client.get(reverse("report_file", args=[evaluation.pk, 1, fmt])).content == first[fmt]
        assert client.get(reverse("report_download", args=[evaluation.pk, fmt])).content == second[fmt]
    assert "第二版补充的说明。" in docx_text(second["docx"]) and "第二版补充的说明。" not in docx_text(first["docx"])
    assert "第二版时的局名" in docx_text(second["docx"]) and old_name in docx_text(first["docx"])
    superseded = {(f.version, f.format): f.superseded for f in files_for(evaluation)}
    assert superseded[(1, "pdf")] is True and superseded[(2, "pdf")] is False
    assert [f.version for f in files_for(evaluation)] == [2] * 5 + [1] * 5
    overview = client.get(reverse("report_overview", args=[evaluation.pk])).content.decode()
    panel = overview.split('data-testid="signed-files"', 1)[1].split('data-testid="bureau-responses"', 1)[0]
    assert panel.count("已被新版本替代") == 1 and panel.index("第2版") < panel.index("第1版")
    assert latest_version(evaluation).facts["department"]["name"] == "第二版时的局名"


def test_freeze_refuses_a_firm_without_a_seal_a_version_stored_already_and_an_unsigned_evaluation(people):
    unsealed = set_status(small_rubric(EvaluationFactory(firm__seal=False)), EvaluationStatus.SIGNED)
    reviewer = team(unsealed)[TeamRole.REVIEWER]
    with pytest.raises(SealError, match="尚未配置电子签章证书"):
        freeze(unsealed, version=1, signed_by=reviewer, signed_at=timezone.now())

    evaluation = set_status(small_rubric(EvaluationFactory()), EvaluationStatus.SIGNED)
    signer = team(evaluation)[TeamRole.REVIEWER]
    SignedVersion.objects.create(evaluation=evaluation, version=1, signed_by=signer, signed_at=timezone.now())
    with pytest.raises(ValidationError, match="第1版已经签发并保存"):
        freeze(evaluation, version=1, signed_by=signer, signed_at=timezone.now())

    set_status(evaluation, EvaluationStatus.SCORING)
    with pytest.raises(ValueError, match="已签发"):
        freeze(evaluation, version=2, signed_by=signer, signed_at=timezone.now())
    assert not ReportFile.objects.exists() and Evaluation.objects.get(pk=evaluation.pk).facts is None


def test_frozen_records_are_never_changed_or_deleted(evaluation, people):
    version = SignedVersion.objects.create(
        evaluation=evaluation, version=1, signed_by=people[TeamRole.REVIEWER], signed_at=timezone.now()
    )
    report_file = ReportFile(signed_version=version, format="pdf", filename="报告.pdf", sha256="0" * 64, size=3)
    report_file.file.save("pdf.pdf", io.BytesIO(b"pdf"), save=False)
    report_file.save()
    version.facts = {"department": {"name": "改过"}}
    with pytest.raises(AppendOnlyRecord):
        version.save()
    report_file.sha256 = "1" * 64
    with pytest.raises(AppendOnlyRecord):
        report_file.save()
    with pytest.raises(AppendOnlyRecord):
        report_file.delete()
    with pytest.raises(AppendOnlyRecord):
        version.delete()
    assert ReportFile.objects.get().sha256 == "0" * 64


def test_the_selfeval_is_frozen_only_where_the_indicator_system_has_one():
    with_selfeval = small_rubric(EvaluationFactory())
    assert ReportFormat.SELFEVAL_XLSX in frozen_formats(report_data(with_selfeval))
    unbound = [dict(node) for node in SMALL_TREE]
    leaf = unbound[1]["children"][0]["children"][0]
    unbound[1] = {**unbound[1], "children": [{**unbound[1]["children"][0], "children": [{**leaf, "binding": None}]}]}
    from rubrics import services

    without = EvaluationFactory()
    services.copy_system_into(without, unbound, source_name="无自评表的体系")
    assert frozen_formats(report_data(without)) == (ReportFormat.DOCX, ReportFormat.PDF, ReportFormat.XLSX)
