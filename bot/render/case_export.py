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

from bot.domain.case_privacy import ANY, BANDS, K, OutsideRow
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
OUTSIDE_HEADERS = [
    "通し番号",
    "発生月（または年度の四半期）",
    "時間帯",
    "場所・手段",
    "担当課の分類",
    *HEADERS[5:],
]
OUTSIDE_NOTE = (
    f"k={K} の匿名化済み: 発生月・時間帯・場所・担当課の分類の組合せはどれも{K}件以上"
    "（3件未満の組合せは「—」や四半期にまとめ、なお3件未満の行は除外）。自由記述・記録者なし。"
)


def file_names(stamp: str, *, full: bool) -> tuple[str, str]:
    """(xlsx, csv) names that say which export it is: internal or for outside use."""
    base = f"事例_内部用_仮名化_{stamp}" if full else f"事例_外部提供用_k{K}匿名化_{stamp}"
    return f"{base}.xlsx", f"{base}.csv"


def _outside_cells(row: OutsideRow) -> list[object]:
    return [
        row.number,
        row.period,
        BANDS[row.band][0] if row.band in BANDS else ANY,
        label(PLACES, row.place) if row.place != ANY else ANY,
        row.category,
        *(1 if k in row.kinds else 0 for k in KINDS),
        row.minutes,
        row.staff_count,
        round(row.minutes * row.staff_count / 60, 2),
        "あり" if row.police else "なし",
        "あり" if row.follow_up else "なし",
        _STATUS.get(row.status, row.status),
    ]


def outside_xlsx(rows: Sequence[OutsideRow]) -> bytes:
    """The k-anonymised workbook for outside use, with a note saying so."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "カスハラ事例（匿名化）"
    ws.append(OUTSIDE_HEADERS)
    for row in rows:
        ws.append([_safe(v) for v in _outside_cells(row)])
    ws.append([])
    ws.append([OUTSIDE_NOTE])
    for i, head in enumerate(OUTSIDE_HEADERS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, len(head) * 2)
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def outside_csv(rows: Sequence[OutsideRow], *, encoding: str = "utf-8-sig") -> bytes:
    """The k-anonymised CSV for outside use (BOM or cp932, CRLF); its name says k=3."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(OUTSIDE_HEADERS)
    for row in rows:
        writer.writerow([_safe(v) for v in _outside_cells(row)])
    return buf.getvalue().encode(encoding, errors="replace")


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
