"""Slack Events API deliveries taken by some instance: the `slack_event` table.

Slack delivers an event again (X-Slack-Retry-Num 1, 2, 3) when it thinks the first
delivery failed, and may hand the retry to another instance. Whoever inserts the
`event_id` first handles the event; every other delivery of it is acked and skipped.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from storage.models import SlackEvent

EVENT_ID_MAX = 64  # the column's width; Slack's ids are about a dozen characters


def take_event(session: Session, *, event_id: str, now: datetime) -> bool:
    """Record the event as taken; False when some delivery (here or elsewhere) took it first."""
    # ON CONFLICT DO NOTHING (SQLite and PostgreSQL, the two backends): the loser of a race
    # gets no row back, and no error that would abort its transaction. (The row count is
    # no help: through the ORM session it is -1 on PostgreSQL.)
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = (
        insert(SlackEvent)
        .values(event_id=event_id, received_at=now)
        .on_conflict_do_nothing()
        .returning(col(SlackEvent.event_id))
    )
    return session.execute(stmt).first() is not None


def forget_events(session: Session, *, before: datetime) -> int:
    """Delete rows received before `before`; returns how many.

    Deleting is right here: these rows are a technical de-duplication aid (Slack retries
    within minutes), not a record of what staff did, which is never deleted.
    """
    stmt = delete(SlackEvent).where(col(SlackEvent.received_at) < before)
    return int(session.execute(stmt).rowcount)  # type: ignore[attr-defined]
