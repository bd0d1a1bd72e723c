"""The 复核台's pages: only the bureau that made a record reaches it; every firm and other bureau gets 404."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audits import services
from audits.enums import FileKind
from audits.models import Review, ReviewSettings
from tests.audits import seed002
from tests.factories import BureauFactory, FirmFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def report_docx():
    return seed002.report()


@pytest.fixture
def people(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    bureau = BureauFactory(name="延津县财政局")
    return {
        "bureau": UserFactory(username="czj", organization=bureau),
        "other_bureau": UserFactory(username="other", organization=BureauFactory(name="封丘县财政局")),
        "firm": UserFactory(username="firm", organization=FirmFactory(name="新乡市方政财务咨询有限公司")),
    }


@pytest.fixture
def review(people, report_docx):
    user = people["bureau"]
    return services.create_review(user.organization, user, firm_name="新乡市方政财务咨询有限公司",
                                  department_name="延津县政务服务和大数据管理局", year=2022,
                                  uploads=[services.Upload("报告.docx", report_docx)])


def upload(content: bytes, name="报告.docx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_a_bureau_user_uploads_a_report_and_reads_the_findings(client, people, report_docx):
    client.force_login(people["bureau"])
    assert "报告复核" in client.get(reverse("dashboard")).content.decode()
    response = client.post(reverse("review_create"), {
        "firm_name": "新乡市方政财务咨询有限公司", "department_name": "延津县政务服务和大数据管理局", "year": "2022",
        "files": [upload(report_docx)],
    })
    review = Review.objects.get()
    assert response.status_code == 302 and response.url == reverse("review_detail", args=[review.pk])
    page = client.get(response.url).content.decode()
    assert "企业和办事群众满意度93.32%无法由附件2的份数按任何常见方法复算" in page
    assert "“6.采购管理”写得分2，表5-2 部门管理类指标得分情况表中B6采购管理为1" in page
    assert "6.采购管理：“该二级指标满分2分，得分2分，得分率50.00%。包括政府采购规范性1个三级指标。”" in page
    assert "大厅入驻单位工作人员满意度97.88%可由附件2的份数按前两项占比法" in page
    assert "93.00" in page and "须修改" in page


def test_an_unreadable_upload_is_refused_on_the_page_with_its_name(client, people):
    client.force_login(people["bureau"])
    response = client.post(reverse("review_create"), {
        "firm_name": "某机构", "department_name": "某部门", "year": "2022", "files": [upload(b"%PDF-broken", "报告.pdf")],
    })
    assert response.status_code == 200
    assert "“报告.pdf”：不是可以读取的PDF文件" in response.content.decode()
    assert not Review.objects.exists()


def test_the_opinion_and_the_upload_download_as_stored(client, people, review, report_docx):
    client.force_login(people["bureau"])
    response = client.get(reverse("review_opinion", args=[review.pk, 1]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "%E5%A4%8D%E6%A0%B8%E6%84%8F%E8%A7%81%E4%B9%A6" in response["Content-Disposition"]  # 复核意见书
    opinion = review.versions.get().files.get(kind=FileKind.OPINION)
    assert hashlib.sha256(response.content).hexdigest() == opinion.sha256 == response["X-Content-SHA256"]
    report = review.versions.get().files.get(kind=FileKind.REPORT)
    response = client.get(reverse("review_file", args=[review.pk, report.pk]))
    assert response.content == report_docx


def test_a_changed_stored_file_is_refused(client, people, review):
    report = review.versions.get().files.get(kind=FileKind.REPORT)
    with open(report.file.path, "ab") as handle:
        handle.write(b"tampered")
    client.force_login(people["bureau"])
    response = client.get(reverse("review_file", args=[review.pk, report.pk]))
    assert response.status_code == 500 and "文件校验失败" in response.content.decode()


def test_resubmitting_and_accepting_through_the_page(client, people, review):
    client.force_login(people["bureau"])
    fixed = seed002.report({
        "该二级指标满分2分，得分2分，得分率50.00%。包括政府采购规范性1个三级指标。":
            "该二级指标满分2分，得分1分，得分率50.00%。包括政府采购规范性1个三级指标。",
    })
    response = client.post(reverse("review_resubmit", args=[review.pk]), {"files": [upload(fixed)]}, follow=True)
    page = response.content.decode()
    assert "已复核第2版。" in page and "已更正1项，仍存在3项，新出现0项。" in page
    response = client.post(reverse("review_accept", args=[review.pk]), follow=True)
    assert "第2版还有1项须更正的问题，不能接受。" in response.content.decode()


def test_the_checklist_points_are_the_bureau_s_own(client, people):
    client.force_login(people["bureau"])
    page = client.get(reverse("review_settings")).content.decode()
    assert "满意度可由问卷份数复算" in page
    data = {key: "2" for key in ("cover", "sums", "rates", "grade", "text", "process", "budget", "surveys",
                                 "numbering", "outline", "problems", "figures")}
    data["surveys"] = "8"
    response = client.post(reverse("review_settings"), data)
    assert response.status_code == 302
    assert ReviewSettings.objects.get(bureau=people["bureau"].organization).checklist_points["surveys"] == "8"


@pytest.mark.parametrize("who", ["firm", "other_bureau"])
def test_nobody_but_the_bureau_reaches_a_review(client, people, review, who):
    client.force_login(people[who])
    version = review.versions.get()
    report = version.files.get(kind=FileKind.REPORT)
    urls = [
        ("get", reverse("review_detail", args=[review.pk])),
        ("get", reverse("review_opinion", args=[review.pk, 1])),
        ("get", reverse("review_file", args=[review.pk, report.pk])),
        ("post", reverse("review_resubmit", args=[review.pk])),
        ("post", reverse("review_accept", args=[review.pk])),
    ]
    if who == "firm":
        urls += [("get", reverse("review_list")), ("post", reverse("review_create")), ("get", reverse("review_settings"))]
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 404, url
    if who == "other_bureau":
        assert "延津县政务服务和大数据管理局" not in client.get(reverse("review_list")).content.decode()
    assert "报告复核" not in client.get(reverse("dashboard")).content.decode() or who == "other_bureau"


def test_anonymous_is_sent_to_log_in(client, review):
    response = client.get(reverse("review_detail", args=[review.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_reads_in_a_fixed_number_of_queries(client, people, report_docx, count, django_assert_num_queries):
    user = people["bureau"]
    for number in range(count):
        services.create_review(user.organization, user, firm_name="机构", department_name=f"部门{number}", year=2022,
                               uploads=[services.Upload("r.docx", report_docx)])
    client.force_login(user)
    with django_assert_num_queries(6):  # the same for 1 and 3 records (the unread notifications count is one)
        response = client.get(reverse("review_list"))
    assert response.content.decode().count("部门") >= count
