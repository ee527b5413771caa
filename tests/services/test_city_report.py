"""Reports per ward and the city's roll-up, with two wards whose theme codes overlap
(both databases, DESIGN §11).

若松区 is the sample plan; 西浜区 is a small FICTIONAL second ward written for this test,
with its own A(1), A(2) and B(1). Each person's ward comes from the operator's staff list.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.services.context import Ctx
from bot.services.plans import import_plan, read_plan_file
from bot.services.reports import add_city_planners, build_city_files, build_files, gather
from bot.services.rollover import rollover
from storage.models import Staff
from tests.conftest import JST
from tests.factories import load_sample_plan, wg
from tests.services.test_report_commands import cli  # noqa: F401  (the `wgbot` fixture)
from tests.services.test_report_service import PLAN_ORDER, at, typed

AS_OF = date(2024, 11, 30)
WAKAMATSU, NISHIHAMA = "若松区", "西浜区"
SATO, MORI, PLANNER, NOBODY = "U01SATO", "U21MORI", "U31KIKAKU", "U99NOWARD"
SECOND_PLAN = """\
# FICTIONAL ward for tests: no real ward's plan.
ward: 西浜区
fiscal_year: {year}
title: 西浜区役所 運営方針（架空）
mission: 架空の区の使命。
themes:
  - code: A(1)
    title: 西浜の窓口予約
    content: 予約の仕組みがない。
    background: 待ち時間が長い。
    approach: 予約を試す。
  - code: A(2)
    title: 西浜の案内表示
    content: 案内が古い。
    background: 苦情がある。
    approach: 掲示を直す。
  - code: B(1)
    title: 西浜の防災訓練
    content: 参加が少ない。
    background: 高齢化。
    approach: 自治会と開く。
"""
NISHIHAMA_ORDER = ["A(1)", "A(2)", "B(1)"]
JAPANESE = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def second_plan(ctx: Ctx, tmp_path: Path, *, year: int = 2024) -> None:
    path = tmp_path / f"nishihama-{year}.yaml"
    path.write_text(SECOND_PLAN.format(year=year), encoding="utf-8")
    import_plan(ctx, data=read_plan_file(path))


def staff(ctx: Ctx, user: str, ward: str) -> None:
    """One row of the operator's staff list."""
    with ctx.session() as s:
        s.add(
            Staff(
                user_id=user,
                name=user,
                ward=ward,
                section="総務企画課",
                imported_at=datetime(2024, 10, 1, tzinfo=JST),
                imported_by="test",
            )
        )


def two_wards(ctx: Ctx, tmp_path: Path) -> None:
    """1 November 2024: 若松区 and 西浜区 imported, 佐藤 of the one and 森 of the other."""
    at(ctx, 2024, 11, 1)
    load_sample_plan(ctx)
    second_plan(ctx, tmp_path)
    staff(ctx, SATO, WAKAMATSU)
    staff(ctx, MORI, NISHIHAMA)


@pytest.fixture
def city(ctx: Ctx, tmp_path: Path) -> Ctx:
    """Two wards in November 2024: a team and tasks in each, one note in 西浜区."""
    two_wards(ctx, tmp_path)
    staff(ctx, PLANNER, WAKAMATSU)
    typed(ctx, SATO, "team new 案内WG kind:WG theme:A(2) <#C01SIGN|sign>")
    typed(ctx, SATO, "task add 若松のラック点検 due:2024-11-20 team:案内WG")
    typed(ctx, MORI, "team new 西浜予約WG kind:WG theme:A(1) <#C21YOYAKU|yoyaku>")
    typed(ctx, MORI, "task add 予約の試行 due:2024-11-15 team:西浜予約WG")  # overdue on 30th
    typed(ctx, MORI, "task add 予約の振り返り due:2024-12-20 team:西浜予約WG")
    at(ctx, 2024, 11, 20)
    typed(ctx, MORI, "note A(1) 予約の試行を始めた")
    at(ctx, 2024, 11, 29, 9)
    return ctx


def md_of(files: dict[str, bytes]) -> str:
    (name,) = [n for n in files if n.endswith(".md")]
    return files[name].decode("utf-8")


def test_each_member_gets_their_own_wards_report_named_by_ward(city: Ctx) -> None:
    mine = wg(city, "report format:md", user=SATO)
    assert [f.filename for f in mine.files] == [f"progress-report-2024-11-30-{WAKAMATSU}.md"]
    assert mine.files[0].content.decode("utf-8").startswith(f"# {WAKAMATSU} ")
    theirs = wg(city, "report format:md", user=MORI)
    assert [f.filename for f in theirs.files] == [f"progress-report-2024-11-30-{NISHIHAMA}.md"]
    md = theirs.files[0].content.decode("utf-8")
    assert md.startswith(f"# {NISHIHAMA} ")
    assert "西浜の窓口予約" in md and "コンビニ交付" not in md
    assert theirs.text.startswith(
        f"{NISHIHAMA}の令和6年11月末時点の進捗状況報告を作りました（課題 3件"
    )


