"""Month-end report and weekly digest speed.

    .venv/bin/python bench/bench_reports.py [--pg URL]

1. Report for a plan of 50 themes, 5,000 progress notes and 20,000 tasks: gather +
   md + docx + xlsx together. Target: ≤ 2 s (median of 5 runs).
2. Weekly digests for 500 teams: SQL statements per team digest
   (bot.services.digests.team_digest), counted with a before_cursor_execute listener
   around each team's call, for 50 and for 200 tasks per team. Target: the count is
   the same for both sizes (constant in the number of tasks: no N+1). Also printed: the
   total time for 500 teams × 200 tasks, building only and through post_digests (claim,
   build, render, post to a RecordingGateway, finish; no Slack HTTP).

SQLite always; with --pg (or $BENCH_DATABASE_URL / $TEST_DATABASE_URL) also PostgreSQL,
in a scratch schema.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, event, insert
from sqlmodel import col, select

from bench._common import Verdicts, parse_args, pg_schema
from bot.clock import FixedClock
from bot.gateway import RecordingGateway
from bot.services.context import Ctx
from bot.services.digests import post_digests, team_digest
from bot.services.reports import gather, render_files
from storage.db import make_engine, upgrade
from storage.models import Kpi, KpiValue, Plan, ProgressNote, Task, Team, Theme

NOW = datetime(2024, 11, 29, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
CREATED = datetime(2024, 10, 1, tzinfo=UTC)


MONDAY = date(2024, 12, 2)  # the digest's day: first business day of the week
LAST_WEEK = datetime(2024, 11, 27, 1, 0, tzinfo=UTC)  # Wednesday of the week before


def make_ctx(engine: Engine) -> Ctx:
    upgrade(engine)
    return Ctx(engine=engine, clock=FixedClock(NOW), gateway=RecordingGateway())


def seed_plan(ctx: Ctx, *, themes: int, notes: int, tasks: int) -> None:
    with ctx.engine.begin() as conn:
        conn.execute(
            insert(Plan),
            [{"ward": "若松区", "fiscal_year": 2024, "title": "方針", "mission": "使命の文章"}],
        )
        conn.execute(
            insert(Theme),
            [
                {
                    "plan_id": 1,
                    "code": f"{'ABC'[i % 3]}({i // 3 + 1})",
                    "area": "ABC"[i % 3],
                    "position": i + 1,
                    "title": f"課題 {i}",
                    "content": "内容" * 40,
                    "background": "背景" * 40,
                    "approach": "取組み" * 30,
                }
                for i in range(themes)
            ],
        )
        conn.execute(
            insert(Task),
            [
                {
                    "kind": "milestone" if i % 10 == 0 else "task",
                    "title": f"作業 {i}",
                    "theme_id": i % themes + 1,
                    "due": date(2024, 10, 1) + timedelta(days=i % 150),
                    "status": "done" if i % 3 == 0 else "open",
                    "created_by": "U1",
                    "created_at": CREATED,
                    "done_at": CREATED if i % 3 == 0 else None,
                }
                for i in range(tasks)
            ],
        )
        conn.execute(
            insert(ProgressNote),
            [
                {
                    "theme_id": i % themes + 1,
                    "author": "U1",
                    "text": f"進捗 {i} " + "記録" * 30,
                    "as_of": date(2024, 4, 1) + timedelta(days=i % 240),
                    "created_at": CREATED,
                }
                for i in range(notes)
            ],
        )
        conn.execute(
            insert(Kpi),
            [
                {
                    "theme_id": i + 1,
                    "name": "指標",
                    "unit": "%",
                    "baseline": 30.0,
                    "target": 45.0,
                    "created_by": "U1",
                    "created_at": CREATED,
                }
                for i in range(themes)
            ],
        )
        conn.execute(
            insert(KpiValue),
            [
                {
                    "kpi_id": i % themes + 1,
                    "value": 30.0 + i % 15,
                    "as_of": date(2024, 4, 1) + timedelta(days=i),
                    "recorded_by": "U1",
                    "recorded_at": CREATED,
                }
                for i in range(themes * 5)
            ],
        )


def seed_teams(ctx: Ctx, *, teams: int, tasks_each: int) -> None:
    with ctx.engine.begin() as conn:
        conn.execute(insert(Plan), [{"ward": "若松区", "fiscal_year": 2024, "title": "方針"}])
        conn.execute(
            insert(Theme),
            [{"plan_id": 1, "code": "A(1)", "area": "A", "position": 1, "title": "課題"}],
        )
        conn.execute(
            insert(Team),
            [
                {
                    "name": f"チーム{i}",
                    "kind": "WG",
                    "theme_id": 1,
                    "channel_id": f"C{i:05d}",
                    "created_by": "U1",
                    "created_at": CREATED,
                }
                for i in range(teams)
            ],
        )
        conn.execute(
            insert(Task),
            [
                {
                    "kind": "milestone" if j % 20 == 0 else "task",
                    "title": f"作業 {j}",
                    "team_id": i + 1,
                    "theme_id": 1,
                    "assignee": f"U{j % 7}",
                    "due": date(2024, 11, 1) + timedelta(days=j % 60),
                    "status": "done" if j % 4 == 0 else "open",
                    "created_by": "U1",
                    "created_at": CREATED,
                    "done_at": LAST_WEEK if j % 4 == 0 else None,
                }
                for i in range(teams)
                for j in range(tasks_each)
            ],
        )
        # progress notes written last week: one per 10 tasks, plus a few on the theme
        conn.execute(
            insert(ProgressNote),
            [
                {
                    "task_id": i * tasks_each + j + 1,
                    "theme_id": None,
                    "author": f"U{j % 7}",
                    "text": f"進捗メモ {j}",
                    "as_of": date(2024, 11, 27),
                    "created_at": LAST_WEEK,
                }
                for i in range(teams)
                for j in range(0, tasks_each, 10)
            ]
            + [
                {
                    "task_id": None,
                    "theme_id": 1,
                    "author": "U1",
                    "text": f"課題の進捗 {k}",
                    "as_of": date(2024, 11, 27),
                    "created_at": LAST_WEEK,
                }
                for k in range(5)
            ],
        )


def bench_report(label: str, engine: Engine, verdicts: Verdicts) -> None:
    ctx = make_ctx(engine)
    seed_plan(ctx, themes=50, notes=5_000, tasks=20_000)
    runs, gathers = [], []
    for _ in range(5):
        t0 = time.perf_counter()
        report = gather(ctx, as_of=date(2024, 11, 30))
        t1 = time.perf_counter()
        files = render_files(report, formats=("md", "docx", "xlsx"))
        runs.append(time.perf_counter() - t0)
        gathers.append(t1 - t0)
    assert len(files) == 3 and all(files.values())
    sizes = ", ".join(
        f"{name.rsplit('.', 1)[1]} {len(data) // 1024} KiB" for name, data in files.items()
    )
    med = statistics.median(runs)
    print(f"report ({label}): 50 themes, 5,000 notes, 20,000 tasks; md + docx + xlsx together")
    print(
        f"  median {med:.2f} s (min {min(runs):.2f}, max {max(runs):.2f}; gather median "
        f"{statistics.median(gathers):.2f} s)  [{sizes}]"
    )
    verdicts.check(
        f"report md+docx+xlsx ({label})", f"{med:.2f} s median of 5", "≤ 2 s", med <= 2.0
    )


def digest_statements(ctx: Ctx) -> tuple[list[int], float, int]:
    """SQL statements of each team's digest, the total time, and how many tasks and notes
    the digests listed (a check that the seed matches the week)."""
    executed = [0]

    def count(*_args: object) -> None:
        executed[0] += 1

    per_team: list[int] = []
    listed = 0
    event.listen(ctx.engine, "before_cursor_execute", count)
    try:
        t0 = time.perf_counter()
        with ctx.session() as s:
            teams = s.exec(select(Team).order_by(col(Team.id))).all()
            for team in teams:
                before = executed[0]
                digest = team_digest(s, ctx=ctx, team=team, today=MONDAY)
                per_team.append(executed[0] - before)
                listed += len(digest.due_this_week) + len(digest.overdue) + len(digest.notes)
        elapsed = time.perf_counter() - t0
    finally:
        event.remove(ctx.engine, "before_cursor_execute", count)
    return per_team, elapsed, listed


def digest_posting(ctx: Ctx, teams: int) -> tuple[float, float]:
    """post_digests for every team (RecordingGateway): total seconds, statements per team."""
    executed = [0]

    def count(*_args: object) -> None:
        executed[0] += 1

    event.listen(ctx.engine, "before_cursor_execute", count)
    try:
        t0 = time.perf_counter()
        posted = post_digests(ctx, today=MONDAY)
        elapsed = time.perf_counter() - t0
    finally:
        event.remove(ctx.engine, "before_cursor_execute", count)
    assert len(posted) == teams, len(posted)
    return elapsed, executed[0] / teams


def bench_digests(label: str, engines: dict[int, Engine], verdicts: Verdicts) -> None:
    teams = 500
    counts: dict[int, list[int]] = {}
    for tasks_each, engine in engines.items():
        ctx = make_ctx(engine)
        seed_teams(ctx, teams=teams, tasks_each=tasks_each)
        per_team, elapsed, listed = digest_statements(ctx)
        assert listed > 0, "the digests listed no tasks: the seed does not match the week"
        counts[tasks_each] = per_team
        post_elapsed, post_per_team = digest_posting(ctx, teams)
        print(
            f"digests ({label}): {teams} teams × {tasks_each} tasks: build {elapsed:.2f} s "
            f"total ({elapsed / teams * 1000:.1f} ms per team), SQL statements per team "
            f"digest min {min(per_team)} max {max(per_team)}; post_digests {post_elapsed:.2f} s"
            f" total, {post_per_team:.1f} statements per team ({listed:,} tasks and notes listed)"
        )
        if tasks_each == 200:
            verdicts.info(
                f"digests 500 teams × 200 tasks, total ({label})",
                f"{elapsed:.2f} s build, {post_elapsed:.2f} s post_digests",
            )
    small, big = sorted(counts)
    same = set(counts[small]) == set(counts[big])
    verdicts.check(
        f"SQL statements per team digest ({label})",
        f"{max(counts[small])} at {small} tasks, {max(counts[big])} at {big} tasks",
        "constant",
        same,
    )


def main() -> int:
    args = parse_args(__doc__)
    verdicts = Verdicts("bench_reports")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        bench_report("SQLite", make_engine(f"sqlite:///{tmp / 'report.db'}"), verdicts)
        sizes = (50, 200)
        sqlite = {n: make_engine(f"sqlite:///{tmp / f'digest-{n}.db'}") for n in sizes}
        bench_digests("SQLite", sqlite, verdicts)
        for engine in sqlite.values():
            engine.dispose()
    if args.pg:
        with pg_schema(args.pg, "report") as engine:
            bench_report("PostgreSQL", engine, verdicts)
        with pg_schema(args.pg, "d50") as e50, pg_schema(args.pg, "d200") as e200:
            bench_digests("PostgreSQL", {50: e50, 200: e200}, verdicts)
    else:
        print("PostgreSQL: skipped (give --pg URL)")
    return verdicts.summary(strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
