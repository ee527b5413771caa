"""Reminder benchmarks (issue 3): burst delivery, the claim query, `wgbot run` memory.

    .venv/bin/python bench/bench_reminders.py [--quick]

1. 2,000 reminders due at 09:00 over 200 channels, the fake Slack allowing one message
   a second per channel (429 + Retry-After otherwise): seconds until all are delivered,
   against the 10 s bound that limit sets. Target <= 1.3x.
2. The tick's claim query (100 due rows) with 1,000,000 reminder rows against 10,000 rows,
   on SQLite and, when TEST_DATABASE_URL is set, PostgreSQL. Target <= 2x.
3. Peak RSS of `wgbot run` (HTTP mode, scheduler on) with 100,000 tasks. Target <= 200 MB.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, create_engine, text

from bot.clock import FixedClock
from bot.gateway import ChannelPacer, Gateway, make_client
from bot.services import outbox
from bot.services.context import Ctx
from storage.db import make_engine, upgrade

JST = ZoneInfo("Asia/Tokyo")
NINE = datetime(2024, 12, 2, 9, 0, tzinfo=JST)
PG_URL = os.environ.get("TEST_DATABASE_URL", "")
QUICK = "--quick" in sys.argv


def _line(name: str, value: float, unit: str, target: float, ratio: float | None = None) -> None:
    ratio_text = f"  ratio {ratio:.2f}x" if ratio is not None else ""
    verdict = "OK" if (ratio if ratio is not None else value) <= target else "MISSED"
    print(f"  {name:<44} {value:>9.3f} {unit:<3}{ratio_text}  (target <= {target}) {verdict}")


def _utc(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _sqlite_rows(path: Path, rows: list[tuple]) -> None:
    con = sqlite3.connect(path)
    con.executemany(
        "INSERT INTO reminder (dedupe_key, kind, user_id, channel_id, fire_at, status, attempts)"
        " VALUES (?, ?, ?, ?, ?, ?, 0)",
        rows,
    )
    con.commit()
    con.close()


# 1. burst delivery ------------------------------------------------------------------


def bench_burst(tmp: Path) -> None:
    from tests.fakeslack import FakeSlack

    path = tmp / "burst.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    _fill_tasks(path, 2000, with_rows=False, due="2024-12-10")
    con = sqlite3.connect(path)
    con.executemany(
        "INSERT INTO reminder (dedupe_key, kind, task_id, channel_id, fire_at, status, attempts)"
        " VALUES (?, 'milestone_channel', ?, ?, ?, 'pending', 0)",
        [(f"b{i}", i + 1, f"C{i % 200:04d}", _utc(NINE)) for i in range(2000)],
    )
    con.commit()
    con.close()
    with FakeSlack() as slack:
        slack.rate_limit_per_channel(1.0)
        gateway = Gateway(make_client("xoxb-bench", slack.base_url), pacer=ChannelPacer(1.0))
        ctx = Ctx(
            engine=engine,
            clock=FixedClock(NINE),
            gateway=gateway,
            instance_id="bench",
            tick_seconds=1,
        )
        t0 = time.monotonic()
        while True:
            outbox.run_tick(ctx, limit=2000)
            with engine.connect() as conn:
                q = "SELECT count(*) FROM reminder WHERE status IN ('pending', 'claimed')"
                if conn.execute(text(q)).scalar_one() == 0:
                    break
        with engine.connect() as conn:
            q = "SELECT count(*) FROM reminder WHERE status = 'sent'"
            assert conn.execute(text(q)).scalar_one() == 2000
        elapsed = time.monotonic() - t0
        posted = sum(1 for c in slack.calls if c.method == "chat.postMessage")
    print(f"1. 2,000 reminders over 200 channels at 1 msg/s/channel ({posted} posts incl. 429s)")
    _line("time to deliver all / bound 10 s", elapsed, "s", 1.3, elapsed / 10.0)


# 2. claim query ---------------------------------------------------------------------


def _fill_sqlite(path: Path, total: int, due: int) -> None:
    past, future = NINE - timedelta(days=400), NINE + timedelta(days=1)
    batch: list[tuple] = []
    for i in range(total - due):
        sent = i % 2 == 0  # half sent in the past, half planned ahead
        at = past + timedelta(minutes=i) if sent else future + timedelta(minutes=i)
        batch.append(
            (f"r{i}", "task", f"U{i % 5000}", None, _utc(at), "sent" if sent else "pending")
        )
        if len(batch) == 100_000:
            _sqlite_rows(path, batch)
            batch = []
    batch += [(f"d{i}", "task", f"U{i}", None, _utc(NINE), "pending") for i in range(due)]
    _sqlite_rows(path, batch)


def _fill_pg(engine: Engine, total: int, due: int) -> None:
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE reminder RESTART IDENTITY CASCADE"))
        conn.execute(
            text(
                "INSERT INTO reminder (dedupe_key, kind, user_id, fire_at, status, attempts) "
                "SELECT 'r' || g, 'task', 'U' || (g % 5000), "
                "CASE WHEN g % 2 = 0 THEN :past + g * interval '1 minute' "
                "ELSE :future + g * interval '1 minute' END, "
                "CASE WHEN g % 2 = 0 THEN 'sent' ELSE 'pending' END, 0 "
                "FROM generate_series(1, :n) g"
            ),
            {
                "past": NINE - timedelta(days=400),
                "future": NINE + timedelta(days=1),
                "n": total - due,
            },
        )
        conn.execute(
            text(
                "INSERT INTO reminder (dedupe_key, kind, user_id, fire_at, status, attempts) "
                "SELECT 'd' || g, 'task', 'U' || g, :nine, 'pending', 0 "
                "FROM generate_series(1, :n) g"
            ),
            {"nine": NINE, "n": due},
        )
        conn.execute(text("ANALYZE reminder"))


def _time_claims(engine: Engine, runs: int = 15) -> float:
    ctx = Ctx(engine=engine, clock=FixedClock(NINE), instance_id="bench")
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        claimed = outbox.claim_due(ctx, now=NINE, limit=100)
        times.append(time.perf_counter() - t0)
        assert len(claimed) == 100, len(claimed)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE reminder SET status='pending', claimed_by=NULL, claimed_at=NULL "
                    "WHERE status='claimed'"
                )
            )
    return statistics.median(times)


def bench_claim(tmp: Path) -> None:
    big = 100_000 if QUICK else 1_000_000
    print(f"2. claim query, 100 due rows: {big:,} rows against 10,000 rows (median of 15)")
    results = {}
    for total in (10_000, big):
        path = tmp / f"claim{total}.db"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        _fill_sqlite(path, total, 100)
        results[total] = _time_claims(engine)
        engine.dispose()
    _line(
        "SQLite  claim time (ms), big/small",
        results[big] * 1000,
        "ms",
        2.0,
        results[big] / results[10_000],
    )
    if not PG_URL:
        print("  PostgreSQL: skipped (set TEST_DATABASE_URL)")
        return
    schema = "wgbot_bench"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine = create_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
    upgrade(engine)
    for total in (10_000, big):
        _fill_pg(engine, total, 100)
        results[total] = _time_claims(engine)
    _line(
        "PostgreSQL claim time (ms), big/small",
        results[big] * 1000,
        "ms",
        2.0,
        results[big] / results[10_000],
    )
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    admin.dispose()


# 3. memory of `wgbot run` -----------------------------------------------------------


def _fill_tasks(path: Path, n: int, *, with_rows: bool = True, due: str = "2030-03-29") -> None:
    con = sqlite3.connect(path)
    now = _utc(NINE)
    con.execute(
        "INSERT INTO team (name, kind, created_by, created_at, task_days, milestone_days)"
        " VALUES ('bench', 'WG', 'U1', ?, '3,1,0', '5,0')",
        (now,),
    )
    con.executemany(
        "INSERT INTO task (kind, title, team_id, assignee, due, status, created_by, created_at)"
        " VALUES ('task', ?, 1, ?, ?, 'open', 'U1', ?)",
        [(f"タスク {i}", f"U{i % 500}", due, now) for i in range(n)],
    )
    if with_rows:  # one planned reminder per task, due long after the benchmark
        con.executemany(
            "INSERT INTO reminder (dedupe_key, kind, task_id, user_id, fire_at, status, attempts)"
            " VALUES (?, 'task', ?, ?, ?, 'pending', 0)",
            [(f"t{i + 1}", i + 1, f"U{i % 500}", "2030-03-27 00:00:00.000000") for i in range(n)],
        )
    con.commit()
    con.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bench_rss(tmp: Path) -> None:
    from tests.fakeslack import FakeSlack

    path = tmp / "rss.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    _fill_tasks(path, 100_000)
    with FakeSlack() as slack:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{path}",
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": "x",
            "SLACK_API_URL": slack.base_url,
            "WGBOT_TICK_SECONDS": "0.5",
        }
        env.pop("SLACK_APP_TOKEN", None)
        cmd = [sys.executable, "-m", "bot.cli", "run", "--http", "--port", str(_free_port())]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
        peak = 0
        try:
            for _ in range(40):  # ~10 s: start, migrations, several ticks
                time.sleep(0.25)
                status = Path(f"/proc/{proc.pid}/status").read_text()
                hwm = [ln for ln in status.splitlines() if ln.startswith("VmHWM")]
                peak = max(peak, int(hwm[0].split()[1]) if hwm else 0)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print("3. `wgbot run` with 100,000 tasks (and 100,000 planned reminders)")
    _line("peak RSS (VmHWM)", peak / 1024, "MB", 200)


def main() -> int:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        bench_burst(tmp)
        bench_claim(tmp)
        bench_rss(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
