"""One bar chart per question (份数 and 比率 of each option), as PNG or SVG, for pages, DOCX and PDF.

Drawing is slow (a tenth of a second a chart), so :func:`stored_chart` draws a
chart once per change of what it shows: it is kept through Django's storage
API under the SHA-256 of its counts, labels and title (``charts/<digest>.png``),
shared by every process and server, and served with that digest as its ETag.

matplotlib is imported only here, inside the functions, and drawn through the
Agg canvas on a fresh ``Figure`` (no pyplot, no global state, safe in a
threaded server). The CJK font is set explicitly: without it Chinese labels
turn into boxes with "Glyph missing" warnings.
"""

from __future__ import annotations

import hashlib
import io
import json
import re

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from surveys.results import QuestionResult

FONT_FAMILY = "Noto Sans CJK SC"
BAR_COLOR = "#2f6db5"
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
#: Part of every digest: raise it when the drawing changes, so charts stored by older code are drawn again.
DRAWING = 1
DPI = 150
DIGEST = re.compile(r"^[0-9a-f]{64}$")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def wrap(text: str, width: int) -> str:
    """Break text without spaces (Chinese) every ``width`` characters."""
    return "\n".join(text[i : i + width] for i in range(0, len(text), width)) or text


def rc() -> dict:
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [FONT_FAMILY],
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "surveys",
    }


def question_chart(question: QuestionResult, fmt: str = "png", *, dpi: int = DPI, title: str | None = None) -> bytes:
    """The chart of one question; ``title`` defaults to ``1.题目``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format: {fmt!r}")
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context(rc()):
        figure = Figure(figsize=(7.2, 3.6), dpi=dpi)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        labels = [wrap(option.heading, 9) for option in question.options]
        counts = [option.count for option in question.options]
        positions = list(range(len(labels)))
        bars = axes.bar(positions, counts, color=BAR_COLOR, width=0.6)
        axes.set_xticks(positions, labels, fontsize=9)
        for bar, option in zip(bars, question.options, strict=True):
            axes.annotate(
                f"{option.count}份\n{option.share_text}",
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                xytext=(0, 3), textcoords="offset points", ha="center", va="bottom", fontsize=8,
            )
        top = max(counts + [1])
        axes.set_ylim(0, top * 1.3)
        axes.set_ylabel("份数", fontsize=9)
        axes.spines[["top", "right"]].set_visible(False)
        axes.set_title(wrap(title if title is not None else question.heading, 34), fontsize=10, loc="left")
        figure.tight_layout()
        buffer = io.BytesIO()
        metadata = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
        figure.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()


def chart_digest(question: QuestionResult, fmt: str = "png", *, title: str | None = None) -> str:
    """The SHA-256 of everything a chart shows: its options' labels, counts and shares, its title, the drawing."""
    shown = [
        DRAWING, fmt, DPI, title if title is not None else question.heading,
        [(option.heading, option.count, option.share_text) for option in question.options],
    ]
    return hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode("utf-8")).hexdigest()


def chart_name(digest: str, fmt: str = "png") -> str:
    return f"charts/{digest}.{fmt}"


def stored_chart(question: QuestionResult, fmt: str = "png", *, title: str | None = None) -> tuple[str, bytes]:
    """The chart and its digest, drawn only when no chart with the same digest is stored yet."""
    digest = chart_digest(question, fmt, title=title)
    name = chart_name(digest, fmt)
    try:
        with default_storage.open(name, "rb") as stored:
            content = stored.read()
        if fmt != "png" or content.startswith(PNG_SIGNATURE):  # a damaged file is drawn again
            return digest, content
    except (FileNotFoundError, OSError):
        pass
    content = question_chart(question, fmt, title=title)
    if default_storage.exists(name):  # damaged (or drawn meanwhile by another process: the same bytes)
        default_storage.delete(name)
    default_storage.save(name, ContentFile(content))
    return digest, content


def read_stored_chart(digest: str, fmt: str = "png") -> bytes | None:
    """A stored chart by its digest (``None`` if there is none)."""
    if not DIGEST.match(digest) or fmt not in FORMATS:
        return None
    try:
        with default_storage.open(chart_name(digest, fmt), "rb") as stored:
            return stored.read()
    except (FileNotFoundError, OSError):
        return None
