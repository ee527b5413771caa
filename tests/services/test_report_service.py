"""The month-end report built from what staff typed into the database (both databases)."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.clock import FixedClock
from bot.render.report_md import report_markdown
from bot.services.context import Ctx
from bot.services.reports import build_files, gather
from tests.conftest import JST
from tests.factories import load_sample_plan, wg

AS_OF = date(2024, 11, 30)
PLAN_ORDER = [
    "A(1)",
    "A(2)",
    "A(3)",
    "A(4)",
    "A(5)",
    "A(6)",
    "B(1)",
    "B(2)",
    "B(3)",
    "B(4)",
    "C(1)",
    "C(2)",
]
SATO, SUZUKI, KOBAYASHI = "U01SATO", "U02SUZUKI", "U08KOBAYASHI"
# A(2) on 30 November: task #5 overdue, milestone #6 ahead (milestones counted apart).
TASKS_A2 = "- 未完了タスク 1件（うち期限超過 1件）・未達成のマイルストーン 1件（うち期限超過 0件）"


def at(ctx: Ctx, y: int, m: int, d: int, hour: int = 10, minute: int = 0) -> None:
    """Move the office clock (every record takes its time from it)."""
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(datetime(y, m, d, hour, minute, tzinfo=JST))


def typed(ctx: Ctx, user: str, text: str) -> str:
    """One `/wg` line that must succeed; returns the bot's answer."""
    answer = wg(ctx, text, user=user).text
    assert "見つかりません" not in answer and "できません" not in answer, answer
    assert "使い方" not in answer and "問題が起きました" not in answer, answer
    return answer


def november(ctx: Ctx) -> None:
    """The sample ward's autumn, as the `/wg` lines its staff would type."""
    at(ctx, 2024, 10, 28)
    load_sample_plan(ctx)
    center = "市民センター支援WG"
    typed(ctx, KOBAYASHI, f"team new {center} kind:WG theme:C(2) <#C04CENTER|center>")
    typed(ctx, KOBAYASHI, f"task add 第1回研修 due:2024-10-29 team:{center} milestone")  # 1
    typed(ctx, KOBAYASHI, f"task add 第2回研修 due:2024-11-19 team:{center} milestone")  # 2
    typed(ctx, KOBAYASHI, f"task add 第3回研修 due:2024-12-10 team:{center} milestone")  # 3
    at(ctx, 2024, 10, 29, 17)
    typed(ctx, KOBAYASHI, "task done #1")
    at(ctx, 2024, 11, 1)
    signage = "案内表示・情報紙WG"
    typed(ctx, SATO, f"team new {signage} kind:WG theme:A(2) <#C01SIGNAGE|wg-signage>")
    typed(ctx, SATO, f"team add {signage} <@{SUZUKI}>")
    typed(ctx, SATO, "note A(1) コンビニ交付の割合が4割を超えた as-of:2024-10-31")
    at(ctx, 2024, 11, 5)
    typed(ctx, SATO, f"task add WG始動会議 due:2024-11-05 team:{signage} milestone")  # 4
    typed(ctx, SATO, "task done #4")
    typed(ctx, SATO, f"task add 市民課の自己点検 due:11/22 <@{SUZUKI}> team:{signage}")  # 5
    typed(ctx, SATO, f"task add 各課の自己点検の完了 due:年内 team:{signage} milestone")  # 6
    at(ctx, 2024, 11, 15)
    typed(ctx, SUZUKI, "note A(2) 市民課のラックを確認し、古いチラシ42種類を撤去した")
    at(ctx, 2024, 11, 19, 17)
    typed(ctx, KOBAYASHI, "task done #2")
    typed(ctx, KOBAYASHI, "note C(2) 第2回研修に自治会長18名が参加した")
    at(ctx, 2024, 11, 28)
    typed(ctx, SATO, "note A(2) ラックの配置図ができ、情報紙コーナーの候補を2か所に絞った")
    at(ctx, 2024, 11, 29, 9)
    typed(ctx, SATO, "kpi add A(1) コンビニ交付率 unit:% baseline:30 target:45")
    typed(ctx, SATO, "kpi set #1 ４２．５%")
    at(ctx, 2024, 12, 2)
    typed(ctx, KOBAYASHI, "note C(2) 12月の打合せで第3回の進め方を決めた")


