"""The report in the plan's own form: its labels, its order, the year's end (issue 12)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date

from openpyxl import load_workbook

from bot.domain.plan_form import PlanForm
from bot.domain.report import (
    IndicatorInput,
    MilestoneInput,
    NoteInput,
    PlanInput,
    Report,
    build_report,
)
from bot.render.report_md import grouped, report_markdown
from bot.render.report_xlsx import report_csv, report_table_rows, report_xlsx
from tests.domain.test_report import AS_OF, PLAN, sample_report, theme

FORM = PlanForm(
    labels={
        "title": "①課題名",
        "content": "②課題の内容",
        "background": "③課題の背景",
        "approach": "④課題に対する取組み",
        "progress": "⑤取組みの進捗状況",
        "result": "⑤取組結果",
    },
    pillar_order=("働き方改革", "感動区役所"),
    area_order=("C", "A", "B"),
)
YEAR_END = date(2025, 3, 31)


def report_of(
    plan: PlanInput, *, as_of: date = AS_OF, group_by: str = "area", **items: object
) -> Report:
    lists = {"notes": (), "milestones": (), "indicators": (), **items}
    return build_report(plan, as_of=as_of, group_by=group_by, **lists)  # type: ignore[arg-type]


def headings(md: str) -> list[str]:
    return [line for line in md.splitlines() if line.startswith("## ")]


def sheet(report: Report) -> list[list[object]]:
    ws = load_workbook(io.BytesIO(report_xlsx(report)))["進捗状況"]
    return [list(row) for row in ws.iter_rows(values_only=True)]


def test_report_heads_its_sections_with_the_plans_labels() -> None:
    report = report_of(replace(PLAN, form=FORM))
    md = report_markdown(report)
    for label in ("**①課題名**", "**②課題の内容**", "**③課題の背景**", "**④課題に対する取組み**"):
        assert label in md
    assert "**⑤取組みの進捗状況（令和6年11月末時点）**" in md
    assert "② 内容" not in md and "⑤ 進捗状況・取組結果" not in md
    header = sheet(report)[0]
    assert header[2:7] == [
        "①課題名",
        "②課題の内容",
        "③課題の背景",
        "④課題に対する取組み",
        "⑤取組みの進捗状況",
    ]


def test_a_plans_label_keeps_its_spaces_in_the_sheet_as_in_the_documents() -> None:
    """The plan's own text is not changed on its way to a column heading."""
    spaced = PlanForm(labels={**FORM.labels, "content": "②　課題の 内容"})
    report = report_of(replace(PLAN, form=spaced))
    assert "**②　課題の 内容**" in report_markdown(report)
    assert sheet(report)[0][3] == "②　課題の 内容"
    rows = list(csv.reader(io.StringIO(report_csv(report).decode("utf-8-sig"))))
    assert "②　課題の 内容" in rows[0]


def test_without_a_form_the_report_reads_as_before() -> None:
    md = report_markdown(sample_report())
    assert report_markdown(report_of(replace(PLAN, form=PlanForm()), **_sample_items())) == md
    assert "**② 内容**" in md and "**⑤ 進捗状況・取組結果（令和6年11月末時点）**" in md
    assert headings(md)[1:] == ["## 分野A", "## 分野B", "## 分野C"]


def _sample_items() -> dict[str, object]:
    from tests.domain.test_report import INDICATORS, MILESTONES, NOTES

    return {"notes": NOTES, "milestones": MILESTONES, "indicators": INDICATORS}


def test_areas_come_in_the_plans_order() -> None:
    md = report_markdown(report_of(replace(PLAN, form=FORM)))
    assert headings(md)[1:] == ["## 分野C", "## 分野A", "## 分野B"]
    codes = [row[1] for row in sheet(report_of(replace(PLAN, form=FORM)))[1:]]
    assert codes == ["C(1)", "C(2)", "A(1)", "A(2)", "B(1)"]  # plan order inside each area


def test_pillars_come_in_the_plans_order_and_the_sheet_gets_a_pillar_column() -> None:
    report = report_of(replace(PLAN, form=FORM), group_by="pillar")
    assert headings(report_markdown(report))[1:] == ["## 働き方改革", "## 感動区役所", "## その他"]
    rows = sheet(report)
    assert rows[0][:3] == ["重点項目", "分野", "コード"]
    assert [(r[0], r[2]) for r in rows[1:]] == [
        ("働き方改革", "B(1)"),
        ("感動区役所", "A(1)"),
        ("感動区役所", "A(2)"),
        ("感動区役所", "C(2)"),
        (None, "C(1)"),
    ]


def test_pillars_the_plan_does_not_order_follow_in_plan_order() -> None:
    form = PlanForm(pillar_order=("働き方改革",))
    report = report_of(replace(PLAN, form=form), group_by="pillar")
    assert [g.key for g in report.groups] == ["働き方改革", "感動区役所", "その他"]
    assert sheet(report_of(PLAN))[0][0] == "分野"  # by area: no pillar column


def test_subgoal_is_shown_after_the_title_when_the_plan_gives_one() -> None:
    plan = replace(PLAN, themes=(theme("A(1)", "a", subgoal="証明書を来庁せずに"),))
    report = report_of(plan)
    md = report_markdown(report)
    assert (
        md.index("**① 課題名**")
        < md.index("**目標**\n\n証明書を来庁せずに")
        < md.index("**② 内容**")
    )
    rows = sheet(report)
    assert rows[0][3] == "目標" and rows[1][3] == "証明書を来庁せずに"


