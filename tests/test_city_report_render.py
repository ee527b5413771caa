"""The city roll-up's files and the ward DOCX's page layout, from reports built in memory."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date

from docx import Document
from docx.section import Section
from openpyxl import load_workbook

from bot.domain.city import achievement, build_city
from bot.domain.report import IndicatorLine, PlanInput, build_report
from bot.render.city_chart import city_chart_png
from bot.render.city_docx import city_docx
from bot.render.city_xlsx import city_xlsx, sheet_name
from bot.render.ooxml import pin_package
from bot.render.report_docx import report_docx
from tests.domain.test_report import AS_OF, sample_report, theme

FICTIONAL = PlanInput(  # a second ward, FICTIONAL, whose codes overlap the sample's
    "西浜区", 2024, "架空の区。", (theme("A(1)", "西浜の窓口予約"), theme("B(1)", "西浜の防災"))
)


def two_wards():
    other = build_report(FICTIONAL, notes=[], milestones=[], indicators=[], as_of=AS_OF)
    return build_city([sample_report(), other], fiscal_year=2024, as_of=AS_OF)


def a4(section: Section) -> bool:
    """210 × 297 mm (Word stores twips: 11906 × 16838)."""
    width, height = section.page_width, section.page_height
    return (
        width is not None
        and height is not None
        and (round(width.mm), round(height.mm))
        == (
            210,
            297,
        )
    )


def line(latest: float | None, target: float | None, direction: str = "up") -> IndicatorLine:
    return IndicatorLine("率", "%", None, target, latest, AS_OF, direction, None)


def test_achievement_is_latest_against_target_either_way() -> None:
    assert achievement(line(30, 40)) == 75
    assert achievement(line(20, 10, "down")) == 50  # half-way there when lower is better
    assert achievement(line(None, 40)) is None and achievement(line(30, None)) is None


def test_summary_rows_follow_ward_order_then_plan_order() -> None:
    city = two_wards()
    assert [(r.ward, r.code) for r in city.rows][-2:] == [("西浜区", "A(1)"), ("西浜区", "B(1)")]
    assert city.rows[0].ward == "若松区"
    assert [t.ward for t in city.totals] == ["若松区", "西浜区"]
    assert dict(city.totals[1].statuses) == {"A": 0, "B": 0, "C": 0, "D": 0, "—": 2}


def test_city_docx_has_a_summary_table_then_each_ward_under_its_own_header() -> None:
    doc = Document(io.BytesIO(city_docx(two_wards())))
    (table,) = doc.tables
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0][:2] == ["区", "課題"] and [r[0] for r in cells[1:]] == [
        "若松区",
        "西浜区",
        "合計",
    ]
    assert cells[2][1] == "2" and cells[3][1] == str(len(sample_report().sections()) + 2)
    headers = [s.header.paragraphs[0].text for s in doc.sections]
    assert headers == [
        "全市　令和6年11月末時点",
        "若松区　令和6年11月末時点",
        "西浜区　令和6年11月末時点",
    ]
    assert all(a4(s) for s in doc.sections)


def test_ward_docx_is_a4_with_ward_and_date_on_top_and_page_numbers_below() -> None:
    doc = Document(io.BytesIO(report_docx(sample_report())))
    (section,) = doc.sections
    assert a4(section)
    assert section.header.paragraphs[0].text == "若松区　令和6年11月末時点"
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and 'w:fldCharType="begin"' in footer


def test_city_files_are_the_same_bytes_for_the_same_roll_up() -> None:
    assert city_xlsx(two_wards()) == city_xlsx(two_wards())
    assert city_docx(two_wards()) == city_docx(two_wards())
    assert city_chart_png(two_wards()).startswith(b"\x89PNG")
    assert city_chart_png(two_wards()) == city_chart_png(two_wards())


def test_a_later_save_gives_the_same_package() -> None:
    def made_at(when: tuple[int, int, int, int, int, int]) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            core = f"<dcterms:modified x='1'>{when[0]}-01-01T00:00:00Z</dcterms:modified>"
            z.writestr(zipfile.ZipInfo("docProps/core.xml", date_time=when), core)
        return buf.getvalue()

    early, late = made_at((2024, 12, 1, 9, 0, 0)), made_at((2026, 12, 1, 18, 3, 4))
    assert early != late
    assert pin_package(early, on=AS_OF) == pin_package(late, on=AS_OF)
    with zipfile.ZipFile(io.BytesIO(pin_package(late, on=AS_OF))) as z:
        assert b"2024-11-30T00:00:00Z" in z.read("docProps/core.xml")


def test_city_xlsx_names_each_sheet_after_its_ward() -> None:
    wb = load_workbook(io.BytesIO(city_xlsx(two_wards())))
    assert wb.sheetnames == ["全市集計", "若松区", "西浜区"]
    summary = [list(r) for r in wb["全市集計"].iter_rows(values_only=True)]
    assert summary[-1][:2] == ["西浜区", "B(1)"] and summary[-1][-1] == "×"


def test_sheet_names_drop_what_excel_refuses_and_stay_unique() -> None:
    taken: set[str] = set()
    assert sheet_name("北/区", taken) == "北_区"
    assert sheet_name("北/区", taken) == "北_区(2)"
    assert len(sheet_name("区" * 40, taken)) == 31


def test_a_ward_with_a_mention_in_its_name_is_shown_plain() -> None:
    city = build_city(
        [replace(sample_report(), ward="<@U1>区")], fiscal_year=2024, as_of=date(2024, 11, 30)
    )
    assert load_workbook(io.BytesIO(city_xlsx(city))).sheetnames[1] == "@U1区"
