"""A weekly digest Slack refused (a transient error) is retried the same day, then reported."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from bot import scheduler
from bot.clock import FixedClock
from bot.gateway import ChannelPacer, Gateway, make_client
from bot.services.context import Ctx
from tests.conftest import JST
from tests.factories import load_sample_plan, signage_team
from tests.fakeslack import FakeSlack


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def posting(ctx: Ctx, fake_slack: FakeSlack) -> Ctx:
    load_sample_plan(ctx)
    signage_team(ctx)
    ctx.gateway = Gateway(make_client("xoxb-test", fake_slack.base_url, timeout=1),
                          pacer=ChannelPacer(0.0))  # fmt: skip
    ctx.operator_channel = "COPS"
    ctx.instance_id = "holder"
    return ctx


def _tick(ctx: Ctx, hh: int, mm: int) -> None:
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(datetime(2024, 12, 2, hh, mm, tzinfo=JST))  # a Monday: digest day
    scheduler.reminder_tick(ctx)


def _posts(fake: FakeSlack, channel: str, *, ok: bool | None = True) -> list[str]:
    return [
        str(c.params.get("text", ""))
        for c in fake.calls
        if c.method == "chat.postMessage"
        and c.params.get("channel") == channel
        and (ok is None or c.ok == ok)
    ]


def test_a_digest_slack_refused_at_09_00_goes_out_at_a_later_tick_once(
    posting: Ctx, fake_slack: FakeSlack
) -> None:
    fake_slack.fail_next(1, "internal_error", methods=["chat.postMessage"])
    _tick(posting, 9, 0)
    assert not _posts(fake_slack, "C0SIGN")
    _tick(posting, 9, 2)  # backing off
    assert len(_posts(fake_slack, "C0SIGN", ok=None)) == 1
    _tick(posting, 9, 6)
    _tick(posting, 9, 30)
    assert len(_posts(fake_slack, "C0SIGN")) == 1


def test_a_digest_failing_all_day_is_retried_with_back_off_then_reported(
    posting: Ctx, fake_slack: FakeSlack
) -> None:
    fake_slack.set_fault_rate(1.0, kinds=("internal_error",), methods=["chat.postMessage"])
    for hh in range(9, 19):
        for mm in range(0, 60, 2):  # a tick every two minutes, 09:00 to 18:58
            _tick(posting, hh, mm)
    tries = len(_posts(fake_slack, "C0SIGN", ok=None))
    assert 5 <= tries <= 30, f"{tries} tries"  # retried, but not at every tick
    fake_slack.reset_faults()
    _tick(posting, 19, 0)  # after 18:00 it stays failed: no more tries today
    assert len(_posts(fake_slack, "C0SIGN", ok=None)) == tries
    assert isinstance(posting.clock, FixedClock)
    posting.clock.set(datetime(2024, 12, 3, 0, 1, tzinfo=JST))  # the next day's first tick
    scheduler.reminder_tick(posting)
    report = _posts(fake_slack, "COPS")
    assert len(report) == 1 and "週報の投稿に失敗" in report[0]
