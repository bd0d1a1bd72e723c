"""Importing indicator systems from spreadsheets: the command, the evaluation page, the template library."""

import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.enums import TeamRole
from evaluations.models import Department, Evaluation
from rubrics.indicator_xlsx import read_indicator_workbook
from rubrics.models import Indicator, IndicatorSystem, Judgment
from rubrics.queries import evaluation_result
from tests.factories import EvaluationFactory, FirmFactory, UserFactory, team
from tests.indicator_xlsx.builders import seed_000_workbook, seed_002_workbook, to_bytes

pytestmark = pytest.mark.django_db


def run(*args) -> list[str]:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip().splitlines()


def summary(evaluation_id: str) -> dict:
    return json.loads(run("score_summary", evaluation_id, "--json")[-1])


def test_seed_000_spreadsheet_imports_with_scores_to_89_50(tmp_path):
    FirmFactory(name="新疆智汇铭宸科技咨询有限公司")
    path = tmp_path / "附件1.xlsx"
    path.write_bytes(to_bytes(seed_000_workbook()))
    evaluation_id = run("import_indicators", str(path), "--department", "沙湾市政务服务中心", "--year", "2024", "--with-scores")[-1]
    assert summary(evaluation_id)["total"] == "89.50"
    assert summary(evaluation_id)["grade"] == "良"
    evaluation = Evaluation.objects.get(pk=evaluation_id)
    assert evaluation.department == Department.objects.get(name="沙湾市政务服务中心")
    assert Judgment.objects.get(indicator__evaluation=evaluation, indicator__code="A11").process.startswith("1.查阅沙湾市")


@pytest.mark.parametrize(("builder", "total"), [(seed_000_workbook, "89.50"), (seed_002_workbook, "86.00")])
def test_export_then_import_gives_the_same_tree_and_total(tmp_path, client, builder, total):
    FirmFactory()
    path = tmp_path / "附件1.xlsx"
    path.write_bytes(to_bytes(builder()))
    first = Evaluation.objects.get(pk=run("import_indicators", str(path), "--department", "延津", "--year", "2022", "--with-scores")[-1])
    lead = team(first)[TeamRole.LEAD]
    client.force_login(lead)
    exported = client.get(reverse("rubric_xlsx", args=[first.pk])).content
    sheet = load_workbook(io.BytesIO(exported)).active
    assert any(cell.value == float(total) for row in sheet.iter_rows() for cell in row)
    again = tmp_path / "exported.xlsx"
    again.write_bytes(exported)
    second_id = run("import_indicators", str(again), "--department", "延津", "--year", "2023", "--with-scores")[-1]
    assert summary(second_id) == summary(str(first.pk))
    assert summary(second_id)["total"] == total

    def tree(evaluation_id):
        return [(r.code, r.name, r.weight, r.level) for r in Indicator.objects.filter(evaluation_id=evaluation_id).order_by("position")]

    assert tree(second_id) == tree(first.pk)


def test_import_without_scores_leaves_indicators_unscored(tmp_path):
    FirmFactory()
    path = tmp_path / "附件1.xlsx"
    path.write_bytes(to_bytes(seed_000_workbook()))
    evaluation_id = run("import_indicators", str(path), "--department", "沙湾", "--year", "2024")[-1]
    result = evaluation_result(Evaluation.objects.get(pk=evaluation_id)).result
    assert result.unscored_count == 31
    assert Judgment.objects.count() == 0


def test_template_option_saves_to_the_library(tmp_path):
    firm = FirmFactory()
    path = tmp_path / "附件1.xlsx"
    path.write_bytes(to_bytes(seed_002_workbook()))
    system_id = run("import_indicators", str(path), "--template", "河南部门整体模板")[-1]
    system = IndicatorSystem.objects.get(pk=system_id)
    assert (system.firm, system.name) == (firm, "河南部门整体模板")
    assert not Evaluation.objects.exists()


def test_a_bad_file_leaves_the_database_unchanged(tmp_path):
    FirmFactory()
    workbook = seed_000_workbook()
    sheet = workbook.active
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == 2 and cell.column == 5:
                cell.value = "两分"
                break
    path = tmp_path / "bad.xlsx"
    path.write_bytes(to_bytes(workbook))
    with pytest.raises(CommandError, match="权重“两分”不是数字"):
        run("import_indicators", str(path), "--department", "沙湾", "--year", "2024", "--with-scores")
    assert (Evaluation.objects.count(), Department.objects.count(), Indicator.objects.count()) == (0, 0, 0)


