"""The progress report as one table: an XLSX sheet (openpyxl) and a CSV for Excel.

Both come from report_table_rows, so the same report gives the same cells.
Excel on a Japanese Windows PC reads a CSV as Shift_JIS unless it starts with
a UTF-8 BOM, so the CSV is UTF-8 with BOM by default and cp932 on request.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from bot.domain.report import Report, ThemeSection
from bot.render import table
from bot.render.report_md import (
    NO_NOTE_MARK,
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
    return "\n".join(lines + milestone_lines(report, section))


def _confirmed(section: ThemeSection) -> str:
    confirmed = section.confirmed_status
    return status_text(confirmed, section.status_reason) if confirmed else ""


def _indicators(report: Report, section: ThemeSection) -> str:
    return "\n".join(indicator_text(report, i) for i in section.indicators)


COLUMNS: tuple[Column[Row], ...] = (
    Column("分野", 6, lambda r: r[1].area),
    Column("コード", 8, lambda r: r[1].code),
    Column("①課題名", 28, lambda r: r[1].title),
    Column("②内容", 40, lambda r: r[1].content),
    Column("③背景", 40, lambda r: r[1].background),
    Column("④取組み", 40, lambda r: r[1].approach),
    Column("⑤進捗状況", 60, lambda r: _progress_cell(*r)),
    Column("提案評価", 14, lambda r: status_text(r[1].proposed_status)),
    Column("確定評価", 24, lambda r: _confirmed(r[1])),
    Column("未完了タスク", 10, lambda r: r[1].open_tasks),
    Column("期限超過", 10, lambda r: r[1].overdue_tasks),
    Column("指標", 40, lambda r: _indicators(*r)),
    Column("今月の記録", 10, lambda r: "なし" if r[1].missing_note else "あり"),
)
HEADER = tuple(table.header(COLUMNS))


def _rows(report: Report) -> list[Row]:
    report = for_files(report)  # every file renderer starts from the same file text
    return [(report, s) for s in report.sections()]


def report_table_rows(report: Report) -> list[list[object]]:
    """The header and one row per theme in report order."""
    return [list(HEADER), *(table.cells(COLUMNS, r) for r in _rows(report))]


def report_xlsx(report: Report) -> bytes:
    """One sheet 「進捗状況」: bold frozen header, wrapped text, fixed column widths."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_TITLE
    table.write_sheet(ws, COLUMNS, _rows(report), RULE)
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in ws.iter_rows():
        for cell in line:
            cell.alignment = wrap
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    # The table stays one header row and one row per theme; the date goes where Excel
    # shows and prints it: the document title and the page header.
    title = f"{mention_text(report.ward)} 進捗状況（{report.as_of_label}）"
    wb.properties.creator = report.ward
    wb.properties.title = title
    ws.oddHeader.center.text = title.replace("&", "&&")  # & starts Excel's header codes
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def report_csv(report: Report, encoding: str = "utf-8-sig") -> bytes:
    """The same table as CSV bytes: UTF-8 with BOM, or cp932 (unmappable characters become ?)."""
    if encoding not in ENCODINGS:
        raise ValueError(f"encoding must be one of {ENCODINGS}: {encoding!r}")
    text = table.csv_text(COLUMNS, _rows(report), RULE)
    if encoding == "cp932":
        return text.translate(_CP932_LOOKALIKES).encode("cp932", errors="replace")
    return text.encode("utf-8-sig")
