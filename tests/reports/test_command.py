"""python manage.py render_report EVALUATION_ID --format … --output PATH"""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from tests.factories import YANJIN_BUDGET, EvaluationFactory, small_rubric

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("fmt", "magic"), [("docx", b"PK"), ("pdf", b"%PDF"), ("xlsx", b"PK"), ("selfeval-xlsx", b"PK")])
def test_render_report_writes_each_format(tmp_path, fmt, magic):
    evaluation = small_rubric(EvaluationFactory(budget=YANJIN_BUDGET))
    output = tmp_path / f"out.{fmt}"
    stdout = io.StringIO()
    call_command("render_report", evaluation.pk, "--format", fmt, "--output", str(output), stdout=stdout)
    assert output.read_bytes().startswith(magic)
    assert f"已写出（草稿）：{output}" in stdout.getvalue()
    if magic == b"PK":
        assert zipfile.ZipFile(output).testzip() is None


def test_render_report_into_a_directory_uses_the_download_name(tmp_path):
    evaluation = small_rubric(EvaluationFactory(budget=YANJIN_BUDGET, year=2022))
    call_command("render_report", evaluation.pk, "--format", "docx", "--output", str(tmp_path), stdout=io.StringIO())
    assert [p.name for p in tmp_path.iterdir()] == [f"2022年度{evaluation.department.name}部门整体支出绩效评价报告.docx"]


def test_render_report_refuses_an_unknown_evaluation_or_format(tmp_path):
    with pytest.raises(CommandError, match="评价项目 #999 不存在"):
        call_command("render_report", 999, "--format", "docx", "--output", str(tmp_path / "x.docx"))
    with pytest.raises(CommandError):
        call_command("render_report", 1, "--format", "odt", "--output", str(tmp_path / "x.odt"))