def test_year_end_report_heads_5_with_the_result_and_shows_the_final_grade() -> None:
    given = theme(
        "A(1)", "a", final_status="B", final_reason="3区で導入", final_on=date(2025, 3, 24)
    )
    later = theme("B(1)", "b", final_status="A", final_reason="後で", final_on=date(2025, 4, 3))
    plan = replace(PLAN, themes=(given, later), form=FORM)
    md = report_markdown(report_of(plan, as_of=YEAR_END))
    assert "**⑤取組結果（令和7年3月末時点）**" in md
    assert "- 最終評価: B 一定の進捗（3区で導入）" in md
    assert "後で" not in md  # given after 31 March: not what stood then
    assert "| コード | 課題名 | 提案評価 | 確定評価 | 最終評価 | 今月の記録 |" in md
    rows = sheet(report_of(plan, as_of=YEAR_END))
    assert rows[0][6] == "⑤取組結果"
    assert rows[1][6].endswith("最終評価: B 一定の進捗（3区で導入）")


def test_year_end_without_the_plans_label_says_torikumi_kekka() -> None:
    md = report_markdown(report_of(PLAN, as_of=YEAR_END))
    assert "**⑤ 取組結果（令和7年3月末時点）**" in md
    assert "最終評価" not in md  # no grade given: nothing to show


def test_final_grade_is_not_shown_before_the_years_end() -> None:
    plan = replace(PLAN, themes=(theme("A(1)", "a", final_status="A", final_on=date(2025, 2, 1)),))
    md = report_markdown(report_of(plan, as_of=date(2025, 2, 28)))
    assert "最終評価" not in md and "**⑤ 進捗状況・取組結果（令和7年2月末時点）**" in md


def test_task_counts_show_milestones_apart_from_tasks() -> None:
    plan = replace(PLAN, themes=(theme("A(1)", "a", open_tasks=5, overdue_tasks=2),))
    milestones = (
        MilestoneInput("A(1)", "中間報告", date(2024, 11, 20), None),  # past due
        MilestoneInput("A(1)", "最終報告", date(2025, 3, 21), None),
    )
    report = report_of(plan, milestones=milestones)
    line = "- 未完了タスク 3件（うち期限超過 1件）・未達成のマイルストーン 2件（うち期限超過 1件）"
    assert line in report_markdown(report)
    row = dict(zip(report_table_rows(report)[0], report_table_rows(report)[1], strict=True))
    assert (row["未完了タスク"], row["期限超過"], row["未達成マイルストーン"]) == (3, 1, 2)


def test_numbers_of_a_thousand_and_more_have_separators_in_every_file() -> None:
    plan = replace(PLAN, themes=(theme("A(1)", "a", open_tasks=1234, overdue_tasks=1000),))
    indicator = IndicatorInput(
        "A(1)", "交付件数", "件", 800.0, 12000.0, ((date(2024, 11, 29), 10500.5),)
    )
    report = report_of(plan, indicators=(indicator,))
    md = report_markdown(report)
    assert "- 未完了タスク 1,234件（うち期限超過 1,000件）" in md
    assert "- 交付件数: 10,500.5件（基準 800件 → 目標 12,000件） 11月29日時点" in md
    ws = load_workbook(io.BytesIO(report_xlsx(report)))["進捗状況"]
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=header.index("未完了タスク") + 1)
    assert cell.value == 1234 and cell.number_format == "#,##0"
    rows = list(csv.reader(io.StringIO(report_csv(report).decode("utf-8-sig"))))
    assert rows[1][rows[0].index("未完了タスク")] == "1,234"
    assert "交付件数: 10,500.5件（基準 800件 → 目標 12,000件）" in rows[1][rows[0].index("指標")]


def test_grouped_keeps_small_figures_as_they_were() -> None:
    assert [grouped(v) for v in (42.5, 40.0, 0.125, -3.0, None)] == [
        "42.5",
        "40",
        "0.125",
        "-3",
        "—",
    ]
    assert [grouped(v) for v in (1234.0, -1234.5, 2_500_000.25)] == [
        "1,234",
        "-1,234.5",
        "2,500,000.25",
    ]


def test_csv_says_its_ward_and_as_of_date_on_every_row() -> None:
    data = report_csv(sample_report())
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM for Excel on a Japanese PC
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["区", "時点", "分野"]
    assert {(r[0], r[1]) for r in rows[1:]} == {("若松区", "2024-11-30")}
    sjis = list(csv.reader(io.StringIO(report_csv(sample_report(), "cp932").decode("cp932"))))
    assert sjis[1][:2] == ["若松区", "2024-11-30"]


def test_xlsx_prints_on_a4_one_page_wide() -> None:
    ws = load_workbook(io.BytesIO(report_xlsx(sample_report())))["進捗状況"]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)  # 9
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True


def test_notes_stay_in_the_plans_labels_report_too() -> None:
    notes = (NoteInput("A(1)", AS_OF, "窓口で案内した", "U1"),)
    md = report_markdown(report_of(replace(PLAN, form=FORM), notes=notes))
    part = md[md.index("### A(1)") : md.index("### A(2)")]
    assert part.index("**⑤取組みの進捗状況") < part.index("- 11月30日 窓口で案内した")
