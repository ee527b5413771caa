"""`wgbot demo`: the simulated November 2024 writes what a ward employee would read.

Two wards (the sample ward and the fictional 東港区, with overlapping theme codes) and a
city-wide team: each ward's report, and the city's roll-up beside them.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.cli import main
from bot.demo import SECOND
from bot.domain.calendar import OfficeCalendar
from bot.services.plans import read_plan_file
from tests.factories import SAMPLE_PLAN

SAMPLE_REPORT = "progress-report-2024-11-30-若松区"
SECOND_REPORT = "progress-report-2024-11-30-東港区"
CITY_REPORT = "progress-report-2024-11-30-全市"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("demo-out")
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["demo", "--out", str(out)]) == 0
    return out, buf.getvalue()


def test_summary_names_the_folder_and_counts_what_was_written(demo: tuple[Path, str]) -> None:
    out, printed = demo
    assert str(out.resolve()) in printed
    reminders = (out / "reminders.md").read_text("utf-8").count("\n## ")
    digests = (out / "digests.md").read_text("utf-8").count("\n## ")
    assert reminders > 0 and f"リマインダー {reminders} 件" in printed
    assert digests > 0 and f"週間まとめ {digests} 件" in printed
    assert "*チーム「案内表示・情報紙WG」のタスク*" in printed  # each team's list


def test_every_typed_line_was_understood(demo: tuple[Path, str]) -> None:
    log = (demo[0] / "commands.log").read_text("utf-8")
    for refusal in ("見つかりません", "読めません", "使い方", "できません", "エラー"):
        assert refusal not in log


def test_digests_go_out_on_the_first_business_day_of_each_week(demo: tuple[Path, str]) -> None:
    digests = (demo[0] / "digests.md").read_text("utf-8")
    assert "## 2024-11-05 (Tue) 09:00 #wg-signage" in digests  # 11/04 was a holiday
    assert "2024-11-04" not in digests
    for monday in ("2024-11-11", "2024-11-18", "2024-11-25"):
        assert f"## {monday} (Mon) 09:00 #wg-signage" in digests
    assert digests.count("## 2024-11-25 (Mon) 09:00 #wg-signage") == 1


def test_reminders_include_the_month_end_note_request(demo: tuple[Path, str]) -> None:
    reminders = (demo[0] / "reminders.md").read_text("utf-8")
    assert "DM → 渡辺" in reminders and "C(1) 若松北海岸の観光地化" in reminders
    # The team that wrote notes in November is not asked.
    assert "A(2) 庁舎内の案内表示" not in reminders
    days = {
        date(2024, int(m), int(d)) for m, d in re.findall(r"^## (\d\d)/(\d\d) ", reminders, re.M)
    }
    assert days and all(OfficeCalendar().is_business_day(day) for day in days)


def test_report_as_of_november_30_in_every_format(demo: tuple[Path, str]) -> None:
    out = demo[0]
    md = (out / f"{SAMPLE_REPORT}.md").read_text("utf-8")
    assert "令和6年11月末時点" in md
    codes = [t["code"] for t in read_plan_file(SAMPLE_PLAN).themes]
    positions = [md.index(f"{code} ") for code in codes]
    assert positions == sorted(positions)
    assert "駐車場とトイレの現況調査を終え" in md  # written through the 進捗を書く button
    assert "12月10日" in md  # the third training session is upcoming
    doc = "\n".join(p.text for p in Document(str(out / f"{SAMPLE_REPORT}.docx")).paragraphs)
    assert "ラックの配置図ができ" in doc
    sheet = load_workbook(out / f"{SAMPLE_REPORT}.xlsx").active
    assert sheet is not None and sheet.max_row >= len(codes) + 1
    png = (out / f"{SAMPLE_REPORT}.png").read_bytes()
    assert png.startswith(b"\x89PNG")


def test_the_second_ward_is_labelled_fictional(demo: tuple[Path, str]) -> None:
    printed = demo[1]
    assert "東港区は架空の区です" in printed
    assert "架空" in str(read_plan_file(SECOND).title)
    assert f"{SECOND_REPORT}.md" in printed and f"{SAMPLE_REPORT}.md" in printed


def test_each_ward_reports_its_own_themes_and_notes(demo: tuple[Path, str]) -> None:
    out = demo[0]
    second = (out / f"{SECOND_REPORT}.md").read_text("utf-8")
    sample = (out / f"{SAMPLE_REPORT}.md").read_text("utf-8")
    codes = [t["code"] for t in read_plan_file(SECOND).themes]
    positions = [second.index(f"{code} ") for code in codes]
    assert positions == sorted(positions)
    # `note A(2)` typed by 東港区 staff went to 東港区's A(2), not the sample ward's A(2).
    assert "上期の12件を類型ごとに分け" in second and "上期の12件" not in sample
    assert "カスタマーハラスメントから職員を守る仕組み" in second
    assert "ラックの配置図ができ" in sample and "ラックの配置図" not in second
    for ext in ("docx", "xlsx", "csv", "png"):
        assert (out / f"{SECOND_REPORT}.{ext}").stat().st_size > 0


def test_the_city_wide_team_lists_its_work_in_both_wards(demo: tuple[Path, str]) -> None:
    lists = (demo[0] / "team-tasks.md").read_text("utf-8")
    city_team = lists[lists.index("*チーム「カスハラ対策全市PT」のタスク*") :]
    assert "若松区の事例の類型整理" in city_team  # on 若松区/A(5)
    assert "録音の運用案を両区で揃える" in city_team  # on 東港区/A(2)


def test_the_city_roll_up_lists_both_wards_beside_their_reports(demo: tuple[Path, str]) -> None:
    out, printed = demo
    assert f"{CITY_REPORT}.xlsx" in printed and f"{CITY_REPORT}.docx" in printed
    book = load_workbook(out / f"{CITY_REPORT}.xlsx")
    assert book.sheetnames[1:] == ["若松区", "東港区"]  # one sheet per ward, in ward order
    summary = book[book.sheetnames[0]]
    wards = [row[0] for row in summary.iter_rows(min_row=2, values_only=True)]
    assert wards.index("若松区") < wards.index("東港区")
    rows = {(row[0], row[1]): row for row in summary.iter_rows(min_row=2, values_only=True)}
    # The overlapping code A(2) is two themes, one per ward.
    assert "案内表示" in str(rows["若松区", "A(2)"][2])
    assert "カスタマーハラスメント" in str(rows["東港区", "A(2)"][2])
    doc = "\n".join(p.text for p in Document(str(out / f"{CITY_REPORT}.docx")).paragraphs)
    assert doc.index("若松区 令和6年度") < doc.index("東港区 令和6年度")
    assert (out / f"{CITY_REPORT}.png").read_bytes().startswith(b"\x89PNG")
