"""The progress report as a Word document (python-docx), laid out like the plan's ⑤ section.

python-docx's template names only Latin fonts and theme fonts; Word on a
Japanese PC then falls back per character. The styles name an east-Asian
font explicitly (w:eastAsia) and drop the theme attribute that would override it.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from lxml import etree

from bot.domain.report import Report, ThemeSection
from bot.render.ooxml import pin_package
from bot.render.report_md import (
    for_files,
    group_heading,
    item_texts,
    progress_heading,
    progress_lines,
    report_title,
    theme_heading,
)

NOT_WRITTEN = "（記載なし）"
BODY_FONT = "游明朝"
HEADING_FONT = "游ゴシック"
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
A4 = (Mm(210), Mm(297))
MARGIN = Mm(20)
# Clark names looked up once: the writer makes thousands of elements per report.
_P, _PPR, _PSTYLE, _R, _RPR, _B, _BR, _T, _VAL = (
    qn(f"w:{name}") for name in ("p", "pPr", "pStyle", "r", "rPr", "b", "br", "t", "val")
)


def _set_font(style, name: str) -> None:
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attr), name)


def _setup_styles(doc: DocumentObject) -> None:
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    _set_font(normal, BODY_FONT)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        _set_font(doc.styles[name], HEADING_FONT)


class _Writer:
    """Appends paragraphs with lxml directly.

    python-docx's add_paragraph looks up the section properties and the style by
    walking the document each time; a year of notes for 50 themes is thousands of
    paragraphs, so that alone took over a second.
    """

    def __init__(self, doc: DocumentObject) -> None:
        self.body = doc.element.body
        self.anchor = self.body.sectPr  # paragraphs go before the final section properties

    def paragraph(self, text: str, *, style: str | None = None, bold: bool = False) -> None:
        """One paragraph; staff line breaks become w:br."""
        sub = etree.SubElement
        p = self.body.makeelement(_P, {})
        if style:
            sub(sub(p, _PPR), _PSTYLE).set(_VAL, style)
        run = sub(p, _R)
        if bold:
            sub(sub(run, _RPR), _B)
        for i, part in enumerate(_NOT_XML.sub("", text.replace("\r\n", "\n")).split("\n")):
            if i:
                sub(run, _BR)
            sub(run, _T, {_XML_SPACE: "preserve"}).text = part
        if self.anchor is not None:
            self.anchor.addprevious(p)
        else:
            self.body.append(p)

    def labelled(self, label: str, text: str) -> None:
        """A bold label paragraph, then the text (or 「記載なし」)."""
        self.paragraph(label, bold=True)
        self.paragraph(text if text.strip() else NOT_WRITTEN)


def _section(out: _Writer, report: Report, section: ThemeSection) -> None:
    out.paragraph(theme_heading(section), style="Heading2")
    for label, text in item_texts(section, report.form):
        out.labelled(label, text)
    out.paragraph(progress_heading(report), bold=True)
    for line in progress_lines(report, section):
        out.paragraph(line)


def new_document(*, title: str, author: str, on: date) -> DocumentObject:
    """An empty A4 document with the report's fonts and fixed core properties."""
    doc = Document()
    _setup_styles(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    props = doc.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.revision = 1
    props.comments = ""
    # The as-of date, not the clock: the same report gives the same file however late.
    moment = datetime(on.year, on.month, on.day, tzinfo=UTC)
    props.created = props.modified = props.last_printed = moment
    return doc


def _field(paragraph: Paragraph, code: str, shown: str = "1") -> None:
    """A Word field (`PAGE`): Word puts in the value when it lays the pages out."""

    def run() -> etree._Element:
        return etree.SubElement(paragraph._p, qn("w:r"))

    etree.SubElement(run(), qn("w:fldChar")).set(qn("w:fldCharType"), "begin")
    instr = etree.SubElement(run(), qn("w:instrText"))
    instr.text = f" {code} "
    instr.set(_XML_SPACE, "preserve")
    etree.SubElement(run(), qn("w:fldChar")).set(qn("w:fldCharType"), "separate")
    etree.SubElement(run(), qn("w:t")).text = shown
    etree.SubElement(run(), qn("w:fldChar")).set(qn("w:fldCharType"), "end")


def page_furniture(section: Section, header: str, *, footer: bool = True) -> None:
    """The section's own header (ward and as-of date) and a page number in the footer
    (`footer` False: the previous section's footer, whose numbers run on)."""
    section.header.is_linked_to_previous = False
    head = section.header.paragraphs[0]
    head.text = _NOT_XML.sub("", header)
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if not footer:
        return
    section.footer.is_linked_to_previous = False
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(foot, "PAGE")


def header_text(ward: str, as_of_label: str) -> str:
    """What every page's header says: `若松区　令和6年11月末時点`."""
    return f"{ward}\u3000{as_of_label}"


def write_report(doc: DocumentObject, report: Report) -> None:
    """The ward's report appended to `doc`: title, mission, a heading per group and theme."""
    report = for_files(report)
    out = _Writer(doc)
    out.paragraph(report_title(report), style="Title")
    out.paragraph("組織の使命", style="Heading1")
    out.paragraph(report.mission if report.mission.strip() else NOT_WRITTEN)
    for group in report.groups:
        out.paragraph(group_heading(report, group), style="Heading1")
        for section in group.sections:
            _section(out, report, section)


def saved(doc: DocumentObject, *, on: date) -> bytes:
    """The document's bytes, every timestamp pinned to `on`."""
    buf = io.BytesIO()
    doc.save(buf)
    return pin_package(buf.getvalue(), on=on)


def report_docx(report: Report) -> bytes:
    """The whole report as .docx bytes on A4: the ward and date on top, page numbers below."""
    shown = for_files(report)
    doc = new_document(title=report_title(shown), author=shown.ward, on=report.as_of)
    page_furniture(doc.sections[0], header_text(shown.ward, shown.as_of_label))
    write_report(doc, report)
    return saved(doc, on=report.as_of)
