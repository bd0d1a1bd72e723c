"""The document tree as a Word file (python-docx): A4, real heading styles, contents with page numbers, page numbers.

Layout only; sizes, fonts and spacing come from :mod:`reports.page_layout`.
Chinese official-document fonts are set on every style and every run,
including ``w:eastAsia`` (python-docx's ``font.name`` alone does not set it):
仿宋 for running text, 宋体 in tables, 黑体 for headings, captions and the
cover. Every line has an exact pitch and the Chinese line-breaking rules are
stated, so Word, LibreOffice and the page estimate break lines and pages alike.

Pages hold together: a table of up to eight rows is kept on one page with its
caption (every row's paragraphs "keep with next" but the last, no row split);
longer tables repeat their header rows; a survey chart stays with its table.
Column widths are fitted to the cells' texts (:func:`reports.page_layout.table_plan`).

Page numbers start at the first chapter: the cover, 基本信息表, contents and
摘要 form a section without a footer; the report's body is a new section whose
numbering starts at 1, "第 N 页 共 M 页" where M is the page of a bookmark at the
end. The contents is a list of the headings, each linked to a bookmark on its
heading with a PAGEREF field for its page: LibreOffice computes those fields when
it opens the file, Word shows their stored results, which are the pages
:func:`reports.pagination.paginate` estimates for this very layout. No macro,
no "update fields" prompt.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from reports import page_layout as layout
from reports.document_model import (
    Cell,
    Cover,
    Document,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Signature,
    Table,
    TableOfContents,
)
from reports.page_layout import LATIN_FONT, TextStyle, table_plan
from reports.pagination import Pagination, paginate
from reports.table_grid import place

APPLICATION = "绩效评价工作台"
END_BOOKMARK = "_RefReportEnd"
DRAFT_COLOUR = (0xB0, 0x00, 0x20)


def bookmark_name(anchor: str) -> str:
    """The hidden Word bookmark of a heading (``_Toc`` names are the ones Word's own contents use)."""
    return f"_Toc_{anchor}"


WORD_NAMESPACE = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _twips(points: float) -> int:
    """Points as twips, rounded as python-docx rounds ``Pt(points)`` (through whole EMUs)."""
    return round(int(points * 12700) / 635)


class _CellParagraphs:
    """A table cell's paragraph as WordprocessingML text: the same elements :meth:`DocxWriter.run` and
    :meth:`DocxWriter.set_style` make (style, keep with next, alignment; one run per line with its fonts,
    bold in the header, a line break between lines), written without python-docx's element API."""

    def __init__(self, style_id: str, font: str) -> None:
        self.style = f'<w:pStyle w:val="{escape(style_id)}"/>'
        fonts = (f'<w:rFonts w:ascii="{escape(LATIN_FONT)}" w:hAnsi="{escape(LATIN_FONT)}" '
                 f'w:eastAsia="{escape(font)}" w:cs="{escape(LATIN_FONT)}"/>')
        self.run_properties = {False: f"<w:rPr>{fonts}</w:rPr>", True: f"<w:rPr>{fonts}<w:b/></w:rPr>"}

    @staticmethod
    def _text(line: str) -> str:
        if not line:
            return ""
        preserve = ' xml:space="preserve"' if len(line.strip()) < len(line) else ""
        return f"<w:t{preserve}>{escape(line)}</w:t>"

    def __call__(self, lines, *, keep: bool, align: str | None, bold: bool) -> str:
        properties = self.style + ("<w:keepNext/>" if keep else "") + (f'<w:jc w:val="{align}"/>' if align else "")
        runs = "".join(
            f"<w:r>{self.run_properties[bold]}{self._text(line)}{'<w:br/>' if index < len(lines) - 1 else ''}</w:r>"
            for index, line in enumerate(lines)
        )
        return f"<w:p><w:pPr>{properties}</w:pPr>{runs}</w:p>"


class DocxWriter:
    def __init__(self, document: Document, pagination: Pagination | None = None) -> None:
        from docx import Document as WordDocument

        self.source = document
        self.pagination = pagination if pagination is not None else paginate(document)
        self.doc = WordDocument()
        self.page_break_pending = False
        self.landscape = document.landscape
        self.numbered = not any(isinstance(b, PageBreak) and b.restart_numbering for b in document.blocks)
        self.style_ids: dict[str, str] = {}
        self.bookmarks = 0
        self.setup_defaults()
        self.setup_styles()
        self.setup_section(self.doc.sections[0], self.landscape)
        self.setup_header(self.doc.sections[0])
        if self.numbered:
            self.setup_footer(self.doc.sections[0], total_field="NUMPAGES", total=self.pagination.body_pages)

    # Fonts and styles ----------------------------------------------------
    @staticmethod
    def set_fonts(element_rpr_owner, east_asian: str, latin: str = LATIN_FONT) -> None:
        """Set ascii/hAnsi/eastAsia fonts on a run or style, dropping theme fonts that would win."""
        from docx.oxml.ns import qn

        rpr = element_rpr_owner.get_or_add_rPr()
        fonts = rpr.get_or_add_rFonts()
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
        fonts.set(qn("w:ascii"), latin)
        fonts.set(qn("w:hAnsi"), latin)
        fonts.set(qn("w:eastAsia"), east_asian)
        fonts.set(qn("w:cs"), latin)

    def setup_defaults(self) -> None:
        """Document defaults every style inherits: Chinese language and Word's Chinese line-breaking rules, stated."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        styles = self.doc.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        fonts = rpr.find(qn("w:rFonts"))
        for attribute in list(fonts.attrib):
            del fonts.attrib[attribute]
        fonts.set(qn("w:ascii"), LATIN_FONT)
        fonts.set(qn("w:hAnsi"), LATIN_FONT)
        fonts.set(qn("w:eastAsia"), layout.BODY_FONT)
        fonts.set(qn("w:cs"), LATIN_FONT)
        language = rpr.find(qn("w:lang"))
        language.set(qn("w:val"), "en-US")
        language.set(qn("w:eastAsia"), "zh-CN")
        ppr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
        for child in list(ppr):
            ppr.remove(child)
        for tag, value in (("w:widowControl", None), ("w:kinsoku", None), ("w:overflowPunct", None),
                           ("w:autoSpaceDE", None), ("w:autoSpaceDN", None)):
            element = OxmlElement(tag)
            if value is not None:
                element.set(qn("w:val"), value)
            ppr.append(element)
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:before"), "0")
        spacing.set(qn("w:after"), "0")
        ppr.append(spacing)
        settings = self.doc.settings.element
        theme_language = settings.find(qn("w:themeFontLang"))
        if theme_language is not None:
            theme_language.set(qn("w:eastAsia"), "zh-CN")
        for compat in settings.iter(qn("w:compatSetting")):
            if compat.get(qn("w:name")) == "compatibilityMode":
                compat.set(qn("w:val"), "15")

    def define(self, style: TextStyle, based_on: str | None = "Normal"):
        """A paragraph style from a :class:`reports.page_layout.TextStyle`: font, size, exact pitch, spacing."""
        from docx.enum.style import WD_STYLE_TYPE
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
        from docx.shared import Pt, RGBColor

        styles = self.doc.styles
        try:
            word_style = styles[style.word_name]
        except KeyError:
            word_style = styles.add_style(style.word_name, WD_STYLE_TYPE.PARAGRAPH)
            if based_on and style.word_name != based_on:
                word_style.base_style = styles[based_on]
        word_style.font.size = Pt(style.size)
        word_style.font.bold = style.bold
        word_style.font.italic = False
        word_style.font.color.rgb = RGBColor(0, 0, 0)
        self.set_fonts(word_style.element, style.font)
        fmt = word_style.paragraph_format
        if style.line:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(style.line)
        else:
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        fmt.space_before = Pt(style.before)
        fmt.space_after = Pt(style.after)
        fmt.first_line_indent = Pt(style.first_indent * style.size)
        fmt.left_indent = Pt(style.left_indent * style.size)
        fmt.keep_with_next = style.keep_with_next
        fmt.alignment = {
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
        }[style.align]
        return word_style

    def setup_styles(self) -> None:
        from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
        from docx.shared import Pt

        self.define(layout.PARAGRAPH_STYLES["plain"], based_on=None)
        for name, style in layout.PARAGRAPH_STYLES.items():
            if name != "plain":
                self.define(style)
        for style in layout.HEADING_STYLES.values():
            self.define(style)
        for style in (layout.TABLE_TEXT, layout.COMPACT_TEXT, layout.IMAGE, layout.SIGNATURE, layout.COVER_TITLE,
                      layout.COVER_FIELD, layout.COVER_MARK, layout.TOC_TITLE, layout.HEADER, layout.FOOTER):
            self.define(style)
        portrait_width = layout.PORTRAIT.text_width
        for style in layout.TOC_STYLES.values():
            toc = self.define(style)
            toc.paragraph_format.tab_stops.add_tab_stop(Pt(portrait_width), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)

    # Sections, header, footer --------------------------------------------
    def setup_section(self, section, landscape: bool) -> None:
        from docx.enum.section import WD_ORIENT
        from docx.shared import Cm

        page = layout.page(landscape)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width = Cm(page.width)
        section.page_height = Cm(page.height)
        section.top_margin = Cm(page.top)
        section.bottom_margin = Cm(page.bottom)
        section.left_margin = Cm(page.left)
        section.right_margin = Cm(page.right)
        section.header_distance = Cm(page.header)
        section.footer_distance = Cm(page.footer)

    def text_width_cm(self) -> float:
        return layout.page(self.landscape).text_width_cm

    def setup_header(self, section) -> None:
        """草稿 in the header while not signed off (also on the cover, above its own mark)."""
        section.different_first_page_header_footer = bool(self.source.blocks) and isinstance(self.source.blocks[0], Cover)
        if not self.source.draft_mark:
            return
        from docx.shared import RGBColor

        headers = [section.header]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
        for header in headers:
            paragraph = header.paragraphs[0]
            self.set_style(paragraph, layout.HEADER.word_name)
            self.run(paragraph, self.source.draft_mark, layout.HEADING_FONT).font.color.rgb = RGBColor(*DRAFT_COLOUR)

    def setup_footer(self, section, *, total_field: str, total: int) -> None:
        """"第 N 页 共 M 页": PAGE, and the total from NUMPAGES or from the page of the end bookmark."""
        section.footer.is_linked_to_previous = False
        footer = section.footer.paragraphs[0]
        self.set_style(footer, layout.FOOTER.word_name)
        font = layout.BODY_FONT
        self.run(footer, "第 ", font)
        self.field(footer, "PAGE", "1", font)
        self.run(footer, " 页 共 ", font)
        instruction = "NUMPAGES" if total_field == "NUMPAGES" else f"PAGEREF {END_BOOKMARK} \\h"
        self.field(footer, instruction, str(total), font)
        self.run(footer, " 页", font)

    def new_section(self, landscape: bool, *, restart: bool = False) -> None:
        """End the section at the last paragraph (Word keeps a section's properties in its last paragraph mark).

        python-docx's ``add_section`` adds an empty paragraph for that; when the section already ends with a
        paragraph, its properties move there instead, so no empty paragraph appears. The new section inherits
        the previous one's header and footer; where numbering restarts it gets its own footer.
        """
        import copy

        from docx.enum.section import WD_SECTION
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        body = self.doc.element.body
        last = body[-2] if len(body) > 1 else None  # body[-1] is the document's final sectPr
        if last is not None and last.tag == qn("w:p") and last.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is None:
            last.get_or_add_pPr().append(copy.deepcopy(body.sectPr))
            for reference in body.sectPr.xpath("w:headerReference|w:footerReference"):
                body.sectPr.remove(reference)
            section = self.doc.sections[-1]
            section.start_type = WD_SECTION.NEW_PAGE
        else:
            section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.different_first_page_header_footer = False  # only the cover's section hides its first footer
        for numbering in section._sectPr.findall(qn("w:pgNumType")):
            section._sectPr.remove(numbering)
        self.landscape = landscape
        self.setup_section(section, landscape)
        if restart:
            numbering = OxmlElement("w:pgNumType")
            numbering.set(qn("w:start"), "1")
            section._sectPr.insert_element_before(  # where the schema puts it, after the margins
                numbering, "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
                "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
            )
            self.setup_footer(section, total_field="PAGEREF", total=self.pagination.body_pages)
        self.page_break_pending = False

    # Runs, fields, bookmarks -----------------------------------------------
    def run(self, paragraph, text: str, font: str, bold: bool | None = None):
        run = paragraph.add_run(text)
        if bold is not None:
            run.bold = bold
        self.set_fonts(run._r, font)
        return run

    def field(self, paragraph, instruction: str, cached: str, font: str, container=None) -> None:
        """A complex field (begin, instruction, separate, cached result, end) appended to ``container``."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        target = container if container is not None else paragraph._p
        for part in ("begin", "instr", "separate", "result", "end"):
            run = self.run(paragraph, "", font)
            r = run._r
            if part == "instr":
                text = OxmlElement("w:instrText")
                text.set(qn("xml:space"), "preserve")
                text.text = f" {instruction.strip()} "
                r.append(text)
            elif part == "result":
                text = OxmlElement("w:t")
                text.text = cached
                r.append(text)
            else:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), part)
                r.append(char)
            if container is not None:
                target.append(r)

    def bookmark(self, paragraph, name: str) -> None:
        """A bookmark around the whole paragraph's content."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        self.bookmarks += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self.bookmarks))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self.bookmarks))
        p = paragraph._p
        p.insert(1 if p.pPr is not None else 0, start)
        p.append(end)

    # Paragraphs ----------------------------------------------------------
    def style_id(self, name: str) -> str:
        """A style's id, looked up once (python-docx's lookup by name scans every style each time)."""
        if name not in self.style_ids:
            self.style_ids[name] = self.doc.styles[name].style_id
        return self.style_ids[name]

    def set_style(self, paragraph, name: str) -> None:
        paragraph._p.get_or_add_pPr().style = self.style_id(name)

    def paragraph(self, style: str):
        paragraph = self.doc.add_paragraph()
        self.set_style(paragraph, style)
        if self.page_break_pending:
            paragraph.paragraph_format.page_break_before = True
            self.page_break_pending = False
        return paragraph

    def write_heading(self, block: Heading) -> None:
        style = layout.HEADING_STYLES[min(block.level, 3)]
        paragraph = self.paragraph(style.word_name)
        self.run(paragraph, block.text, style.font)
        if block.anchor:
            self.bookmark(paragraph, bookmark_name(block.anchor))

    def write_paragraph(self, block: Paragraph) -> None:
        style = layout.PARAGRAPH_STYLES[block.style]
        paragraph = self.paragraph(style.word_name)
        if block.style == "title":
            width = layout.page(self.landscape).text_width
            lines = layout.title_lines([run.text for run in block.runs], width, style)
            for index, line in enumerate(lines):
                run = self.run(paragraph, line, style.font)
                if index < len(lines) - 1:
                    run.add_break()
            return
        for run in block.runs:
            font = layout.HEADING_FONT if run.bold and style.font == layout.BODY_FONT else style.font
            self.run(paragraph, run.text, font, bold=run.bold or None)

    def write_cover(self, block: Cover) -> None:
        from docx.shared import Cm, Pt, RGBColor

        if self.source.draft_mark:
            mark = self.paragraph(layout.COVER_MARK.word_name)
            mark.paragraph_format.space_before = Cm(1)
            self.run(mark, self.source.draft_mark, layout.HEADING_FONT).font.color.rgb = RGBColor(*DRAFT_COLOUR)
        for index, line in enumerate(block.title_lines):
            paragraph = self.paragraph(layout.COVER_TITLE.word_name)
            if index == 0:
                paragraph.paragraph_format.space_before = Cm(5)
            self.run(paragraph, line, layout.HEADING_FONT)
        for index, (label, value) in enumerate(block.fields):
            paragraph = self.paragraph(layout.COVER_FIELD.word_name)
            paragraph.paragraph_format.left_indent = Cm(3)
            paragraph.paragraph_format.space_before = Cm(5) if index == 0 else Pt(layout.COVER_FIELD.before)
            self.run(paragraph, f"{label}：{value}", layout.BODY_FONT)

    def write_toc(self, block: TableOfContents) -> None:
        """The headings, each linked to its bookmark, with a PAGEREF field for its page (see the module doc)."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        title = self.paragraph(layout.TOC_TITLE.word_name)
        self.run(title, block.title, layout.HEADING_FONT)
        for heading in self.source.headings():
            if not heading.in_toc or not heading.anchor:
                continue
            style = layout.TOC_STYLES[min(heading.level, 3)]
            paragraph = self.paragraph(style.word_name)
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), bookmark_name(heading.anchor))
            link.set(qn("w:history"), "1")
            paragraph._p.append(link)
            text = self.run(paragraph, heading.text, style.font)
            link.append(text._r)
            page = self.pagination.heading_pages.get(heading.anchor)
            if page is None:  # a heading on an unnumbered page (the 摘要): listed without a number
                continue
            tab = self.run(paragraph, "", style.font)
            tab._r.append(OxmlElement("w:tab"))
            link.append(tab._r)
            self.field(paragraph, f"PAGEREF {bookmark_name(heading.anchor)} \\h", str(page), style.font,
                       container=link)

    def write_signature(self, block: Signature) -> None:
        from docx.shared import Pt

        for index, line in enumerate(block.lines):
            paragraph = self.paragraph(layout.SIGNATURE.word_name)
            paragraph.paragraph_format.keep_with_next = index < len(block.lines) - 1
            if index == 0:
                paragraph.paragraph_format.space_before = Pt(layout.SIGNATURE_GAP)
            self.run(paragraph, line, layout.BODY_FONT)

    def write_image(self, block: Image) -> None:
        from docx.shared import Cm

        paragraph = self.paragraph(layout.IMAGE.word_name)
        run = self.run(paragraph, "", layout.BODY_FONT)
        run.add_picture(io.BytesIO(block.png), width=Cm(min(block.width_cm, self.text_width_cm())))

    # Tables ----------------------------------------------------------------
    def write_table(self, block: Table, keep_with_next: bool = False) -> None:
        plan = self.pagination.plans.get(id(block)) or table_plan(block, self.landscape)
        for text, style in ((block.caption, layout.PARAGRAPH_STYLES["caption"]), (block.unit, layout.PARAGRAPH_STYLES["unit"])):
            if text:
                paragraph = self.paragraph(style.word_name)
                self.run(paragraph, text, style.font)
        if self.page_break_pending:  # a table cannot carry "page break before": open the page with its caption
            self.paragraph(layout.PARAGRAPH_STYLES["note"].word_name)
        self.table_xml(block, plan)
        if block.note:
            note = self.paragraph(layout.PARAGRAPH_STYLES["note"].word_name)
            self.run(note, block.note, layout.TABLE_FONT)

    def table_xml(self, block: Table, plan) -> None:
        from docx.oxml import OxmlElement, parse_xml
        from docx.oxml.ns import qn

        all_rows = block.all_rows
        width = block.width
        table = self.doc.add_table(rows=0, cols=width)
        table.style = self.doc.styles["Table Grid"]
        table.autofit = False
        tbl = table._tbl
        tbl_pr = tbl.tblPr
        total = OxmlElement("w:tblW")
        total.set(qn("w:w"), str(round(sum(plan.widths) * 20)))
        total.set(qn("w:type"), "dxa")
        for existing in tbl_pr.findall(qn("w:tblW")):
            tbl_pr.remove(existing)
        tbl_pr.insert(1, total)
        margins = OxmlElement("w:tblCellMar")
        for side, value in (("top", layout.CELL_PAD_Y), ("left", layout.CELL_PAD_X),
                            ("bottom", layout.CELL_PAD_Y), ("right", layout.CELL_PAD_X)):
            margin = OxmlElement(f"w:{side}")
            margin.set(qn("w:w"), str(round(value * 20)))
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        tbl_pr.append(margins)
        for grid_col, points in zip(tbl.tblGrid.findall(qn("w:gridCol")), plan.widths, strict=True):
            grid_col.set(qn("w:w"), str(round(points * 20)))

        placed = place(all_rows, width)
        starts = {(p.row, p.column): p for p in placed}
        # Covered positions below an origin cell carry a continuing vMerge cell of the same span.
        continues: dict[tuple[int, int], Cell] = {}
        for p in placed:
            for row in range(p.row + 1, p.last_row + 1):
                continues[(row, p.column)] = p.cell
        style = layout.table_text(block.compact)
        header_count = len(block.header_rows)
        # Rows are written as WordprocessingML text and parsed once each: python-docx's element API
        # costs ~100× more per cell, which at 3,000 indicators made the DOCX the slowest format.
        cell_paragraph = _CellParagraphs(self.style_id(style.word_name), style.font)
        rows = []
        for row_index in range(len(all_rows)):
            cells = []
            column = 0
            while column < width:
                origin = starts.get((row_index, column))
                cell = origin.cell if origin else continues.get((row_index, column))
                if cell is None:  # covered by a colspan to the left (cannot happen after place())
                    column += 1
                    continue
                properties = f'<w:tcW w:type="dxa" w:w="{_twips(sum(plan.widths[column : column + cell.colspan]))}"/>'
                if cell.colspan > 1:
                    properties += f'<w:gridSpan w:val="{cell.colspan}"/>'
                if cell.rowspan > 1:
                    properties += '<w:vMerge w:val="restart"/>' if origin else "<w:vMerge/>"
                properties += '<w:vAlign w:val="center"/>'
                paragraph = cell_paragraph(
                    cell.lines if origin else (),
                    keep=plan.keep_rows[row_index],
                    align=(cell.align if cell.align in ("left", "right", "center") else "center") if origin else None,
                    bold=bool(origin and (cell.bold or row_index < header_count)),
                )
                cells.append(f"<w:tc><w:tcPr>{properties}</w:tcPr>{paragraph}</w:tc>")
                column += cell.colspan
            header = "<w:tblHeader/>" if row_index < header_count else ""
            rows.append(f"<w:tr {WORD_NAMESPACE}><w:trPr><w:cantSplit/>{header}</w:trPr>{''.join(cells)}</w:tr>")
        for row in rows:
            tbl.append(parse_xml(row))

    # The whole document -----------------------------------------------
    def write(self) -> bytes:
        handlers = {
            Heading: self.write_heading,
            Paragraph: self.write_paragraph,
            Image: self.write_image,
            Cover: self.write_cover,
            TableOfContents: self.write_toc,
            Signature: self.write_signature,
        }
        blocks = self.source.blocks
        for block in blocks:
            if isinstance(block, PageBreak):
                landscape = self.landscape if block.landscape is None else block.landscape
                if block.restart_numbering or landscape != self.landscape:
                    self.new_section(landscape, restart=block.restart_numbering)
                else:
                    self.page_break_pending = True
                continue
            if isinstance(block, Table):
                self.write_table(block)
            else:
                handlers[type(block)](block)
        self.finish()
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()

    def finish(self) -> None:
        from docx.oxml.ns import qn

        body = self.doc.element.body
        # python-docx's template body opens with nothing; drop a leading empty paragraph if one exists.
        first = body[0] if len(body) else None
        if first is not None and first.tag == qn("w:p") and not "".join(first.itertext()).strip() and first.find(qn("w:r")) is None:
            body.remove(first)
        paragraphs = body.findall(qn("w:p"))
        if paragraphs:
            self.bookmark_element(paragraphs[-1], END_BOOKMARK)
        self.properties()

    def bookmark_element(self, p, name: str) -> None:
        from docx.text.paragraph import Paragraph as WordParagraph

        self.bookmark(WordParagraph(p, self.doc._body), name)

    def properties(self) -> None:
        """Core and application properties: the firm as author, the real time of writing, this application."""
        now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
        properties = self.doc.core_properties
        properties.title = self.source.title
        properties.author = self.source.author
        properties.last_modified_by = self.source.author
        properties.created = now
        properties.modified = now
        printed = properties._element.find("{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}lastPrinted")
        if printed is not None:
            properties._element.remove(printed)
        properties.revision = 1
        properties.language = "zh-CN"
        properties.comments = self.source.draft_mark
        properties.keywords = ""
        properties.subject = ""
        properties.category = ""
        for part in self.doc.part.package.iter_parts():
            if str(part.partname) == "/docProps/app.xml":
                part._blob = app_properties(self.source.author).encode("utf-8")


def app_properties(company: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>{APPLICATION}</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        f"<Company>{escape(company)}</Company><LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
    )


def render_docx(document: Document) -> bytes:
    return DocxWriter(document).write()
