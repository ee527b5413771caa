"""Reminder planning, delivery, leases and settings on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import threading
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import col, select

from bot import cli
from bot.clock import FixedClock
from bot.gateway import RecordingGateway
from bot.services import home, lease, outbox
from bot.services.context import Ctx
from bot.services.reminder_planning import plan_month_end
from storage.models import Reminder, Task, UserPref
from tests.conftest import JST
from tests.factories import wg


def _at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=JST)


def _rows(ctx: Ctx, status: str | None = "pending") -> list[Reminder]:
    with ctx.session() as s:
        stmt = select(Reminder).order_by(col(Reminder.fire_at), col(Reminder.id))
        if status:
            stmt = stmt.where(Reminder.status == status)
        return list(s.exec(stmt).all())


def _fire(ctx: Ctx, kind: str | None = None) -> list[tuple[date, str | None]]:
    return [
        (r.fire_at.astimezone(JST).date(), r.user_id or r.channel_id)
        for r in _rows(ctx)
        if kind is None or r.kind == kind
    ]


def _tick_at(ctx: Ctx, at: datetime) -> outbox.TickResult:
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(at)
    return outbox.run_tick(ctx)


def test_new_task_plans_reminders_on_business_days(team_ctx: Ctx) -> None:
    wg(team_ctx, "task add 自己点検 due:12/10 <@U2>")
    assert _fire(team_ctx, "task") == [
        (date(2024, 12, 5), "U2"),
        (date(2024, 12, 9), "U2"),
        (date(2024, 12, 10), "U2"),
    ]
    overdue = [d for d, _ in _fire(team_ctx, "overdue")]
    assert overdue == [date(2024, 12, 11), date(2024, 12, 16), date(2024, 12, 23), date(2025, 1, 6)]


def test_milestone_reminds_assignee_and_team_channel(team_ctx: Ctx) -> None:
    wg(team_ctx, "task add 中間報告 due:12/10 milestone")
    assert _fire(team_ctx, "milestone") == [(date(2024, 12, 3), "U1"), (date(2024, 12, 10), "U1")]
    assert _fire(team_ctx, "milestone_channel") == [
        (date(2024, 12, 3), "C0SIGN"),
        (date(2024, 12, 10), "C0SIGN"),
    ]


def test_new_due_date_replans_and_keeps_sent_rows(team_ctx: Ctx) -> None:
    wg(team_ctx, "task add 自己点検 due:12/10")
    assert _tick_at(team_ctx, _at(2024, 12, 5)).sent == 1
    wg(team_ctx, "task due 1 12/17")
    assert [d for d, _ in _fire(team_ctx, "task")] == [
        date(2024, 12, 12),
        date(2024, 12, 16),
        date(2024, 12, 17),
    ]
    assert len(_rows(team_ctx, "sent")) == 1
    assert {r.fire_at.astimezone(JST).date() for r in _rows(team_ctx, "cancelled")} >= {
        date(2024, 12, 9),
        date(2024, 12, 10),
    }


def test_reassigned_task_reminds_the_new_assignee(team_ctx: Ctx) -> None:
    wg(team_ctx, "task add 自己点検 due:12/10")
    wg(team_ctx, "task assign 1 <@U2>")
    assert {u for _, u in _fire(team_ctx)} == {"U2"}


def test_nothing_is_sent_after_done(team_ctx: Ctx) -> None:
    wg(team_ctx, "task add 自己点検 due:12/10")
    wg(team_ctx, "task done 1")
    assert _rows(team_ctx) == []
    assert _tick_at(team_ctx, _at(2024, 12, 10, 10)).sent == 0


def test_row_for_a_task_done_meanwhile_is_cancelled_at_send_time(team_ctx: Ctx) -> None:
    wg(team_ctx, "task add 自己点検 due:12/10")
    with team_ctx.session() as s:  # closed behind the planner's back (another tool, a migration)
        task = s.get(Task, 1)
        assert task is not None
        task.status = "done"
    result = _tick_at(team_ctx, _at(2024, 12, 5))
    assert (result.sent, result.skipped) == (0, 1)


def test_tick_sends_each_due_row_once_with_blocks(team_ctx: Ctx) -> None:
    wg(team_ctx, "task add 自己点検 <b>&lt; due:12/10 <@U2>")
    assert _tick_at(team_ctx, _at(2024, 12, 5)).sent == 1
    assert _tick_at(team_ctx, _at(2024, 12, 5, 9, 5)).sent == 0
    gw = team_ctx.gateway
    assert isinstance(gw, RecordingGateway)
    (msg,) = [m for m in gw.sent if m["kind"] == "message"]
    assert msg["channel"] == "DU2"
    body = str(msg["blocks"])
    assert "12月10日（火）" in body and "あと3営業日" in body and "案内表示WG" in body
    assert "<b>" not in body and "&lt;b&gt;" in body
    actions = next(b for b in msg["blocks"] if b["type"] == "actions")["elements"]
    assert [a["action_id"] for a in actions] == [
        "reminder_done",
        "reminder_postpone",
        "reminder_note",
    ]
    (row,) = _rows(team_ctx, "sent")
    assert (row.message_channel, row.message_ts) == ("DU2", msg["ts"])


def test_remind_off_and_on(team_ctx: Ctx) -> None:
    wg(team_ctx, "task add 中間報告 due:12/10 milestone")
    assert "止めました" in wg(team_ctx, "remind off").text
    assert {u for _, u in _fire(team_ctx)} == {"C0SIGN"}
    wg(team_ctx, "remind on")
    assert {u for _, u in _fire(team_ctx)} == {"C0SIGN", "U1"}


def test_quiet_hours_move_dm_to_window_end(team_ctx: Ctx) -> None:
    wg(team_ctx, "task add 自己点検 due:12/10")
    assert "08:00-10:00" in wg(team_ctx, "remind quiet 08:00-10:00").text
    assert {r.fire_at.astimezone(JST).strftime("%H:%M") for r in _rows(team_ctx)} == {"10:00"}
    assert _tick_at(team_ctx, _at(2024, 12, 5, 9, 30)).sent == 0
    assert _tick_at(team_ctx, _at(2024, 12, 5, 10, 0)).sent == 1


def test_bad_quiet_hours_change_nothing(team_ctx: Ctx) -> None:
    reply = wg(team_ctx, "remind quiet 25:00-07:00")
    assert "25:00-07:00" in reply.text and "18:00-08:00" in reply.text
    with team_ctx.session() as s:
        assert s.get(UserPref, "U1") is None


def test_team_days_set_by_lead_only(team_ctx: Ctx) -> None:
    wg(team_ctx, "task add 自己点検 due:12/10 <@U2>")
    refused = wg(team_ctx, "remind team:案内表示WG task:2", user="U2")
    assert "リーダー" in refused.text
    assert len(_fire(team_ctx, "task")) == 3
    reply = wg(team_ctx, "remind team:案内表示WG task:2,0 milestone:10,0")
    assert "2,0" in reply.text
    assert [d for d, _ in _fire(team_ctx, "task")] == [date(2024, 12, 6), date(2024, 12, 10)]
    assert "読めません" in wg(team_ctx, "remind team:案内表示WG task:x").text


def test_month_end_note_to_lead_until_a_note_is_written(team_ctx: Ctx) -> None:
    assert isinstance(team_ctx.clock, FixedClock)
    team_ctx.clock.set(_at(2024, 12, 2, 8, 30))
    assert plan_month_end(team_ctx) == 1
    assert plan_month_end(team_ctx) == 1  # daily job: no second row
    ((day, lead),) = _fire(team_ctx, "month_end_note")
    assert (day, lead) == (date(2024, 12, 24), "U1")
    wg(team_ctx, "note A2 看板の試作を始めた", user="U2")
    plan_month_end(team_ctx)
    assert _fire(team_ctx, "month_end_note") == []


def test_month_end_note_is_sent_with_a_note_button(team_ctx: Ctx) -> None:
    assert isinstance(team_ctx.clock, FixedClock)
    team_ctx.clock.set(_at(2024, 12, 2, 8, 30))
    plan_month_end(team_ctx)
    assert _tick_at(team_ctx, _at(2024, 12, 24)).sent == 1
    gw = team_ctx.gateway
    assert isinstance(gw, RecordingGateway)
    assert "theme:A(2)" in str(next(m for m in gw.sent if m["kind"] == "message")["blocks"])


def test_rows_of_a_crashed_instance_are_recovered_and_sent_once(team_ctx: Ctx) -> None:
    wg(team_ctx, "task add 自己点検 due:12/10")
    assert isinstance(team_ctx.clock, FixedClock)
    team_ctx.clock.set(_at(2024, 12, 5))
    dead = Ctx(engine=team_ctx.engine, clock=team_ctx.clock, instance_id="dead-1")
    assert len(outbox.claim_due(dead, now=team_ctx.clock.now())) == 1
    team_ctx.instance_id = "alive-2"
    result = outbox.run_tick(team_ctx)
    assert (result.recovered, result.sent) == (1, 1)
    assert _rows(team_ctx, "claimed") == []


def test_lease_is_taken_over_when_not_renewed(ctx: Ctx) -> None:
    a = Ctx(engine=ctx.engine, clock=ctx.clock, instance_id="A", tick_seconds=1)
    b = Ctx(engine=ctx.engine, clock=ctx.clock, instance_id="B", tick_seconds=1)
    assert lease.acquire(a, name=lease.SCHEDULER)
    assert not lease.acquire(b, name=lease.SCHEDULER)
    assert lease.acquire(a, name=lease.SCHEDULER)  # renewal
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.advance(timedelta(seconds=10))
    assert lease.acquire(b, name=lease.SCHEDULER)
    assert not lease.acquire(a, name=lease.SCHEDULER)
    assert lease.current_holder(b) == "B"


def test_concurrent_claims_never_share_a_row(team_ctx: Ctx) -> None:
    with team_ctx.session() as s:
        for i in range(300):
            s.add(
                Reminder(
                    dedupe_key=f"k{i}",
                    kind="task",
                    user_id=f"U{i}",
                    fire_at=_at(2024, 11, 29, 8),
                )
            )
    got: list[list[int]] = []

    def claim(name: str) -> None:
        me = Ctx(engine=team_ctx.engine, clock=team_ctx.clock, instance_id=name)
        mine: list[int] = []
        while rows := outbox.claim_due(me, now=team_ctx.clock.now(), limit=7):
            mine += [r.id or 0 for r in rows]
        got.append(mine)

    threads = [threading.Thread(target=claim, args=(f"I{n}",)) for n in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    flat = [i for ids in got for i in ids]
    assert len(flat) == len(set(flat)) == 300


def test_dry_run_names_kinds_and_reasons_in_japanese(
    team_ctx: Ctx, capsys: pytest.CaptureFixture[str]
) -> None:
    wg(team_ctx, "task add 自己点検 due:12/10")
    wg(team_ctx, "task add 配置図 due:12/10")
    with team_ctx.session() as s:  # done by a path that left its reminder due
        task = s.get(Task, 2)
        assert task is not None
        task.status = "done"
    assert isinstance(team_ctx.clock, FixedClock)
    team_ctx.clock.set(_at(2024, 12, 5))
    assert cli.tick_cli(team_ctx, dry_run=True) == 0
    out = capsys.readouterr().out
    assert "タスク期限" in out and "（送らない: タスクは完了しています）" in out
    assert re.search(r"\b(task|done|superseded)\b", out) is None, out


def test_dry_run_prints_due_and_failed_and_sends_nothing(
    team_ctx: Ctx, capsys: pytest.CaptureFixture[str]
) -> None:
    wg(team_ctx, "task add 自己点検 due:12/10")
    with team_ctx.session() as s:
        s.add(
            Reminder(
                dedupe_key="broken",
                kind="task",
                task_id=1,
                user_id="U404",
                fire_at=_at(2024, 11, 28),
                status="failed",
                attempts=5,
                last_error="SlackApiError: user_not_found",
            )
        )
    assert isinstance(team_ctx.clock, FixedClock)
    team_ctx.clock.set(_at(2024, 12, 5))
    assert cli.tick_cli(team_ctx, dry_run=True) == 0
    out = capsys.readouterr().out
    assert "1件" in out and "@U1" in out and "user_not_found" in out
    assert len(_rows(team_ctx, "sent")) == 0
    gw = team_ctx.gateway
    assert isinstance(gw, RecordingGateway)
    assert [m for m in gw.sent if m["kind"] == "message"] == []


def test_home_lists_my_tasks_and_team_milestones(team_ctx: Ctx) -> None:
    wg(team_ctx, "task add 後の仕事 due:12/20 <@U2>")
    wg(team_ctx, "task add 先の仕事 due:12/3 <@U2>")
    wg(team_ctx, "task add 中間報告 due:12/10 milestone")
    data = home.home_data(team_ctx, user="U2")
    assert [c.title for c in data.tasks] == ["先の仕事", "後の仕事"]
    assert [c.title for c in data.milestones] == ["中間報告"]
    assert home.publish_home(team_ctx, user="U2")
