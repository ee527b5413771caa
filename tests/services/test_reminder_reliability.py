"""Issue 13: no reminder lost after crashes, none twice after a database cut, daily failure
reports to the operator, and a dead digest poster caught up at the next tick."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from datetime import datetime
from itertools import pairwise
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine, event
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from bot import cli, scheduler
from bot.clock import FixedClock
from bot.gateway import RecordingClient, RecordingGateway
from bot.services import lease, outbox, outbox_sender
from bot.services.context import Ctx
from storage.models import DigestPost, Reminder, Team
from tests.conftest import JST
from tests.factories import wg
from tests.services.test_outbox_sender import seed, sent_per_user


def _at(y: int, m: int, d: int, hh: int = 9, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=JST)


def _set(ctx: Ctx, at: datetime) -> None:
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(at)


def _rows(ctx: Ctx) -> list[Reminder]:
    with ctx.session() as s:
        return list(s.exec(select(Reminder).order_by(Reminder.id)).all())  # type: ignore[arg-type]


class _FailingClient(RecordingClient):
    """Slack answering `error` to posts in the given DMs (`times` each, or always)."""

    def __init__(self, errors: dict[str, str], times: int | None = None) -> None:
        super().__init__()
        self.errors, self.left = errors, Counter({ch: times or 10**9 for ch in errors})
        self.tried: list[tuple[str, datetime | None]] = []
        self.clock: FixedClock | None = None

    def chat_postMessage(self, *, channel: str, **kwargs: Any) -> dict[str, Any]:
        self.tried.append((channel, self.clock.now() if self.clock else None))
        if channel in self.errors and self.left[channel] > 0:
            self.left[channel] -= 1
            error = self.errors[channel]
            raise SlackApiError(error, {"ok": False, "error": error})
        return super().chat_postMessage(channel=channel, **kwargs)


def _failing(ctx: Ctx, errors: dict[str, str], times: int | None = None) -> _FailingClient:
    gw = RecordingGateway()
    client = _FailingClient(errors, times)
    assert isinstance(ctx.clock, FixedClock)
    client.clock = ctx.clock
    gw.client = gw.recorder = client
    ctx.gateway = gw
    return client


# --- attempts count failed sends only -------------------------------------------------


def test_claims_recovered_after_five_crashes_cost_nothing_and_a_slack_hiccup_is_retried(
    team_ctx: Ctx,
) -> None:
    wg(team_ctx, "task add 自己点検 due:12/10 <@U2>")
    _set(team_ctx, _at(2024, 12, 5))
    for n in range(6):  # six instances claim the row and are killed before sending
        dead = Ctx(engine=team_ctx.engine, clock=team_ctx.clock, instance_id=f"dead-{n}")
        assert len(outbox.claim_due(dead, now=team_ctx.clock.now())) == 1
        assert outbox.recover_claims(team_ctx, now=team_ctx.clock.now()) == 1
    client = _failing(team_ctx, {"DU2": "internal_error"}, times=1)
    first = outbox.run_tick(team_ctx)
    assert (first.sent, first.retried, first.failed) == (0, 1, 0)
    (row,) = [r for r in _rows(team_ctx) if r.attempts or r.status == "sent"]
    assert (row.status, row.attempts) == ("pending", 1)
    _set(team_ctx, _at(2024, 12, 5, 9, 0, 10))
    assert outbox.run_tick(team_ctx).sent == 0  # backs off: not before 30 s
    _set(team_ctx, _at(2024, 12, 5, 9, 0, 31))
    assert outbox.run_tick(team_ctx).sent == 1
    assert [ch for ch, _ in client.tried] == ["DU2", "DU2"]


def test_a_failing_reminder_is_retried_with_backoff_until_evening_then_reported_once(
    team_ctx: Ctx,
) -> None:
    wg(team_ctx, "task add 自己点検 due:12/10 <@U2>")
    wg(team_ctx, "task add 看板 due:12/10 <@U3>")
    team_ctx.operator_channel = "C0OPS"
    client = _failing(team_ctx, {"DU2": "internal_error", "DU3": "user_not_found"})
    _set(team_ctx, _at(2024, 12, 5))
    result = outbox.run_tick(team_ctx)
    assert (result.retried, result.failed) == (1, 1)  # user_not_found fails at once
    for _ in range(60):  # tick whenever the failing row may be tried again
        (row,) = [r for r in _rows(team_ctx) if r.user_id == "U2" and r.attempts]
        if row.status == "failed":
            break
        assert row.retry_at is not None
        _set(team_ctx, row.retry_at)
        outbox.run_tick(team_ctx)
    tries = [at for ch, at in client.tried if ch == "DU2"]
    assert tries[0] == _at(2024, 12, 5) and tries[-1] <= _at(2024, 12, 5, 18)
    assert tries[-1] > _at(2024, 12, 5, 17)  # still tried late in the afternoon
    gaps = [(b - a).total_seconds() for a, b in pairwise(tries)]
    assert gaps[:4] == [30, 60, 120, 240] and max(gaps) <= 30 * 60
    assert row.status == "failed" and row.attempts == len(tries)
    reports = [m for m in client.sent if m.get("channel") == "C0OPS"]
    assert len(reports) == 1  # the morning's permanent failure; the evening's: tomorrow
    assert "1件" in reports[0]["text"] and "user_not_found" in reports[0]["text"]
    assert "看板" not in reports[0]["text"]  # ids and error codes, not what staff wrote
    _set(team_ctx, _at(2024, 12, 6, 9))
    outbox.run_tick(team_ctx)
    reports = [m for m in client.sent if m.get("channel") == "C0OPS"]
    assert len(reports) == 2 and f"#{row.id}" in reports[1]["text"]
    assert "internal_error" in reports[1]["text"]
    _set(team_ctx, _at(2024, 12, 6, 15))
    outbox.run_tick(team_ctx)
    assert len([m for m in client.sent if m.get("channel") == "C0OPS"]) == 2


def test_without_an_operator_channel_failures_are_one_warning_a_day(
    team_ctx: Ctx, caplog: pytest.LogCaptureFixture
) -> None:
    wg(team_ctx, "task add 看板 due:12/10 <@U3>")
    _failing(team_ctx, {"DU3": "user_not_found"})
    _set(team_ctx, _at(2024, 12, 5))
    with caplog.at_level(logging.WARNING, logger="bot.services.outbox_report"):
        outbox.run_tick(team_ctx)
        _set(team_ctx, _at(2024, 12, 5, 9, 1))
        outbox.run_tick(team_ctx)
    lines = [r for r in caplog.records if r.name == "bot.services.outbox_report"]
    assert len(lines) == 1 and "1 reminders failed" in lines[0].getMessage()


# --- a database cut while marking sends ------------------------------------------------


class _MarkCut:
    """The database refusing `UPDATE reminder … message_ts` (marking sent) for a while."""

    def __init__(self, engine: Engine, *, after: int, failures: int) -> None:
        self.engine, self.after, self.failures = engine, after, failures
        self.ok = self.refused = 0
        self.lock = threading.Lock()
        event.listen(engine, "before_cursor_execute", self)

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.startswith("UPDATE reminder") or "message_ts" not in statement:
            return
        with self.lock:
            if self.ok >= self.after and self.refused < self.failures:
                self.refused += 1
                raise OperationalError(statement[:30], None, ConnectionError("connection lost"))
            self.ok += 1

    def remove(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self)


def _posted(gw: RecordingGateway) -> int:
    return sum(1 for m in gw.sent if m["kind"] == "message")


def test_a_database_cut_while_marking_stops_sending_at_once_and_records_later(ctx: Ctx) -> None:
    ctx.gateway = gw = RecordingGateway()
    seed(ctx, {f"U{n}": 6 for n in range(5)})
    cut = _MarkCut(ctx.engine, after=4, failures=3)  # the marks' first retries fail too
    try:
        result = outbox.run_tick(ctx)
    finally:
        cut.remove()
    assert result.halted and result.unrecorded == 0
    assert _posted(gw) <= 4 + 5, "after the cut, at most the posts in flight (one a DM)"
    rows = _rows(ctx)
    sent = [r for r in rows if r.status == "sent"]
    assert len(sent) == _posted(gw) == result.sent  # every post recorded once it could be
    assert {r.message_ts for r in sent} == {m["ts"] for m in gw.sent if m["kind"] == "message"}
    assert {r.status for r in rows} == {"sent", "pending"}  # nothing left claimed
    assert all(r.attempts == 0 for r in rows)
    outbox.run_tick(ctx)  # the database is back: the rest go out, nothing twice
    got = sent_per_user(gw)
    assert sum(len(ids) for ids in got.values()) == 30
    assert all(len(ids) == len(set(ids)) == 6 for ids in got.values())


def test_tick_says_how_many_sends_could_not_be_recorded_and_exits_2(
    ctx: Ctx, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outbox_sender, "MARK_RETRY_SECONDS", 0.3)  # keep the test short
    ctx.gateway = gw = RecordingGateway()
    ctx.instance_id = "tick-cli"
    seed(ctx, {f"U{n}": 4 for n in range(3)})
    cut = _MarkCut(ctx.engine, after=2, failures=10**6)
    try:
        assert cli.tick_cli(ctx, dry_run=False) == 2
    finally:
        cut.remove()
    out = capsys.readouterr().out.strip()
    posted = _posted(gw)
    assert out.count("\n") == 0
    assert f"送信 {posted}件、うち {posted - 2}件は送信を記録できませんでした" in out
    assert 0 < posted - 2 <= 3  # one in flight per DM at most
    outbox.run_tick(ctx)  # the same process, once the database answers: marks come first
    got = sent_per_user(gw)
    assert sum(len(v) for v in got.values()) == 12
    assert all(len(ids) == len(set(ids)) for ids in got.values()), "nothing sent twice"


# --- a dead digest poster --------------------------------------------------------------


def test_a_dead_posters_digest_goes_out_at_the_next_tick_once_its_lease_ran_out(
    team_ctx: Ctx,
) -> None:
    monday = _at(2024, 12, 2)
    _set(team_ctx, monday)
    dead = Ctx(engine=team_ctx.engine, clock=team_ctx.clock, instance_id="dead-poster")
    lease.heartbeat(dead)  # alive until 09:03 (three tick periods)
    with team_ctx.session() as s:  # what a poster killed mid-post leaves behind
        team = s.exec(select(Team).where(Team.channel_id == "C0SIGN")).one()
        s.add(DigestPost(team_id=team.id or 0, week_start=monday.date(), status="claimed",
                         claimed_by="dead-poster", posted_at=monday))  # fmt: skip
    team_ctx.instance_id = "alive"
    gw = team_ctx.gateway
    assert isinstance(gw, RecordingGateway)

    def digests() -> int:
        return sum(1 for m in gw.sent if m["kind"] == "message" and m["channel"] == "C0SIGN")

    _set(team_ctx, _at(2024, 12, 2, 9, 2))
    scheduler.reminder_tick(team_ctx)
    assert digests() == 0  # its poster may still be at it
    _set(team_ctx, _at(2024, 12, 2, 9, 4))
    scheduler.reminder_tick(team_ctx)
    assert digests() == 1
    _set(team_ctx, _at(2024, 12, 2, 9, 5))
    scheduler.reminder_tick(team_ctx)
    assert digests() == 1


def test_a_digest_missed_this_week_is_caught_up_at_the_next_tick(team_ctx: Ctx) -> None:
    gw = team_ctx.gateway
    assert isinstance(gw, RecordingGateway)
    _set(team_ctx, _at(2024, 12, 3, 14))  # the bot was down Monday: Tuesday, any tick
    scheduler.reminder_tick(team_ctx)
    scheduler.reminder_tick(team_ctx)
    assert sum(1 for m in gw.sent if m.get("channel") == "C0SIGN") == 1
