"""The rollover at city size: bulk moves, all or nothing, reminders that need no replan."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel, col, select

from bot.services import reminder_planning
from bot.services.context import Ctx
from bot.services.rollover import rollover
from storage import rollover as rows
from storage.models import Reminder, Task, Team, Theme, ThemeMove
from tests.factories import wg
from tests.services.test_rollover import APRIL, WARD, at, fy2024_work, plan

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def spring(ctx: Ctx) -> Ctx:
    """FY2024 work (tasks #1, #3 open, #2 done; #4 an open milestone due 2025-04-15), U2
    with quiet hours, the FY2025 plan; 1 April 2025 with this month's note rows planned."""
    fy2024_work(ctx)
    wg(ctx, "task add 情報紙コーナー開設 due:2025-04-15 milestone <@U2>")  # 4
    wg(ctx, "remind quiet 08:00-10:00", user="U2")
    plan(ctx, WARD, 2025, ["A(1)", "A(2)", "A(3)", "B(1)", "C(1)"])
    at(ctx, APRIL)
    reminder_planning.plan_month_end(ctx)
    return ctx


def dump(ctx: Ctx, model: type[SQLModel], *where: Any) -> list[dict[str, Any]]:
    with ctx.session() as s:
        stmt = select(model).where(*where).order_by(col(model.id))  # type: ignore[attr-defined]
        return [r.model_dump() for r in s.exec(stmt)]


def task_reminders(ctx: Ctx, ids: Sequence[int]) -> list[dict[str, Any]]:
    return dump(ctx, Reminder, col(Reminder.task_id).in_(ids))


def moved_state(ctx: Ctx) -> dict[str, list[dict[str, Any]]]:
    """The rows a rollover changes."""
    return {m.__name__: dump(ctx, m) for m in (Task, Team, ThemeMove, Reminder)}


def pending_notes(ctx: Ctx) -> set[tuple[str, int, str]]:
    """This month's pending note reminders: (theme's code, its plan's year, lead)."""
    with ctx.session() as s:
        stmt = select(Reminder, Theme).where(
            Reminder.kind == "month_end_note",
            Reminder.status == "pending",
            col(Theme.id) == col(Reminder.theme_id),
        )
        return {(th.code, th.plan_id, r.user_id or "") for r, th in s.exec(stmt)}


def test_moved_tasks_keep_their_reminder_rows_exactly(spring: Ctx) -> None:
    """A task's reminders depend on its due date, kind, assignee and team, not its theme:
    the rollover leaves every row as it was, and a replan afterwards changes nothing."""
    before = task_reminders(spring, [1, 4])
    assert {r["kind"] for r in before} >= {"overdue", "milestone", "milestone_channel"}
    result = rollover(spring, from_year=2024, to_year=2025, apply=True)
    assert sorted(m.id for m in result.placed("task")) == [1, 4]
    after = task_reminders(spring, [1, 4])
    assert after == before
    with spring.session() as s:
        for task in s.exec(select(Task).where(col(Task.id).in_([1, 4]))):
            reminder_planning.replan_task(s, ctx=spring, task=task)
    assert task_reminders(spring, [1, 4]) == before


def test_the_moved_teams_lead_is_asked_for_the_note_on_the_new_theme(spring: Ctx) -> None:
    """Month-end note rows go to a theme's team leads: they follow the team at once."""
    assert pending_notes(spring) == {("A(2)", 1, "U1")}
    rollover(spring, from_year=2024, to_year=2025, apply=True)
    assert pending_notes(spring) == {("A(2)", 2, "U1")}


def test_a_failure_half_way_leaves_no_move(spring: Ctx, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tasks are moved, then moving the teams fails: nothing at all has moved."""
    real = rows.move

    def tasks_then_fail(s: Any, *, kind: str, **kwargs: Any) -> None:
        real(s, kind=kind, **kwargs)
        if kind == "team":
            raise RuntimeError("disk full")

    before = moved_state(spring)
    monkeypatch.setattr(rows, "move", tasks_then_fail)
    with pytest.raises(RuntimeError):
        rollover(spring, from_year=2024, to_year=2025, apply=True)
    assert moved_state(spring) == before
    monkeypatch.undo()
    result = rollover(spring, from_year=2024, to_year=2025, apply=True)
    assert len(result.placed("task")) == 2 and len(dump(spring, ThemeMove)) == 3


CHILD = """
import sys, time
from datetime import datetime
from zoneinfo import ZoneInfo
from sqlalchemy import create_engine
from bot.clock import FixedClock
from bot.services.context import Ctx
from bot.services.rollover import rollover
from storage import rollover as rows
from storage.db import make_engine

url, search_path, flag = sys.argv[1:4]
engine = (
    create_engine(url, connect_args={"options": f"-csearch_path={search_path}"})
    if search_path else make_engine(url)
)
real = rows.move

def move_then_hang(s, *, kind, **kwargs):
    real(s, kind=kind, **kwargs)
    if kind == "team":
        s.flush()
        open(flag, "w").close()
        time.sleep(60)

rows.move = move_then_hang
clock = FixedClock(datetime(2025, 4, 1, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo")))
rollover(Ctx(engine=engine, clock=clock), from_year=2024, to_year=2025, apply=True)
"""


def test_kill_9_in_the_middle_leaves_no_move(spring: Ctx, tmp_path: Path) -> None:
    """`kill -9` once every task and team row is written, before the commit: none moved."""
    engine = spring.engine
    search_path = ""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            search_path = str(conn.execute(text("SHOW search_path")).scalar())
    url = engine.url.render_as_string(hide_password=False)
    flag = tmp_path / "moved"
    before = moved_state(spring)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, search_path, str(flag)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while not flag.exists():
            assert child.poll() is None, child.stderr.read() if child.stderr else ""
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
        if child.stderr:
            child.stderr.close()
    engine.dispose()  # PostgreSQL: the server has rolled the dead connection's work back
    deadline = time.monotonic() + 10
    while moved_state(spring) != before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert moved_state(spring) == before
    result = rollover(spring, from_year=2024, to_year=2025, apply=True)
    assert len(dump(spring, ThemeMove)) == 3 and len(result.placed("team")) == 1
