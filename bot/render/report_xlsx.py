"""The progress report as one table: an XLSX sheet (openpyxl) and a CSV for Excel.

Both come from report_table_rows, so the same report gives the same cells.
Excel on a Japanese Windows PC reads a CSV as Shift_JIS unless it starts with
a UTF-8 BOM, so the CSV is UTF-8 with BOM by default and cp932 on request.
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from bot.domain.report import Report, ThemeSection
from bot.render.report_md import (
    NO_NOTE_MARK,
    indicator_text,
    milestone_lines,
    note_lines,
    status_text,
)

SHEET_TITLE = "進捗状況"
HEADER = (
    "分野",
    "コード",
    "①課題名",
    "②内容",
    "③背景",
    "④取組み",
    "⑤進捗状況",
    "提案評価",
    "確定評価",
    "未完了タスク",
    "期限超過",
    "指標",
    "今月の記録",
)
WIDTHS = (6, 8, 28, 40, 40, 40, 60, 14, 24, 10, 10, 40, 10)
ENCODINGS = ("utf-8-sig", "cp932")
# Python's cp932 codec lacks these look-alikes that Japanese text often carries.
_CP932_LOOKALIKES = str.maketrans(
    {"—": "―", "〜": "～", "−": "－", "¢": "￠", "£": "￡", "¬": "￢"}
)
# Excel runs a CSV cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _progress_cell(report: Report, section: ThemeSection) -> str:
    lines = note_lines(report, section)
    if section.missing_note:
        lines.append(NO_NOTE_MARK)
    return "\n".join(lines + milestone_lines(report, section))


def _row(report: Report, section: ThemeSection) -> list[str | int]:
    confirmed = section.confirmed_status
    return [
        section.area,
        section.code,
        section.title,
        section.content,
        section.background,
        section.approach,
        _progress_cell(report, section),
        status_text(section.proposed_status),
        status_text(confirmed, section.status_reason) if confirmed else "",
        section.open_tasks,
        section.overdue_tasks,
        "\n".join(indicator_text(report, i) for i in section.indicators),
        "なし" if section.missing_note else "あり",
    ]


def report_table_rows(report: Report) -> list[list[str | int]]:
    """The header and one row per theme in report order."""
    return [list(HEADER), *(_row(report, s) for s in report.sections())]


def report_xlsx(report: Report) -> bytes:
    """One sheet 「進捗状況」: bold frozen header, wrapped text, fixed column widths."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(report_table_rows(report), start=1):
        for c, value in enumerate(row, start=1):
            if isinstance(value, str):
                # Pasted text brings CR and control characters that the XML cannot hold.
                value = ILLEGAL_CHARACTERS_RE.sub("", value.replace("\r\n", "\n"))
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # staff text, never a formula
            cell.alignment = wrap
            if r == 1:
                cell.font = Font(bold=True)
    for c, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    # The table stays one header row and one row per theme; the date goes where Excel
    # shows and prints it: the document title and the page header.
    title = f"{report.ward} 進捗状況（{report.as_of_label}）"
    wb.properties.creator = report.ward
    wb.properties.title = title
    ws.oddHeader.center.text = title.replace("&", "&&")  # & starts Excel's header codes
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv_cell(value: str | int) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def report_csv(report: Report, encoding: str = "utf-8-sig") -> bytes:
    """The same table as CSV bytes: UTF-8 with BOM, or cp932 (unmappable characters become ?)."""
    if encoding not in ENCODINGS:
        raise ValueError(f"encoding must be one of {ENCODINGS}: {encoding!r}")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in report_table_rows(report):
        writer.writerow([_csv_cell(v) for v in row])
    text = buf.getvalue()
    if encoding == "cp932":
        return text.translate(_CP932_LOOKALIKES).encode("cp932", errors="replace")
    return text.encode("utf-8-sig")
