"""A past month's report keeps the status and year-end grade that stood on its date, however
often a lead confirms them again later (every confirmation is kept: theme_grade, 0009).

Two wards (若松区, the sample plan, and the fictional 西浜区 of test_city_report); 森 leads
西浜区's A(1). Both databases.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlmodel import col, select

from bot.services.context import Ctx
from bot.services.reports import build_city_files, build_files
from storage.models import ThemeGrade
from tests.services.test_city_report import MORI, NISHIHAMA, two_wards
from tests.services.test_report_service import at, typed

NOVEMBER, MARCH = date(2024, 11, 30), date(2025, 3, 31)
WARD_FORMATS = ("md", "docx", "xlsx")


@pytest.fixture
def city(ctx: Ctx, tmp_path: Path) -> Ctx:
    """Two wards in November 2024; 森 leads the WG on 西浜区's A(1)."""
    two_wards(ctx, tmp_path)
    typed(ctx, MORI, "team new 西浜予約WG kind:WG theme:A(1) <#C21YOYAKU|yoyaku>")
    typed(ctx, MORI, "task add 予約の試行 due:2024-11-15 team:西浜予約WG")
    return ctx


def files_of(ctx: Ctx, as_of: date) -> dict[str, bytes]:
    """西浜区's report and the city's roll-up of the day, file name to bytes."""
    ward = build_files(ctx, as_of=as_of, formats=WARD_FORMATS, ward=NISHIHAMA).files
    return {**ward, **build_city_files(ctx, as_of=as_of).files}


def md_of(files: dict[str, bytes], as_of: date) -> str:
    return files[f"progress-report-{as_of:%Y-%m-%d}-{NISHIHAMA}.md"].decode("utf-8")


def docx_text(files: dict[str, bytes], name: str) -> list[str]:
    return [p.text for p in Document(io.BytesIO(files[name])).paragraphs]


def xlsx_cells(files: dict[str, bytes], name: str) -> list[object]:
    wb = load_workbook(io.BytesIO(files[name]))
    return [v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row]


def test_novembers_report_keeps_its_status_after_december_confirms_another(city: Ctx) -> None:
    """The trial: B on 20 November, the 30 November report built, C on 2 December, rebuilt."""
    at(city, 2024, 11, 20)
    typed(city, MORI, "theme status A(1) B 理由：予約の試行が半分の窓口で始まった")
    at(city, 2024, 12, 1)
    before = files_of(city, NOVEMBER)
    shown = "確定 B 一定の進捗（予約の試行が半分の窓口で始まった）"
    assert shown in md_of(before, NOVEMBER)

    at(city, 2024, 12, 2)
    typed(city, MORI, "theme status A(1) C 理由：試行の窓口で待ち時間が延びた")
    after = files_of(city, NOVEMBER)

    assert sorted(after) == sorted(before) and len(after) == 6
    for name in before:
        assert after[name] == before[name], name
    ward_docx = f"progress-report-2024-11-30-{NISHIHAMA}.docx"
    assert any(shown in p for p in docx_text(after, ward_docx))
    assert any(shown in p for p in docx_text(after, "progress-report-2024-11-30-全市.docx"))
    city_cells = xlsx_cells(after, "progress-report-2024-11-30-全市.xlsx")
    ward_cells = xlsx_cells(after, f"progress-report-2024-11-30-{NISHIHAMA}.xlsx")
    for cells in (city_cells, ward_cells):
        assert any("B" in str(v) and "予約の試行が半分" in str(v) for v in cells)
        assert not any("待ち時間が延びた" in str(v) for v in cells)
    # December's report shows December's status.
    december = md_of(files_of(city, date(2024, 12, 31)), date(2024, 12, 31))
    assert "確定 C 遅れ（試行の窓口で待ち時間が延びた）" in december


def test_the_last_status_of_the_month_is_the_one_shown(city: Ctx) -> None:
    at(city, 2024, 11, 20)
    typed(city, MORI, "theme status A(1) B 理由：最初の見立て")
    at(city, 2024, 11, 30, 17)
    typed(city, MORI, "theme status A(1) C 理由：月末の見直し")
    at(city, 2024, 12, 2)
    typed(city, MORI, "theme status A(1) A 理由：12月の見直し")
    md = md_of(files_of(city, NOVEMBER), NOVEMBER)
    assert "確定 C 遅れ（月末の見直し）" in md
    assert "最初の見立て" not in md and "12月の見直し" not in md
    with city.session() as s:
        kept = s.exec(select(ThemeGrade).order_by(col(ThemeGrade.id))).all()
        assert [(g.kind, g.grade, g.reason, g.given_by) for g in kept] == [
            ("status", "B", "最初の見立て", MORI),
            ("status", "C", "月末の見直し", MORI),
            ("status", "A", "12月の見直し", MORI),
        ]


def test_a_final_grade_changed_in_april_leaves_the_march_report_as_it_was(city: Ctx) -> None:
    at(city, 2025, 3, 10)
    typed(city, MORI, "theme status A(1) final:B 予約が定着した")
    at(city, 2025, 4, 1)
    before = files_of(city, MARCH)
    assert "最終評価: B 一定の進捗（予約が定着した）" in md_of(before, MARCH)

    at(city, 2025, 4, 3)
    typed(city, MORI, "theme status A(1) final:A 4月の集計で全窓口に広がっていた")
    after = files_of(city, MARCH)

    assert sorted(after) == sorted(before)
    for name in before:
        assert after[name] == before[name], name
    with city.session() as s:
        finals = s.exec(select(ThemeGrade.grade).where(ThemeGrade.kind == "final")).all()
        assert sorted(finals) == ["A", "B"]
