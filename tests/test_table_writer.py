"""One table writer: every spreadsheet the bot writes guards staff text the same way."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from bot.render import table
from bot.render.table import CellRule, Column

COLUMNS = (Column("名前", 12, lambda r: r[0]), Column("件数", 8, lambda r: r[1]))
ROWS = [("=HYPERLINK(1)", 1), ("-5", 2), ("課\x07係", 3), ("普通", -4)]


def _sheet(rule: CellRule) -> list[list[object]]:
    ws = Workbook().active
    assert ws is not None
    table.write_sheet(ws, COLUMNS, ROWS, rule)
    assert ws.column_dimensions["A"].width == 12 and ws.column_dimensions["B"].width == 8
    return [[c.value for c in line] for line in ws.iter_rows()]


def test_formula_text_never_runs_and_control_characters_are_marked() -> None:
    assert _sheet(CellRule()) == [
        ["名前", "件数"],
        ["'=HYPERLINK(1)", 1],
        ["'-5", 2],
        ["課\ufffd係", 3],
        ["普通", -4],  # numbers stay numbers
    ]
    lines = list(csv.reader(io.StringIO(table.csv_text(COLUMNS, ROWS, CellRule()))))
    assert [line[0] for line in lines] == ["名前", "'=HYPERLINK(1)", "'-5", "課\ufffd係", "普通"]


def test_report_rule_keeps_formula_text_as_a_text_cell() -> None:
    rule = CellRule(control_mark="", csv_controls=False, xlsx_quote=False)
    ws = Workbook().active
    assert ws is not None
    table.write_sheet(ws, COLUMNS, ROWS, rule)
    assert (ws["A2"].value, ws["A2"].data_type) == ("=HYPERLINK(1)", "s")
    assert ws["A4"].value == "課係"
    assert table.csv_text(COLUMNS, ROWS, rule).split("\r\n")[3] == "課\x07係,3"
