"""The fiscal year's turn: open work moves to the new plan's themes, only when confirmed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import SQLModel, col, select

from bot.clock import FixedClock
from bot.errors import InvalidInput, NotFound
from bot.services.context import Ctx
from bot.services.plans import PlanData, import_plan
from bot.services.reports import gather, render_files
from bot.services.rollover import RolloverResult, rollover
from storage.models import Plan, ProgressNote, Reminder, Task, Team, Theme
from tests.conftest import JST
from tests.factories import load_sample_plan, signage_team, wg

WARD = "若松区"
OTHER = "八幡東区"
APRIL = datetime(2025, 4, 1, 10, 0, tzinfo=JST)


def plan(ctx: Ctx, ward: str, year: int, codes: list[str]) -> None:
    """Import a plan of `ward` for `year` with these theme codes."""
    themes = [{"code": c, "title": f"{ward} {year} {c}"} for c in codes]
    data = PlanData(ward=ward, fiscal_year=year, title="運営方針", themes=themes)
    import_plan(ctx, data=data)


def other_ward_plans(ctx: Ctx) -> None:
    """八幡東区's plans, imported in November: FY2024 with A(1) and A(2), FY2025 with A(1)."""
    at(ctx, datetime(2024, 11, 29, 9, 0, tzinfo=JST))
    plan(ctx, OTHER, 2024, ["A(1)", "A(2)"])
    plan(ctx, OTHER, 2025, ["A(1)"])


def at(ctx: Ctx, when: datetime) -> None:
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(when)


def fy2024_work(ctx: Ctx) -> None:
    """The sample FY2024 plan and the signage WG on A(2) with tasks #1 (open), #2 (done)
    and #3 (open, on C(2))."""
    load_sample_plan(ctx)
    signage_team(ctx)
    wg(ctx, "task add 各課の自己点検 due:2025-02-14 <@U2>")  # 1
    wg(ctx, "task add WG始動会議 due:11/29")  # 2
    wg(ctx, "task done #2")
    wg(ctx, "task add 研修の案内 due:2025-03-14 theme:C(2)")  # 3


@pytest.fixture
def autumn(ctx: Ctx) -> Ctx:
    """FY2024: the signage WG on A(2) with tasks #1 (open), #2 (done), #3 (open, on C(2)),
    #4 (open milestone on A(2), due in April); then the FY2025 plan lacks C(2)."""
    fy2024_work(ctx)
    wg(ctx, "task add 情報紙コーナー開設 due:2025-04-15 milestone <@U2>")  # 4
    plan(ctx, WARD, 2025, ["A(1)", "A(2)", "A(3)", "B(1)", "C(1)"])
    at(ctx, APRIL)
    return ctx


def snapshot(ctx: Ctx) -> dict[str, list[Any]]:
    """Every row of the tables a rollover may touch, as plain values."""
    tables: list[type[SQLModel]] = [Plan, Theme, Team, Task, Reminder]
    with ctx.session() as s:
        return {
            m.__name__: [r.model_dump() for r in s.exec(select(m).order_by(col(m.id)))]  # type: ignore[attr-defined]
            for m in tables
        }


def theme_of(ctx: Ctx, task_id: int) -> tuple[int, str]:
    """(fiscal year, code) of the task's theme."""
    with ctx.session() as s:
        task = s.get(Task, task_id)
        assert task is not None and task.theme_id is not None
        theme = s.get(Theme, task.theme_id)
        assert theme is not None
        p = s.get(Plan, theme.plan_id)
        assert p is not None
        return p.fiscal_year, theme.code


def moved(result: RolloverResult, kind: str) -> dict[int, str | None]:
    return {m.id: m.to for m in result.placed(kind)}


def test_without_apply_it_lists_the_moves_and_changes_nothing(autumn: Ctx) -> None:
    before = snapshot(autumn)
    result = rollover(autumn, from_year=2024, to_year=2025)
    assert not result.applied
    assert moved(result, "task") == {1: "A(2)", 4: "A(2)"}
    assert moved(result, "team") == {1: "A(2)"}
    assert [(m.id, m.from_code, m.why) for m in result.unplaced("task")] == [(3, "C(2)", "no_code")]
    assert snapshot(autumn) == before