@pytest.fixture
def ward(ctx: Ctx) -> Ctx:
    """The database after November, the clock back at 2024-11-29 09:00."""
    november(ctx)
    at(ctx, 2024, 11, 29, 9)
    return ctx


def section_text(md: str, code: str) -> str:
    """One theme's part of the Markdown report."""
    start = md.index(f"### {code} ")
    nxt = [md.find(f"### {c} ", start + 1) for c in PLAN_ORDER]
    ends = [i for i in nxt if i > start]
    return md[start : min(ends)] if ends else md[start:]


def docx_texts(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def xlsx_cells(data: bytes) -> dict[str, list[list[object]]]:
    wb = load_workbook(io.BytesIO(data))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_report_lists_every_theme_of_the_plan_in_order_grouped_a_b_c(ward: Ctx) -> None:
    report = gather(ward, as_of=AS_OF)
    assert [g.key for g in report.groups] == ["A", "B", "C"]
    assert [s.code for s in report.sections()] == PLAN_ORDER
    md = report_markdown(report)
    heads = [md.index(f"## 分野{k}") for k in "ABC"]
    themes = [md.index(f"### {c} ") for c in PLAN_ORDER]
    assert heads == sorted(heads) and themes == sorted(themes)
    assert heads[0] < themes[0] < themes[5] < heads[1] < themes[6] < themes[9] < heads[2]


def test_report_defaults_to_the_end_of_this_month_and_says_so_in_reiwa(ward: Ctx) -> None:
    built = build_files(ward, as_of=None, formats=("md", "docx"))
    assert built.report.as_of == AS_OF
    assert built.report.as_of_label == "令和6年11月末時点"
    md = built.files["progress-report-2024-11-30.md"].decode("utf-8")
    assert md.startswith("# 若松区 令和6年度 方針 進捗状況（令和6年11月末時点）\n")
    assert "**⑤ 進捗状況・取組結果（令和6年11月末時点）**" in md
    texts = docx_texts(built.files["progress-report-2024-11-30.docx"])
    assert texts[0] == "若松区 令和6年度 方針 進捗状況（令和6年11月末時点）"


def test_report_holds_only_notes_dated_up_to_the_as_of_date(ward: Ctx) -> None:
    md = report_markdown(gather(ward, as_of=AS_OF))
    c2 = section_text(md, "C(2)")
    assert "- 11月19日 第2回研修に自治会長18名が参加した" in c2
    assert "12月の打合せ" not in md
    a2 = section_text(md, "A(2)")
    first = a2.index("- 11月15日 市民課のラックを確認し、古いチラシ42種類を撤去した")
    assert first < a2.index("- 11月28日 ラックの配置図ができ、情報紙コーナーの候補を2か所に絞った")


def test_december_note_appears_in_the_december_report(ward: Ctx) -> None:
    md = report_markdown(gather(ward, as_of=date(2024, 12, 31)))
    assert "- 12月2日 12月の打合せで第3回の進め方を決めた" in section_text(md, "C(2)")


def test_report_shows_reached_and_upcoming_milestones_with_their_dates(ward: Ctx) -> None:
    report = gather(ward, as_of=AS_OF)
    c2 = next(s for s in report.sections() if s.code == "C(2)")
    assert [(m.title, m.done_on) for m in c2.reached] == [
        ("第1回研修", date(2024, 10, 29)),
        ("第2回研修", date(2024, 11, 19)),
    ]
    assert [(m.title, m.due) for m in c2.upcoming] == [("第3回研修", date(2024, 12, 10))]
    md = section_text(report_markdown(report), "C(2)")
    assert "- 達成したマイルストーン: 10月29日 第1回研修" in md
    assert "- 達成したマイルストーン: 11月19日 第2回研修" in md
    assert "- 今後の予定: 12月10日（火） 第3回研修" in md


def test_milestone_reached_in_december_is_still_upcoming_at_november_end(ward: Ctx) -> None:
    at(ward, 2024, 12, 10, 16)
    typed(ward, KOBAYASHI, "task done #3")
    november_md = section_text(report_markdown(gather(ward, as_of=AS_OF)), "C(2)")
    assert "- 今後の予定: 12月10日（火） 第3回研修" in november_md
    december_md = section_text(report_markdown(gather(ward, as_of=date(2024, 12, 31))), "C(2)")
    assert "- 達成したマイルストーン: 12月10日 第3回研修" in december_md


def test_themes_without_a_november_note_are_flagged(ward: Ctx) -> None:
    report = gather(ward, as_of=AS_OF)
    noted = {"A(2)", "C(2)"}
    assert report.themes_without_note == [c for c in PLAN_ORDER if c not in noted]
    md = report_markdown(report)
    assert "（今月の進捗記録なし）" in section_text(md, "A(1)")  # its note is from October
    assert "（今月の進捗記録なし）" not in section_text(md, "A(2)")
    assert "（今月の進捗記録なし）" not in section_text(md, "C(2)")


def test_task_counts_and_indicator_come_from_what_was_recorded(ward: Ctx) -> None:
    md = report_markdown(gather(ward, as_of=AS_OF))
    assert TASKS_A2 in section_text(md, "A(2)")
    assert "- コンビニ交付率: 42.5%（基準 30% → 目標 45%） 11月29日時点" in section_text(md, "A(1)")


def test_same_data_gives_the_same_docx_text_and_xlsx_cells(ward: Ctx) -> None:
    first = build_files(ward, as_of=AS_OF, formats=("docx", "xlsx"))
    second = build_files(ward, as_of=AS_OF, formats=("docx", "xlsx"))
    name = "progress-report-2024-11-30"
    assert docx_texts(first.files[f"{name}.docx"]) == docx_texts(second.files[f"{name}.docx"])
    assert xlsx_cells(first.files[f"{name}.xlsx"]) == xlsx_cells(second.files[f"{name}.xlsx"])
    texts = docx_texts(first.files[f"{name}.docx"])
    assert [t for t in texts if t.startswith(("A(", "B(", "C("))][:12] == [
        f"{s.code} {s.title}" for s in first.report.sections()
    ]
    cells = xlsx_cells(first.files[f"{name}.xlsx"])["進捗状況"]
    assert [row[1] for row in cells[1:]] == PLAN_ORDER


def test_report_command_sends_the_same_docx_as_the_service(ward: Ctx) -> None:
    reply = wg(ward, "report", user=SATO)
    assert "令和6年11月末時点の進捗状況報告を作りました" in reply.text
    assert "課題 12件" in reply.text and "今月の記録がない課題 10件" in reply.text
    files = {f.filename: f.content for f in reply.files}
    assert sorted(files) == [
        "progress-report-2024-11-30.docx",
        "progress-report-2024-11-30.md",
        "progress-report-2024-11-30.png",
        "progress-report-2024-11-30.xlsx",
    ]
    built = build_files(ward, as_of=AS_OF, formats=("docx", "xlsx"))
    name = "progress-report-2024-11-30"
    assert docx_texts(files[f"{name}.docx"]) == docx_texts(built.files[f"{name}.docx"])
    assert xlsx_cells(files[f"{name}.xlsx"]) == xlsx_cells(built.files[f"{name}.xlsx"])


def test_november_report_built_in_december_counts_tasks_as_they_were_on_november_30(
    ward: Ctx,
) -> None:
    at(ward, 2024, 11, 30, 18)
    before = section_text(report_markdown(gather(ward, as_of=AS_OF)), "A(2)")
    assert TASKS_A2 in before
    at(ward, 2024, 12, 2, 10)
    typed(ward, SUZUKI, "task done #5")  # overdue on 11/30, finished on 12/2
    at(ward, 2024, 12, 3, 9)
    after = section_text(report_markdown(gather(ward, as_of=AS_OF)), "A(2)")
    assert after == before


def test_xlsx_says_which_month_end_it_is_as_of(ward: Ctx) -> None:
    built = build_files(ward, as_of=AS_OF, formats=("xlsx",))
    wb = load_workbook(io.BytesIO(built.files["progress-report-2024-11-30.xlsx"]))
    ws = wb["進捗状況"]
    found = [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    found += [ws.title, wb.properties.title or "", wb.properties.subject or ""]
    found += [ws.oddHeader.center.text or "", ws.oddHeader.left.text or ""]
    assert any("令和6年11月末時点" in text for text in found)
