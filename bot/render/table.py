"""One table writer for every spreadsheet the product writes: columns to XLSX and CSV.

A table is a list of `Column`s (name, width, getter) and its rows; every text cell goes
through one guard (`guarded`): Excel must never run staff text as a formula, and an
XLSX cannot hold most control characters. Each file keeps the settings (`CellRule`)
its readers have always seen, so a report or an export reads the same as before.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

R = TypeVar("R")

# Excel runs a cell that starts with one of these as a formula (CSV, or text typed in).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: its header, its XLSX width and how a row gives its cell."""

    name: str
    width: float
    get: Callable[[R], object]
    number_format: str | None = None  # XLSX only, e.g. "yyyy/mm/dd"
    csv_get: Callable[[R], object] | None = None  # when the CSV shows the cell differently


@dataclass(frozen=True)
class CellRule:
    """How a file's text cells are made safe."""

    control_mark: str = "\ufffd"  # replaces a control character an XLSX cannot hold
    csv_controls: bool = True  # also replace them in the CSV
    xlsx_quote: bool = True  # formula-like text gets an apostrophe in the XLSX too
    xlsx_newlines: bool = False  # CRLF becomes LF in the XLSX (pasted text)


def guarded(value: object, rule: CellRule, *, xlsx: bool) -> object:
    """A cell made safe: formula-like text neutralised, control characters handled."""
    if not isinstance(value, str):
        return value
    text = value
    if xlsx and rule.xlsx_newlines:
        text = text.replace("\r\n", "\n")
    if xlsx or rule.csv_controls:
        text = ILLEGAL_CHARACTERS_RE.sub(rule.control_mark, text)
    if (rule.xlsx_quote or not xlsx) and text.startswith(FORMULA_START):
        return "'" + text
    return text


def header(columns: Sequence[Column[Any]]) -> list[str]:
    """The header row."""
    return [c.name for c in columns]


def cells(columns: Sequence[Column[R]], row: R) -> list[object]:
    """One row's cells, unguarded."""
    return [c.get(row) for c in columns]


def write_sheet(
    ws: Worksheet, columns: Sequence[Column[R]], rows: Iterable[R], rule: CellRule
) -> None:
    """Header and rows from A1, each column's width and number format."""
    ws.append([guarded(name, rule, xlsx=True) for name in header(columns)])
    for row in rows:
        ws.append([guarded(v, rule, xlsx=True) for v in cells(columns, row)])
    for i, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
        if column.number_format:
            for cell in ws[get_column_letter(i)][1:]:
                cell.number_format = column.number_format
    if not rule.xlsx_quote:
        for line in ws.iter_rows():
            for cell in line:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # staff text, never a formula


def csv_text(columns: Sequence[Column[R]], rows: Iterable[R], rule: CellRule) -> str:
    """The same table as CSV text, CRLF line ends as Excel writes them."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([guarded(name, rule, xlsx=False) for name in header(columns)])
    for row in rows:
        values = [(c.csv_get or c.get)(row) for c in columns]
        writer.writerow([guarded(v, rule, xlsx=False) for v in values])
    return buf.getvalue()
