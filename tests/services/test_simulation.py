"""The scheduler's own jobs under a simulated clock: reminders and digests on office days."""

from __future__ import annotations

import time
from datetime import datetime

from bot.clock import FixedClock
from bot.gateway import RecordingGateway
from bot.scheduler import build_scheduler
from bot.services.context import Ctx
from bot.simulation import Fired, simulate
from tests.conftest import JST
from tests.factories import load_sample_plan, signage_team, wg


def _week(ctx: Ctx) -> RecordingGateway:
    """From Fri 2024-11-01: a team with a channel and a task due Tue 11/12."""
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(datetime(2024, 11, 1, 8, 0, tzinfo=JST))
    load_sample_plan(ctx)
    signage_team(ctx)
    wg(ctx, "task add 看板の試作 due:11/12 <@U2>")
    gateway = RecordingGateway()
    ctx.gateway, ctx.tick_seconds = gateway, 3600.0
    return gateway


def _run(ctx: Ctx, gateway: RecordingGateway, until: datetime) -> list[Fired]:
    assert isinstance(ctx.clock, FixedClock)
    return simulate(build_scheduler(ctx), ctx.clock, until=until, sent=gateway.sent)


def _days(fired: list[Fired], job: str, channel: str) -> list[str]:
    return [
        f"{f.at:%m/%d %H:%M}"
        for f in fired
        if f.name == job
        for m in f.sent
        if m["kind"] == "message" and m["channel"] == channel
    ]


def test_digest_skips_the_holiday_monday_and_reminders_come_on_business_days(ctx: Ctx) -> None:
    gateway = _week(ctx)
    fired = _run(ctx, gateway, datetime(2024, 11, 12, 23, 0, tzinfo=JST))
    # 11/04 is a substitute holiday: the week's digest goes out on Tuesday 11/05.
    assert _days(fired, "weekly_digest", "C0SIGN") == ["11/05 09:00", "11/11 09:00"]
    # 3 and 1 business days before, and on the day; never on the weekend of 11/09–10.
    assert [d[:5] for d in _days(fired, "reminder_tick", "DU2")] == ["11/07", "11/11", "11/12"]


def test_a_restart_in_the_same_week_sends_nothing_twice(ctx: Ctx) -> None:
    gateway = _week(ctx)
    _run(ctx, gateway, datetime(2024, 11, 11, 12, 0, tzinfo=JST))
    sent_before = len(gateway.sent)
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(datetime(2024, 11, 11, 8, 0, tzinfo=JST))  # the new process starts that morning
    again = _run(ctx, gateway, datetime(2024, 11, 11, 12, 0, tzinfo=JST))
    assert [f for f in again if f.sent] == []
    assert len(gateway.sent) == sent_before


def test_done_task_gets_no_more_reminders(ctx: Ctx) -> None:
    gateway = _week(ctx)
    fired = _run(ctx, gateway, datetime(2024, 11, 8, 12, 0, tzinfo=JST))
    assert len(_days(fired, "reminder_tick", "DU2")) == 1
    wg(ctx, "task done #1", user="U2")
    fired = _run(ctx, gateway, datetime(2024, 11, 13, 12, 0, tzinfo=JST))
    assert _days(fired, "reminder_tick", "DU2") == []


def test_started_after_a_missed_monday_the_bot_posts_that_weeks_digest(ctx: Ctx) -> None:
    from bot.scheduler import start_scheduler, stop_scheduler

    gateway = _week(ctx)
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(datetime(2024, 11, 12, 10, 30, tzinfo=JST))  # down all Monday 11/11
    sched = start_scheduler(ctx)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not _digests(gateway):
            time.sleep(0.05)
    finally:
        stop_scheduler(ctx, sched, wait=True)
    assert [m["text"].splitlines()[0] for m in _digests(gateway)] == [
        "案内表示WG 週間まとめ（11月11日（月）の週）"
    ]


def _digests(gateway: RecordingGateway) -> list[dict]:
    return [m for m in gateway.sent if m["kind"] == "message" and m["channel"] == "C0SIGN"]