def test_apply_moves_open_tasks_and_the_team_and_leaves_done_ones(autumn: Ctx) -> None:
    result = rollover(autumn, from_year=2024, to_year=2025, apply=True, by="cli:alice")
    assert result.applied and result.replanned == 2
    assert theme_of(autumn, 1) == (2025, "A(2)")
    assert theme_of(autumn, 4) == (2025, "A(2)")
    assert theme_of(autumn, 2) == (2024, "A(2)")  # done: stays on last year's theme
    assert theme_of(autumn, 3) == (2024, "C(2)")  # nowhere to go: listed, left
    with autumn.session() as s:
        team = s.exec(select(Team)).one()
        theme = s.get(Theme, team.theme_id)
        assert theme is not None and theme.title == f"{WARD} 2025 A(2)"
    # New tasks of the team now land on this year's theme.
    wg(autumn, "task add 来年度の配置図 due:2025-05-30")
    assert theme_of(autumn, 5) == (2025, "A(2)")


def test_apply_twice_moves_nothing_the_second_time(autumn: Ctx) -> None:
    rollover(autumn, from_year=2024, to_year=2025, apply=True)
    again = rollover(autumn, from_year=2024, to_year=2025, apply=True)
    assert again.placed("task") == [] and again.placed("team") == []
    assert [m.id for m in again.unplaced("task")] == [3]


def test_moved_milestone_keeps_its_reminders(autumn: Ctx) -> None:
    def pending() -> set[str]:
        with autumn.session() as s:
            stmt = select(Reminder).where(Reminder.task_id == 4, Reminder.status == "pending")
            return {r.dedupe_key for r in s.exec(stmt)}

    before = pending()
    assert before  # five business days before 04-15, and on the day
    rollover(autumn, from_year=2024, to_year=2025, apply=True)
    assert pending() == before


def test_map_file_places_a_code_the_new_plan_renamed(autumn: Ctx, tmp_path: Path) -> None:
    path = tmp_path / "map.csv"
    path.write_text("from_code,to_code\nC(2),C1\n", encoding="utf-8")
    result = rollover(autumn, from_year=2024, to_year=2025, map_file=path, apply=True)
    assert [(m.id, m.to, m.by_map) for m in result.placed("task") if m.id == 3] == [
        (3, "C(1)", True)
    ]
    assert theme_of(autumn, 3) == (2025, "C(1)")


def map_file(tmp_path: Path, *rows: str) -> Path:
    """A mapping CSV with its header and these rows (row 2 on)."""
    path = tmp_path / "map.csv"
    path.write_text("\n".join(["from_code,to_code", *rows]) + "\n", encoding="utf-8")
    return path


def refused_rows(ctx: Ctx, path: Path, **kwargs: Any) -> str:
    """The map problems of a rollover refused (with and without --apply), nothing changed."""
    before = snapshot(ctx)
    texts = []
    for apply in (False, True):
        with pytest.raises(InvalidInput) as info:
            rollover(ctx, from_year=2024, to_year=2025, map_file=path, apply=apply, **kwargs)
        assert info.value.key == "rollover.map_bad"
        texts.append(str(info.value.params["problems"]))
    assert snapshot(ctx) == before
    assert texts[0] == texts[1]
    return texts[0]


def test_map_to_a_code_the_new_plan_lacks_is_a_bad_row(autumn: Ctx, tmp_path: Path) -> None:
    path = map_file(tmp_path, "C(2),C(1)", "A(2),A(9)")
    problems = refused_rows(autumn, path)
    assert problems == "3行目 to_code: 2025年度の若松区の計画に A(9) がありません"
    assert theme_of(autumn, 3) == (2024, "C(2)")


