"""A deploy: SIGTERM to the `wgbot run` holding the scheduler, mid-burst, with a second one up.

systemd, Docker and Kubernetes stop the old process with SIGTERM. It must hand over
at once (not after its lease runs out), exit 0 within 10 s, and nothing may be lost or
sent twice.
"""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tests.e2e.test_crash_restart import count, delivered, seed_due, start_bot, wait_until
from tests.fakeslack import FakeSlack

pytestmark = pytest.mark.slow
# Leases last three ticks (6 s): a holder that vanished without handing over would keep
# the other instance waiting longer than the 5 s a deploy may take.
TICK_SECONDS = "2"


def scheduler_holder(engine: Engine) -> str | None:
    """The instance id holding an unexpired scheduler lease."""
    with engine.connect() as conn:
        q = text("SELECT holder FROM lease WHERE name = 'scheduler' AND expires_at > now()")
        return conn.execute(q).scalar()


def pid_of(holder: str | None) -> int | None:
    """Instance ids read `<host>-<pid>-<random>`."""
    return int(holder.rsplit("-", 2)[1]) if holder else None


def sigterm_holder_mid_burst(
    engine: Engine,
    url: str,
    slack: FakeSlack,
    log: Path,
    *,
    reminders: int = 1000,
    users: int = 100,
    sig: int = signal.SIGTERM,
) -> tuple[float, float, int | None]:
    """Two bots, SIGTERM (or `sig`) to the lease holder once a fifth is sent.

    Returns (seconds until it exited, seconds until the other holds the lease and sends,
    its exit code).
    """
    seed_due(engine, reminders=reminders, users=users)  # 10 per DM: ~10 s at Slack's pace
    bots = {}
    for _ in range(2):
        bot = start_bot(url, slack, log, tick_seconds=TICK_SECONDS)
        bots[bot.pid] = bot
    try:
        wait_until(lambda: count(engine, "sent") >= reminders // 5, timeout=40, what="a fifth")
        holder = pid_of(scheduler_holder(engine))
        assert holder in bots, f"holder {holder} is one of the bots"
        leaving, staying = bots[holder], next(b for p, b in bots.items() if p != holder)
        t0 = time.monotonic()
        leaving.send_signal(sig)
        sent_at_term = count(engine, "sent")
        exited = took_over = float("inf")
        rc = None
        deadline = t0 + 20
        while time.monotonic() < deadline and (exited == float("inf") or took_over == float("inf")):
            if exited == float("inf") and leaving.poll() is not None:
                exited, rc = time.monotonic() - t0, leaving.returncode
            if (
                took_over == float("inf")
                and pid_of(scheduler_holder(engine)) == staying.pid
                and count(engine, "sent") > sent_at_term
            ):
                took_over = time.monotonic() - t0
            time.sleep(0.05)
        wait_until(lambda: count(engine, "sent") == reminders, timeout=60, what="all sent")
    finally:
        for bot in bots.values():
            if bot.poll() is None:
                bot.terminate()
        for bot in bots.values():
            try:
                bot.wait(timeout=12)
            except subprocess.TimeoutExpired:
                bot.kill()
    return exited, took_over, rc


@pytest.mark.postgres
def test_sigterm_to_the_lease_holder_hands_over_and_loses_nothing(
    pg: Engine, pg_url: str, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    log = tmp_path / "bots.log"
    exited, took_over, rc = sigterm_holder_mid_burst(pg, pg_url, fake_slack, log)
    tail = log.read_text(errors="replace")[-3000:]
    assert exited < 10 and rc == 0, f"exited after {exited:.1f} s with {rc}\n{tail}"
    assert took_over < 5, f"the other instance took over after {took_over:.1f} s\n{tail}"
    got = delivered(fake_slack)
    assert len(got) == 1000 and sum(got.values()) == 1000, "every reminder once"
    assert count(pg, "failed") == 0
    assert "Traceback" not in log.read_text(errors="replace")


def test_sigterm_mid_burst_puts_unsent_reminders_back_at_no_cost_and_exits_0(
    sqlite_engine: Engine, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    seed_due(sqlite_engine, reminders=500, users=50)  # 10 per DM: ~10 s at Slack's pace
    log = tmp_path / "bot.log"
    bot = start_bot(str(sqlite_engine.url), fake_slack, log)
    try:
        wait_until(lambda: count(sqlite_engine, "sent") >= 60, timeout=30, what="60 sent")
    finally:
        t0 = time.monotonic()
        bot.send_signal(signal.SIGTERM)
        rc = bot.wait(timeout=15)
    took = time.monotonic() - t0
    tail = log.read_text(errors="replace")[-2000:]
    assert rc == 0 and took < 10, f"exit {rc} after {took:.1f} s\n{tail}"
    assert count(sqlite_engine, "claimed") == 0, "nothing left claimed by a stopped bot"
    got = delivered(fake_slack)
    assert count(sqlite_engine, "sent") == sum(got.values()) == len(got), "each send recorded"
    with sqlite_engine.connect() as conn:
        q = text("SELECT count(*), max(attempts) FROM reminder WHERE status = 'pending'")
        pending, attempts = conn.execute(q).one()
    assert pending == 500 - len(got) and pending > 0
    assert attempts == 0, "a reminder put back on shutdown has cost no attempt"


@pytest.mark.postgres
def test_sigterm_with_a_slack_that_rate_limits_exits_and_hands_over_in_time(
    pg: Engine, pg_url: str, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    # A fifth of the posts answer 429 with Retry-After: 4. Before the fix the in-flight
    # sends slept out their retries during the drain (exit after 10 s) and the leaving
    # instance kept the scheduler lease until its drain ended (takeover after 5 s).
    fake_slack.retry_after = 4
    fake_slack.set_fault_rate(0.2, kinds=("429",), seed=13, methods=["chat.postMessage"])
    log = tmp_path / "bots.log"
    exited, took_over, rc = sigterm_holder_mid_burst(
        pg, pg_url, fake_slack, log, reminders=400, users=100
    )
    tail = log.read_text(errors="replace")[-3000:]
    assert exited < 9 and rc == 0, f"exited after {exited:.1f} s with {rc}\n{tail}"
    assert took_over < 5, f"the other instance took over after {took_over:.1f} s\n{tail}"
    got = delivered(fake_slack)
    assert len(got) == 400 and sum(got.values()) == 400, "every reminder once"
    assert "Traceback" not in log.read_text(errors="replace")


def test_sigterm_during_start_up_exits_0_before_claiming(
    sqlite_engine: Engine, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    seed_due(sqlite_engine, reminders=5, users=5)
    fake_slack.hang_seconds = 2.0
    fake_slack.fail_next(1, "timeout", methods=["auth.test"])  # start-up stalls at auth.test
    log = tmp_path / "bot.log"
    bot = start_bot(str(sqlite_engine.url), fake_slack, log)
    try:
        fake_slack.wait_for("auth.test", timeout=20)
        t0 = time.monotonic()
        bot.send_signal(signal.SIGTERM)
        rc = bot.wait(timeout=12)
    finally:
        if bot.poll() is None:
            bot.kill()
    tail = log.read_text(errors="replace")[-2000:]
    assert rc == 0 and time.monotonic() - t0 < 5, f"exit {rc}\n{tail}"
    assert count(sqlite_engine, "pending") == 5 and not delivered(fake_slack), "nothing sent"
