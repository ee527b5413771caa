"""Slack misbehaves (429, 500, timeouts on 30% of calls): every reminder arrives, none twice."""

from __future__ import annotations

import time
from datetime import datetime

from sqlalchemy import Engine

from bot.clock import FixedClock
from bot.gateway import ChannelPacer, Gateway, make_client
from bot.services import outbox
from bot.services.context import Ctx
from tests.conftest import CALENDAR
from tests.e2e.test_crash_restart import count, delivered, seed_due
from tests.fakeslack import FakeSlack


def _ctx(engine: Engine, slack: FakeSlack) -> Ctx:
    gateway = Gateway(make_client("xoxb-test", slack.base_url, timeout=1), pacer=ChannelPacer(0.0))
    clock = FixedClock(datetime.now().astimezone())
    return Ctx(
        engine=engine,
        clock=clock,
        calendar=CALENDAR,
        gateway=gateway,
        instance_id="faults",
        tick_seconds=0.05,
    )


def test_every_reminder_arrives_once_despite_faults(
    sqlite_engine: Engine, fake_slack: FakeSlack
) -> None:
    seed_due(sqlite_engine, reminders=300, users=60)
    ctx = _ctx(sqlite_engine, fake_slack)
    fake_slack.set_fault_rate(0.3)
    deadline = time.monotonic() + 60
    while count(sqlite_engine, "sent") < 300 and time.monotonic() < deadline:
        assert isinstance(ctx.clock, FixedClock)
        ctx.clock.set(datetime.now().astimezone())  # retries wait a little between ticks
        outbox.run_tick(ctx)
    fake_slack.set_fault_rate(0.0)
    got = delivered(fake_slack)
    assert set(got) == set(range(1, 301))
    assert max(got.values()) == 1, "no reminder twice"
    assert count(sqlite_engine, "failed") == 0
