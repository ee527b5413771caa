"""Queries of the reminder rows a planner keeps in step; keyword-only, each takes the session.

The outbox's claim, finish and report statements live in `storage/outbox.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from bot.domain.reminder_plan import PlannedReminder
from storage.models import Reminder


def of_task(session: Session, *, task_id: int | None) -> Sequence[Reminder]:
    """Every reminder row of a task, whatever its status."""
    return session.exec(select(Reminder).where(Reminder.task_id == task_id)).all()


def month_end_notes(session: Session, *, year: int, month: int) -> Sequence[Reminder]:
    """Every month-end note reminder row of that month, whatever its status."""
    prefix = f"note:%:{year:04d}-{month:02d}:%"
    return session.exec(
        select(Reminder).where(
            Reminder.kind == "month_end_note", col(Reminder.dedupe_key).like(prefix)
        )
    ).all()


def year_end_grades(session: Session, *, fiscal_year: int) -> Sequence[Reminder]:
    """Every year-end grade reminder row of that fiscal year's March, whatever its status."""
    prefix = f"final:%:{fiscal_year + 1:04d}-03-%"
    return session.exec(
        select(Reminder).where(
            Reminder.kind == "year_end_grade", col(Reminder.dedupe_key).like(prefix)
        )
    ).all()


def insert_pending(session: Session, *, plans: Sequence[PlannedReminder]) -> None:
    """Insert pending rows, skipping keys that exist (another transaction may have won)."""
    values: list[dict[str, Any]] = [
        {
            "dedupe_key": p.key,
            "kind": p.kind,
            "task_id": p.task_id,
            "theme_id": p.theme_id,
            "user_id": p.user_id,
            "channel_id": p.channel_id,
            "fire_at": p.fire_at,
            "status": "pending",
            "attempts": 0,
        }
        for p in plans
    ]
    postgres = session.get_bind().dialect.name == "postgresql"
    stmt = (pg_insert if postgres else sqlite_insert)(Reminder).values(values)
    session.execute(stmt.on_conflict_do_nothing(index_elements=["dedupe_key"]))


def sent_message_of(session: Session, *, channel: str, ts: str, task_id: int | None) -> bool:
    """Whether channel/ts is a message the outbox sent for this task (None: a theme's)."""
    stmt = select(Reminder.id).where(
        Reminder.message_channel == channel,
        Reminder.message_ts == ts,
        Reminder.task_id == task_id if task_id else col(Reminder.task_id).is_(None),
    )
    return session.exec(stmt).first() is not None