def test_map_rows_the_plans_or_the_ward_do_not_fit_are_all_named_by_row(
    autumn: Ctx, tmp_path: Path
) -> None:
    """A code last year's plan lacks, a ward not turning, a code next year's plan lacks."""
    other_ward_plans(autumn)
    at(autumn, APRIL)
    path = map_file(tmp_path, "C(2),C(1)", "Z(9),A(1)", f"{OTHER}/A(2),B(1)", "A(5),C(7)")
    problems = refused_rows(autumn, path, ward=WARD)
    assert problems.split("／") == [
        "3行目 from_code: 2024年度の若松区の計画に Z(9) がありません",
        f"4行目 from_code: {OTHER} は今回移す区（{WARD}）ではありません",
        "5行目 to_code: 2025年度の若松区の計画に C(7) がありません",
    ]


def test_a_map_row_for_every_ward_must_fit_each_wards_new_plan(autumn: Ctx, tmp_path: Path) -> None:
    other_ward_plans(autumn)
    at(autumn, APRIL)
    # A(2) is in both wards' FY2024 plans; A(3) only in 若松区's FY2025 plan.
    problems = refused_rows(autumn, map_file(tmp_path, "A(2),A(3)"))
    assert problems == f"2行目 to_code: 2025年度の{OTHER}の計画に A(3) がありません"
    # With 八幡東区's own row for A(2), the general row is 若松区's alone.
    path = map_file(tmp_path, "A(2),A(3)", f"{OTHER}/A(2),A(1)")
    result = rollover(autumn, from_year=2024, to_year=2025, map_file=path)
    assert moved(result, "task")[1] == "A(3)"


def test_map_rows_in_english(autumn: Ctx, tmp_path: Path) -> None:
    path = map_file(tmp_path, "Z(9),A(1)", "A(2),A(9)")
    with pytest.raises(InvalidInput) as info:
        rollover(replace(autumn, lang="en"), from_year=2024, to_year=2025, map_file=path)
    assert str(info.value.params["problems"]) == (
        "row 2 from_code: the FY2024 plan of 若松区 has no Z(9); "
        "row 3 to_code: the FY2025 plan of 若松区 has no A(9)"
    )


def test_bad_map_rows_are_named_by_row_and_nothing_moves(autumn: Ctx, tmp_path: Path) -> None:
    path = tmp_path / "map.csv"
    rows = [
        "from_code,to_code",
        "A(2),A(2)",
        "XYZ,A(1)",
        "A2,A(3)",
        "C(2),戸畑区/C(1)",
        "A(3),",
        "",
    ]
    path.write_bytes("\n".join(rows).encode("cp932"))
    before = snapshot(autumn)
    with pytest.raises(InvalidInput) as info:
        rollover(autumn, from_year=2024, to_year=2025, map_file=path, apply=True)
    problems = str(info.value.params["problems"])
    assert "3行目 from_code: 課題コード「XYZ」が読めません" in problems
    assert "4行目 from_code: A(2) は2行目にもあります" in problems
    assert "5行目 to_code: 区「戸畑区」は登録されていません" in problems
    assert "6行目 to_code: 課題コード「」が読めません" in problems
    assert snapshot(autumn) == before


