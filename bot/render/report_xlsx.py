"""The progress report as one table: an XLSX sheet (openpyxl) and a CSV for Excel.

Both come from report_table_rows, so the same report gives the same cells;
the CSV adds the ward and the as-of date in front of every row (a CSV has no
title or page header to say them). Column headings take the plan's own labels
(report.form); grouped by pillar, a 重点項目 column comes first. The sheet prints
on A4 landscape, one page wide. Excel on a Japanese Windows PC reads a CSV as
Shift_JIS unless it starts with a UTF-8 BOM, so the CSV is UTF-8 with BOM by
default and cp932 on request.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.plan_form import DEFAULT_LABELS
from bot.domain.report import Report, ThemeSection
from bot.render import table
from bot.render.report_md import (
    ITEM_KEYS,
    NO_NOTE_MARK,
    SUBGOAL_LABEL,
    final_line,
    for_files,
    indicator_text,
    mention_text,
    milestone_lines,
    note_lines,
    status_text,
)
from bot.render.table import CellRule, Column

SHEET_TITLE = "進捗状況"
ENCODINGS = ("utf-8-sig", "cp932")
# Python's cp932 codec lacks these look-alikes that Japanese text often carries.
_CP932_LOOKALIKES = str.maketrans(
    {"—": "―", "〜": "～", "−": "－", "¢": "￠", "£": "￡", "¬": "￢"}
)
# Control characters are dropped from the sheet; formula-like text stays as typed in
# the sheet (a text cell) and gets an apostrophe in the CSV.
RULE = CellRule(control_mark="", csv_controls=False, xlsx_quote=False, xlsx_newlines=True)
Row = tuple[Report, ThemeSection]


def _progress_cell(report: Report, section: ThemeSection) -> str:
    lines = note_lines(report, section)
    if section.missing_note:
        lines.append(NO_NOTE_MARK)
    lines += milestone_lines(report, section)
    if report.year_end and (final := final_line(section)):
        lines.append(final)
    return "\n".join(lines)


def _confirmed(section: ThemeSection) -> str:
    confirmed = section.confirmed_status
    return status_text(confirmed, section.status_reason) if confirmed else ""


def _indicators(report: Report, section: ThemeSection) -> str:
    return "\n".join(indicator_text(report, i) for i in section.indicators)


def _heading(report: Report, key: str) -> str:
    """A section label as a column heading. The default 「① 課題名」 is the sheet's
    「①課題名」; a label the plan states is its own text, spaces and all."""
    label = report.label(key)
    if label == DEFAULT_LABELS[key]:
        return label.replace(" ", "")
    return label


def _counted(name: str, get: Callable[[ThemeSection], int]) -> Column[Row]:
    """A count: a number in the sheet (shown 1,234), written 1,234 in the CSV."""
    return Column(
        name, 10, lambda r: get(r[1]), number_format="#,##0", csv_get=lambda r: f"{get(r[1]):,}"
    )


_ITEMS: dict[str, tuple[float, Callable[[ThemeSection], str]]] = {
    "title": (28, lambda s: s.title),
    "content": (40, lambda s: s.content),
    "background": (40, lambda s: s.background),
    "approach": (40, lambda s: s.approach),
}


def _item(key: str, name: str) -> Column[Row]:
    width, get = _ITEMS[key]
    return Column(name, width, lambda r: get(r[1]))


def columns(report: Report) -> tuple[Column[Row], ...]:
    """The sheet's columns for this report: the plan's labels, a pillar column if grouped so."""
    items = [_item(k, _heading(report, k)) for k in ITEM_KEYS]
    if any(s.subgoal for s in report.sections()):
        items.insert(1, Column(SUBGOAL_LABEL, 28, lambda r: r[1].subgoal or ""))
    progress = "result" if report.year_end else "progress"
    front: list[Column[Row]] = [
        Column("分野", 6, lambda r: r[1].area),
        Column("コード", 8, lambda r: r[1].code),
    ]
    if report.group_by == "pillar":
        front.insert(0, Column("重点項目", 16, lambda r: r[1].pillar or ""))
    return (
        *front,
        *items,
        Column(_heading(report, progress), 60, lambda r: _progress_cell(*r)),
        Column("提案評価", 14, lambda r: status_text(r[1].proposed_status)),
        Column("確定評価", 24, lambda r: _confirmed(r[1])),
        _counted("未完了タスク", lambda s: s.open_tasks),
        _counted("期限超過", lambda s: s.overdue_tasks),
        _counted("未達成マイルストーン", lambda s: s.open_milestones),
        Column("指標", 40, lambda r: _indicators(*r)),
        Column("今月の記録", 10, lambda r: "なし" if r[1].missing_note else "あり"),
    )


def _default_report() -> Report:
    return Report("", 0, date(2000, 4, 1), "", "", [], [])


COLUMNS = columns(_default_report())  # grouped by area, the default labels
HEADER = tuple(table.header(COLUMNS))


def _rows(report: Report) -> list[Row]:
    report = for_files(report)  # every file renderer starts from the same file text
    return [(report, s) for s in report.sections()]


def report_table_rows(report: Report) -> list[list[object]]:
    """The header and one row per theme in report order."""
    cols = columns(report)
    return [list(table.header(cols)), *(table.cells(cols, r) for r in _rows(report))]


def csv_columns(report: Report) -> tuple[Column[Row], ...]:
    """The CSV's columns: the ward and the as-of date, then the sheet's."""
    as_of = report.as_of.isoformat()
    where: tuple[Column[Row], ...] = (
        Column("区", 8, lambda r: r[0].ward),
        Column("時点", 10, lambda r: as_of),
    )
    return (*where, *columns(report))


def lay_out_sheet(ws: Worksheet, *, title: str) -> None:
    """A report table's look: wrapped text, bold frozen header with a filter, the title in
    the page header, A4 landscape one page wide (the ward sheet and the city summary)."""
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in ws.iter_rows():
        for cell in line:
            cell.alignment = wrap
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    ws.oddHeader.center.text = title.replace("&", "&&")  # & starts Excel's header codes
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    # One page wide, as many pages down as the rows need.
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def report_xlsx(report: Report) -> bytes:
    """One sheet 「進捗状況」: bold frozen header, wrapped text, fixed column widths."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_TITLE
    table.write_sheet(ws, columns(report), _rows(report), RULE)
    # The table stays one header row and one row per theme; the date goes where Excel
    # shows and prints it: the document title and the page header.
    title = f"{mention_text(report.ward)} 進捗状況（{report.as_of_label}）"
    wb.properties.creator = report.ward
    wb.properties.title = title
    lay_out_sheet(ws, title=title)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def report_csv(report: Report, encoding: str = "utf-8-sig") -> bytes:
    """The same table as CSV bytes: UTF-8 with BOM, or cp932 (unmappable characters become ?)."""
    if encoding not in ENCODINGS:
        raise ValueError(f"encoding must be one of {ENCODINGS}: {encoding!r}")
    text = table.csv_text(csv_columns(report), _rows(report), RULE)
    if encoding == "cp932":
        return text.translate(_CP932_LOOKALIKES).encode("cp932", errors="replace")
    return text.encode("utf-8-sig")
