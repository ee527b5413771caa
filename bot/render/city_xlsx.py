"""The city roll-up as one workbook: a summary sheet, then each ward's report sheet.

The summary has one row per ward and theme (ward order, then the plan's order). Each
ward's sheet is that ward's own report sheet, copied cell by cell from the ward XLSX
(bot/render/report_xlsx), so the two can never differ: same columns, widths, wrapping,
header and print settings.
"""

from __future__ import annotations

import io
from copy import copy

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.city import CityReport, CityRow
from bot.domain.numbers import format_number
from bot.domain.wards import CITY_WIDE
from bot.render import table
from bot.render.ooxml import pin_package
from bot.render.report_md import mention_text, status_text
from bot.render.report_xlsx import lay_out_sheet, report_xlsx
from bot.render.table import CellRule, Column

SUMMARY_TITLE = "全市集計"
NOTED, NOT_NOTED = "○", "×"
RULE = CellRule(control_mark="", csv_controls=False, xlsx_quote=False, xlsx_newlines=True)
_SHEET_NAME_LIMIT = 31
_NOT_IN_SHEET_NAMES = str.maketrans({c: "_" for c in "[]:*?/\\"})


def percent_text(value: float | None) -> str:
    """`85%`, or `—` when the indicator has no value or no target yet."""
    return f"{format_number(round(value))}%" if value is not None else "—"


def achievement_text(row: CityRow) -> str:
    """One line per indicator: `コンビニ交付率 94%`."""
    return "\n".join(f"{mention_text(a.name)} {percent_text(a.percent)}" for a in row.achievements)


COLUMNS: tuple[Column[CityRow], ...] = (
    Column("区", 10, lambda r: mention_text(r.ward)),
    Column("コード", 8, lambda r: r.code),
    Column("①課題名", 36, lambda r: mention_text(r.title)),
    Column("提案評価", 14, lambda r: status_text(r.proposed_status)),
    Column("確定評価", 14, lambda r: status_text(r.confirmed_status) if r.confirmed_status else ""),
    Column("指標の達成度", 28, achievement_text),
    Column("未完了タスク", 10, lambda r: r.open_tasks),
    Column("期限超過", 10, lambda r: r.overdue_tasks),
    Column("今月の記録", 10, lambda r: NOTED if r.noted_this_month else NOT_NOTED),
)


def summary_title(city: CityReport) -> str:
    """「全市 進捗状況（令和6年11月末時点）」: the summary's title in the XLSX and the DOCX."""
    return f"{CITY_WIDE} 進捗状況（{city.as_of_label}）"


def sheet_name(ward: str, taken: set[str]) -> str:
    """A ward's sheet name: Excel allows 31 characters and none of []:*?/\\."""
    base = ward.translate(_NOT_IN_SHEET_NAMES)[:_SHEET_NAME_LIMIT] or "_"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f"({n})"
        name, n = base[: _SHEET_NAME_LIMIT - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _summary(ws: Worksheet, city: CityReport) -> None:
    ws.title = SUMMARY_TITLE
    table.write_sheet(ws, COLUMNS, city.rows, RULE)
    lay_out_sheet(ws, title=summary_title(city))


def copy_sheet(src: Worksheet, dst: Worksheet) -> None:
    """Cells, styles, widths, panes, filter, header and print settings of another workbook's
    sheet (openpyxl copies sheets only within one workbook)."""
    for line in src.iter_rows():
        for cell in line:
            new = dst.cell(row=cell.row, column=cell.column)
            new.value = cell.value
            new.data_type = cell.data_type  # staff text starting with = stays text
            if cell.has_style:
                new.font, new.alignment = copy(cell.font), copy(cell.alignment)
                new.border, new.fill = copy(cell.border), copy(cell.fill)
                new.number_format, new.protection = cell.number_format, copy(cell.protection)
    for key, dim in src.column_dimensions.items():
        dst.column_dimensions[key].width = dim.width
    for key, rdim in src.row_dimensions.items():
        if rdim.height is not None:
            dst.row_dimensions[key].height = rdim.height
    dst.freeze_panes = src.freeze_panes
    dst.auto_filter.ref = src.auto_filter.ref
    dst.print_title_rows = src.print_title_rows
    dst.print_title_cols = src.print_title_cols
    for part in ("left", "center", "right"):
        getattr(dst.oddHeader, part).text = getattr(src.oddHeader, part).text
        getattr(dst.oddFooter, part).text = getattr(src.oddFooter, part).text
    for attr in ("orientation", "paperSize", "fitToWidth", "fitToHeight", "scale"):
        setattr(dst.page_setup, attr, getattr(src.page_setup, attr))
    dst.sheet_properties.pageSetUpPr = copy(src.sheet_properties.pageSetUpPr)
    dst.print_options.horizontalCentered = src.print_options.horizontalCentered


def city_xlsx(city: CityReport) -> bytes:
    """Sheet 「全市集計」, then one sheet per ward named after it, in ward order."""
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    _summary(summary, city)
    taken = {SUMMARY_TITLE.lower()}
    for report in city.wards:
        ward_book = load_workbook(io.BytesIO(report_xlsx(report)))
        src = ward_book.active
        assert src is not None
        copy_sheet(src, wb.create_sheet(sheet_name(mention_text(report.ward), taken)))
    wb.properties.creator = CITY_WIDE
    wb.properties.title = summary_title(city)
    buf = io.BytesIO()
    wb.save(buf)
    return pin_package(buf.getvalue(), on=city.as_of)
