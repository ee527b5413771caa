"""The fiscal year's turn at city size: `wgbot plan rollover --from 2024 --to 2025 --apply`.

    .venv/bin/python bench/bench_rollover.py [--pg URL] [--quick]

The city (issue 12), lighter than bench_city.py's: 7 wards, each with a FY2024 and a
FY2025 plan of the same 12 theme codes (A(1)..C(2)) but FY2025 lacks C(2), so the tasks
and teams on C(2) are listed, not moved; 350 teams (8 members, one lead), 100,000 open
tasks and 10,000 done ones on the FY2024 themes, one pending reminder per open task, bulk
inserted with SQLAlchemy Core. The seed runs in a forked child, so this process's peak
RSS is the rollover's own.

Measured: bot.services.rollover.rollover(apply=True) as the CLI calls it (1 April 2025,
10:00 JST), its time and this process's VmHWM (reset first through /proc/self/clear_refs),
while another connection adds a task every 0.2 s as `task add` from the console would (the
longest such write is printed: on SQLite it waits for the rollover's write lock). Checked
after: every placed task is on a FY2025 theme, one theme_move row per moved task and team,
the tasks' reminder rows untouched. Targets: ≤ 30 s and VmHWM ≤ 250 MB on SQLite and,
with --pg, on PostgreSQL (a scratch schema, bench/_common.pg_schema).

--quick: 10,000 open tasks. The machine's 1-minute load average at the start and the end
is printed with the summary.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, insert, text

from bench._common import Verdicts, membership_rows, parse_args, pg_schema
from bot.clock import FixedClock
from bot.services.context import Ctx
from bot.services.rollover import rollover
from storage.db import make_engine, upgrade
from storage.models import Membership, Plan, Reminder, Task, Team, Theme

JST = ZoneInfo("Asia/Tokyo")
WARDS = ("北区", "南区", "東区", "西区", "中央区", "港区", "山手区")  # invented names
CODES = [f"A({i})" for i in range(1, 7)] + [f"B({i})" for i in range(1, 5)] + ["C(1)", "C(2)"]
GONE = "C(2)"  # not in the FY2025 plans
N_TEAMS = 350
MEMBERS = 8
CREATED = datetime(2024, 4, 1, tzinfo=UTC)
APRIL = datetime(2025, 4, 1, 10, 0, tzinfo=JST)
TARGET_S = 30.0
TARGET_MB = 250.0
MB = 1024.0


def seed(engine: Engine, n_open: int) -> None:
    """Both years' plans, the teams on FY2024 themes, their tasks and reminders, in bulk."""
    n_themes = len(CODES)
    rows: dict[Any, list[dict[str, Any]]] = {}
    rows[Plan] = [
        {"ward": w, "fiscal_year": year, "title": f"{year}年度 {w} 運営方針"}
        for year in (2024, 2025)
        for w in WARDS
    ]
    rows[Theme] = [
        {
            "plan_id": y * len(WARDS) + w + 1,
            "code": code,
            "area": code[0],
            "position": i + 1,
            "title": f"{ward}の課題 {code}",
        }
        for y in (0, 1)
        for w, ward in enumerate(WARDS)
        for i, code in enumerate(CODES)
        if not (y == 1 and code == GONE)
    ]
    teams, members = [], []
    for t in range(N_TEAMS):
        w, k = t % len(WARDS), t // len(WARDS)
        users = [f"U{w}{(k * MEMBERS + j) % 400:04d}" for j in range(MEMBERS)]
        teams.append(
            {
                "name": f"{WARDS[w]}チーム{k}",
                "kind": "WG",
                "ward": WARDS[w],
                "theme_id": w * n_themes + k % n_themes + 1,
                "channel_id": f"CT{t:04d}",
                "created_by": users[0],
                "created_at": CREATED,
            }
        )
        members.append(users)
    rows[Team] = teams
    rows[Membership] = membership_rows(members, at=CREATED)
    n_done = n_open // 10
    tasks, reminders = [], []
    for i in range(n_open + n_done):
        t = i % N_TEAMS
        done = i >= n_open
        due = date(2025, 4, 1) + timedelta(days=i % 120)
        assignee = members[t][i % MEMBERS]
        tasks.append(
            {
                "kind": "milestone" if i % 10 == 0 else "task",
                "title": f"作業 {i}",
                "team_id": t + 1,
                "theme_id": teams[t]["theme_id"],
                "assignee": assignee,
                "due": due,
                "status": "done" if done else "open",
                "created_by": teams[t]["created_by"],
                "created_at": CREATED,
                "done_at": datetime(2025, 3, 27, 1, tzinfo=UTC) if done else None,
            }
        )
        if not done:
            reminders.append(
                {
                    "dedupe_key": f"task:{i + 1}:task:{due.isoformat()}:{assignee}",
                    "kind": "task",
                    "task_id": i + 1,
                    "user_id": assignee,
                    "fire_at": datetime.combine(due, datetime.min.time(), tzinfo=JST)
                    + timedelta(hours=9),
                    "status": "pending",
                    "attempts": 0,
                }
            )
    rows[Task] = tasks
    rows[Reminder] = reminders
    with engine.begin() as conn:
        for model, batch in rows.items():
            for start in range(0, len(batch), 20_000):
                conn.execute(insert(model), batch[start : start + 20_000])
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))


