"""``import_indicators`` on a freshly migrated database: the firm and the bureau it names are created when asked.

The test database is migrated and empty (no firm, no bureau, no template), as
after ``manage.py migrate`` on a new machine; the options are the README's.
"""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from evalsite.accounts.enums import OrganizationKind
from evalsite.accounts.models import Organization
from evaluations.models import Evaluation
from rubrics.models import IndicatorSystem
from tests.indicator_xlsx.builders import seed_000_workbook, small_rows, to_bytes

pytestmark = pytest.mark.django_db

FIRM = "新疆智汇铭宸科技咨询有限公司"
BUREAU = "沙湾市财政局"
README = Path(__file__).resolve().parent.parent / "README.md"


def run(*args) -> tuple[list[str], str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue().strip().splitlines(), err.getvalue()


@pytest.fixture
def seed_000_file(tmp_path):
    path = tmp_path / "附件1.xlsx"
    path.write_bytes(to_bytes(seed_000_workbook()))
    return path


def test_the_database_starts_empty():
    assert not Organization.objects.exists()
    assert not IndicatorSystem.objects.exists()


def test_firm_and_bureau_are_created_with_the_readme_options(seed_000_file):
    lines, _ = run(
        "import_indicators", str(seed_000_file), "--department", "沙湾市政务服务中心", "--year", "2024",
        "--with-scores", "--firm", FIRM, "--create-firm", "--bureau", BUREAU,
    )
    assert f"已新建评价机构“{FIRM}”（内置指标体系模板已放入其模板库）" in lines
    assert f"已新建委托单位“{BUREAU}”" in lines
    evaluation = Evaluation.objects.get(pk=lines[-1])
    assert (evaluation.firm.name, evaluation.firm.kind) == (FIRM, OrganizationKind.FIRM)
    assert (evaluation.bureau.name, evaluation.bureau.kind) == (BUREAU, OrganizationKind.BUREAU)
    assert IndicatorSystem.objects.filter(firm=evaluation.firm, builtin=True).count() == 5
    summary, _ = run("score_summary", lines[-1], "--json")
    assert json.loads(summary[-1])["total"] == "89.50"


def test_a_second_import_finds_the_firm_without_creating_it(seed_000_file):
    run("import_indicators", str(seed_000_file), "--department", "沙湾", "--year", "2024", "--firm", FIRM, "--create-firm")
    lines, _ = run("import_indicators", str(seed_000_file), "--department", "沙湾", "--year", "2025", "--firm", FIRM)
    assert not any(line.startswith("已新建评价机构") for line in lines)
    assert Organization.objects.filter(kind=OrganizationKind.FIRM).count() == 1


def test_without_create_firm_an_empty_database_says_how(seed_000_file):
    with pytest.raises(CommandError) as caught:
        run("import_indicators", str(seed_000_file), "--department", "沙湾", "--year", "2024")
    assert "--create-firm" in str(caught.value)
    with pytest.raises(CommandError) as caught:
        run("import_indicators", str(seed_000_file), "--department", "沙湾", "--year", "2024", "--firm", FIRM)
    assert str(caught.value) == f"评价机构“{FIRM}”不存在；如需新建，请加 --create-firm"
    assert not Organization.objects.exists()


def test_a_file_that_fails_creates_no_firm(tmp_path):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(small_rows(("A投入（100）", "A1目标", "A11 目标", "很多", "", None)))
    with pytest.raises(CommandError):
        run("import_indicators", str(path), "--department", "沙湾", "--year", "2024", "--firm", FIRM, "--create-firm")
    assert not Organization.objects.exists()


def test_sheet_option_reads_the_named_sheet(tmp_path):
    book = Workbook()
    book.active.title = "说明"
    book.active.append(["本工作簿第二张表为2024年评分"])
    for title, score in (("2023年", 80), ("2024年", 91)):
        sheet = book.create_sheet(title)
        sheet.append(["一级指标", "二级指标", "三级指标", "分值", "得分"])
        sheet.append(["A投入（100）", "A1目标", "A11 目标", 100, score])
    path = tmp_path / "多表.xlsx"
    path.write_bytes(to_bytes(book))
    lines, err = run("import_indicators", str(path), "--department", "沙湾", "--year", "2024", "--with-scores",
                     "--firm", FIRM, "--create-firm")
    assert "读取了工作表“2023年”；其他含指标表的工作表：2024年（用 --sheet 选择）" in err
    lines, _ = run("import_indicators", str(path), "--department", "沙湾", "--year", "2025", "--with-scores",
                   "--firm", FIRM, "--sheet", "2024年")
    assert json.loads(run("score_summary", lines[-1], "--json")[0][-1])["total"] == "91.00"


def test_the_readme_documents_the_options():
    readme = README.read_text(encoding="utf-8")
    block = re.search(r"import_indicators 附件1\.xlsx[^\n]*\n(?:#[^\n]*\n)+", readme).group(0)
    for option in ("--firm", "--create-firm", "--bureau", "--sheet"):
        assert option in block
