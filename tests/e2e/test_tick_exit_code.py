"""`wgbot tick` under cron: a tick that could not send what was due must not look like success."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot import cli
from bot.logs import install_scrubbing
from storage.models import Reminder
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


@pytest.mark.parametrize(("fault", "kind"), [("500", "server_error"), ("403_echo", "bad_response")])
def test_a_slack_error_page_is_recorded_and_logged_as_its_kind_never_its_text(
    sqlite_engine: Engine,
    fake_slack: FakeSlack,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    fault: str,
    kind: str,
) -> None:
    """Slack, or a proxy in front of it, answers with a page instead of JSON (a 403 page
    may quote the request): the reminder waits for a retry, and what the operator reads
    (the row's error, tick's output, the log) names the kind, never the page."""
    install_scrubbing()  # as `wgbot tick` does (cli.main -> setup_logging)
    seed_due(sqlite_engine, reminders=2, users=1)
    fake_slack.set_fault_rate(1.0, kinds=(fault,), methods=["chat.postMessage"])
    caplog.set_level(logging.DEBUG)
    assert cli.tick_cli(_ctx(sqlite_engine, fake_slack), dry_run=False) == 1
    with Session(sqlite_engine) as s:
        assert {r.last_error for r in s.exec(select(Reminder))} == {f"SlackApiError: {kind}"}
    said = capsys.readouterr().out + "\n".join(r.getMessage() for r in caplog.records)
    assert kind in said
    for page in ("<html", "<h1>", "WAF", "試験"):  # 試験: the tasks' titles
        assert page not in said
