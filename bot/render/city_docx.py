"""The city roll-up as one Word document: a one-page summary, then every ward's report.

The summary is one table, a row per ward (themes, grades A–D, open and overdue tasks,
themes without this month's note), so it fits one A4 page for any city. Each ward's
report follows on a new page in its own section, written by report_docx.write_report
exactly as the ward's own file has it, with that ward and the as-of date in the page
header; page numbers run on through the whole document.
"""

from __future__ import annotations

from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from bot.domain.city import STATUS_ORDER, CityReport, WardTotal
from bot.domain.numbers import format_number
from bot.domain.report import NO_STATUS
from bot.domain.wards import CITY_WIDE
from bot.render.city_xlsx import summary_title
from bot.render.report_docx import (
    header_text,
    new_document,
    page_furniture,
    saved,
    write_report,
)
from bot.render.report_md import mention_text

STATUS_HEADS = {k: ("未判定" if k == NO_STATUS else k) for k in STATUS_ORDER}
HEADER = ("区", "課題", *STATUS_HEADS.values(), "未完了タスク", "期限超過", "今月の記録なし")
NOTE = (
    "評価は確定評価、未確定の課題は提案評価で数えています。"
    "A 順調・B 一定の進捗・C 遅れ・D 大幅な遅れ。タスクは{label}に未完了だったもの。"
)


def _cells(total: WardTotal) -> list[str]:
    counts = dict(total.statuses)
    return [
        mention_text(total.ward),
        format_number(total.themes),
        *(format_number(counts.get(k, 0)) for k in STATUS_ORDER),
        format_number(total.open_tasks),
        format_number(total.overdue_tasks),
        format_number(total.without_note),
    ]


def _sum_row(city: CityReport) -> list[str]:
    counts = [dict(t.statuses) for t in city.totals]
    sums = [
        sum(t.themes for t in city.totals),
        *(sum(c.get(k, 0) for c in counts) for k in STATUS_ORDER),
        sum(t.open_tasks for t in city.totals),
        sum(t.overdue_tasks for t in city.totals),
        sum(t.without_note for t in city.totals),
    ]
    return ["合計", *(format_number(n) for n in sums)]


def city_docx(city: CityReport) -> bytes:
    """The summary page, then each ward's report on its own pages, as .docx bytes (A4)."""
    title = summary_title(city)
    doc = new_document(title=title, author=CITY_WIDE, on=city.as_of)
    page_furniture(doc.sections[0], header_text(CITY_WIDE, city.as_of_label))
    doc.add_paragraph(title, style="Title")
    rows = [list(HEADER), *(_cells(t) for t in city.totals), _sum_row(city)]
    grid = doc.add_table(rows=len(rows), cols=len(HEADER))
    grid.style = doc.styles["Table Grid"]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            paragraph = grid.cell(r, c).paragraphs[0]
            run = paragraph.add_run(value)
            run.font.size = Pt(9)
            run.bold = r == 0 or r == len(rows) - 1
            if c > 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(NOTE.format(label=city.as_of_label))
    for report in city.wards:
        section = doc.add_section(WD_SECTION.NEW_PAGE)
        # Its own header; the footer (page numbers) runs on from the summary.
        page_furniture(
            section, header_text(mention_text(report.ward), report.as_of_label), footer=False
        )
        write_report(doc, report)
    return saved(doc, on=city.as_of)
