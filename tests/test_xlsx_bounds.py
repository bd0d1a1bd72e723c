"""Uploaded workbooks are checked on the zip before any parser runs; written workbooks never hold a live formula.

A 1.2 MB workbook whose sheet unpacks to 400 MB is refused by every importer in
well under two seconds and bounded memory (measured in a subprocess: its own
peak resident size); formula cells without a saved result are refused with
their cell named; a text that starts like a formula is written as text.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from evalsite.lib import write_xlsx
from evalsite.lib.xlsx_zip import MAX_PART_BYTES
from evaluations.budget_xlsx import BudgetImportError, parse_budget_workbook
from evaluations.enums import TeamRole
from rubrics.indicator_xlsx import IndicatorImportError, read_indicator_workbook
from surveys.survey_xlsx import read_responses
from surveys.tally import SurveyImportError
from tests.factories import EvaluationFactory, project, team
from tests.zip_parts import rewrite_parts

ROOT = Path(__file__).resolve().parent.parent
BUILTIN_KEY = "public-service"
SHEET = "xl/worksheets/sheet1.xml"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="答卷" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def workbook_with_sheet(write_sheet, level: int = 6) -> bytes:
    """A minimal XLSX whose one sheet ("答卷") is written by ``write_sheet(stream)``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK_XML)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open(SHEET, "w", force_zip64=True) as stream:
            write_sheet(stream)
    return buffer.getvalue()


