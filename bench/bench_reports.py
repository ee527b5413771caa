"""Report and digest speed.

- Report for a plan of 50 themes, 5,000 notes and 20,000 tasks: md + docx + xlsx
  together, target ≤ 2 s (median of 5 runs).
- Digests for 500 teams × 200 tasks: SQL statements per team digest (must not grow
  with the number of tasks: no N+1) and the total time.
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

from sqlalchemy import event, insert

from bot.clock import FixedClock
from bot.services.context import Ctx
from bot.services.digests import team_digest
from bot.services.reports import gather, render_files
from storage.db import make_engine, upgrade
from storage.models import Kpi, KpiValue, Plan, ProgressNote, Task, Team, Theme

NOW = datetime(2024, 11, 29, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
CREATED = datetime(2024, 10, 1, tzinfo=UTC)


def make_ctx(path: Path) -> Ctx:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    return Ctx(engine=engine, clock=FixedClock(NOW))


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
                    "done_at": datetime(2024, 11, 27, tzinfo=UTC) if j % 4 == 0 else None,
                }
                for i in range(teams)
                for j in range(tasks_each)
            ],
        )


def bench_report(tmp: Path) -> None:
    ctx = make_ctx(tmp / "report.db")
    seed_plan(ctx, themes=50, notes=5_000, tasks=20_000)
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        report = gather(ctx, as_of=date(2024, 11, 30))
        files = render_files(report, formats=("md", "docx", "xlsx"))
        runs.append(time.perf_counter() - t0)
    sizes = ", ".join(
        f"{name.rsplit('.', 1)[1]} {len(data) // 1024} KiB" for name, data in files.items()
    )
    print("report: 50 themes, 5,000 notes, 20,000 tasks; md + docx + xlsx together")
    print(
        f"  median {statistics.median(runs):.2f} s  (min {min(runs):.2f}, max {max(runs):.2f})"
        f"  target ≤ 2 s   [{sizes}]"
    )


def bench_digests(tmp: Path) -> None:
    for teams, tasks_each in ((500, 20), (500, 200)):
        ctx = make_ctx(tmp / f"digest-{tasks_each}.db")
        seed_teams(ctx, teams=teams, tasks_each=tasks_each)
        statements: list[int] = []

        def count(*_args: object, statements: list[int] = statements) -> None:
            statements[-1] += 1

        event.listen(ctx.engine, "before_cursor_execute", count)
        t0 = time.perf_counter()
        with ctx.session() as s:
            for team in s.query(Team).order_by(Team.id).all():  # type: ignore[attr-defined]
                statements.append(0)
                team_digest(s, ctx=ctx, team=team, today=date(2024, 12, 2))
        elapsed = time.perf_counter() - t0
        event.remove(ctx.engine, "before_cursor_execute", count)
        print(
            f"digests: {teams} teams × {tasks_each} tasks: {elapsed:.2f} s total, "
            f"{elapsed / teams * 1000:.1f} ms per team, SQL statements per team digest: "
            f"min {min(statements)} max {max(statements)}"
        )


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        bench_report(Path(tmp))
        bench_digests(Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