def test_ward_option_picks_another_ward_typed_without_ku_for_city_planning(city: Ctx) -> None:
    add_city_planners(city, users=[PLANNER], actor="operator")
    other = wg(city, "report ward:西浜 format:md", user=PLANNER)
    assert md_of({f.filename: f.content for f in other.files}).startswith(f"# {NISHIHAMA} ")


def test_another_wards_report_is_refused_to_staff_outside_city_planning(city: Ctx) -> None:
    """Its tasks and notes are that ward's: 若松区's 佐藤 is told what they may ask for."""
    refused = wg(city, "report ward:西浜 format:md", user=SATO)
    assert refused.files == []
    assert refused.text.startswith(f"{NISHIHAMA}の報告は、全市集計の担当")
    assert f"自分の区（{WAKAMATSU}）の報告は `/wg report` で作れます" in refused.text
    assert "予約の試行" not in refused.text
    # Someone with no ward is told to set theirs; the own ward by name is always given.
    no_ward = wg(city, f"report ward:{WAKAMATSU}", user=NOBODY)
    assert no_ward.files == [] and "/wg me ward:" in no_ward.text
    own = wg(city, "report ward:若松 format:md", user=SATO)
    assert md_of({f.filename: f.content for f in own.files}).startswith(f"# {WAKAMATSU} ")
    # The operator at the command line names any ward, as before.
    built = build_files(city, as_of=AS_OF, formats=("md",), ward=NISHIHAMA)
    assert md_of(built.files).startswith(f"# {NISHIHAMA} ")


