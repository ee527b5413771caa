"""Queries the month-end report gathers; keyword-only, each takes the session.

Each asks for what stood at a moment (`end`, the first instant after the as-of day) or
on a day, so a report rebuilt later agrees with the one made then.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, case, func, or_
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from storage import role_groups
from storage.models import Kpi, KpiValue, ProgressNote, Task, Team, ThemeMove

_CHUNK = 5000  # ids per IN list (SQLite takes at most 32766 parameters)


@dataclass(frozen=True)
class Moves:
    """What a fiscal year's rollover moved at or after a moment: task and team ids, each
    with the theme it was on just before that moment (its first move's `from_theme_id`)."""

    tasks: dict[int, int] = field(default_factory=dict)
    teams: dict[int, int] = field(default_factory=dict)

    def then(self, kind: str, item_id: int | None, theme_id: int | None) -> int | None:
        """The theme a task or team was on at the moment (where it is now if not moved)."""
        moved = self.tasks if kind == "task" else self.teams
        return moved.get(item_id or 0, theme_id)


def moves_since(session: Session, *, end: datetime, theme_ids: Collection[int | None]) -> Moves:
    """Moves at or after `end` from or to any of the themes, earliest first per item.

    Enough to place every task and team that was on one of the themes at `end` or is on
    one now: the first move of a task that was on one of them is from it, and the last
    move of a task that is on one now is to it (either way the first move found names
    a theme that is one of them only if the task was on it at `end`).
    """
    ids = [i for i in theme_ids if i is not None]
    found = Moves()
    if not ids:
        return found
    stmt = (
        select(ThemeMove.task_id, ThemeMove.team_id, ThemeMove.from_theme_id)
        .where(
            col(ThemeMove.moved_at) >= end,
            or_(col(ThemeMove.from_theme_id).in_(ids), col(ThemeMove.to_theme_id).in_(ids)),
        )
        .order_by(col(ThemeMove.moved_at), col(ThemeMove.id))
    )
    for task_id, team_id, from_theme in session.exec(stmt).all():
        if task_id is not None:
            found.tasks.setdefault(task_id, from_theme)
        if team_id is not None:
            found.teams.setdefault(team_id, from_theme)
    return found


def _chunks(ids: Collection[int]) -> list[list[int]]:
    items = sorted(ids)
    return [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]


def teams_of_themes(
    session: Session, *, theme_ids: Collection[int | None], moves: Moves | None = None
) -> list[tuple[int | None, Team]]:
    """The teams working on any of the themes (as `moves` says they stood), oldest first,
    each with the theme it worked on then."""
    moves = moves or Moves()
    wanted = set(theme_ids)
    teams = list(session.exec(select(Team).where(col(Team.theme_id).in_(theme_ids))).all())
    for chunk in _chunks(moves.teams):
        teams += session.exec(select(Team).where(col(Team.id).in_(chunk))).all()
    placed = {t.id: (moves.then("team", t.id, t.theme_id), t) for t in teams}
    return [placed[i] for i in sorted(placed, key=lambda i: i or 0) if placed[i][0] in wanted]


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
    session: Session,
    *,
    theme_ids: Collection[int | None],
    end: datetime,
    due_before: date,
    moves: Moves | None = None,
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
    counts = {tid: [int(n), int(late or 0)] for tid, n, late in session.exec(stmt).all()}
    # A task a rollover moved later counts on the theme it was on then, not on its new one.
    moves = moves or Moves()
    wanted = set(theme_ids)
    for chunk in _chunks(moves.tasks):
        moved = select(col(Task.id), col(Task.theme_id), col(Task.due)).where(
            col(Task.id).in_(chunk), _open_at(end, due_before)
        )
        for task_id, now_on, due in session.exec(moved).all():
            late = int(due is not None and due < due_before)
            for theme, sign in ((now_on, -1), (moves.then("task", task_id, now_on), 1)):
                if theme in wanted:
                    row = counts.setdefault(theme, [0, 0])
                    row[0], row[1] = row[0] + sign, row[1] + sign * late
    return {tid: (n, late) for tid, (n, late) in counts.items() if n}


class NoteRow(NamedTuple):
    """A progress note as the report reads it (columns, not an ORM object: a year of notes
    is thousands of rows, and building ORM objects was most of the report's query time)."""

    theme_id: int | None
    as_of: date
    text: str
    author: str


def theme_notes(
    session: Session, *, theme_ids: Collection[int], first: date, last: date
) -> list[NoteRow]:
    """Notes on the themes (not archived) dated from `first` to `last`, oldest first."""
    n = ProgressNote
    stmt = (
        select(col(n.theme_id), col(n.as_of), col(n.text), col(n.author))
        .where(
            col(n.theme_id).in_(theme_ids),
            col(n.archived_at).is_(None),
            col(n.as_of) >= first,
            col(n.as_of) <= last,
        )
        .order_by(col(n.as_of), col(n.id))
    )
    return [NoteRow(*row) for row in session.exec(stmt)]


class MilestoneRow(NamedTuple):
    """A milestone as the report reads it (columns, not an ORM object; see NoteRow)."""

    id: int
    theme_id: int | None
    title: str
    due: date | None
    status: str
    done_on: date | None
    done_at: datetime | None
    created_at: datetime | None
    cancelled_at: datetime | None


_MILESTONE_COLUMNS = (
    col(Task.id),
    col(Task.theme_id),
    col(Task.title),
    col(Task.due),
    col(Task.status),
    col(Task.done_on),
    col(Task.done_at),
    col(Task.created_at),
    col(Task.cancelled_at),
)


def milestones(
    session: Session,
    *,
    theme_ids: Collection[int],
    created_before: datetime,
    moves: Moves | None = None,
) -> list[tuple[int | None, MilestoneRow]]:
    """The themes' milestones recorded before `created_before`, each with the theme it was
    on then (`moves`: those a rollover moved later)."""
    moves = moves or Moves()
    recorded = (col(Task.kind) == "milestone", col(Task.created_at) < created_before)
    stmt = select_columns(*_MILESTONE_COLUMNS).where(*recorded)
    on_themes = stmt.where(col(Task.theme_id).in_(theme_ids))
    found = [MilestoneRow(*r) for r in session.execute(on_themes)]
    for chunk in _chunks(moves.tasks):
        found += [MilestoneRow(*r) for r in session.execute(stmt.where(col(Task.id).in_(chunk)))]
    wanted = set(theme_ids)
    placed = {m.id: (moves.then("task", m.id, m.theme_id), m) for m in found}
    return [placed[i] for i in sorted(placed) if placed[i][0] in wanted]


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


def is_city_planner(session: Session, *, user: str) -> bool:
    """True when the user is a present member of an active team with role city_planning."""
    return role_groups.has_role(session, role=CITY_PLANNING, user=user)
