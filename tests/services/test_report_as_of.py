"""A month-end report says what stood on its as-of date, however late it is rebuilt (DESIGN §9).

The sample ward's 令和6年11月末 report is built on 2 December 2024, then rebuilt on
1 December 2026 after staff added milestones, confirmed a status and ticked things off.
Every file must read the same (both databases).
"""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.render.report_md import report_markdown
from bot.services.context import Ctx
from bot.services.reports import build_files, gather
from tests.services.test_report_service import (
    AS_OF,
    KOBAYASHI,
    SATO,
    TASKS_A2,
    at,
    november,
    section_text,
    typed,
)

FORMATS = ("md", "docx", "xlsx", "csv", "png")
SIGNAGE = "案内表示・情報紙WG"


def what_a_reader_sees(ctx: Ctx) -> dict[str, object]:
    """The 令和6年11月末 report's files as their readers see them (no file timestamps)."""
    files = build_files(ctx, as_of=AS_OF, formats=FORMATS).files
    stem = "progress-report-2024-11-30"
    wb = load_workbook(io.BytesIO(files[f"{stem}.xlsx"]))
    return {
        "md": files[f"{stem}.md"].decode("utf-8"),
        "docx": [p.text for p in Document(io.BytesIO(files[f"{stem}.docx"])).paragraphs],
        "xlsx": [list(r) for r in wb.active.iter_rows(values_only=True)] if wb.active else [],
        "csv": files[f"{stem}.csv"],
        "png": files[f"{stem}.png"],
    }


def two_years_later(ctx: Ctx) -> None:
    """What staff did after the as-of date, up to 1 December 2026."""
    at(ctx, 2024, 12, 3)
    typed(ctx, SATO, "task done #6")  # 各課の自己点検の完了, still open on 30 November
    typed(ctx, SATO, "theme status A(2) A reason:自己点検が終わった")
    at(ctx, 2024, 12, 10, 17)
    typed(ctx, KOBAYASHI, "task done #3")  # 第3回研修
    at(ctx, 2026, 12, 1)
    typed(ctx, SATO, f"task add 中間報告 due:2026-12-11 team:{SIGNAGE} milestone")
    typed(ctx, SATO, f"task add 最終報告書の提出 due:2027-03-31 team:{SIGNAGE} milestone")
    typed(ctx, SATO, f"task add 掲示物の点検 due:2026-12-20 team:{SIGNAGE}")
    typed(ctx, SATO, "theme status A(2) B reason:中間報告の準備が遅れている")
    typed(ctx, KOBAYASHI, "theme status C(2) A reason:研修を3回とも開いた")
    typed(ctx, SATO, "kpi add A(2) 撤去したチラシ unit:種類 target:50")


@pytest.fixture
def ward(ctx: Ctx) -> Ctx:
    november(ctx)
    return ctx


def test_a_past_report_rebuilt_two_years_later_reads_the_same_in_every_format(
    ward: Ctx,
) -> None:
    at(ward, 2024, 12, 2, 18)
    first = what_a_reader_sees(ward)
    two_years_later(ward)
    again = what_a_reader_sees(ward)
    for name in FORMATS:
        assert again[name] == first[name], name


def test_past_report_leaves_out_what_was_recorded_or_decided_after_its_date(ward: Ctx) -> None:
    two_years_later(ward)
    md = report_markdown(gather(ward, as_of=AS_OF))
    assert "中間報告" not in md and "最終報告書の提出" not in md
    assert "撤去したチラシ" not in md
    a2 = section_text(md, "A(2)")
    # Done on 3 December: still planned on 30 November, and counted as an open task.
    assert "- 今後の予定: 12月27日（金） 各課の自己点検の完了" in a2
    assert "- 達成したマイルストーン: 11月5日 WG始動会議" in a2
    assert TASKS_A2 in a2
    # Confirmed after the as-of date: only the proposal stands for 30 November.
    assert "- 評価: 提案 A 順調 / 確定 未確定" in a2
    assert "中間報告の準備が遅れている" not in md and "自己点検が終わった" not in md
    c2 = section_text(md, "C(2)")
    assert "- 今後の予定: 12月10日（火） 第3回研修" in c2
    assert "確定 未確定" in c2


def test_status_confirmed_by_the_as_of_date_is_shown(ward: Ctx) -> None:
    at(ward, 2024, 11, 30, 23, 59)  # the last minute of the as-of day, office time
    typed(ward, SATO, "theme status A(2) B reason:自己点検の遅れ")
    md = report_markdown(gather(ward, as_of=AS_OF))
    assert "- 評価: 提案 A 順調 / 確定 B 一定の進捗（自己点検の遅れ）" in section_text(md, "A(2)")


def test_past_report_chart_agrees_with_the_files(ward: Ctx) -> None:
    """The PNG draws the milestones the files list, also when all of them lie ahead."""
    from bot.render.chart import milestone_counts

    two_years_later(ward)
    report = gather(ward, as_of=AS_OF)
    md = report_markdown(report)
    for code, reached, overdue, planned in milestone_counts(report):
        part = section_text(md, code)
        assert part.count("- 達成したマイルストーン:") == reached, code
        assert part.count("- 期限を過ぎた未達成:") == overdue, code
        assert part.count("- 今後の予定:") == planned, code
    assert [row[0] for row in milestone_counts(report)] == ["A(2)", "C(2)"]