def test_with_one_ward_naming_it_is_never_refused(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    answer = wg(ctx, f"report ward:{WAKAMATSU} format:md", user=NOBODY)
    assert [f.filename for f in answer.files] == ["progress-report-2024-11-30.md"]


def test_someone_without_a_ward_is_asked_which_and_gets_no_file(city: Ctx) -> None:
    answer = wg(city, "report", user=NOBODY)
    assert answer.files == []
    assert "ward:" in answer.text and WAKAMATSU in answer.text and NISHIHAMA in answer.text


def test_unknown_ward_is_refused_with_the_wards_there_are(city: Ctx) -> None:
    answer = wg(city, "report ward:東区", user=SATO)
    assert answer.files == [] and "東区" in answer.text and NISHIHAMA in answer.text


def test_cli_needs_ward_when_there_are_several(city: Ctx, cli, tmp_path: Path) -> None:  # noqa: F811
    code, out = cli("report", "--as-of", "2024-11-30", "--out", str(tmp_path / "a"))
    assert code == 2 and "--ward" in out and len(out.strip().splitlines()) == 1
    assert not (tmp_path / "a").exists()
    code, out = cli("report", "--ward", "西浜区", "--as-of", "2024-11-30", "--out", str(tmp_path))
    assert code == 0, out
    assert (tmp_path / f"progress-report-2024-11-30-{NISHIHAMA}.docx").exists()
    assert f"{NISHIHAMA} 令和6年11月末時点: 課題 3件" in out


def test_city_roll_up_is_refused_to_staff_outside_city_planning(city: Ctx) -> None:
    answer = wg(city, "report city", user=SATO)
    assert answer.files == [] and "wgbot city-planning add" in answer.text


def test_city_roll_up_lists_both_wards_in_ward_order_with_their_counts(city: Ctx) -> None:
    add_city_planners(city, users=[PLANNER], actor="operator")
    answer = wg(city, "report city", user=PLANNER)
    names = sorted(f.filename for f in answer.files)
    stem = "progress-report-2024-11-30-全市"
    assert names == [f"{stem}.docx", f"{stem}.png", f"{stem}.xlsx"]
    assert "2区" in answer.text and "課題 15件" in answer.text
    files = {f.filename: f.content for f in answer.files}
    wb = load_workbook(io.BytesIO(files[f"{stem}.xlsx"]))
    assert wb.sheetnames == ["全市集計", WAKAMATSU, NISHIHAMA]
    rows = [list(r) for r in wb["全市集計"].iter_rows(values_only=True)]
    head = rows[0]
    assert head == [
        "区",
        "コード",
        "①課題名",
        "提案評価",
        "確定評価",
        "指標の達成度",
        "未完了タスク",
        "期限超過",
        "今月の記録",
    ]
    assert [(r[0], r[1]) for r in rows[1:]] == [(WAKAMATSU, c) for c in PLAN_ORDER] + [
        (NISHIHAMA, c) for c in NISHIHAMA_ORDER
    ]
    by_key = {(r[0], r[1]): r for r in rows[1:]}
    assert by_key[(WAKAMATSU, "A(2)")][6:] == [1, 1, "×"]
    assert by_key[(NISHIHAMA, "A(1)")][6:] == [2, 1, "○"]
    assert by_key[(WAKAMATSU, "A(1)")][6:] == [0, 0, "×"]
    # Each ward's sheet is that ward's report sheet.
    ward_sheet = [list(r) for r in wb[NISHIHAMA].iter_rows(values_only=True)]
    assert [r[1] for r in ward_sheet[1:]] == NISHIHAMA_ORDER
    texts = [p.text for p in Document(io.BytesIO(files[f"{stem}.docx"])).paragraphs]
    first_w = texts.index(next(t for t in texts if t.startswith(f"{WAKAMATSU} ")))
    first_n = texts.index(next(t for t in texts if t.startswith(f"{NISHIHAMA} ")))
    assert texts[0] == "全市 進捗状況（令和6年11月末時点）" and first_w < first_n


def test_operator_builds_the_roll_up_at_the_command_line(city: Ctx, cli, tmp_path: Path) -> None:  # noqa: F811
    code, out = cli("report", "--city", "--as-of", "2024-11-30", "--out", str(tmp_path))
    assert code == 0, out
    assert "全市 2区（若松区、西浜区）" in out
    assert (tmp_path / "progress-report-2024-11-30-全市.xlsx").exists()
    code, out = cli("report", "--city", "--ward", "若松区", "--out", str(tmp_path))
    assert code == 2 and "--ward" in out


def test_city_roll_up_in_a_format_it_lacks_names_the_ones_it_has(
    city: Ctx,
    cli,  # noqa: F811
    tmp_path: Path,
) -> None:
    out_dir = tmp_path / "out"
    code, out = cli("report", "--city", "--format", "md", "--out", str(out_dir))
    assert code == 2 and len(out.strip().splitlines()) == 1, out
    assert "「md」" in out and "xlsx, docx, png" in out and "md," not in out
    assert not out_dir.exists()


def test_city_files_are_the_same_bytes_when_rebuilt_later(city: Ctx, tmp_path: Path) -> None:
    first = build_city_files(city, as_of=AS_OF).files
    again = build_city_files(city, as_of=AS_OF).files
    assert first == again
    ward_first = build_files(city, as_of=AS_OF, formats=("docx", "xlsx"), ward="若松区").files
    at(city, 2024, 12, 3)
    typed(city, MORI, "note A(1) 12月の振り返り")
    typed(city, MORI, "task done #2")
    typed(city, SATO, "note A(2) 12月のラック点検")
    at(city, 2025, 4, 2)
    second_plan(city, tmp_path, year=2025)  # next year's plan
    later = build_city_files(city, as_of=AS_OF).files
    assert later == first
    assert build_files(city, as_of=AS_OF, formats=("docx", "xlsx"), ward="若松区").files == (
        ward_first
    )


def test_city_planning_cli_adds_lists_and_removes(city: Ctx, cli) -> None:  # noqa: F811
    assert wg(city, "report city", user=MORI).files == []
    code, out = cli("city-planning", "add", MORI)
    assert code == 0 and MORI in out
    assert len(wg(city, "report city", user=MORI).files) == 3
    code, out = cli("city-planning", "list")
    assert code == 0 and "1人" in out and MORI in out
    code, out = cli("city-planning", "remove", MORI)
    assert code == 0
    assert wg(city, "report city", user=MORI).files == []
    code, out = cli("city-planning", "remove", MORI)
    assert code == 1
    code, out = cli("city-planning", "add", "not-an-id")
    assert code == 2 and "not-an-id" in out


def test_single_ward_report_keeps_its_file_names(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    answer = wg(ctx, "report format:md,docx", user=NOBODY)
    assert sorted(f.filename for f in answer.files) == [
        "progress-report-2024-11-30.docx",
        "progress-report-2024-11-30.md",
    ]


def test_the_plans_own_labels_and_the_final_grade_reach_the_report(
    ctx: Ctx, tmp_path: Path
) -> None:
    path = tmp_path / "labelled.yaml"
    labelled = SECOND_PLAN.format(year=2024).replace(
        "themes:\n", "labels:\n  content: ②課題の内容\nthemes:\n", 1
    )
    path.write_text(labelled, encoding="utf-8")
    import_plan(ctx, data=read_plan_file(path))
    typed(ctx, MORI, "team new 西浜予約WG kind:WG theme:A(1)")
    at(ctx, 2025, 3, 10)
    typed(ctx, MORI, "theme status A(1) final:B 予約が定着した")
    files = build_files(ctx, as_of=date(2025, 3, 31), formats=("md", "docx")).files
    md = md_of(files)
    assert "②課題の内容" in md and "② 内容" not in md
    assert "最終評価: B 一定の進捗（予約が定着した）" in md
    docx = [
        p.text for p in Document(io.BytesIO(files["progress-report-2025-03-31.docx"])).paragraphs
    ]
    assert "②課題の内容" in docx and "② 内容" not in docx
    assert "最終評価: B 一定の進捗（予約が定着した）" in docx


def test_answers_in_english_hold_no_japanese_but_the_ward_names(city: Ctx) -> None:
    english = replace(city, lang="en")
    add_city_planners(english, users=[PLANNER], actor="operator")
    answers = [
        wg(english, "report city", user=SATO).text,  # refused
        wg(english, "report ward:西浜区", user=SATO).text,  # refused: another ward
        wg(english, "report ward:西浜区", user=NOBODY).text,  # refused: no ward
        wg(english, "report", user=NOBODY).text,  # which ward?
        wg(english, "report format:md", user=MORI).text,
        wg(english, "report city", user=PLANNER).text,
        wg(english, "report city as-of:someday", user=PLANNER).text,
        wg(english, "help", user=SATO).text,
    ]
    for answer in answers:
        # Ward names are data; the list of them is joined as the ward API joins it.
        plain = answer.replace(f"{WAKAMATSU}、{NISHIHAMA}", "")
        plain = plain.replace(WAKAMATSU, "").replace(NISHIHAMA, "").replace("全市", "")
        assert not JAPANESE.search(plain), answer
    assert answers[5].startswith("Built the city roll-up")


def test_a_completion_day_given_later_counts_in_that_months_report(ctx: Ctx) -> None:
    """`task done #n on:11/20` typed on 2 December: November's report has it done then."""
    at(ctx, 2024, 11, 1)
    load_sample_plan(ctx)
    typed(ctx, SATO, "team new 案内WG kind:WG theme:A(2)")
    typed(ctx, SATO, "task add 配置図の完成 due:11/20 team:案内WG milestone")
    typed(ctx, SATO, "task add ラック点検 due:11/22 team:案内WG")
    typed(ctx, SATO, "task add 掲示の更新 due:11/25 team:案内WG")
    at(ctx, 2024, 12, 2)
    typed(ctx, SATO, "task done #1 on:11/20")
    typed(ctx, SATO, "task done #2 on:11/22")
    typed(ctx, SATO, "task done #3")  # ticked off in December, no day given
    a2 = next(s for s in gather(ctx, as_of=AS_OF).sections() if s.code == "A(2)")
    assert [(m.title, m.done_on) for m in a2.reached] == [("配置図の完成", date(2024, 11, 20))]
    assert (a2.open_tasks, a2.overdue_tasks) == (1, 1)  # 掲示の更新 was still open


def test_reports_before_a_rollover_keep_moved_work_where_it_was(city: Ctx, tmp_path: Path) -> None:
    """Open tasks, a milestone and a team moved to FY2025 still count on FY2024's themes
    in FY2024's reports (same bytes), and on the new themes from the move on."""
    typed(city, MORI, "task add 予約開始 due:2025-01-31 team:西浜予約WG milestone")  # 4
    formats = ("md", "docx", "xlsx", "csv")
    ward_before = build_files(city, as_of=AS_OF, formats=formats, ward=NISHIHAMA).files
    city_before = build_city_files(city, as_of=AS_OF).files
    at(city, 2025, 4, 1)
    second_plan(city, tmp_path, year=2025)
    moved = rollover(city, from_year=2024, to_year=2025, ward=NISHIHAMA, apply=True)
    assert {m.id for m in moved.moves if m.kind == "task"} >= {2, 3, 4}
    assert build_files(city, as_of=AS_OF, formats=formats, ward=NISHIHAMA).files == ward_before
    assert build_city_files(city, as_of=AS_OF).files == city_before
    april = gather(city, as_of=date(2025, 4, 30), ward=NISHIHAMA)
    a1 = next(s for s in april.sections() if s.code == "A(1)")
    assert (a1.open_tasks, a1.team_name) == (2, "西浜予約WG")
    assert [m.title for m in a1.overdue + a1.upcoming] == ["予約開始"]
