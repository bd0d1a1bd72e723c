"""Narrative and 评分过程 texts are printed as written in all formats: never run, never a formula, never a crash."""

import io

import pytest
from openpyxl import load_workbook

from reports import services
from reports.document import build_report
from reports.enums import SectionKey
from reports.queries import report_data
from reports.render_docx import render_docx
from reports.render_html import render_body
from reports.render_pdf import render_pdf
from reports.render_xlsx import render_xlsx
from rubrics.models import Judgment
from tests.factories import YANJIN_BUDGET, EvaluationFactory, small_rubric
from tests.reports.conftest import open_docx, pdf_text, require

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
TEMPLATE = "{{总分}} {% if user %}秘密{% endif %} {{ request.user }}"
ENTITIES = "&amp; & <b>粗体</b> ©"
LONG_WORD = "A" * 400
FORMULA = "=SUM(A1:A2)"


def hostile_text() -> str:
    lines = [SCRIPT, TEMPLATE, ENTITIES, LONG_WORD, "https://example.com/" + "path/" * 60, "响铃\x07字符"]
    filler = "长文本" * 4000
    return "\n".join(lines + [filler])[:10_000]


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        evaluation = small_rubric(EvaluationFactory(budget=YANJIN_BUDGET))
        text = hostile_text()
        services.save_section(evaluation, SectionKey.OVERALL, text)
        services.save_problem(evaluation, title=SCRIPT, text=TEMPLATE)
        Judgment.objects.filter(indicator__evaluation=evaluation, indicator__code="A11").update(
            process=f"{FORMULA}\n{SCRIPT}\n{LONG_WORD}\n预算执行率{{预算执行率}}"
        )
        document = build_report(report_data(evaluation))
        result = {
            "saved": evaluation.report_sections.get().text,
            "html": render_body(document),
            "docx": render_docx(document),
            "pdf": render_pdf(document),
            "xlsx": render_xlsx(document),
        }
        transaction.set_rollback(True)
    return result


def test_ten_thousand_characters_are_saved_without_control_characters(rendered):
    assert len(rendered["saved"]) == 10_000 - 1
    assert "\x07" not in rendered["saved"] and "响铃字符" in rendered["saved"]


def test_html_escapes_markup_and_never_evaluates_template_syntax(rendered):
    html = rendered["html"]
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "{{总分}} {% if user %}秘密{% endif %} {{ request.user }}" in html
    assert "&amp;amp; &amp; &lt;b&gt;粗体&lt;/b&gt; ©" in html


def test_docx_holds_the_texts_literally(rendered):
    word = open_docx(rendered["docx"])
    texts = [p.text for p in word.paragraphs]
    assert SCRIPT in texts and TEMPLATE in texts and ENTITIES in texts and LONG_WORD in texts
    assert f"A11绩效目标合理性（40.00分）：{FORMULA}" in texts
    assert f"（1）{SCRIPT}" in texts  # the problem's title as a heading (a part of 财预〔2020〕10号's chapter 五)


def test_pdf_prints_the_texts_and_wraps_a_long_word(rendered, tmp_path):
    require("pdftotext")
    text = pdf_text(rendered["pdf"], tmp_path)
    squeezed = "".join(text.split())
    assert SCRIPT.replace(" ", "") in squeezed
    assert "{{总分}}{%ifuser%}秘密{%endif%}{{request.user}}" in squeezed
    assert LONG_WORD in squeezed
    assert max(len(line) for line in text.splitlines()) < 200  # the 400-character word was broken across lines


def test_xlsx_keeps_a_formula_like_text_as_text(rendered):
    sheet = load_workbook(io.BytesIO(rendered["xlsx"]))["附件1 指标体系评分表"]
    process = sheet["J3"]
    assert process.value.startswith(FORMULA) and process.data_type == "s"
    assert SCRIPT in process.value
    assert process.value.endswith("预算执行率100.00%")  # placeholders are filled in the sheet as in the report
    formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
