"""One bar chart per question (份数 and 比率 of each option), as PNG or SVG, for pages, DOCX and PDF.

matplotlib is imported only here, inside the functions, and drawn through the
Agg canvas on a fresh ``Figure`` (no pyplot, no global state, safe in a
threaded server). The CJK font is set explicitly: without it Chinese labels
turn into boxes with "Glyph missing" warnings.
"""

from __future__ import annotations

import io

from surveys.results import QuestionResult

FONT_FAMILY = "Noto Sans CJK SC"
BAR_COLOR = "#2f6db5"
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}


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


def question_chart(question: QuestionResult, fmt: str = "png", *, dpi: int = 150, title: str | None = None) -> bytes:
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
