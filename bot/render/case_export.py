"""The anonymised case table for the 7-ward PT: XLSX and CSV, no free text.

The CSV starts with a UTF-8 BOM so that Excel on a Japanese Windows PC opens
it right (without one Excel reads Shift_JIS); `cp932` writes Shift_JIS instead.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from openpyxl import Workbook

from bot.domain.case_privacy import ANY, BANDS, K, OutsideRow
from bot.domain.cases import KINDS, PLACES, ExportRow, label
from bot.render import table
from bot.render.table import CellRule, Column

R = TypeVar("R")

_STATUS = {"open": "対応中", "closed": "終了"}
# Control characters XLSX cannot hold (rows saved before they were refused) show as U+FFFD;
# formula-like text gets an apostrophe in both files.
RULE = CellRule()


def _width(head: str) -> int:
    return max(10, len(head) * 2)


def _col(name: str, get: Callable[[Any], object], **kw: Any) -> Column[Any]:
    return Column(name, _width(name), get, **kw)


def _has_kind(kind: str) -> Callable[[Any], object]:
    return lambda r: 1 if kind in r.kinds else 0


# The columns both exports (ExportRow, OutsideRow) share: kinds, time spent, police, status.
_COMMON: tuple[Column[Any], ...] = (
    *(_col(f"種類:{label(KINDS, k)}", _has_kind(k)) for k in KINDS),
    _col("対応時間（分）", lambda r: r.minutes),
    _col("対応職員数", lambda r: r.staff_count),
    _col("延べ職員時間（時間）", lambda r: round(r.minutes * r.staff_count / 60, 2)),
    _col("警察への相談・通報", lambda r: "あり" if r.police else "なし"),
    _col("要フォローアップ", lambda r: "あり" if r.follow_up else "なし"),
    _col("状態", lambda r: _STATUS.get(r.status, r.status)),
)
COLUMNS: tuple[Column[ExportRow], ...] = (
    _col("通し番号", lambda r: r.number),
    _col(
        "発生日",
        lambda r: r.day,
        number_format="yyyy/mm/dd",
        csv_get=lambda r: r.day.strftime("%Y/%m/%d"),
    ),
    _col("発生時（時台）", lambda r: r.hour),
    _col("場所・手段", lambda r: label(PLACES, r.place)),
    _col("担当課・係", lambda r: r.section),
    *_COMMON,
)
OUTSIDE_COLUMNS: tuple[Column[OutsideRow], ...] = (
    _col("通し番号", lambda r: r.number),
    _col("発生月（または年度の四半期）", lambda r: r.period),
    _col("時間帯", lambda r: BANDS[r.band][0] if r.band in BANDS else ANY),
    _col("場所・手段", lambda r: label(PLACES, r.place) if r.place != ANY else ANY),
    _col("担当課の分類", lambda r: r.category),
    *_COMMON,
)
HEADERS = table.header(COLUMNS)
OUTSIDE_HEADERS = table.header(OUTSIDE_COLUMNS)
OUTSIDE_NOTE = (
    f"k={K} の匿名化済み: 発生月・時間帯・場所・担当課の分類の組合せはどれも{K}件以上"
    "（3件未満の組合せは「—」や四半期にまとめ、なお3件未満の行は除外）。自由記述・記録者なし。"
)


def file_names(stamp: str, *, full: bool) -> tuple[str, str]:
    """(xlsx, csv) names that say which export it is: internal or for outside use."""
    base = f"事例_内部用_仮名化_{stamp}" if full else f"事例_外部提供用_k{K}匿名化_{stamp}"
    return f"{base}.xlsx", f"{base}.csv"


def _xlsx(title: str, columns: Sequence[Column[R]], rows: Sequence[R], *tail: str) -> bytes:
    """One sheet: the table, then a blank line and `tail` lines when given."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    table.write_sheet(ws, columns, rows, RULE)
    if tail:
        ws.append([])
        for line in tail:
            ws.append([line])
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def outside_xlsx(rows: Sequence[OutsideRow]) -> bytes:
    """The k-anonymised workbook for outside use, with a note saying so."""
    return _xlsx("カスハラ事例（匿名化）", OUTSIDE_COLUMNS, rows, OUTSIDE_NOTE)


def outside_csv(rows: Sequence[OutsideRow], *, encoding: str = "utf-8-sig") -> bytes:
    """The k-anonymised CSV for outside use (BOM or cp932, CRLF); its name says k=3."""
    return table.csv_text(OUTSIDE_COLUMNS, rows, RULE).encode(encoding, errors="replace")


def export_xlsx(rows: Sequence[ExportRow]) -> bytes:
    """An XLSX workbook with one sheet of anonymised rows."""
    return _xlsx("カスハラ事例", COLUMNS, rows)


def export_csv(rows: Sequence[ExportRow], *, encoding: str = "utf-8-sig") -> bytes:
    """CSV bytes: UTF-8 with BOM (default) or cp932; CRLF line ends as Excel writes them."""
    return table.csv_text(COLUMNS, rows, RULE).encode(encoding, errors="replace")
