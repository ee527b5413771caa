"""The progress report as a Word document (python-docx), laid out like the plan's ⑤ section.

python-docx's template names only Latin fonts and theme fonts; Word on a
Japanese PC then falls back per character. The styles name an east-Asian
font explicitly (w:eastAsia) and drop the theme attribute that would override it.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from bot.domain.report import Report, ThemeSection
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
        p = self.body.makeelement(qn("w:p"), {})
        if style:
            ppr = etree.SubElement(p, qn("w:pPr"))
            etree.SubElement(ppr, qn("w:pStyle")).set(qn("w:val"), style)
        run = etree.SubElement(p, qn("w:r"))
        if bold:
            etree.SubElement(etree.SubElement(run, qn("w:rPr")), qn("w:b"))
        for i, part in enumerate(_NOT_XML.sub("", text.replace("\r\n", "\n")).split("\n")):
            if i:
                etree.SubElement(run, qn("w:br"))
            t = etree.SubElement(run, qn("w:t"))
            t.text = part
            t.set(_XML_SPACE, "preserve")
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
    for label, text in item_texts(section):
        out.labelled(label, text)
    out.paragraph(progress_heading(report), bold=True)
    for line in progress_lines(report, section):
        out.paragraph(line)


def report_docx(report: Report) -> bytes:
    """The whole report as .docx bytes: title, mission, a heading per group and per theme."""
    report = for_files(report)
    doc = Document()
    _setup_styles(doc)
    doc.core_properties.title = report_title(report)
    doc.core_properties.author = report.ward
    out = _Writer(doc)
    out.paragraph(report_title(report), style="Title")
    out.paragraph("組織の使命", style="Heading1")
    out.paragraph(report.mission if report.mission.strip() else NOT_WRITTEN)
    for group in report.groups:
        out.paragraph(group_heading(report, group), style="Heading1")
        for section in group.sections:
            _section(out, report, section)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
