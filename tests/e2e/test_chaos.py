"""Chaos: a 500-reminder tick against a Slack failing 30% of calls, kill -9 five times.

Every reminder must arrive. A reminder may arrive twice only when Slack acted on a call
and its answer never came back (the connection dropped after acting) or the sender was
killed between Slack's answer and recording it: each such call allows one resend, no
more. Seeded: set WGBOT_CHAOS_SEED to replay a run; the seed is in every failure message.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tests.e2e.test_crash_restart import ROOT, TASK_ID, count, seed_due
from tests.fakeslack import Call, FakeSlack

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
FAULTS = ("429", "500", "internal_error", "drop_before", "drop_after")
TICK_SECONDS = "0.5"  # instance leases last 2 s: a killed tick's rows come back quickly


@dataclass
class ChaosResult:
    """What a chaos run delivered, per task id."""

    seed: int
    reminders: int
    delivered: Counter[int] = field(default_factory=Counter)
    honest: Counter[int] = field(default_factory=Counter)  # resends a lost answer allows
    kills: int = 0
    in_flight_at_kills: int = 0

    @property
    def lost(self) -> int:
        return sum(1 for i in range(1, self.reminders + 1) if self.delivered[i] == 0)

    @property
    def resends(self) -> int:
        return sum(n - 1 for n in self.delivered.values() if n > 1)

    @property
    def unexplained(self) -> dict[int, int]:
        """Tasks sent more often than once plus their allowed resends."""
        return {task: n for task, n in self.delivered.items() if n > 1 + self.honest[task]}


def task_of(call: Call) -> int | None:
    found = TASK_ID.search(str(call.params.get("text", "")))
    return int(found.group(1)) if found else None


def acted_posts(slack: FakeSlack) -> list[tuple[int, Call]]:
    """(task id, call) for every chat.postMessage Slack acted on."""
    return [
        (task, call)
        for call in slack.calls_to("chat.postMessage")
        if call.acted and (task := task_of(call)) is not None
    ]


def tick_process(url: str, slack: FakeSlack, log: Path) -> subprocess.Popen[bytes]:
    """`python -m bot.cli tick` against the fake Slack."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_API_URL": slack.base_url,
        "WGBOT_TICK_SECONDS": TICK_SECONDS,
    }
    with log.open("ab") as out:
        cmd = [sys.executable, "-m", "bot.cli", "tick"]
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=out)


def unrecorded(engine: Engine, slack: FakeSlack) -> set[int]:
    """Ids of the latest acted call of each task whose row is not marked sent."""
    with engine.connect() as conn:
        q = text("SELECT task_id FROM reminder WHERE status <> 'sent'")
        open_tasks = {int(r[0]) for r in conn.execute(q)}
    latest: dict[int, Call] = {}
    for task, call in acted_posts(slack):
        latest[task] = call
    return {id(call) for task, call in latest.items() if task in open_tasks}


def run_chaos(
    engine: Engine, url: str, slack: FakeSlack, log: Path, *, seed: int, reminders: int = 500
) -> ChaosResult:
    """Seed `reminders` over 100 DMs, kill -9 five ticks at random points, one faulty tick
    to its end, then a clean tick."""
    rng = random.Random(seed)
    seed_due(engine, reminders=reminders, users=100)
    slack.set_fault_rate(0.3, FAULTS, seed=seed)
    slack.retry_after = 1
    result = ChaosResult(seed=seed, reminders=reminders)
    allowed: set[int] = set()  # ids of calls whose answer the sender never recorded
    for _ in range(5):
        before = len(acted_posts(slack))
        proc = tick_process(url, slack, log)
        target = before + rng.randint(5, 120)
        deadline = time.monotonic() + 15
        while (
            len(acted_posts(slack)) < target and time.monotonic() < deadline and proc.poll() is None
        ):
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        time.sleep(0.3)  # requests already on the wire reach the fake Slack's log
        result.kills += 1
        result.in_flight_at_kills += count(engine, "claimed")
        allowed |= unrecorded(engine, slack)
    time.sleep(2.2)  # the killed ticks' heartbeats run out: their claims come back
    # A sixth tick runs to its end under the same faults: crashes must not have used up
    # the rows' attempts, or one more transient failure would give a reminder up.
    tick_process(url, slack, log).wait(timeout=60)
    slack.reset_faults()
    for _ in range(3):  # a clean tick; a row that failed a send just before is retried
        tick_process(url, slack, log).wait(timeout=60)
        if count(engine, "sent") + count(engine, "cancelled") == reminders:
            break
        time.sleep(1.0)
    for task, call in acted_posts(slack):
        result.delivered[task] += 1
        if call.answer_lost or id(call) in allowed:
            result.honest[task] += 1
    return result


def test_kill_nine_five_times_in_a_faulty_burst_loses_nothing_and_doubles_nothing(
    pg: Engine, pg_url: str, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    seed = int(os.environ.get("WGBOT_CHAOS_SEED") or random.randrange(1_000_000))
    log = tmp_path / "ticks.log"
    r = run_chaos(pg, pg_url, fake_slack, log, seed=seed)
    where = f"seed {seed} (WGBOT_CHAOS_SEED={seed} replays it); log: {log}"
    assert r.kills == 5
    assert r.lost == 0, f"{r.lost} reminders never arrived; {where}"
    assert r.unexplained == {}, f"sent twice with no lost answer to excuse it; {where}"
    assert count(pg, "failed") == 0, where
    with pg.connect() as conn:
        q = text("SELECT count(*) FROM reminder WHERE status <> 'sent'")
        assert conn.execute(q).scalar_one() == 0, where