def test_map_without_its_columns_is_refused(autumn: Ctx, tmp_path: Path) -> None:
    path = tmp_path / "map.csv"
    path.write_text("old,new\nA(2),A(2)\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        rollover(autumn, from_year=2024, to_year=2025, map_file=path)
    assert info.value.key == "rollover.map_header"


def test_unknown_years_and_wards_are_refused(autumn: Ctx) -> None:
    with pytest.raises(NotFound) as info:
        rollover(autumn, from_year=2023, to_year=2025)
    assert info.value.params["year"] == 2023
    with pytest.raises(NotFound) as info:
        rollover(autumn, from_year=2024, to_year=2026)
    assert info.value.params["year"] == 2026
    with pytest.raises(InvalidInput):
        rollover(autumn, from_year=2025, to_year=2024)
    with pytest.raises(InvalidInput) as info:
        rollover(autumn, from_year=2024, to_year=2025, ward="戸畑区")
    assert info.value.key == "error.unknown_ward"


def test_every_ward_turns_and_a_map_may_send_work_to_another_ward(
    autumn: Ctx, tmp_path: Path
) -> None:
    other_ward_plans(autumn)
    wg(autumn, f"team new 東WG kind:WG theme:{OTHER}/A(2) <#C0EAST|east>", user="U7")
    wg(autumn, "task add 東の点検 due:2025-02-14 team:東WG", user="U7")  # 5
    at(autumn, APRIL)
    path = tmp_path / "map.csv"
    path.write_text(f"from_code,to_code\nC(2),{OTHER}/A(1)\n{OTHER}/A(2),A(1)\n", "utf-8")
    result = rollover(autumn, from_year=2024, to_year=2025, map_file=path, apply=True)
    assert result.wards == [WARD, OTHER]
    assert moved(result, "task") == {1: "A(2)", 3: f"{OTHER}/A(1)", 4: "A(2)", 5: "A(1)"}
    assert theme_of(autumn, 3) == (2025, "A(1)")
    only = rollover(autumn, from_year=2024, to_year=2025, ward="八幡東")
    assert only.wards == [OTHER]


def test_a_ward_without_next_years_plan_stops_the_whole_turn(autumn: Ctx) -> None:
    at(autumn, datetime(2024, 11, 29, 9, 0, tzinfo=JST))
    plan(autumn, OTHER, 2024, ["A(1)"])
    at(autumn, APRIL)
    before = snapshot(autumn)
    with pytest.raises(NotFound) as info:
        rollover(autumn, from_year=2024, to_year=2025, apply=True)
    assert OTHER in str(info.value.params["ward"])
    assert snapshot(autumn) == before


def report_files(ctx: Ctx) -> dict[str, bytes]:
    """The 2024-11-30 report of the FY2024 plan as md, docx and xlsx."""
    report = gather(ctx, as_of=date(2024, 11, 30))
    return render_files(report, formats=("md", "docx", "xlsx"))


def test_next_years_plan_leaves_last_years_plan_and_report_as_they_were(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    signage_team(ctx)
    wg(ctx, "task add 各課の自己点検 due:2024-11-22 <@U2>")
    wg(ctx, "task add 情報紙コーナー開設 due:2025-01-31 milestone")
    wg(ctx, "task add WG始動会議 due:11/29 milestone")
    wg(ctx, "task done #3")
    wg(ctx, "note A(2) ラックの配置図ができた as-of:2024-11-28", user="U2")
    wg(ctx, "kpi add A(2) 撤去したチラシ unit:種類 baseline:0 target:100")
    wg(ctx, "kpi set #1 42 as-of:2024-11-15")
    wg(ctx, "theme status A(2) B 自己点検が遅れている")
    before_rows, before_files = snapshot(ctx), report_files(ctx)
    md = before_files["progress-report-2024-11-30.md"].decode()
    assert "ラックの配置図ができた" in md and "自己点検が遅れている" in md and "42" in md
    at(ctx, datetime(2025, 3, 10, 10, 0, tzinfo=JST))
    plan(ctx, WARD, 2025, ["A(1)", "A(2)", "B(1)"])
    after = snapshot(ctx)
    assert len(after["Plan"]) == 2 and len(after["Theme"]) == 12 + 3
    for table in ("Task", "Team", "Reminder"):
        assert after[table] == before_rows[table]
    assert after["Plan"][0] == before_rows["Plan"][0]
    assert after["Theme"][:12] == before_rows["Theme"]
    with ctx.session() as s:
        notes = [(n.theme_id, n.text) for n in s.exec(select(ProgressNote))]
    assert notes == [(2, "ラックの配置図ができた")]
    assert report_files(ctx) == before_files


def test_last_years_report_is_unchanged_after_the_rollover(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    signage_team(ctx)
    wg(ctx, "task add 各課の自己点検 due:2024-11-22 <@U2>")
    wg(ctx, "task add 情報紙コーナー開設 due:2025-01-31 milestone")
    before = report_files(ctx)
    at(ctx, APRIL)
    plan(ctx, WARD, 2025, ["A(1)", "A(2)", "B(1)"])
    rollover(ctx, from_year=2024, to_year=2025, apply=True)
    assert report_files(ctx) == before
