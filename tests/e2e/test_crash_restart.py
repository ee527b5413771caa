"""SIGKILL `wgbot run` while it delivers 1,000 reminders; the restart delivers the rest."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from storage.models import Reminder, Task, Team
from tests.fakeslack import FakeSlack

ROOT = Path(__file__).resolve().parents[2]
TASK_ID = re.compile(r"#(\d+)")

pytestmark = pytest.mark.slow


def seed_due(engine: Engine, *, reminders: int, users: int) -> None:
    """Open tasks, each with one reminder due a minute ago (wall clock: `run` uses it)."""
    due = datetime.now(UTC) - timedelta(minutes=1)
    with Session(engine) as s:
        team = Team(name="負荷試験WG", created_by="U0", created_at=due)
        s.add(team)
        s.flush()
        tasks = [
            Task(title=f"試験 {i}", team_id=team.id, assignee=f"U{i % users:03d}",
                 due=due.date() + timedelta(days=30), created_by="U0", created_at=due)
            for i in range(reminders)
        ]  # fmt: skip
        s.add_all(tasks)
        s.flush()
        s.add_all(
            Reminder(dedupe_key=f"seed:{t.id}", kind="task", task_id=t.id, user_id=t.assignee,
                     fire_at=due)
            for t in tasks
        )  # fmt: skip
        s.commit()


def delivered(slack: FakeSlack) -> Counter[int]:
    """How many times each task's reminder reached the fake Slack."""
    counts: Counter[int] = Counter()
    for call in slack.calls:
        if call.method != "chat.postMessage" or not getattr(call, "ok", True):
            continue
        found = TASK_ID.search(str(call.params.get("text", "")))
        if found:
            counts[int(found.group(1))] += 1
    return counts


def count(engine: Engine, status: str) -> int:
    with engine.connect() as conn:
        q = text("SELECT count(*) FROM reminder WHERE status = :s")
        return int(conn.execute(q, {"s": status}).scalar_one())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_bot(
    database_url: str, slack: FakeSlack, log: Path, *, tick_seconds: str = "0.2"
) -> subprocess.Popen[bytes]:
    """`python -m bot.cli run --http` against the fake Slack, ticking every 0.2 s."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "x",
        "SLACK_API_URL": slack.base_url,
        "WGBOT_TICK_SECONDS": tick_seconds,
    }
    env.pop("SLACK_APP_TOKEN", None)
    cmd = [sys.executable, "-m", "bot.cli", "run", "--http", "--port", str(free_port())]
    with log.open("ab") as out:
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=out)


def wait_until(check: object, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_sigkill_mid_delivery_then_restart_delivers_everything_once(
    sqlite_engine: Engine, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    seed_due(sqlite_engine, reminders=1000, users=100)  # 10 per DM: ~10 s at Slack's pace
    url = str(sqlite_engine.url)
    log = tmp_path / "bot.log"
    first = start_bot(url, fake_slack, log)
    try:
        wait_until(lambda: sum(delivered(fake_slack).values()) >= 250, timeout=30, what="250 sent")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    in_flight = count(sqlite_engine, "claimed")
    sent_before = count(sqlite_engine, "sent")
    assert 0 < sent_before < 1000, log.read_text()[-3000:]
    second = start_bot(url, fake_slack, log)
    try:
        wait_until(lambda: count(sqlite_engine, "sent") == 1000, timeout=45, what="all sent")
    finally:
        second.terminate()
        second.wait(timeout=10)
    got = delivered(fake_slack)
    assert set(got) == set(range(1, 1001)), "every reminder arrived"
    duplicates = sum(n - 1 for n in got.values())
    assert duplicates <= in_flight
    assert count(sqlite_engine, "failed") == 0