def _seed_child(engine: Engine, n_open: int) -> None:
    engine.dispose(close=False)  # the parent's pooled connections are not this process's
    seed(engine, n_open)


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def _reset_hwm() -> bool:
    """Start VmHWM afresh (Linux: 5 > /proc/self/clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class ConsoleWrites:
    """Another connection adding a task every 0.2 s; the longest write, and failures."""

    def __init__(self, engine: Engine, theme_id: int) -> None:
        self.engine, self.theme_id = engine, theme_id
        self.longest, self.failed, self.count = 0.0, 0, 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            t0 = time.perf_counter()
            try:
                with self.engine.begin() as conn:
                    conn.execute(
                        insert(Task).values(
                            title="コンソールから追加",
                            theme_id=self.theme_id,
                            created_by="bench",
                            created_at=CREATED,
                            status="open",
                        )
                    )
                self.count += 1
            except Exception:  # counted: the console would show 一時的に保存できません
                self.failed += 1
            self.longest = max(self.longest, time.perf_counter() - t0)
            self.stop.wait(0.2)

    def __enter__(self) -> ConsoleWrites:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def _counts(engine: Engine) -> tuple[int, int, tuple[Any, ...]]:
    """(tasks on FY2025 themes but the console's, theme_move rows, the pending task
    reminders' count, id sum and latest fire_at)."""
    with engine.connect() as conn:
        on_new = conn.execute(
            text(
                "SELECT count(*) FROM task JOIN theme ON theme.id = task.theme_id "
                "JOIN plan ON plan.id = theme.plan_id "
                "WHERE plan.fiscal_year = 2025 AND task.created_by <> 'bench'"
            )
        ).scalar_one()
        moves = conn.execute(text("SELECT count(*) FROM theme_move")).scalar_one()
        reminders = conn.execute(
            text(
                "SELECT count(*), sum(id), max(fire_at) FROM reminder "
                "WHERE status = 'pending' AND task_id IS NOT NULL"
            )
        ).one()
    return int(on_new), int(moves), tuple(reminders)


def bench(label: str, engine: Engine, verdicts: Verdicts, n_open: int) -> None:
    upgrade(engine)
    t0 = time.perf_counter()
    child = multiprocessing.get_context("fork").Process(target=_seed_child, args=(engine, n_open))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise SystemExit(f"{label}: the seed failed (exit {child.exitcode})")
    print(f"{label}: seeded {n_open:,} open tasks in {time.perf_counter() - t0:.1f} s", flush=True)
    _, _, reminders_before = _counts(engine)
    with engine.connect() as conn:
        theme = int(conn.execute(text("SELECT max(id) FROM theme")).scalar_one())
    ctx = Ctx(engine=engine, clock=FixedClock(APRIL))
    reset = _reset_hwm()
    rss_before = _status_kib("VmRSS") / MB
    with ConsoleWrites(make_engine(str(engine.url)) if label == "SQLite" else engine, theme) as w:
        time.sleep(0.5)
        t0 = time.perf_counter()
        result = rollover(ctx, from_year=2024, to_year=2025, apply=True, by="bench")
        elapsed = time.perf_counter() - t0
        time.sleep(0.5)
    hwm = _status_kib("VmHWM") / MB
    tasks, teams = len(result.placed("task")), len(result.placed("team"))
    on_new, moves, reminders_after = _counts(engine)
    ok = on_new == tasks and moves == tasks + teams and reminders_after == reminders_before
    unplaced = len(result.unplaced("task")) + len(result.unplaced("team"))
    print(
        f"{label}: moved {tasks:,} tasks and {teams} teams, {unplaced:,} not placed, in "
        f"{elapsed:.2f} s; RSS {rss_before:.0f} MB before, VmHWM {hwm:.0f} MB"
        f"{'' if reset else ' (VmHWM not reset: includes the start-up)'}; console writes: "
        f"{w.count} done, {w.failed} failed, longest {w.longest:.2f} s",
        flush=True,
    )
    verdicts.check(
        f"{label} rollover {n_open:,} open tasks", f"{elapsed:.2f} s", "≤ 30 s", elapsed <= TARGET_S
    )
    verdicts.check(f"{label} peak RSS (VmHWM)", f"{hwm:.0f} MB", "≤ 250 MB", hwm <= TARGET_MB)
    verdicts.check(
        f"{label} moved, recorded, reminders kept",
        f"{on_new:,} on FY2025, {moves:,} theme_move",
        "all",
        ok,
    )
    verdicts.info(
        f"{label} longest console write during it", f"{w.longest:.2f} s ({w.failed} failed)"
    )


def main() -> int:
    args = parse_args(__doc__, quick=True)
    n_open = 10_000 if args.quick else 100_000
    verdicts = Verdicts("bench_rollover")
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as d:
        engine = make_engine(f"sqlite:///{Path(d) / 'rollover.db'}")
        bench("SQLite", engine, verdicts, n_open)
        engine.dispose()
    if args.pg:
        with pg_schema(args.pg, "rollover") as engine:
            bench("PostgreSQL", engine, verdicts, n_open)
    else:
        print("PostgreSQL: skipped (give --pg URL)")
    verdicts.info(
        "load average (1 min) at start / end", f"{load_start:.2f} / {os.getloadavg()[0]:.2f}"
    )
    return verdicts.summary(strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
