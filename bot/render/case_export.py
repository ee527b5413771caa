"""The anonymised case table for the 7-ward PT: XLSX and CSV, no free text.

The CSV starts with a UTF-8 BOM so that Excel on a Japanese Windows PC opens
it right (without one Excel reads Shift_JIS); `cp932` writes Shift_JIS instead.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from bot.domain.cases import KINDS, PLACES, ExportRow, label

HEADERS = [
    "通し番号",
    "発生日",
    "発生時（時台）",
    "場所・手段",
    "担当課・係",
    *(f"種類:{label(KINDS, k)}" for k in KINDS),
    "対応時間（分）",
    "対応職員数",
    "延べ職員時間（時間）",
    "警察への相談・通報",
    "要フォローアップ",
    "状態",
]
_STATUS = {"open": "対応中", "closed": "終了"}


def _cells(row: ExportRow) -> list[object]:
    return [
        row.number,
        row.day,
        row.hour,
        label(PLACES, row.place),
        row.section,
        *(1 if k in row.kinds else 0 for k in KINDS),
        row.minutes,
        row.staff_count,
        round(row.minutes * row.staff_count / 60, 2),
        "あり" if row.police else "なし",
        "あり" if row.follow_up else "なし",
        _STATUS.get(row.status, row.status),
    ]


def export_xlsx(rows: Sequence[ExportRow]) -> bytes:
    """An XLSX workbook with one sheet of anonymised rows."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "カスハラ事例"
    ws.append(HEADERS)
    for row in rows:
        ws.append([_safe(v) for v in _cells(row)])
    for i, head in enumerate(HEADERS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, len(head) * 2)
    for cell in ws["B"][1:]:
        cell.number_format = "yyyy/mm/dd"
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_csv(rows: Sequence[ExportRow], *, encoding: str = "utf-8-sig") -> bytes:
    """CSV bytes: UTF-8 with BOM (default) or cp932; CRLF line ends as Excel writes them."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        cells = _cells(row)
        cells[1] = row.day.strftime("%Y/%m/%d")
        writer.writerow([_safe(v) for v in cells])
    return buf.getvalue().encode(encoding, errors="replace")


def _safe(value: object) -> object:
    """Neutralise text Excel would run as a formula (=, +, -, @ at the start), and mark
    control characters XLSX cannot hold (rows saved before they were refused) with U+FFFD."""
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
