"""`wgbot tick` under cron: a tick that could not send what was due must not look like success."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from bot import cli
from tests.e2e.test_crash_restart import count, seed_due
from tests.e2e.test_outbox_faults import _ctx
from tests.fakeslack import FakeSlack


def test_tick_with_slack_down_exits_1_and_says_how_many_wait(
    sqlite_engine: Engine, fake_slack: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_due(sqlite_engine, reminders=6, users=3)
    fake_slack.set_fault_rate(1.0, kinds=("internal_error",), methods=["chat.postMessage"])
    ctx = _ctx(sqlite_engine, fake_slack)
    assert cli.tick_cli(ctx, dry_run=False) == 1  # a cron job sees the failure
    out = capsys.readouterr().out
    assert "送信 0件" in out and count(sqlite_engine, "pending") == 6


def test_tick_that_sent_everything_due_exits_0(
    sqlite_engine: Engine, fake_slack: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_due(sqlite_engine, reminders=6, users=3)
    ctx = _ctx(sqlite_engine, fake_slack)
    assert cli.tick_cli(ctx, dry_run=False) == 0
    assert count(sqlite_engine, "sent") == 6
