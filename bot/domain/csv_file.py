"""A CSV file as Excel on a Japanese PC saves it: the one reading of the plan, staff-list
and rollover-map files.

Excel writes Shift_JIS (cp932) unless told to write UTF-8 (with a BOM), UTF-16 with a
byte-order mark for "Unicode text" (tab-separated), and lone-CR line ends on a Mac. The
callers say what is wrong in their own words: these raise CsvUnreadable or CsvBroken.
"""

from __future__ import annotations

import codecs
import csv
import io

# csv refuses a cell over 131,072 characters with an error that names no row. Every file
# read here is at most a few MB (the staff list's 10 MB is the largest), so a cell that
# long is its row's problem (too long, or a quote left open) and the row names it.
MAX_CELL = 10 * 1024 * 1024


class CsvUnreadable(ValueError):
    """The bytes are in none of the encodings Excel writes."""


class CsvBroken(ValueError):
    """csv cannot split the text into cells: a quote left open, text after a closing
    quote, a cell over MAX_CELL. `row` is the row (as Excel numbers it) where it starts."""

    def __init__(self, row: int) -> None:
        super().__init__(row)
        self.row = row


def decode(raw: bytes) -> str:
    """The text: UTF-8 (with or without BOM), Shift_JIS, or UTF-16 with its mark."""
    encodings = ["utf-8-sig", "cp932"]
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        encodings = ["utf-16"]
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        # UTF-16 without its mark decodes as "UTF-8" with a NUL in every other place; a
        # stray NUL in a cell is the cell's problem, which the caller names with its row.
        if not text or text.count("\x00") * 4 < len(text):
            return text
    raise CsvUnreadable


def records(text: str) -> list[list[str]]:
    """The cells row by row; tab-separated when the first line has tabs and no comma."""
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL))  # process-wide; only grows
    # newline="": a line end inside quotes stays in its cell, and a lone CR ends a line.
    # strict: a quote left open to the end, or text after a closing quote (`"x"y`), is
    # refused; otherwise csv takes the rest of the file into the cell, or drops the quote.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error:
        raise CsvBroken(len(rows) + 1) from None
    return rows
