"""Creating a 复核 record from uploaded files, resubmitting, accepting; the 复核意见书 and the command."""

from __future__ import annotations

import hashlib
import io
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from audits import services
from audits.enums import FileKind, ReviewStatus
from audits.models import Review, ReviewFile, ReviewSettings
from evalsite.accounts.enums import OrganizationKind
from tests.audits import seed000, seed002
from tests.factories import BureauFactory, UserFactory
from tests.reports.conftest import open_docx

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau_user(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    bureau = BureauFactory(name="延津县财政局")
    return UserFactory(username="czj", organization=bureau)


@pytest.fixture(scope="module")
def seed_002_docx():
    return seed002.report()


def create(user, data: bytes, name="报告.docx"):
    return services.create_review(user.organization, user, firm_name="新乡市方政财务咨询有限公司",
                                  department_name="延津县政务服务和大数据管理局", year=2022,
                                  uploads=[services.Upload(name, data)])


def stored(record: ReviewFile) -> bytes:
    with record.file.open("rb") as handle:
        return handle.read()


def test_a_review_keeps_the_upload_with_its_sha256_the_findings_the_score_and_the_opinion(bureau_user, seed_002_docx):
    review = create(bureau_user, seed_002_docx)

    version = review.versions.get()
    assert review.status == ReviewStatus.TO_FIX and review.created_by == bureau_user
    assert (version.number, version.errors, version.warnings) == (1, 2, 2)
    report = version.files.get(kind=FileKind.REPORT)
    assert stored(report) == seed_002_docx and report.sha256 == hashlib.sha256(seed_002_docx).hexdigest()
    assert {f["check"] for f in version.findings} == {"text_figures", "surveys", "problems"}
    # text: 3, surveys: 2, problems: 2 points deducted from 100
    assert str(version.quality_score) == "93.00"
    items = {item["key"]: item["findings"] for item in version.checklist}
    assert (items["text"], items["surveys"], items["problems"], items["sums"]) == (1, 1, 2, 0)

    opinion = version.files.get(kind=FileKind.OPINION)
    assert opinion.sha256 == hashlib.sha256(stored(opinion)).hexdigest()
    document = open_docx(stored(opinion))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "关于《2022年度延津县政务服务和大数据管理局部门整体支出绩效评价报告》的复核意见"
    assert "发现须更正的问题2项、需说明的问题2项，按本局复核清单评定报告质量得分93.00分" in paragraphs[2]
    errors = document.tables[0]
    assert [cell.text for cell in errors.rows[0].cells] == ["序号", "位置", "问题", "应为", "报告中为"]
    assert [cell.text for cell in errors.rows[2].cells][2:] == [
        "企业和办事群众满意度93.32%无法由附件2的份数按任何常见方法复算",
        "加权得分法（各题平均）90.43%；加权得分法（合并计算）90.43%；前两项占比法（各题平均）91.79%；前两项占比法（合并计算）91.81%",
        "93.32%",
    ]
    checklist = document.tables[2]
    assert [cell.text for cell in checklist.rows[-1].cells][-1] == "93.00"
    assert "大厅入驻单位工作人员满意度97.88%可由附件2的份数按前两项占比法（各题平均）或前两项占比法（合并计算）复算。" in paragraphs


def test_the_bureau_s_own_points_grade_the_report(bureau_user, seed_002_docx):
    ReviewSettings.objects.create(bureau=bureau_user.organization, checklist_points={"surveys": "10", "problems": "0"})
    version = create(bureau_user, seed_002_docx).versions.get()
    assert str(version.quality_score) == "87.00"  # text 3 + surveys 10 + problems 0


def test_an_unreadable_file_saves_nothing_and_says_which(bureau_user):
    with pytest.raises(ValidationError, match=re.escape("“报告.docx”：文件内容不是Word文档")):
        create(bureau_user, b"not a report")
    with pytest.raises(ValidationError, match=re.escape("“报告.txt”：只能上传Word")):
        create(bureau_user, b"PK", name="报告.txt")
    assert not Review.objects.exists() and not ReviewFile.objects.exists()


def test_a_resubmission_is_compared_with_the_version_before(bureau_user, seed_002_docx):
    review = create(bureau_user, seed_002_docx)
    corrected = seed002.report({
        "该二级指标满分2分，得分2分，得分率50.00%。包括政府采购规范性1个三级指标。":
            "该二级指标满分2分，得分1分，得分率50.00%。包括政府采购规范性1个三级指标。",
    })
    version = services.resubmit(review, bureau_user, [services.Upload("报告（修改）.docx", corrected)])

    assert version.number == 2 and version.errors == 1
    comparison = version.comparison
    assert [f["message"] for f in comparison["fixed"]] == ["“6.采购管理”写得分2，表5-2 部门管理类指标得分情况表中B6采购管理为1"]
    assert [f["check"] for f in comparison["remaining"]] == ["surveys", "problems", "problems"]
    assert comparison["new"] == []
    opinion = open_docx(stored(version.files.get(kind=FileKind.OPINION)))
    assert "与第1版相比：已更正1项，仍存在3项，新出现0项。" in [p.text for p in opinion.paragraphs]


def test_a_report_with_errors_cannot_be_accepted_one_without_can_and_then_takes_no_new_version(bureau_user, seed_002_docx):
    review = create(bureau_user, seed_002_docx)
    with pytest.raises(ValidationError, match="还有2项须更正的问题"):
        services.accept(review, bureau_user)
    fixed = seed002.report({
        "该二级指标满分2分，得分2分，得分率50.00%。包括政府采购规范性1个三级指标。":
            "该二级指标满分2分，得分1分，得分率50.00%。包括政府采购规范性1个三级指标。",
        "D31群众满意度（6分）：考察企业和办事群众对政务大数据局年度工作的满意程度。评价组通过电子调查问卷向到行政服务中心办事的办事群众发放调查问卷78份，收回有效问卷78份，综合满意度93.32%。依据评分细则，本项指标得6分。":
            "D31群众满意度（6分）：考察企业和办事群众对政务大数据局年度工作的满意程度。评价组通过电子调查问卷向到行政服务中心办事的办事群众发放调查问卷78份，收回有效问卷78份，综合满意度90.43%。依据评分细则，本项指标得6分。",
    })
    services.resubmit(review, bureau_user, [services.Upload("v2.docx", fixed)])
    review.refresh_from_db()
    assert review.status == ReviewStatus.TO_EXPLAIN
    services.accept(review, bureau_user)
    review.refresh_from_db()
    assert review.status == ReviewStatus.ACCEPTED and review.accepted_by == bureau_user
    with pytest.raises(ValidationError, match="已接受"):
        services.resubmit(review, bureau_user, [services.Upload("v3.docx", fixed)])


def test_the_command_prints_json_findings_then_the_record_id(bureau_user, tmp_path):
    path = tmp_path / "沙湾报告.docx"
    path.write_bytes(seed000.report())
    out = io.StringIO()
    call_command("review_report", str(path), "--bureau", "延津县财政局", "--json", stdout=out)

    *body, last = out.getvalue().strip().splitlines()
    review = Review.objects.get()
    assert last == str(review.pk)
    findings = json.loads("\n".join(body))
    assert all(set(item) == {"severity", "place", "message", "expected", "found"} for item in findings)
    assert {"severity": "error", "place": "沙湾市政务服务中心部门整体绩效评价指标体系，第15行（B51资产管理规范性）",
            "message": "B51资产管理规范性得分率100%与得分2.5÷分值3不符", "expected": "83.33%", "found": "100%"} in findings
    assert len(findings) == 16
    assert (review.department_name, review.year, review.firm_name) == ("沙湾市政务服务中心", 2024, "新疆智汇铭宸科技咨询有限公司")


def test_the_command_in_words_and_its_refusals(bureau_user, tmp_path):
    path = tmp_path / "r.docx"
    path.write_bytes(seed002.report())
    out = io.StringIO()
    call_command("review_report", str(path), "--bureau", "延津县财政局", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[0] == "须更正2项，需说明2项；报告质量得分93.00。"
    assert lines[1] == "1. [须更正] 6.采购管理：“该二级指标满分2分，得分2分，得分率50.00%。包括政府采购规范性1个三级指标。”"
    assert lines[-1] == str(Review.objects.get().pk)
    with pytest.raises(CommandError, match="没有名为“某县财政局”的财政局"):
        call_command("review_report", str(path), "--bureau", "某县财政局")
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("review_report", str(tmp_path / "none.docx"), "--bureau", "延津县财政局")
    assert bureau_user.organization.kind == OrganizationKind.BUREAU


def test_the_desk_grades_with_the_one_checklist_the_pre_flight_shows():
    from audits.checklist import CHECKS_OF_ITEM, ITEMS
    from reports.bureau_checklist import ITEMS as shown

    assert ITEMS is shown
    assert list(CHECKS_OF_ITEM) == [item.key for item in ITEMS]  # each item failed by its own checks
