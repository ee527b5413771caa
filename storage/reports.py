"""Queries the month-end report gathers; keyword-only, each takes the session.

Each asks for what stood at a moment (`end`, the first instant after the as-of day) or
on a day, so a report rebuilt later agrees with the one made then.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, case, func, or_
from sqlmodel import Session, col, select

from storage.models import Kpi, KpiValue, Membership, ProgressNote, Task, Team


def teams_of_themes(session: Session, *, theme_ids: Collection[int | None]) -> Sequence[Team]:
    """The teams working on any of the themes, oldest first."""
    stmt = select(Team).where(col(Team.theme_id).in_(theme_ids)).order_by(col(Team.id))
    return session.exec(stmt).all()


def _open_at(end: datetime, day: date) -> ColumnElement[bool]:
    """Tasks that existed and were still open just before `end` (done or cancelled later);
    one ticked off later but completed on `day` or before (`task done #5 on:11/15`) was not."""
    return and_(
        col(Task.created_at) < end,
        or_(
            col(Task.status) == "open",
            and_(
                col(Task.status) == "done",
                col(Task.done_at) >= end,
                or_(col(Task.done_on).is_(None), col(Task.done_on) > day),
            ),
            and_(col(Task.status) == "cancelled", col(Task.cancelled_at) >= end),
        ),
    )


def open_task_counts(
    session: Session, *, theme_ids: Collection[int | None], end: datetime, due_before: date
) -> dict[int | None, tuple[int, int]]:
    """Per theme: (open, due before `due_before`) counts of the tasks open just before `end`
    (the first instant after the as-of day `due_before`)."""
    stmt = (
        select(
            Task.theme_id, func.count(), func.sum(case((col(Task.due) < due_before, 1), else_=0))
        )
        .where(col(Task.theme_id).in_(theme_ids), _open_at(end, due_before))
        .group_by(col(Task.theme_id))
    )
    return {tid: (int(n), int(late or 0)) for tid, n, late in session.exec(stmt).all()}


def theme_notes(
    session: Session, *, theme_ids: Collection[int], first: date, last: date
) -> Sequence[ProgressNote]:
    """Notes on the themes (not archived) dated from `first` to `last`, oldest first."""
    stmt = (
        select(ProgressNote)
        .where(
            col(ProgressNote.theme_id).in_(theme_ids),
            col(ProgressNote.archived_at).is_(None),
            col(ProgressNote.as_of) >= first,
            col(ProgressNote.as_of) <= last,
        )
        .order_by(col(ProgressNote.as_of), col(ProgressNote.id))
    )
    return session.exec(stmt).all()


def milestones(
    session: Session, *, theme_ids: Collection[int], created_before: datetime
) -> Sequence[Task]:
    """The themes' milestones recorded before `created_before`."""
    stmt = select(Task).where(
        col(Task.theme_id).in_(theme_ids),
        Task.kind == "milestone",
        col(Task.created_at) < created_before,
    )
    return session.exec(stmt).all()


def kpis_of_themes(session: Session, *, theme_ids: Collection[int]) -> list[Kpi]:
    """The themes' indicators in the order they were registered."""
    stmt = select(Kpi).where(col(Kpi.theme_id).in_(theme_ids)).order_by(col(Kpi.id))
    return list(session.exec(stmt))


def kpi_values(
    session: Session, *, kpi_ids: Collection[int | None], first: date, last: date
) -> Sequence[KpiValue]:
    """The indicators' values dated from `first` to `last`, oldest first."""
    stmt = (
        select(KpiValue)
        .where(
            col(KpiValue.kpi_id).in_(kpi_ids),
            col(KpiValue.as_of) >= first,
            col(KpiValue.as_of) <= last,
        )
        .order_by(col(KpiValue.as_of), col(KpiValue.id))
    )
    return session.exec(stmt).all()


CITY_PLANNING = "city_planning"


def _city_group() -> tuple[ColumnElement[bool], ...]:
    """Present members of an active team with role city_planning."""
    return (
        col(Team.role) == CITY_PLANNING,
        col(Team.archived_at).is_(None),
        col(Membership.removed_at).is_(None),
    )


def is_city_planner(session: Session, *, user: str) -> bool:
    """True when the user is a present member of an active team with role city_planning."""
    if not user:
        return False
    stmt = (
        select(func.count())
        .select_from(Membership)
        .join(Team, col(Team.id) == col(Membership.team_id))
        .where(Membership.user_id == user, *_city_group())
    )
    return bool(session.exec(stmt).one())


def city_planning_teams(session: Session) -> Sequence[Team]:
    """The active teams with role city_planning, oldest first."""
    stmt = (
        select(Team)
        .where(Team.role == CITY_PLANNING, col(Team.archived_at).is_(None))
        .order_by(col(Team.id))
    )
    return session.exec(stmt).all()


def city_planners(session: Session) -> list[Membership]:
    """The present city planners, one membership each (the earliest), oldest first."""
    stmt = (
        select(Membership)
        .join(Team, col(Team.id) == col(Membership.team_id))
        .where(*_city_group())
        .order_by(col(Membership.added_at), col(Membership.id))
    )
    seen: dict[str, Membership] = {}
    for row in session.exec(stmt).all():
        seen.setdefault(row.user_id, row)
    return list(seen.values())


def city_memberships(session: Session, *, user: str) -> Sequence[Membership]:
    """The user's present memberships of city-planning teams (what `remove` takes back)."""
    stmt = (
        select(Membership)
        .join(Team, col(Team.id) == col(Membership.team_id))
        .where(Membership.user_id == user, *_city_group())
    )
    return session.exec(stmt).all()
