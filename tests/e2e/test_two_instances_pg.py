"""Two instances on one PostgreSQL: 2,000 reminders, none sent twice."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from bot.clock import FixedClock, SystemClock
from bot.gateway import ChannelPacer, Gateway, make_client
from bot.scheduler import _guarded, holds_lease
from bot.services import lease, outbox
from bot.services.context import Ctx
from tests.conftest import CALENDAR, JST
from tests.e2e.conftest import url_with_schema
from tests.e2e.test_crash_restart import count, delivered, seed_due, start_bot, wait_until
from tests.fakeslack import FakeSlack

pytestmark = pytest.mark.postgres


def test_two_wgbot_run_processes_send_each_reminder_once(
    pg: Engine, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    seed_due(pg, reminders=2000, users=200)  # 10 per DM channel: ~10 s at Slack's pace
    url = url_with_schema(pg)
    log = tmp_path / "bots.log"
    bots = [start_bot(url, fake_slack, log), start_bot(url, fake_slack, log)]
    try:
        wait_until(lambda: count(pg, "sent") == 2000, timeout=60, what="2,000 sent")
    finally:
        for bot in bots:
            bot.terminate()
        for bot in bots:
            bot.wait(timeout=10)
    got = delivered(fake_slack)
    assert len(got) == 2000 and sum(got.values()) == 2000, "0 duplicates"


def test_concurrent_ticks_of_two_instances_skip_each_others_rows(
    pg: Engine, fake_slack: FakeSlack
) -> None:
    seed_due(pg, reminders=1000, users=200)
    now = FixedClock(datetime.now().astimezone())

    def instance(name: str) -> None:
        gateway = Gateway(make_client("xoxb-test", fake_slack.base_url), pacer=ChannelPacer(0.0))
        ctx = Ctx(engine=pg, clock=now, calendar=CALENDAR, gateway=gateway, instance_id=name)
        while count(pg, "pending") or count(pg, "claimed"):
            outbox.run_tick(ctx, limit=50)  # small claims: the two interleave for real

    threads = [threading.Thread(target=instance, args=(f"inst-{n}",)) for n in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=90)
    got = delivered(fake_slack)
    assert len(got) == 1000 and sum(got.values()) == 1000
    with pg.connect() as conn:
        claimers = conn.execute(text("SELECT count(DISTINCT claimed_by) FROM reminder")).scalar()
    assert claimers == 2, "both instances did part of the work"


def test_only_one_instance_holds_the_scheduler_lease(pg: Engine) -> None:
    clock = FixedClock(datetime.now().astimezone())
    a, b = (Ctx(engine=pg, clock=clock, instance_id=n, tick_seconds=1) for n in "AB")
    results: list[tuple[str, bool]] = []

    def take(c: Ctx) -> None:
        results.append((c.instance_id, lease.acquire(c, name="scheduler")))

    threads = [threading.Thread(target=take, args=(c,)) for c in (a, b) * 10]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    holder = lease.current_holder(a)
    assert holder in ("A", "B")
    assert {name for name, ok in results if ok} == {holder}


def test_a_tick_longer_than_the_lease_keeps_the_other_instance_out(pg: Engine) -> None:
    clock = SystemClock(JST)  # leases run out in real time here
    a, b = (Ctx(engine=pg, clock=clock, instance_id=n, tick_seconds=0.5) for n in "AB")
    in_job, burst = threading.Event(), threading.Event()

    def long_tick() -> None:
        in_job.set()  # A holds the lease from here on
        burst.wait(4.0)

    b_ticked: list[float] = []
    job = threading.Thread(target=_guarded(a, "reminder_tick", long_tick))
    job.start()  # A's tick lasts 4 s: twice the lease (three 0.5 s periods, 2 s at least)
    # B may only try once A's job runs: before that the lease is free, and B taking it
    # first is right (a loaded machine starts the job thread late).
    assert in_job.wait(10.0), "A's job never ran"
    started = time.monotonic()
    while job.is_alive():
        if holds_lease(b):
            b_ticked.append(time.monotonic() - started)
        time.sleep(0.1)
    job.join()
    assert b_ticked == [], f"B ticked during A's burst after {b_ticked[:1]} s"
    assert lease.current_holder(a) == "A"
