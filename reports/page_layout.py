"""The report's page layout, one home for the DOCX, the PDF's and the preview's stylesheet and the page estimate.

Page sizes and margins, and for every kind of text its font, size, exact line
pitch and spacing. Lines have an exact pitch (Word's "固定值") in the DOCX and
the same ``line-height`` in the PDF, so a page holds the same number of lines
whatever fonts the reader's machine substitutes; the page estimate
(:mod:`reports.pagination`) counts with the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.document_model import BODY, CAPTION, NOTE, PLAIN, RIGHT, SUBTITLE, TITLE, UNIT

PT_PER_CM = 72 / 2.54

#: East Asian fonts of the DOCX by role, and the fonts the PDF uses for them.
BODY_FONT = "仿宋"
TABLE_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
#: The PDF sets ASCII letters and digits in Times New Roman's metric twin, as the Word file does (both outputs
#: then break lines and fit columns alike), Chinese and its punctuation in Noto CJK.
PDF_LATIN = "Report Latin"
PDF_LATIN_FACES = (("400", ("Times New Roman", "Liberation Serif")),
                   ("700", ("Times New Roman Bold", "Liberation Serif Bold")))
PDF_SERIF = f'"{PDF_LATIN}", "Noto Serif CJK SC", "Songti SC", "SimSun", serif'
PDF_SANS = f'"{PDF_LATIN}", "Noto Sans CJK SC", "Heiti SC", "SimHei", sans-serif'
FONTS = {"body": BODY_FONT, "table": TABLE_FONT, "heading": HEADING_FONT}
PDF_FONTS = {"body": PDF_SERIF, "table": PDF_SERIF, "heading": PDF_SANS}

#: The id of the element at the very end of the printed report (the PDF footer's page total points at it).
END_ANCHOR = "report-end"
#: A table of this many rows or fewer (header rows included) is kept on one page, with its caption.
SHORT_TABLE_ROWS = 8
#: Cell padding (points): left and right, top and bottom; border width.
CELL_PAD_X = 3.0
CELL_PAD_Y = 1.5
BORDER = 0.5


@dataclass(frozen=True)
class Page:
    """A page size and its margins, in centimetres."""

    width: float
    height: float
    top: float
    right: float
    bottom: float
    left: float
    header: float = 1.5  # distance from the edge to the header / footer
    footer: float = 1.5

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def text_width_cm(self) -> float:
        return self.width - self.left - self.right

    @property
    def text_width(self) -> float:
        """Width of the text column in points."""
        return self.text_width_cm * PT_PER_CM

    @property
    def text_height(self) -> float:
        """Height of the text column in points."""
        return (self.height - self.top - self.bottom) * PT_PER_CM


PORTRAIT = Page(21.0, 29.7, top=2.54, right=2.6, bottom=2.54, left=2.8)
LANDSCAPE = Page(29.7, 21.0, top=2.0, right=2.2, bottom=2.0, left=2.2)


def page(landscape: bool) -> Page:
    return LANDSCAPE if landscape else PORTRAIT


@dataclass(frozen=True)
class TextStyle:
    """How one kind of paragraph is set: Word style name, font role, size and exact line pitch (points)."""

    word_name: str
    role: str  # "body", "table" or "heading" (see FONTS)
    size: float
    line: float
    before: float = 0.0
    after: float = 0.0
    first_indent: float = 0.0  # in characters (2 for running text)
    left_indent: float = 0.0  # in characters
    bold: bool = False
    align: str = "justify"  # justify, left, center, right
    keep_with_next: bool = False

    @property
    def font(self) -> str:
        return FONTS[self.role]


BODY_SIZE = 12.0
BODY_LINE = 22.0
TABLE_SIZE = 10.5
TABLE_LINE = 14.0
COMPACT_SIZE = 8.0
COMPACT_LINE = 10.5

#: Paragraph styles of the document model. Space around headings and captions is part of their line pitch,
#: never "space before": Word and LibreOffice agree on a line's height, not on spacing at the top of a page
#: or between two spaced paragraphs. Only the title (first on its page, running text below) has space after.
PARAGRAPH_STYLES: dict[str, TextStyle] = {
    BODY: TextStyle("Body Text Indent 2ch", "body", BODY_SIZE, BODY_LINE, first_indent=2),
    PLAIN: TextStyle("Normal", "body", BODY_SIZE, BODY_LINE),
    RIGHT: TextStyle("Report Right", "body", BODY_SIZE, BODY_LINE, align="right"),
    TITLE: TextStyle("Report Title", "heading", 16.0, 30.0, after=12, bold=True, align="center", keep_with_next=True),
    SUBTITLE: TextStyle("Report Subtitle", "heading", BODY_SIZE, 26.0, bold=True, align="left", keep_with_next=True),
    CAPTION: TextStyle("Caption", "heading", TABLE_SIZE, 24.0, bold=True, align="center", keep_with_next=True),
    UNIT: TextStyle("Table Unit", "table", 9.0, 14.0, align="right", keep_with_next=True),
    NOTE: TextStyle("Table Note", "table", 9.0, 16.0, align="left"),
}

HEADING_STYLES: dict[int, TextStyle] = {
    1: TextStyle("Heading 1", "heading", 16.0, 34.0, bold=True, align="left", keep_with_next=True),
    2: TextStyle("Heading 2", "heading", 14.0, 30.0, bold=True, align="left", keep_with_next=True),
    3: TextStyle("Heading 3", "heading", BODY_SIZE, 26.0, bold=True, align="left", keep_with_next=True),
}

TABLE_TEXT = TextStyle("Table Text", "table", TABLE_SIZE, TABLE_LINE, align="center")
COMPACT_TEXT = TextStyle("Table Text Small", "table", COMPACT_SIZE, COMPACT_LINE, align="center")
#: The paragraph holding a picture: single line spacing (an exact pitch would clip or misplace the picture)
#: in 1-point type, so its line is the picture's height plus a sliver of descent in Word and LibreOffice alike.
IMAGE = TextStyle("Picture", "body", 1.0, 0.0, align="center")
PICTURE_LEADING = 0.5


def picture_line(image, landscape: bool) -> float:
    """The height (points) of the paragraph holding ``image`` at its printed width."""
    width_cm = min(image.width_cm, page(landscape).text_width_cm)
    return image.height_cm(width_cm) * PT_PER_CM + PICTURE_LEADING


SIGNATURE = TextStyle("Signature", "body", BODY_SIZE, BODY_LINE, align="right")
SIGNATURE_GAP = 36.0  # space above the signature block

COVER_TITLE = TextStyle("Cover Title", "heading", 22.0, 40.0, bold=True, align="center")
COVER_FIELD = TextStyle("Cover Field", "body", 14.0, 28.0, before=6, left_indent=0, align="left")
COVER_MARK = TextStyle("Cover Mark", "heading", 14.0, 24.0, align="center")
TOC_TITLE = TextStyle("TOC Heading", "heading", 16.0, 28.0, after=12, bold=True, align="center")
TOC_STYLES: dict[int, TextStyle] = {
    1: TextStyle("TOC 1", "body", BODY_SIZE, BODY_LINE, align="left"),
    2: TextStyle("TOC 2", "body", BODY_SIZE, BODY_LINE, left_indent=2, align="left"),
    3: TextStyle("TOC 3", "body", 11.0, 20.0, left_indent=4, align="left"),
}
HEADER = TextStyle("Header", "heading", 9.0, 12.0, align="center")
FOOTER = TextStyle("Footer", "body", 9.0, 12.0, align="center")


def table_text(compact: bool) -> TextStyle:
    return COMPACT_TEXT if compact else TABLE_TEXT


#: The stylesheet written from :func:`layout_css` (the preview and the PDF link it; a test holds it up to date).
LAYOUT_STYLESHEET = "reports/report-layout.css"


def layout_css() -> str:
    """The geometry and type of every style above as CSS, for the PDF and the browser preview.

    Written to ``reports/static/reports/report-layout.css`` (``python -m reports.page_layout``), which
    both link: the app's Content-Security-Policy allows no ``<style>`` element in a page. The
    stylesheet ``reports/report.css`` holds everything that is not a number of this module.
    """

    def block(style: TextStyle) -> str:
        rules = [
            f"font-family: {PDF_FONTS[style.role]}",
            f"font-size: {style.size:g}pt",
            f"line-height: {style.line:g}pt" if style.line else "line-height: normal",
            f"margin: {style.before:g}pt 0 {style.after:g}pt {style.left_indent * style.size:g}pt",
            f"text-indent: {style.first_indent * style.size:g}pt",
            f"font-weight: {700 if style.bold else 400}",
            f"text-align: {style.align}",
        ]
        if style.keep_with_next:
            rules.append("break-after: avoid")
        return "; ".join(rules)

    def margins(page_: Page) -> str:
        return f"{page_.top}cm {page_.right}cm {page_.bottom}cm {page_.left}cm"

    faces = [
        f'@font-face {{ font-family: "{PDF_LATIN}"; font-weight: {weight}; unicode-range: U+0020-007E; '
        f"src: {', '.join(f'local({name!r})' for name in names)}; }}"
        for weight, names in PDF_LATIN_FACES
    ]
    rules = [
        "/* Generated by reports/page_layout.py (python -m reports.page_layout); do not edit. */",
        *faces,
        f"@page {{ size: A4; margin: {margins(PORTRAIT)}; }}",
        f"@page landscape {{ size: A4 landscape; margin: {margins(LANDSCAPE)}; }}",
        f"@page front {{ size: A4; margin: {margins(PORTRAIT)}; }}",
        f".report-doc {{ {block(PARAGRAPH_STYLES[PLAIN])} }}",
        *(f".report-doc .p-{name} {{ {block(style)} }}" for name, style in PARAGRAPH_STYLES.items()),
        *(f".report-doc .rh{level} {{ {block(style)} }}" for level, style in HEADING_STYLES.items()),
        f".report-doc table {{ font-family: {PDF_FONTS['table']}; font-size: {TABLE_SIZE:g}pt; line-height: {TABLE_LINE:g}pt; }}",
        f".report-doc .compact table {{ font-size: {COMPACT_SIZE:g}pt; line-height: {COMPACT_LINE:g}pt; }}",
        f".report-doc th, .report-doc td {{ padding: {CELL_PAD_Y:g}pt {CELL_PAD_X:g}pt; border: {BORDER:g}pt solid #000; }}",
        f".report-doc .cover-title {{ {block(COVER_TITLE)} }}",
        f".report-doc .cover-fields {{ font-size: {COVER_FIELD.size:g}pt; line-height: {COVER_FIELD.line:g}pt; }}",
        f".report-doc .toc-title {{ {block(TOC_TITLE)} }}",
        *(f".report-doc .toc .toc-l{level} {{ {block(style)} }}" for level, style in TOC_STYLES.items()),
        f".report-doc .signature {{ margin-top: {SIGNATURE_GAP:g}pt; }}",
        f".report-doc .signature p {{ {block(SIGNATURE)} }}",
    ]
    return "\n".join(rules) + "\n"


def footer_css() -> str:
    """The PDF's footer: "第 N 页 共 M 页", M the page of the report's last element. Printed with the document
    itself (only WeasyPrint reads it): an ``url(#…)`` in a linked stylesheet would point into the stylesheet."""
    content = f'"第 " counter(page) " 页 共 " target-counter(url(#{END_ANCHOR}), page) " 页"'
    return f"@page {{ @bottom-center {{ content: {content}; }} }}"


#: The draft marking at the top of every page but the first (the PDF only).
DRAFT_CSS = ('@page { @top-center { content: "草稿（未签发）"; color: #b00020; font-family: "Noto Sans CJK SC", sans-serif; '
             "font-size: 9pt; } }")


def title_lines(phrases: list[str], width: float, style: TextStyle) -> list[str]:
    """A title's lines: as few as fit, broken only between its phrases."""
    from reports.text_measure import phrase_lines

    return phrase_lines(phrases, width, style.size, style.bold)


@dataclass(frozen=True)
class TablePlan:
    """How one table is laid out: column widths (points) and which rows keep with the next one."""

    widths: tuple[float, ...]
    short: bool  # kept on one page with its caption
    keep_rows: tuple[bool, ...]  # the row's paragraphs "keep with next"


def table_plan(table, landscape: bool) -> TablePlan:
    """Widths fitted to the cells' texts; a short table's rows kept together, a long one's head kept with its first row.

    A table marked ``keep_with_next`` (a survey question's table before its chart) keeps its last row
    with what follows.
    """
    from reports.table_grid import place
    from reports.text_measure import column_widths

    style = table_text(table.compact)
    header_count = len(table.header_rows)
    widths = column_widths(
        table.all_rows, table.width, table.widths, page(landscape).text_width, style.size, CELL_PAD_X,
        header_rows=header_count, placed=place(table.all_rows, table.width),
    )
    count = table.row_count
    short = count <= SHORT_TABLE_ROWS
    # A long table splits between rows, never right after its header (the header repeats on the next page).
    keep = [index < count - 1 if short else index < min(header_count + 1, count - 1) for index in range(count)]
    if table.keep_with_next and keep:
        keep[-1] = True
    return TablePlan(tuple(widths), short, tuple(keep))


if __name__ == "__main__":  # python -m reports.page_layout > reports/static/reports/report-layout.css
    print(layout_css(), end="")
