"""The bar charts: real PNG/SVG images with Chinese text drawn from the CJK font (a missing glyph fails)."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from surveys import charts
from surveys.results import compute
from tests.surveys.seed import PUBLIC, seed_spec

BASE = Path(__file__).resolve().parents[2]


def test_a_question_chart_is_a_png_of_plausible_size_with_a_chinese_title():
    question = compute(seed_spec(PUBLIC)).questions[6]  # the longest option label

    data = charts.question_chart(question, "png", title="第7题：您在政务服务中心大厅办事等待最长时间是？")

    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert 8_000 < len(data) < 400_000
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.size == (1080, 540)
    colors = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert len(colors) > 50  # bars, anti-aliased text: not a blank canvas


def test_the_svg_chart_embeds_in_documents():
    question = compute(seed_spec(PUBLIC)).questions[0]

    data = charts.question_chart(question, "svg")

    assert data.lstrip().startswith(b"<?xml")
    assert b"<svg" in data
    assert charts.question_chart(question, "svg") == data  # reproducible (no date, fixed hash salt)


def test_a_font_without_chinese_glyphs_would_be_caught(monkeypatch):
    """The warning the tests rely on: with the wrong font, drawing Chinese warns (and pytest makes it an error)."""
    monkeypatch.setattr(charts, "FONT_FAMILY", "DejaVu Sans")
    question = compute(seed_spec(PUBLIC)).questions[0]

    with pytest.warns(UserWarning, match="missing from font"):
        charts.question_chart(question, "png")


def test_unknown_formats_are_refused():
    with pytest.raises(ValueError, match="unknown chart format"):
        charts.question_chart(compute(seed_spec(PUBLIC)).questions[0], "gif")


def test_matplotlib_is_loaded_only_when_a_chart_is_drawn():
    code = (
        "import sys, django; django.setup(); import surveys.views, surveys.queries, surveys.services; "
        "print('matplotlib' in sys.modules)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "evalsite.settings"}

    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True, cwd=BASE)

    assert output.stdout.strip() == "False"
