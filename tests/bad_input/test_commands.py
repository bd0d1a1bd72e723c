"""Every management command with its nastiest arguments: a Chinese message (CommandError), never a traceback,
and nothing written."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from tests.bad_input.conftest import NASTY_TEXT
from tests.bad_input.storage import changed_tables, overflowing, snapshot

pytestmark = pytest.mark.django_db

LONG = "名" * 5000


def workbook(path, rows) -> str:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "指标"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return str(path)


GOOD_SYSTEM = [
    ["一级指标", "二级指标", "三级指标", "权重", "评分标准", "得分"],
    ["A决策（40）", "A1目标（40）", "A11目标合理性", 40, "符合得满分", 40],
    ["B管理（60）", "B1执行（60）", "B11预算执行率", 60, "按比例", 57],
]


def command_cases(world, tmp_path) -> list[tuple[tuple, str]]:
    good = workbook(tmp_path / "good.xlsx", GOOD_SYSTEM)
    bad = workbook(tmp_path / "bad.xlsx", [GOOD_SYSTEM[0], ["A决策（40）", "A1目标（40）", "A11" + LONG, 0, "x", "y"]])
    pem = tmp_path / "not-a-certificate.pem"
    pem.write_text(NASTY_TEXT["html"])
    word = tmp_path / "word.xlsx"
    word.write_bytes(b"PK\x03\x04 not really a zip")
    evaluation = str(world.evaluation.pk)
    questionnaire = str(world.questionnaire.pk)
    return [
        (("import_indicators", str(tmp_path / "nowhere.xlsx"), "--department", "某局", "--year", "2022"), "文件不存在"),
        (("import_indicators", str(word), "--department", "某局", "--year", "2022"), "文件不是有效的XLSX工作簿"),
        (("import_indicators", bad, "--department", "某局", "--year", "2022"), "三级指标名称内容过长"),
        (("import_indicators", good, "--department", LONG, "--year", "2022"), "部门名称内容过长（5,000字），最多100字"),
        (("import_indicators", good, "--department", "某局", "--year", "abc"), "invalid int value"),
        (("import_indicators", good, "--department", "某局", "--year", "1"), "确保该值大于或等于2000"),
        (("import_indicators", good, "--department", "某局", "--year", "2022", "--bureau", LONG), "委托单位名称内容过长"),
        (("import_indicators", good, "--template", LONG), "模板名称内容过长（5,000字），最多200字"),
        (("import_indicators", good, "--template", "模板", "--firm", NASTY_TEXT["html"]), "不存在"),
        (("import_indicators", good), "请用 --department 和 --year"),
        (("import_survey", good, "--evaluation", "999999", "--group", "群众"), "评价项目 999999 不存在"),
        (("import_survey", good, "--evaluation", evaluation, "--group", LONG), "调查对象内容过长（5,000字），最多50字"),
        (("import_survey", str(word), "--evaluation", evaluation, "--group", "群众"), "文件不是有效的XLSX工作簿"),
        (("score_summary", "999999"), "评价项目 999999 不存在"),
        (("score_summary", "abc"), "invalid int value"),
        (("score_summary", str(world.empty.pk)), "尚未设置指标体系"),
        (("survey_summary", "-1"), "问卷 -1 不存在"),
        (("survey_summary", "abc"), "invalid int value"),
        (("render_report", "999999", "--format", "docx"), "不存在"),
        (("render_report", evaluation, "--format", "exe"), "invalid choice"),
        (("render_report", evaluation, "--format", "xlsx", "--output", str(tmp_path / "no" / "such" / "dir.xlsx")),
         "目录不存在"),
        (("export_evaluation", evaluation, "--output", str(tmp_path / "no" / "such" / "x.zip")), "目录不存在"),
        (("export_evaluation", evaluation, "--output", str(tmp_path)), "是一个目录"),
        (("import_evaluation", good), "不是评价项目存档"),
        (("load_indicator_systems", "--firm", LONG), "不存在"),
        (("survey_summary", questionnaire, "--json", "--bogus"), "unrecognized arguments"),
        (("set_signing_key", "--firm", LONG, "--self-signed"), "不存在"),
        (("set_signing_key", "--firm", world.evaluation.firm.name), "请用 --cert 和 --key"),
        (("set_signing_key", "--firm", world.evaluation.firm.name, "--cert", str(tmp_path / "no.pem"), "--key", good),
         "证书文件不存在"),
        (("set_signing_key", "--firm", world.evaluation.firm.name, "--cert", good, "--key", good), "证书文件不是PEM格式"),
        (("set_signing_key", "--firm", world.evaluation.firm.name, "--cert", str(pem), "--key", str(pem),
          "--key-password-env", "NO_SUCH_VARIABLE_FOR_TESTS"), "环境变量 NO_SUCH_VARIABLE_FOR_TESTS 没有设置"),
        (("set_signing_key", "--firm", world.evaluation.firm.name, "--cert", str(pem), "--key", str(pem)), "证书"),
    ]


def test_every_command_refuses_bad_arguments_with_a_message_and_writes_nothing(world, tmp_path):
    before = snapshot()
    failures = []
    for args, message in command_cases(world, tmp_path):
        try:
            call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())
        except CommandError as error:
            if message not in str(error):
                failures.append(f"{args[0]} {args[1:]!r:.80}: “{error}” 中没有 “{message}”")
        except SystemExit:
            failures.append(f"{args[0]}: SystemExit")
        else:
            failures.append(f"{args[0]} {args[1:]!r:.80}: 没有被拒绝")
    assert failures == []
    assert changed_tables(before, snapshot()) == []
    assert overflowing() == []


def test_html_and_template_syntax_in_command_arguments_are_stored_as_typed(world, tmp_path):
    good = workbook(tmp_path / "good.xlsx", GOOD_SYSTEM)
    out = io.StringIO()
    call_command("import_indicators", good, "--department", NASTY_TEXT["template"][:100], "--year", "2021",
                 "--bureau", NASTY_TEXT["html"][:100], "--with-scores", stdout=out)
    from evaluations.models import Evaluation

    evaluation = Evaluation.objects.get(pk=int(out.getvalue().splitlines()[-1]))
    assert evaluation.department_name == NASTY_TEXT["template"][:100]
    assert evaluation.bureau.name == NASTY_TEXT["html"][:100]
    assert overflowing() == []
