"""The bureau's side is a delivery desk: the signed report, its files and hashes, the sign-off record; not the workshop."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from evaluations.enums import EvaluationStatus, TeamRole
from evaluations.models import Evaluation
from reports.archive import freeze
from reports.enums import NotificationKind
from reports.models import BureauResponse, Notification
from reports.signing import fingerprint
from rubrics import services as rubric_services
from rubrics.models import Evidence, Indicator
from tests.factories import YANJIN_BUDGET, EvaluationFactory, small_rubric, stored_signed_files, team

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def evidence(evaluation, title, content=b"x"):
    indicator = Indicator.objects.get(evaluation=evaluation, code="A11")
    number = Evidence.objects.filter(indicator=indicator).count() + 1
    return Evidence.objects.create(indicator=indicator, number=number, file=SimpleUploadedFile(f"{title}.txt", content),
                                   title=title)


def url(name, evaluation, *args):
    return reverse(name, args=[evaluation.pk, *args])


def test_the_bureau_receives_the_signed_report_on_its_desk_and_nothing_of_the_workshop(client):
    evaluation = small_rubric(EvaluationFactory(budget=YANJIN_BUDGET, year=2022))
    people = team(evaluation)
    minutes = evidence(evaluation, "党组会议纪要", b"minutes")
    working = evidence(evaluation, "内部测算底稿", b"working paper")
    client.force_login(people[TeamRole.LEAD])
    assert client.post(url("evidence_share", evaluation, minutes.pk), {"shared": "1"}).status_code == 302
    Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.SIGNED)
    evaluation.refresh_from_db()
    files = freeze(evaluation, version=1, signed_by=people[TeamRole.REVIEWER], signed_at=timezone.now())
    assert client.post(url("evidence_share", evaluation, working.pk), {"shared": "1"}).status_code == 403

    bureau = people["bureau"]
    client.force_login(bureau)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert f'href="{url("delivery_desk", evaluation)}"' in dashboard
    assert f'href="{url("evaluation_detail", evaluation)}"' not in dashboard

    page = client.get(url("delivery_desk", evaluation)).content.decode()
    facts = evaluation.facts
    for shown in (evaluation.department.name, "2022年", evaluation.firm.name, facts["total"], facts["grade"], "第1版",
                  timezone.localdate().strftime("%Y年"), people[TeamRole.REVIEWER].display_name, "党组会议纪要",
                  "确认收到第1版报告"):
        assert shown in page, shown
    for report_file in files:
        assert report_file.sha256 in page
    assert f"电子签章：{evaluation.firm.name}，证书SHA-256指纹" in page
    assert fingerprint(evaluation.firm.signing_key.certificate) in page
    for hidden in ("内部测算底稿", "报告检查", "评分过程", "修改记录", "草稿", people[TeamRole.STAFF].display_name,
                   people[TeamRole.LEAD].display_name, url("judgment_edit", evaluation, "A11"), url("report_overview", evaluation)):
        assert hidden not in page, hidden

    pdf = client.get(url("delivery_file", evaluation, 1, "pdf"))
    stored = next(f for f in files if f.format == "pdf")
    assert pdf.status_code == 200 and pdf["X-Content-SHA256"] == stored.sha256
    assert b"".join([pdf.content]) == stored.file.open("rb").read()
    stored.file.close()
    assert client.get(url("delivery_evidence", evaluation, minutes.pk)).getvalue() == b"minutes"
    assert client.get(url("delivery_evidence", evaluation, working.pk)).status_code == 404
    for workshop in (url("evaluation_detail", evaluation), url("judgment_edit", evaluation, "A11"),
                     url("report_overview", evaluation), url("evidence_download", evaluation, minutes.pk)):
        assert client.get(workshop).status_code == 403, workshop

    assert client.post(url("delivery_receipt", evaluation)).status_code == 302
    assert client.post(url("delivery_receipt", evaluation)).status_code == 302
    receipts = BureauResponse.objects.filter(evaluation=evaluation, kind=BureauResponse.Kind.RECEIPT)
    assert [(r.version, r.author) for r in receipts] == [(1, bureau)]
    empty = client.post(url("delivery_opinion", evaluation), {"text": "  "})
    assert empty.status_code == 200 and "请填写意见。" in empty.content.decode()
    assert client.post(url("delivery_opinion", evaluation), {"text": "第五章的结论请补充依据。"}).status_code == 302
    page = client.get(url("delivery_desk", evaluation)).content.decode()
    assert "确认收到第1版报告。" in page and "第五章的结论请补充依据。" in page

    client.force_login(people[TeamRole.REVIEWER])
    overview = client.get(url("report_overview", evaluation)).content.decode()
    replies = overview.split('data-testid="bureau-responses"', 1)[1].split("</ul>", 1)[0]
    assert "第五章的结论请补充依据。" in replies and "确认收到" in replies and bureau.display_name in replies
    # The 项目负责人 and the 主评人 are told, in the app (and by mail when they have an address).
    told = Notification.objects.filter(evaluation=evaluation, kind=NotificationKind.OPINION)
    assert {n.user for n in told} == {people[TeamRole.REVIEWER], people[TeamRole.LEAD]}
    assert {(n.message, n.url) for n in told} == {(
        f"{evaluation.bureau.name}对《{evaluation.title}》（第1版）提出了意见：第五章的结论请补充依据。",
        url("report_overview", evaluation) + "#bureau-responses",
    )}


def test_the_bureau_lists_only_the_signed_evaluations_it_commissioned(client):
    signed = EvaluationFactory(status=EvaluationStatus.SIGNED)
    people = team(signed)
    in_progress = EvaluationFactory(bureau=signed.bureau, status=EvaluationStatus.SCORING)
    elsewhere = EvaluationFactory(status=EvaluationStatus.SIGNED)
    client.force_login(people["bureau"])
    page = client.get(reverse("dashboard")).content.decode()
    assert signed.department.name in page
    assert in_progress.department.name not in page and elsewhere.department.name not in page
    assert client.get(url("delivery_desk", in_progress)).status_code == 404
    assert client.get(url("delivery_desk", elsewhere)).status_code == 404


def test_evidence_reaches_the_bureau_only_when_the_team_shared_it_before_sign_off(client):
    evaluation = small_rubric(EvaluationFactory())
    people = team(evaluation)
    paper = evidence(evaluation, "满意度调查原始问卷")
    client.force_login(people[TeamRole.STAFF])
    client.post(url("evidence_share", evaluation, paper.pk), {"shared": "1"})
    client.post(url("evidence_share", evaluation, paper.pk), {"shared": "0"})  # taken back
    assert not Evidence.objects.get(pk=paper.pk).shared_with_bureau
    Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.SIGNED)
    stored_signed_files(evaluation, people[TeamRole.REVIEWER])
    client.force_login(people["bureau"])
    assert "满意度调查原始问卷" not in client.get(url("delivery_desk", evaluation)).content.decode()
    assert client.get(url("delivery_evidence", evaluation, paper.pk)).status_code == 404
    evaluation.refresh_from_db()
    with pytest.raises(ValidationError, match="报告已签发"):
        rubric_services.set_evidence_shared(evaluation, paper, True)

    other = small_rubric(EvaluationFactory())
    other_people = team(other)
    shared = evidence(other, "满意度调查原始问卷")
    client.force_login(other_people[TeamRole.LEAD])
    page = client.get(url("judgment_edit", other, "A11")).content.decode()
    assert "共享给委托单位" in page
    client.post(url("evidence_share", other, shared.pk), {"shared": "1"})
    assert 'data-testid="shared-badge"' in client.get(url("judgment_edit", other, "A11")).content.decode()
    Evaluation.objects.filter(pk=other.pk).update(status=EvaluationStatus.SIGNED)
    client.force_login(other_people["bureau"])
    assert "满意度调查原始问卷" in client.get(url("delivery_desk", other)).content.decode()
    assert client.get(url("delivery_evidence", other, shared.pk)).getvalue() == b"x"
