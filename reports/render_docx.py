"""The document tree as a Word file (python-docx): A4, real heading styles, a TOC field, page numbers.

Layout only. Chinese official-document fonts are set on every style and every
run, including ``w:eastAsia`` (python-docx's ``font.name`` alone does not set
it): 仿宋 for running text, 宋体 in tables, 黑体 for headings, captions and
the cover. Tables are written as WordprocessingML directly: ``gridSpan`` for
merged columns, ``vMerge`` for merged rows, header rows marked to repeat on
every page and no row split across pages. Space comes from paragraph
spacing, never from empty paragraphs; a page break is "page break before" on
the next paragraph, a change of orientation a new section.
"""

from __future__ import annotations

import io

from reports.document_model import (
    BODY,
    CAPTION,
    NOTE,
    PLAIN,
    RIGHT,
    SUBTITLE,
    TITLE,
    UNIT,
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
from reports.table_grid import place

BODY_FONT = "仿宋"
TABLE_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = 12
TABLE_SIZE = 10.5
COMPACT_SIZE = 8
HEADING_SIZES = {1: 16, 2: 14, 3: 12}
A4 = (21.0, 29.7)
MARGINS = {"top": 2.54, "bottom": 2.54, "left": 2.8, "right": 2.6}
TOC_INSTRUCTION = ' TOC \\o "1-3" \\h \\z \\u '
TOC_HINT = "（打开文件后如目录页码未显示，请右键单击目录并选择“更新域”。）"


class DocxWriter:
    def __init__(self, document: Document) -> None:
        from docx import Document as WordDocument

        self.source = document
        self.doc = WordDocument()
        self.page_break_pending = False
        self.landscape = document.landscape
        self.style_ids: dict[str, str] = {}
        self.setup_styles()
        self.setup_section(self.doc.sections[0], self.landscape)
        self.setup_header_footer(self.doc.sections[0])

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

    def style(self, name: str, *, font: str, size: float, bold: bool = False, based_on: str | None = None,
              paragraph_type: bool = True):
        from docx.enum.style import WD_STYLE_TYPE
        from docx.shared import Pt, RGBColor

        styles = self.doc.styles
        try:
            style = styles[name]
        except KeyError:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH if paragraph_type else WD_STYLE_TYPE.CHARACTER)
            if based_on:
                style.base_style = styles[based_on]
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        self.set_fonts(style.element, font)
        return style

    def setup_styles(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Pt

        normal = self.style("Normal", font=BODY_FONT, size=BODY_SIZE)
        normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.ONE_POINT_FIVE
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        language = OxmlElement("w:lang")
        language.set(qn("w:val"), "en-US")
        language.set(qn("w:eastAsia"), "zh-CN")
        normal.element.get_or_add_rPr().append(language)

        body = self.style("Body Text Indent 2ch", font=BODY_FONT, size=BODY_SIZE, based_on="Normal")
        body.paragraph_format.first_line_indent = Pt(BODY_SIZE * 2)
        for level, size in HEADING_SIZES.items():
            heading = self.style(f"Heading {level}", font=HEADING_FONT, size=size, bold=True)
            heading.paragraph_format.space_before = Pt(12 if level == 1 else 8)
            heading.paragraph_format.space_after = Pt(6 if level == 1 else 4)
            heading.paragraph_format.keep_with_next = True
            heading.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        title = self.style("Report Title", font=HEADING_FONT, size=15, bold=True, based_on="Normal")
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.space_before = Pt(6)
        title.paragraph_format.space_after = Pt(12)
        title.paragraph_format.keep_with_next = True
        subtitle = self.style("Report Subtitle", font=HEADING_FONT, size=BODY_SIZE, bold=True, based_on="Normal")
        subtitle.paragraph_format.space_before = Pt(6)
        subtitle.paragraph_format.keep_with_next = True
        caption = self.style("Caption", font=HEADING_FONT, size=TABLE_SIZE, bold=True)
        caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.paragraph_format.space_before = Pt(6)
        caption.paragraph_format.space_after = Pt(2)
        caption.paragraph_format.keep_with_next = True
        unit = self.style("Table Unit", font=TABLE_FONT, size=9, based_on="Normal")
        unit.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        unit.paragraph_format.keep_with_next = True
        note = self.style("Table Note", font=TABLE_FONT, size=9, based_on="Normal")
        note.paragraph_format.space_after = Pt(6)
        cell = self.style("Table Text", font=TABLE_FONT, size=TABLE_SIZE, based_on="Normal")
        cell.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        cell.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        compact = self.style("Table Text Small", font=TABLE_FONT, size=COMPACT_SIZE, based_on="Table Text")
        compact.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        cover = self.style("Cover Title", font=HEADING_FONT, size=22, bold=True, based_on="Normal")
        cover.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cover.paragraph_format.line_spacing_rule = WD_LINE_SPACING.ONE_POINT_FIVE
        self.style("Cover Field", font=BODY_FONT, size=14, based_on="Normal")
        toc_heading = self.style("TOC Heading", font=HEADING_FONT, size=16, bold=True)
        toc_heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for level in (1, 2, 3):
            toc = self.style(f"TOC {level}", font=BODY_FONT, size=BODY_SIZE if level < 3 else 11, based_on="Normal")
            toc.paragraph_format.left_indent = Pt(BODY_SIZE * 2 * (level - 1))
        header = self.style("Header", font=HEADING_FONT, size=9)
        header.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer = self.style("Footer", font=BODY_FONT, size=9)
        footer.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    # Sections, header, footer --------------------------------------------
    def setup_section(self, section, landscape: bool) -> None:
        from docx.enum.section import WD_ORIENT
        from docx.shared import Cm

        short, long = A4
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width = Cm(long if landscape else short)
        section.page_height = Cm(short if landscape else long)
        section.top_margin = Cm(MARGINS["top"])
        section.bottom_margin = Cm(MARGINS["bottom"])
        section.left_margin = Cm(MARGINS["left"])
        section.right_margin = Cm(MARGINS["right"])

    def text_width_cm(self) -> float:
        short, long = A4
        return (long if self.landscape else short) - MARGINS["left"] - MARGINS["right"]

    def setup_header_footer(self, section) -> None:
        """Page numbers "第 N 页 共 M 页" in the footer; 草稿 in the header while not signed off; none on the cover."""
        section.different_first_page_header_footer = bool(self.source.blocks) and isinstance(self.source.blocks[0], Cover)
        footer = section.footer.paragraphs[0]
        self.set_style(footer, "Footer")
        self.run(footer, "第 ", BODY_FONT)
        self.field(footer, "PAGE", "1", BODY_FONT)
        self.run(footer, " 页 共 ", BODY_FONT)
        self.field(footer, "NUMPAGES", "1", BODY_FONT)
        self.run(footer, " 页", BODY_FONT)
        if self.source.draft_mark:
            headers = [section.header]
            if section.different_first_page_header_footer:
                headers.append(section.first_page_header)
            for header in headers:
                paragraph = header.paragraphs[0]
                self.set_style(paragraph, "Header")
                run = self.run(paragraph, self.source.draft_mark, HEADING_FONT)
                from docx.shared import RGBColor

                run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)

    def new_section(self, landscape: bool) -> None:
        """End the section at the last paragraph (Word keeps a section's properties in its last paragraph mark).

        python-docx's ``add_section`` adds an empty paragraph for that; when the section already ends with a
        paragraph, its properties move there instead, so no empty paragraph appears.
        """
        import copy

        from docx.enum.section import WD_SECTION
        from docx.oxml.ns import qn

        body = self.doc.element.body
        last = body[-2] if len(body) > 1 else None  # body[-1] is the document's final sectPr
        if last is not None and last.tag == qn("w:p") and last.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is None:
            last.get_or_add_pPr().append(copy.deepcopy(body.sectPr))
            section = self.doc.sections[-1]
            section.start_type = WD_SECTION.NEW_PAGE
        else:
            section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.different_first_page_header_footer = False  # only the cover's section hides its first footer
        self.landscape = landscape
        self.setup_section(section, landscape)
        self.page_break_pending = False

    # Runs and fields -----------------------------------------------------
    def run(self, paragraph, text: str, font: str, bold: bool | None = None):
        run = paragraph.add_run(text)
        if bold is not None:
            run.bold = bold
        self.set_fonts(run._r, font)
        return run

    def field(self, paragraph, instruction: str, cached: str, font: str) -> None:
        self.field_begin(paragraph, instruction, font)
        self.run(paragraph, cached, font)
        self.field_end(paragraph, font)

    def field_begin(self, paragraph, instruction: str, font: str) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        begin = self.run(paragraph, "", font)
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), "begin")
        begin._r.append(char)
        code = self.run(paragraph, "", font)
        text = OxmlElement("w:instrText")
        text.set(qn("xml:space"), "preserve")
        text.text = f" {instruction.strip()} "
        code._r.append(text)
        separate = self.run(paragraph, "", font)
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), "separate")
        separate._r.append(char)

    def field_end(self, paragraph, font: str) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        end = self.run(paragraph, "", font)
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), "end")
        end._r.append(char)

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
        paragraph = self.paragraph(f"Heading {min(block.level, 3)}")
        self.run(paragraph, block.text, HEADING_FONT)

    def write_paragraph(self, block: Paragraph) -> None:
        style, font = {
            BODY: ("Body Text Indent 2ch", BODY_FONT),
            PLAIN: ("Normal", BODY_FONT),
            TITLE: ("Report Title", HEADING_FONT),
            SUBTITLE: ("Report Subtitle", HEADING_FONT),
            CAPTION: ("Caption", HEADING_FONT),
            UNIT: ("Table Unit", TABLE_FONT),
            NOTE: ("Table Note", TABLE_FONT),
            RIGHT: ("Normal", BODY_FONT),
        }[block.style]
        paragraph = self.paragraph(style)
        if block.style == RIGHT:
            from docx.enum.text import WD_ALIGN_PARAGRAPH

            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for run in block.runs:
            self.run(paragraph, run.text, HEADING_FONT if run.bold and font == BODY_FONT else font, bold=run.bold or None)

    def write_cover(self, block: Cover) -> None:
        from docx.shared import Cm, Pt

        if self.source.draft_mark:
            mark = self.paragraph("Report Subtitle")
            from docx.enum.text import WD_ALIGN_PARAGRAPH
            from docx.shared import RGBColor

            mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
            mark.paragraph_format.space_before = Cm(1)
            self.run(mark, self.source.draft_mark, HEADING_FONT).font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
        for index, line in enumerate(block.title_lines):
            paragraph = self.paragraph("Cover Title")
            if index == 0:
                paragraph.paragraph_format.space_before = Cm(5)
            self.run(paragraph, line, HEADING_FONT)
        for index, (label, value) in enumerate(block.fields):
            paragraph = self.paragraph("Cover Field")
            paragraph.paragraph_format.left_indent = Cm(3)
            paragraph.paragraph_format.space_before = Cm(5) if index == 0 else Pt(6)
            self.run(paragraph, f"{label}：{value}", BODY_FONT)

    def write_toc(self, block: TableOfContents) -> None:
        """A real TOC field over Heading 1–3; its cached result lists the headings until Word updates it."""
        title = self.paragraph("TOC Heading")
        self.run(title, block.title, HEADING_FONT)
        entries = [heading for heading in self.source.headings() if heading.in_toc]
        first = self.paragraph("TOC 1")
        self.field_begin(first, TOC_INSTRUCTION, BODY_FONT)
        if not entries:
            self.run(first, TOC_HINT, BODY_FONT)
            self.field_end(first, BODY_FONT)
            return
        paragraph = first
        for index, heading in enumerate(entries):
            if index:
                paragraph = self.paragraph(f"TOC {min(heading.level, 3)}")
            else:
                self.set_style(paragraph, f"TOC {min(heading.level, 3)}")
            self.run(paragraph, heading.text, BODY_FONT)
        self.field_end(paragraph, BODY_FONT)
        hint = self.paragraph("Table Note")
        self.run(hint, TOC_HINT, TABLE_FONT)

    def write_signature(self, block: Signature) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        for index, line in enumerate(block.lines):
            paragraph = self.paragraph("Normal")
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.keep_with_next = index < len(block.lines) - 1
            if index == 0:
                paragraph.paragraph_format.space_before = Pt(36)
            self.run(paragraph, line, BODY_FONT)

    def write_image(self, block: Image) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        paragraph = self.paragraph("Normal")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = self.run(paragraph, "", BODY_FONT)
        run.add_picture(io.BytesIO(block.png), width=Cm(min(block.width_cm, self.text_width_cm())))

    # Tables ----------------------------------------------------------------
    def write_table(self, block: Table) -> None:
        if block.caption:
            caption = self.paragraph("Caption")
            self.run(caption, block.caption, HEADING_FONT)
        if block.unit:
            unit = self.paragraph("Table Unit")
            self.run(unit, block.unit, TABLE_FONT)
        if self.page_break_pending:  # a table cannot carry "page break before": open the page with its caption
            self.paragraph("Table Note")
        table = self.table_xml(block)
        if block.note:
            note = self.paragraph("Table Note")
            self.run(note, block.note, TABLE_FONT)
        return table

    def table_xml(self, block: Table):
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm
        from docx.table import _Cell

        all_rows = block.all_rows
        width = block.width
        total = sum(block.widths) or 1
        columns_cm = [self.text_width_cm() * w / total for w in block.widths]
        table = self.doc.add_table(rows=0, cols=width)
        table.style = self.doc.styles["Table Grid"]
        table.autofit = False
        tbl = table._tbl
        for grid_col, cm in zip(tbl.tblGrid.findall(qn("w:gridCol")), columns_cm, strict=True):
            grid_col.set(qn("w:w"), str(int(Cm(cm).twips)))

        placed = place(all_rows, width)
        starts = {(p.row, p.column): p for p in placed}
        # Covered positions below an origin cell carry a continuing vMerge cell of the same span.
        continues: dict[tuple[int, int], Cell] = {}
        for p in placed:
            for row in range(p.row + 1, p.last_row + 1):
                continues[(row, p.column)] = p.cell
        style = "Table Text Small" if block.compact else "Table Text"
        alignments = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}
        for row_index in range(len(all_rows)):
            tr = OxmlElement("w:tr")
            tr_pr = OxmlElement("w:trPr")
            cant_split = OxmlElement("w:cantSplit")
            tr_pr.append(cant_split)
            if row_index < len(block.header_rows):
                header = OxmlElement("w:tblHeader")
                tr_pr.append(header)
            tr.append(tr_pr)
            tbl.append(tr)
            column = 0
            while column < width:
                origin = starts.get((row_index, column))
                cell = origin.cell if origin else continues.get((row_index, column))
                if cell is None:  # covered by a colspan to the left (cannot happen after place())
                    column += 1
                    continue
                tc = tr.add_tc()
                tc.width = Cm(sum(columns_cm[column : column + cell.colspan]))
                tc_pr = tc.get_or_add_tcPr()
                if cell.colspan > 1:
                    span = OxmlElement("w:gridSpan")
                    span.set(qn("w:val"), str(cell.colspan))
                    tc_pr.append(span)
                if cell.rowspan > 1:
                    merge = OxmlElement("w:vMerge")
                    if origin:
                        merge.set(qn("w:val"), "restart")
                    tc_pr.append(merge)
                valign = OxmlElement("w:vAlign")
                valign.set(qn("w:val"), "center")
                tc_pr.append(valign)
                paragraph = _Cell(tc, table).paragraphs[0]  # a new w:tc holds one empty w:p: write into it
                self.set_style(paragraph, style)
                if origin:
                    paragraph.alignment = alignments.get(cell.align, WD_ALIGN_PARAGRAPH.CENTER)
                    bold = cell.bold or row_index < len(block.header_rows)
                    for line_index, line in enumerate(cell.lines):
                        run = self.run(paragraph, line, TABLE_FONT, bold=True if bold else None)
                        if line_index < len(cell.lines) - 1:
                            run.add_break()
                column += cell.colspan
        return table

    # The whole document -----------------------------------------------
    def write(self) -> bytes:
        handlers = {
            Heading: self.write_heading,
            Paragraph: self.write_paragraph,
            Table: self.write_table,
            Image: self.write_image,
            Cover: self.write_cover,
            TableOfContents: self.write_toc,
            Signature: self.write_signature,
        }
        for block in self.source.blocks:
            if isinstance(block, PageBreak):
                if block.landscape is not None and block.landscape != self.landscape:
                    self.new_section(block.landscape)
                else:
                    self.page_break_pending = True
                continue
            handlers[type(block)](block)
        self.finish()
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()

    def finish(self) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        # python-docx's template body opens with nothing; drop a leading empty paragraph if one exists.
        body = self.doc.element.body
        first = body[0] if len(body) else None
        if first is not None and first.tag == qn("w:p") and not "".join(first.itertext()).strip() and first.find(qn("w:r")) is None:
            body.remove(first)
        settings = self.doc.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)
        properties = self.doc.core_properties
        properties.title = self.source.title
        properties.author = self.source.author
        properties.language = "zh-CN"
        properties.comments = self.source.draft_mark


def render_docx(document: Document) -> bytes:
    return DocxWriter(document).write()
