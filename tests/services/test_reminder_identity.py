"""A reminder is what it is about (task, recipient, kind, business day), not when it goes
out: replans move unsent reminders and never repeat a sent one, before or after upgrade."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlmodel import select

from bot.clock import FixedClock
from bot.gateway import RecordingGateway
from bot.services import outbox, reminder_actions
from bot.services.context import Ctx
from bot.services.reminder_planning import replan_task
from storage.db import make_engine, upgrade
from storage.models import Reminder, Task
from tests.conftest import CALENDAR, JST, PG_URL, REQUIRE_PG
from tests.factories import wg


def _at(m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(2024, m, d, hh, mm, tzinfo=JST)


def _tick(ctx: Ctx, at: datetime) -> int:
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(at)
    return outbox.run_tick(ctx).sent


def _sent(ctx: Ctx) -> list[tuple[int | None, str | None, str, date]]:
    """(task, recipient, kind, day sent) of every reminder that went out."""
    with ctx.session() as s:
        rows = s.exec(select(Reminder).where(Reminder.status == "sent")).all()
        return sorted(
            (r.task_id, r.user_id, r.kind, r.sent_at.astimezone(JST).date())
            for r in rows
            if r.sent_at is not None
        )


def _messages(ctx: Ctx) -> int:
    gw = ctx.gateway
    assert isinstance(gw, RecordingGateway)
    return sum(1 for m in gw.sent if m["kind"] == "message")


def _as(ctx: Ctx, at: datetime, line: str) -> None:
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(at)
    wg(ctx, line)


def test_quiet_hours_set_after_the_morning_dm_do_not_send_it_again(team_ctx: Ctx) -> None:
    wg(team_ctx, "task add 自己点検 due:12/10")
    assert _tick(team_ctx, _at(12, 5)) == 1
    _as(team_ctx, _at(12, 5, 9, 30), "remind quiet 08:00-10:00")
    assert _tick(team_ctx, _at(12, 5, 10)) == 0
    assert _tick(team_ctx, _at(12, 9, 10)) == 1  # the next one comes, at the window's end


def test_replans_around_sends_never_repeat_and_never_skip_a_reminder(team_ctx: Ctx) -> None:
    wg(team_ctx, "task add 自己点検 due:12/10")  # 3,1,0 days before: 12/5, 12/9, 12/10
    assert _tick(team_ctx, _at(12, 5)) == 1
    _as(team_ctx, _at(12, 5, 9, 30), "remind quiet 08:00-10:00")
    assert _tick(team_ctx, _at(12, 5, 10)) == 0
    _as(team_ctx, _at(12, 5, 11), "remind quiet off")
    assert _tick(team_ctx, _at(12, 5, 11, 1)) == 0
    _as(team_ctx, _at(12, 6, 8), "remind quiet 08:00-10:00")
    _as(team_ctx, _at(12, 6, 8, 5), "remind team:案内表示WG task:2,0")  # 12/6 and 12/10
    assert _tick(team_ctx, _at(12, 6, 9)) == 0
    assert _tick(team_ctx, _at(12, 6, 10)) == 1
    _as(team_ctx, _at(12, 6, 10, 30), "task due 1 12/11")  # now 12/9 and 12/11
    assert _tick(team_ctx, _at(12, 9, 10)) == 1
    assert isinstance(team_ctx.clock, FixedClock)
    team_ctx.clock.set(_at(12, 9, 10, 30))
    reminder_actions.postpone(team_ctx, user="U1", value="1:2024-12-11")  # 12/10 and 12/12
    _as(team_ctx, _at(12, 9, 10, 31), "remind quiet off")
    assert _tick(team_ctx, _at(12, 10)) == 1
    assert _tick(team_ctx, _at(12, 11)) == 0
    assert _tick(team_ctx, _at(12, 12)) == 1
    assert _tick(team_ctx, _at(12, 13)) == 1  # overdue, the next business day
    _as(team_ctx, _at(12, 13, 9, 30), "remind quiet 08:00-10:00")
    _as(team_ctx, _at(12, 13, 9, 31), "remind team:案内表示WG task:3,1,0")
    assert _tick(team_ctx, _at(12, 13, 10)) == 0

    sent = _sent(team_ctx)
    assert Counter(sent).most_common(1)[0][1] == 1, "a reminder sent twice"
    assert sent == [
        (1, "U1", "overdue", date(2024, 12, 13)),
        (1, "U1", "task", date(2024, 12, 5)),
        (1, "U1", "task", date(2024, 12, 6)),
        (1, "U1", "task", date(2024, 12, 9)),
        (1, "U1", "task", date(2024, 12, 10)),
        (1, "U1", "task", date(2024, 12, 12)),
    ]
    assert _messages(team_ctx) == len(sent)


# --- a ward database from before the change -----------------------------------------


@pytest.fixture(params=["sqlite", "postgres"])
def db_0002(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database at revision 0002 (the release before day-based keys)."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        upgrade(engine, revision="0002")
        yield engine
        engine.dispose()
        return
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("WGBOT_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
        pytest.skip("PostgreSQL tests need TEST_DATABASE_URL")
    schema = f"wgbot_rekey_{os.getpid()}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine = create_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
    upgrade(engine, revision="0002")
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    admin.dispose()


# Rows as release 0.1 left them for task 1 (due 12/10, U1): the 12/5 DM sent at 09:00,
# quiet hours 08:00-10:00 set at 09:30, so a second 12/5 row at 10:00 (the bug), and
# the later ones at 10:00 too; one overdue row sent by a wrapping window the day after.
_OLD_ROWS = [
    ("task:1:task:2024-12-05T09:00+09:00:U1", "2024-12-05 00:00:00", "sent"),
    ("task:1:task:2024-12-05T10:00+09:00:U1", "2024-12-05 01:00:00", "pending"),
    ("task:1:task:2024-12-09T10:00+09:00:U1", "2024-12-09 01:00:00", "pending"),
    ("task:1:task:2024-12-10T10:00+09:00:U1", "2024-12-10 01:00:00", "pending"),
    ("task:1:task:2024-12-04T09:00+09:00:U1", "2024-12-04 00:00:00", "cancelled"),
]


def _old_ward(engine: Engine) -> None:
    stmts = [
        "INSERT INTO team (name, kind, channel_id, created_by, created_at, task_days,"
        " milestone_days, role) VALUES ('案内表示WG', 'WG', 'C0SIGN', 'U1',"
        " '2024-11-01 00:00:00', '3,1,0', '5,0', 'member')",
        "INSERT INTO task (title, kind, team_id, assignee, due, status, created_by, created_at,"
        " updated_at) VALUES ('自己点検', 'task', 1, 'U1', '2024-12-10', 'open', 'U1',"
        " '2024-11-01 00:00:00', '2024-11-01 00:00:00')",
        "INSERT INTO userpref (user_id, reminders_on, quiet_start, quiet_end)"
        " VALUES ('U1', TRUE, '08:00', '10:00')",
    ]
    with engine.begin() as conn:
        for stmt in stmts:
            conn.execute(text(stmt))
        for key, fire, status in _OLD_ROWS:
            conn.execute(
                text(
                    "INSERT INTO reminder (dedupe_key, kind, task_id, user_id, fire_at, status,"
                    " attempts, sent_at) VALUES (:k, 'task', 1, 'U1', :f, :s, 0, :sent)"
                ),
                {"k": key, "f": fire, "s": status, "sent": fire if status == "sent" else None},
            )


def test_upgrade_converts_old_keys_and_a_replan_resends_nothing(db_0002: Engine) -> None:
    _old_ward(db_0002)
    upgrade(db_0002)
    ctx = Ctx(engine=db_0002, clock=FixedClock(_at(12, 5, 9, 30)), calendar=CALENDAR)
    ctx.gateway = RecordingGateway()
    with ctx.session() as s:
        task = s.get(Task, 1)
        assert task is not None
        replan_task(s, ctx=ctx, task=task)
    with ctx.session() as s:
        rows = s.exec(select(Reminder).order_by(Reminder.id)).all()  # type: ignore[arg-type]
        live = Counter(r.dedupe_key for r in rows if r.status in ("pending", "sent"))
    assert max(live.values()) == 1
    assert live["task:1:task:2024-12-05:U1"] == 1
    assert _tick(ctx, _at(12, 5, 10)) == 0, "the 12/5 reminder went out before the upgrade"
    assert _tick(ctx, _at(12, 9, 10)) == 1
    assert _tick(ctx, _at(12, 10, 10)) == 1
    assert [d for _, _, _, d in _sent(ctx)] == [
        date(2024, 12, 5),
        date(2024, 12, 9),
        date(2024, 12, 10),
    ]