def upload(data: bytes, name="指标体系.xlsx"):
    return SimpleUploadedFile(name, data)


def test_evaluation_page_import_previews_then_saves(client):
    evaluation = EvaluationFactory()
    client.force_login(team(evaluation)[TeamRole.LEAD])
    url = reverse("rubric_import", args=[evaluation.pk])
    preview = client.post(url, {"file": upload(to_bytes(seed_000_workbook())), "with_scores": "on"})
    page = preview.content.decode()
    assert "确认导入" in page and 'data-testid="preview-total">89.50<' in page
    assert not Indicator.objects.filter(evaluation=evaluation).exists()
    client.post(reverse("rubric_import_confirm", args=[evaluation.pk]), {"token": preview.context["token"]})
    assert evaluation_result(evaluation).result.total == Decimal("89.50")


def test_evaluation_page_import_reports_problems_and_saves_nothing(client):
    evaluation = EvaluationFactory()
    client.force_login(team(evaluation)[TeamRole.LEAD])
    page = client.post(reverse("rubric_import", args=[evaluation.pk]), {"file": upload(b"PK\x03\x04 not really")}).content.decode()
    assert "未导入任何数据" in page
    assert not Indicator.objects.filter(evaluation=evaluation).exists()


def test_library_import_creates_a_template(client):
    firm = FirmFactory()
    client.force_login(UserFactory(organization=firm))
    preview = client.post(reverse("system_import"), {"file": upload(to_bytes(seed_002_workbook())), "name": "河南模板"})
    assert "确认导入" in preview.content.decode()
    response = client.post(reverse("system_import_confirm"), {"token": preview.context["token"]})
    system = IndicatorSystem.objects.get(name="河南模板")
    assert response.url == reverse("system_detail", args=[system.pk])
    exported = client.get(reverse("system_xlsx", args=[system.pk])).content
    assert read_indicator_workbook(exported).system["indicators"][0]["code"] == "A"


def _docx_renamed() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _bad_files():
    from openpyxl import Workbook

    from tests.indicator_xlsx.builders import VALID_ROWS, replace, small_rows

    no_header = Workbook()
    no_header.active.append(["部门整体支出绩效评价"])
    return {
        "missing-header": (to_bytes(no_header), "工作表“Sheet”：找不到表头行：应包含“三级指标”和“权重/分值”列"),
        "text-weight": (small_rows(*replace(VALID_ROWS, 1, 4, "两分")), "工作表“指标”第3行E列：权重“两分”不是数字"),
        "children-do-not-sum": (
            small_rows(*replace(VALID_ROWS, 1, 4, 14)),
            "工作表“指标”第2行C列：A1目标设定（60）的下级权重合计为54，与标注的60不一致",
        ),
        "empty-sheet": (to_bytes(Workbook()), "工作表“Sheet”：工作表为空"),
        "docx-renamed": (_docx_renamed(), "工作簿：文件不是有效的XLSX工作簿：这是一个Word文档（.docx），请上传Excel文件"),
    }


@pytest.mark.parametrize("kind", ["missing-header", "text-weight", "children-do-not-sum", "empty-sheet", "docx-renamed"])
def test_bad_files_are_named_and_change_nothing(client, kind):
    data, message = _bad_files()[kind]
    evaluation = EvaluationFactory()
    client.force_login(team(evaluation)[TeamRole.LEAD])
    before = (Indicator.objects.count(), Judgment.objects.count(), IndicatorSystem.objects.count())
    page = client.post(reverse("rubric_import", args=[evaluation.pk]), {"file": upload(data), "with_scores": "on"}).content.decode()
    assert message in page
    page = client.post(reverse("system_import"), {"file": upload(data)}).content.decode()
    assert message in page
    assert (Indicator.objects.count(), Judgment.objects.count(), IndicatorSystem.objects.count()) == before


def test_builtin_systems_load_by_command_and_keep_a_firms_edits():
    firm = FirmFactory()
    run("load_indicator_systems")
    slugs = set(IndicatorSystem.objects.filter(firm=firm).values_list("slug", flat=True))
    assert slugs == {
        "decision-management-performance", "decision-management-output-benefit", "input-process-output-effect",
        "self-eval-output-benefit", "self-eval-management-capacity",
    }
    IndicatorSystem.objects.filter(firm=firm, slug="input-process-output-effect").update(name="本所通用框架")
    run("load_indicator_systems", "--firm", firm.name)
    assert IndicatorSystem.objects.get(firm=firm, slug="input-process-output-effect").name == "本所通用框架"
    assert IndicatorSystem.objects.filter(firm=firm).count() == 5