def write_bomb(stream, unpacked: int = 400 * 1024 * 1024) -> None:
    stream.write(b'<?xml version="1.0" encoding="UTF-8"?>'
                 b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    chunk = b'<row><c t="inlineStr"><is><t>bomb</t></is></c></row>' * 20_000
    written = 0
    while written < unpacked:
        stream.write(chunk)
        written += len(chunk)
    stream.write(b"</sheetData></worksheet>")


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    path.write_bytes(workbook_with_sheet(write_bomb))
    return path


MEASURE = textwrap.dedent(
    """
    import json, os, sys, time

    def high_water_kb():
        # VmHWM belongs to this process's memory; ru_maxrss would carry the forking pytest's peak across exec
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evalsite.settings")
    import django
    django.setup()
    from evalsite.lib.sheet_problems import SheetImportError
    from evaluations.budget_xlsx import parse_budget_workbook
    from rubrics.indicator_xlsx import read_indicator_workbook
    from surveys.survey_xlsx import read_responses

    data = open(sys.argv[1], "rb").read()
    ready_kb = high_water_kb()
    results = {}
    for name, read in (("budget", parse_budget_workbook), ("indicators", read_indicator_workbook),
                       ("survey", lambda data: read_responses(data, None))):
        start = time.perf_counter()
        try:
            read(data)
        except SheetImportError as error:
            messages = error.messages
        else:
            messages = []
        results[name] = {"seconds": time.perf_counter() - start, "messages": messages}
    peak_kb = high_water_kb()
    print(json.dumps({"results": results, "ready_mb": ready_kb / 1024, "peak_mb": peak_kb / 1024}))
    """
)


def test_a_zip_bomb_is_refused_by_every_importer_in_under_two_seconds_and_300_mb(bomb):
    size = bomb.stat().st_size
    assert 0.8 * 1024 * 1024 < size < 3 * 1024 * 1024
    with zipfile.ZipFile(bomb) as archive:
        unpacked = archive.getinfo(SHEET).file_size
    assert unpacked >= 400 * 1024 * 1024
    done = subprocess.run([sys.executable, "-c", MEASURE, str(bomb)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=True)
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    for name, result in measured["results"].items():
        assert result["messages"] == [
            f"工作表“答卷”：工作表解压后有{unpacked / 1024 / 1024:.1f} MB，超过上限25.0 MB（可能是损坏或恶意构造的文件）；"
            "请删除表格之外的内容，或分成几个文件后再导入"
        ], name
        assert result["seconds"] < 2, (name, result["seconds"])
    assert measured["peak_mb"] < 300, measured


@pytest.mark.django_db
def test_a_bomb_upload_is_answered_with_the_refusal_not_a_500(client, bomb):
    evaluation = EvaluationFactory()
    client.force_login(team(evaluation)[TeamRole.LEAD])
    upload = SimpleUploadedFile("预算.xlsx", bomb.read_bytes())
    response = client.post(reverse("budget_import", args=[evaluation.pk]), {"file": upload})
    assert response.status_code == 200
    assert "工作表“答卷”：工作表解压后有400.7 MB，超过上限25.0 MB" in response.content.decode()


def test_an_implausible_compression_ratio_is_refused_before_inflating():
    def write_zeros(stream):
        stream.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        stream.write(b" " * (5 * 1024 * 1024))
        stream.write(b"</sheetData></worksheet>")

    data = workbook_with_sheet(write_zeros, level=9)
    with pytest.raises(SurveyImportError) as caught:
        read_responses(data, None)
    (message,) = caught.value.messages
    assert message.startswith("工作表“答卷”：工作表的压缩比异常（")
    assert "正常的表格不超过100倍" in message


def test_the_part_limit_is_what_the_message_says():
    assert MAX_PART_BYTES == 25 * 1024 * 1024


# ---------------------------------------------------------------------------
# Formula cells without a saved result


def with_saved_value(data: bytes, value: str) -> bytes:
    """The workbook ``data`` (written by openpyxl, whose formulas carry an empty ``<v>``) as Excel saves it."""
    saved = f"<v>{value}</v>".encode()

    def change(name: str, content: bytes) -> bytes:
        if not name.startswith("xl/worksheets/"):
            return content
        return content.replace(b"<v></v>", saved).replace(b"<v />", saved)

    return rewrite_parts(data, change)


def indicator_sheet(weight_cell) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "指标"
    sheet.append(["一级指标", "二级指标", "三级指标", "权重", "评分标准"])
    sheet.append(["A决策（40）", "A1目标（40）", "A11目标合理性", 40, "符合得满分"])
    sheet.append(["B管理（60）", "B1执行（60）", "B11预算执行率", 30, "按比例"])
    sheet.append(["B管理（60）", "B1执行（60）", "B12资金使用", 20, "按比例"])
    sheet.append(["B管理（60）", "B1执行（60）", "B13财务管理", weight_cell, "按比例"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_formula_without_a_saved_result_is_refused_naming_its_cell():
    with pytest.raises(IndicatorImportError) as caught:
        read_indicator_workbook(indicator_sheet("=100-40-30-20"))
    assert caught.value.messages == ["工作表“指标”第5行D列：是公式且没有计算结果，请在Excel中打开并保存后再导入"]


def test_a_formula_with_its_saved_result_is_read_as_that_value():
    imported = read_indicator_workbook(with_saved_value(indicator_sheet("=100-40-30-20"), "10"))
    leaves = [leaf for first in imported.system["indicators"] for second in first["children"] for leaf in second["children"]]
    assert [(leaf["code"], leaf["weight"]) for leaf in leaves] == [("A11", "40"), ("B11", "30"), ("B12", "20"), ("B13", "10")]


def test_budget_and_survey_imports_refuse_unsaved_formulas_too():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "项目支出"
    sheet.append(["项目名称", "年初预算数", "调整预算数", "决算数"])
    sheet.append(["信息化建设", 10, 12, "=C2-1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(BudgetImportError) as caught:
        parse_budget_workbook(buffer.getvalue())
    assert caught.value.messages == ["工作表“项目支出”第2行D列：是公式且没有计算结果，请在Excel中打开并保存后再导入"]
    assert parse_budget_workbook(with_saved_value(buffer.getvalue(), "11")).projects == [
        ("信息化建设", Decimal(10), Decimal(12), Decimal(11))
    ]

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "答卷"
    sheet.append(["序号", "您对服务是否满意"])
    sheet.append([1, "满意"])
    sheet.append([2, '=IF(1,"满意","")'])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(SurveyImportError) as caught:
        read_responses(buffer.getvalue(), None)
    assert caught.value.messages == ["工作表“答卷”第3行B列：是公式且没有计算结果，请在Excel中打开并保存后再导入"]


# ---------------------------------------------------------------------------
# Written workbooks: a text that starts like a formula stays a text

FORMULA_LIKE = ["=HYPERLINK(\"http://evil.example\",\"点我\")", "+86 123", "-1", "@SUM(A1)", "\t=1+1", "\r=2"]


def test_every_text_that_starts_like_a_formula_is_written_as_text():
    workbook = write_xlsx.new_workbook()
    sheet = workbook.create_sheet("表")
    for row, text in enumerate(FORMULA_LIKE, start=1):
        write_xlsx.put(sheet, row, 1, text)
    write_xlsx.title(sheet, 10, "=标题", 2)
    write_xlsx.line(sheet, 11, "+说明", 2)
    write_xlsx.unit(sheet, 12, "-单位", 2)
    cells = load_workbook(io.BytesIO(write_xlsx.save(workbook)))["表"]
    for row, text in enumerate(FORMULA_LIKE, start=1):
        cell = cells.cell(row=row, column=1)
        assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", text, True)
    assert [(cells.cell(row=r, column=c).value, cells.cell(row=r, column=c).data_type) for r, c in ((10, 1), (11, 1), (12, 2))] == [
        ("=标题", "s"), ("+说明", "s"), ("-单位", "s")
    ]


@pytest.mark.django_db
def test_a_project_named_like_a_formula_is_text_in_the_budget_workbook(client):
    evaluation = EvaluationFactory()
    project(evaluation, name="=HYPERLINK(\"http://evil.example\",\"项目\")")
    client.force_login(team(evaluation)[TeamRole.STAFF])
    response = client.get(reverse("budget_xlsx", args=[evaluation.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str) and "evil.example" in cell.value]
    assert [(cell.value, cell.data_type) for cell in cells] == [("=HYPERLINK(\"http://evil.example\",\"项目\")", "s")]


@pytest.mark.django_db
def test_a_questionnaire_titled_like_a_formula_is_text_in_annex_2(client):
    from surveys.services import copy_builtin

    evaluation = EvaluationFactory()
    copy_builtin(evaluation, BUILTIN_KEY, group="=1+1/群众", title="=cmd|' /C calc'!A0")
    client.force_login(team(evaluation)[TeamRole.STAFF])
    response = client.get(reverse("survey_annex_xlsx", args=[evaluation.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    texts = [(cell.value, cell.data_type) for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@"))]
    assert texts and all(data_type == "s" for _, data_type in texts)
    assert any("cmd|" in value for value, _ in texts)
