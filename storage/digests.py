"""Queries of the weekly digest: its tasks and notes, and the digest_post row per team and week.

A (team, week) row is claimed before posting and finished after, so two instances or a
restart post a week's digest once; a claim whose poster died is taken again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import ColumnElement, func, or_, update
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from storage.models import DigestPost, ProgressNote, Reminder, Task, Team, Theme
from storage.outbox import OPS_KIND


class WeekTask(Protocol):
    """The columns of a task that a digest shows."""

    id: int | None
    kind: str
    title: str
    due: date | None
    status: str
    assignee: str | None
    done_at: datetime | None


def tasks_of_week(
    session: Session, *, team_id: int | None, done_since: datetime
) -> Sequence[WeekTask]:
    """The team's open tasks, and those done since `done_since`.

    Only the columns a digest shows, as rows: a team can hold hundreds of tasks, and
    building a full ORM object for each was most of the digest's time.
    """
    columns = (Task.id, Task.kind, Task.title, Task.due, Task.status, Task.assignee, Task.done_at)
    return session.execute(  # type: ignore[return-value]  # rows with the columns' names
        select_columns(*map(col, columns)).where(
            col(Task.team_id) == team_id,
            or_(col(Task.status) == "open", col(Task.done_at) >= done_since),
        )
    ).all()


def notes_of_week(
    session: Session, *, team_id: int | None, theme_id: int | None, first: date, before: date
) -> Sequence[tuple[ProgressNote, str | None]]:
    """Notes on the team's tasks or theme dated from `first` to before `before`, with the
    theme's code."""
    task_ids = select(Task.id).where(Task.team_id == team_id)
    note_filter: ColumnElement[bool] = col(ProgressNote.task_id).in_(task_ids)
    if theme_id is not None:
        note_filter = or_(note_filter, col(ProgressNote.theme_id) == theme_id)
    stmt = (
        select(ProgressNote, Theme.code)
        .join(Theme, col(Theme.id) == col(ProgressNote.theme_id), isouter=True)
        .where(
            note_filter,
            col(ProgressNote.archived_at).is_(None),
            # Dated last week (what the note is about), as build_digest sorts them.
            col(ProgressNote.as_of) >= first,
            col(ProgressNote.as_of) < before,
        )
    )
    return session.exec(stmt).all()


def teams_with_channel(session: Session, *, created_before: datetime | None) -> list[Team]:
    """Active teams with a channel (created before `created_before`, if given)."""
    stmt = select(Team).where(col(Team.archived_at).is_(None), col(Team.channel_id).is_not(None))
    if created_before is not None:
        stmt = stmt.where(col(Team.created_at) < created_before)
    return list(session.exec(stmt).all())


def _dead_claim(live: list[str], stale_before: datetime) -> ColumnElement[bool]:
    """A claim whose poster stopped renewing its instance lease (or is very old)."""
    return (col(DigestPost.status) == "claimed") & or_(
        col(DigestPost.claimed_by).is_(None),
        col(DigestPost.claimed_by).not_in(live),
        col(DigestPost.posted_at) < stale_before,
    )


def insert_claim(
    session: Session, *, team_id: int, week_start: date, holder: str, now: datetime
) -> None:
    """Add the claimed (team, week) row; raises IntegrityError when it exists."""
    session.add(
        DigestPost(
            team_id=team_id,
            week_start=week_start,
            status="claimed",
            claimed_by=holder,
            posted_at=now,
        )
    )
    session.flush()


def retake_claim(
    session: Session,
    *,
    team_id: int,
    week_start: date,
    holder: str,
    live: list[str],
    now: datetime,
    stale_before: datetime,
) -> bool:
    """Claim a failed (team, week) row, or one whose poster is not in `live`."""
    result = session.execute(
        update(DigestPost)
        .where(
            col(DigestPost.team_id) == team_id,
            col(DigestPost.week_start) == week_start,
            or_(col(DigestPost.status) == "failed", _dead_claim(live, stale_before)),
        )
        .values(status="claimed", claimed_by=holder, posted_at=now)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def finish_post(
    session: Session, *, team_id: int, week_start: date, ts: str | None, now: datetime
) -> None:
    """Mark the (team, week) row sent (with Slack's ts) or failed (no ts)."""
    session.execute(
        update(DigestPost)
        .where(col(DigestPost.team_id) == team_id, col(DigestPost.week_start) == week_start)
        .values(status="sent" if ts else "failed", message_ts=ts, posted_at=now)
    )


def a_team_missing(
    session: Session,
    *,
    week_start: date,
    created_before: datetime,
    live: list[str],
    stale_before: datetime,
) -> int | None:
    """One team with a channel whose week's digest is neither posted nor being posted."""
    post = (
        (col(DigestPost.team_id) == col(Team.id))
        & (col(DigestPost.week_start) == week_start)
    )  # fmt: skip
    return session.exec(
        select(Team.id)
        .join(DigestPost, post, isouter=True)
        .where(col(Team.archived_at).is_(None), col(Team.channel_id).is_not(None))
        .where(col(Team.created_at) < created_before)
        .where(or_(col(DigestPost.id).is_(None), _dead_claim(live, stale_before)))
        .limit(1)
    ).first()


def failed_of_week(session: Session, *, week_start: date) -> list[DigestPost]:
    """The week's digest rows whose last post failed (`posted_at`: when it failed)."""
    q = select(DigestPost).where(
        col(DigestPost.week_start) == week_start, col(DigestPost.status) == "failed"
    )
    return list(session.exec(q))


def failed_for_report(session: Session, *, settled_before: datetime) -> list[DigestPost]:
    """Digests that stayed failed (failed before `settled_before`) since the last daily report."""
    last = session.execute(
        select(func.max(col(Reminder.sent_at))).where(
            col(Reminder.kind) == OPS_KIND, col(Reminder.status) == "sent"
        )
    ).scalar()
    q = select(DigestPost).where(
        col(DigestPost.status) == "failed", col(DigestPost.posted_at) < settled_before
    )
    if last is not None:
        q = q.where(col(DigestPost.posted_at) > last)
    return list(session.exec(q.order_by(col(DigestPost.id))))
