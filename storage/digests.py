"""Queries of the weekly digest: its tasks and notes, and the digest_post row per team and week.

A (team, week) row is claimed before posting and finished after, so two instances or a
restart post a week's digest once; a claim whose poster died is taken again.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    bindparam,
    case,
    delete,
    func,
    literal,
    or_,
    union_all,
    update,
)
from sqlalchemy import select as select_columns
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from storage.models import DigestPost, ProgressNote, Reminder, Task, Team, Theme
from storage.outbox import OPS_KIND


@dataclass(frozen=True)
class WeekBounds:
    """The days and instants that sort a week's tasks into the digest's sections."""

    today: date
    next_start: date  # the next week's Monday
    horizon: date  # the last day of the milestone outlook
    done_from: datetime  # last week's Monday 00:00, office time
    done_before: datetime  # this week's Monday 00:00, office time


@dataclass(frozen=True)
class SectionTask:
    """A task of one team's digest section, with the number of tasks in that section."""

    team_id: int
    section: str  # "done_last_week" | "due_this_week" | "overdue" | "milestones"
    total: int
    id: int
    kind: str
    title: str
    due: date | None
    status: str
    assignee: str | None
    done_at: datetime | None


SECTIONS = ("done_last_week", "overdue", "due_this_week", "milestones")


def _section() -> ColumnElement[int | None]:
    """The digest section of a task (bot.domain.digest.build_digest's rules, numbered as
    SECTIONS: a number sorts faster than a name), else NULL; bounds as WeekBounds' names.

    The sections do not overlap: a task due this week is not in the milestone outlook.
    """
    is_open, due = col(Task.status) == "open", col(Task.due)
    done_at = col(Task.done_at)
    done = (done_at >= bindparam("done_from")) & (done_at < bindparam("done_before"))
    return case(
        ((col(Task.status) == "done") & done, 0),
        (is_open & (due < bindparam("today")), 1),
        (is_open & (due < bindparam("next_start")), 2),
        (is_open & (col(Task.kind) == "milestone") & (due <= bindparam("horizon")), 3),
        else_=None,
    )


@cache
def _section_query(capped: bool) -> Select[Any]:
    """Built once: a statement this size costs more to build than to run for one team."""
    section = _section().label("section")
    wanted = or_(
        (col(Task.status) == "open") & (col(Task.due) <= bindparam("until")),
        (col(Task.status) == "done")
        & (col(Task.done_at) >= bindparam("done_from"))
        & (col(Task.done_at) < bindparam("done_before")),
    )
    part = (col(Task.team_id), section)
    order = (col(Task.due).is_(None), col(Task.due), col(Task.id))
    inner = (
        select_columns(
            col(Task.team_id).label("team_id"),
            section,
            func.count().over(partition_by=part).label("total"),
            func.row_number().over(partition_by=part, order_by=order).label("n"),
            col(Task.id).label("id"),
            col(Task.kind).label("kind"),
            col(Task.title).label("title"),
            col(Task.due).label("due"),
            col(Task.status).label("status"),
            col(Task.assignee).label("assignee"),
            col(Task.done_at).label("done_at"),
        )
        .where(col(Task.team_id).in_(bindparam("team_ids", expanding=True)), wanted)
        .subquery()
    )
    c = inner.c
    stmt = select_columns(
        c.team_id, c.section, c.total, c.id, c.kind, c.title, c.due, c.status, c.assignee,
        c.done_at,
    ).where(c.section.is_not(None))  # fmt: skip
    # No ORDER BY: build_digest sorts each team's tasks (the window has numbered them).
    return stmt.where(c.n <= bindparam("first")) if capped else stmt


def section_tasks(
    session: Session, *, team_ids: Collection[int], bounds: WeekBounds, first: int | None
) -> list[SectionTask]:
    """The teams' tasks in each digest section (in no order: build_digest sorts them).

    `first`: only the first so many of each team's section in the section's order (due
    day, then id); the rest only counts towards `total`, which the database counts: a
    team can hold hundreds of overdue tasks, and a digest shows 15 of a section. Plain
    rows, not ORM objects.
    """
    b = bounds
    params = {
        "team_ids": list(team_ids),
        "today": b.today,
        "next_start": b.next_start,
        "horizon": b.horizon,
        "until": max(b.horizon, b.next_start),
        "done_from": b.done_from,
        "done_before": b.done_before,
        "first": first,
    }
    stmt = _section_query(first is not None)
    return [
        SectionTask(team_id, SECTIONS[section], *rest)
        for team_id, section, *rest in session.execute(stmt, params)
    ]


@dataclass(frozen=True)
class WeekNote:
    """A note of a team's digest: on one of its tasks, or on its theme."""

    team_id: int
    id: int
    task_id: int | None
    theme_code: str | None
    author: str
    text: str
    as_of: date
    created_at: datetime


def _note_columns() -> tuple[Any, ...]:
    return (
        col(ProgressNote.id), col(ProgressNote.task_id), col(Theme.code),
        col(ProgressNote.author), col(ProgressNote.text), col(ProgressNote.as_of),
        col(ProgressNote.created_at),
    )  # fmt: skip


def _dated(stmt: Select[Any]) -> Select[Any]:
    """Not archived, dated last week (what the note is about, as build_digest sorts them),
    with its theme's code."""
    return stmt.join(Theme, col(Theme.id) == col(ProgressNote.theme_id), isouter=True).where(
        col(ProgressNote.archived_at).is_(None),
        col(ProgressNote.as_of) >= bindparam("first"),
        col(ProgressNote.as_of) < bindparam("before"),
    )


@cache
def _notes_on_tasks(kind: str) -> Select[Any]:
    """Notes on the teams' tasks, as (team id, *columns), driven by the teams' tasks.

    kind "many": a join. For one team (a preview, the CLI, "one" or "one_pg") the team's
    task ids are looked up first and its notes by ix_progressnote_task_id; on PostgreSQL
    as `= ANY(ARRAY(…))`, since a join or IN (…) is planned from the notes when they look
    few (no statistics yet): a probe into the task table for every note of the week.
    """
    if kind == "many":
        return _dated(
            select_columns(col(Task.team_id), *_note_columns())
            .join(Task, col(Task.id) == col(ProgressNote.task_id))
            .where(col(Task.team_id).in_(bindparam("team_ids", expanding=True)))
        )
    tasks = select_columns(col(Task.id)).where(col(Task.team_id) == bindparam("team_id"))
    task_id = col(ProgressNote.task_id)
    on_task = (
        task_id == func.any(func.array(tasks.scalar_subquery()))
        if kind == "one_pg"
        else task_id.in_(tasks)
    )
    team = bindparam("team_id", type_=Integer)
    return _dated(select_columns(team, *_note_columns()).where(on_task))


@cache
def _notes_on_themes() -> Select[Any]:
    return _dated(
        select_columns(col(ProgressNote.theme_id), *_note_columns()).where(
            col(ProgressNote.theme_id).in_(bindparam("theme_ids", expanding=True))
        )
    )


@cache
def _one_teams_notes(postgres: bool) -> CompoundSelect:
    """One team's notes on its tasks and on its theme in one round trip (a preview)."""
    team = bindparam("team_id", type_=Integer)
    on_theme = _dated(
        select_columns(team, *_note_columns()).where(
            col(ProgressNote.theme_id) == bindparam("theme_id", type_=Integer)
        )
    )
    return union_all(_notes_on_tasks("one_pg" if postgres else "one"), on_theme)


def notes_of_teams(
    session: Session, *, theme_of: Mapping[int, int | None], first: date, before: date
) -> list[WeekNote]:
    """Notes dated from `first` to before `before` on each team's tasks or theme, with the
    theme's code; per team in note id order, a note on both counted once.

    `theme_of`: team id -> its theme id. Two indexed lookups (notes by task, notes by
    theme) instead of `task_id IN (…) OR theme_id = …`, which PostgreSQL answers by
    reading every note.
    """
    dates = {"first": first, "before": before}
    team_ids = list(theme_of)
    found: dict[tuple[int, int], WeekNote] = {}
    if len(team_ids) == 1:
        (team_id,) = team_ids
        postgres = session.get_bind().dialect.name == "postgresql"
        params = {"team_id": team_id, "theme_id": theme_of[team_id], **dates}
        for _, *rest in session.execute(_one_teams_notes(postgres), params):
            found.setdefault((team_id, rest[0]), WeekNote(team_id, *rest))
        return [found[key] for key in sorted(found)]
    on_tasks = session.execute(_notes_on_tasks("many"), {"team_ids": team_ids, **dates})
    for team_id, *rest in on_tasks:
        found[(team_id, rest[0])] = WeekNote(team_id, *rest)
    teams_of: dict[int, list[int]] = {}
    for team_id, theme_id in theme_of.items():
        if theme_id is not None:
            teams_of.setdefault(theme_id, []).append(team_id)
    if teams_of:
        on_themes = session.execute(_notes_on_themes(), {"theme_ids": list(teams_of), **dates})
        for theme_id, *rest in on_themes:
            for team_id in teams_of[theme_id]:
                found.setdefault((team_id, rest[0]), WeekNote(team_id, *rest))
    return [found[key] for key in sorted(found)]


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


def insert_claims(
    session: Session, *, team_ids: Collection[int], week_start: date, holder: str, now: datetime
) -> set[int]:
    """Add the claimed (team, week) rows that do not exist yet; returns their teams.

    One statement for all teams; a row another caller inserted first (or at the same
    time: the unique key decides) is left to it.
    """
    if not team_ids:
        return set()
    t = DigestPost.__table__  # type: ignore[attr-defined]
    postgres = session.get_bind().dialect.name == "postgresql"
    rows = select_columns(
        col(Team.id),
        literal(week_start, type_=t.c.week_start.type),
        literal("claimed"),
        literal(holder),
        literal(now, type_=t.c.posted_at.type),
    ).where(col(Team.id).in_(list(team_ids)))
    # INSERT … SELECT: a handful of parameters, where a VALUES row per team took longer
    # to compile than to run.
    names = ["team_id", "week_start", "status", "claimed_by", "posted_at"]
    stmt: Any = (pg_insert if postgres else sqlite_insert)(t).from_select(names, rows)
    stmt = stmt.on_conflict_do_nothing(index_elements=["team_id", "week_start"])
    return {int(row[0]) for row in session.execute(stmt.returning(t.c.team_id))}


def retake_claims(
    session: Session,
    *,
    team_ids: Collection[int],
    week_start: date,
    holder: str,
    live: list[str],
    now: datetime,
    stale_before: datetime,
) -> set[int]:
    """Claim the teams' failed (team, week) rows, and those whose poster is not in `live`."""
    if not team_ids:
        return set()
    stmt = (
        update(DigestPost)
        .where(
            col(DigestPost.team_id).in_(list(team_ids)),
            col(DigestPost.week_start) == week_start,
            or_(col(DigestPost.status) == "failed", _dead_claim(live, stale_before)),
        )
        .values(status="claimed", claimed_by=holder, posted_at=now)
        .returning(col(DigestPost.team_id))
    )
    return {int(team_id) for team_id in session.execute(stmt).scalars()}


def release_claims(
    session: Session, *, team_ids: Collection[int], week_start: date, holder: str
) -> None:
    """Give up claims not posted (a shutdown): the rows go, so the next poster takes them."""
    if team_ids:
        session.execute(
            delete(DigestPost).where(
                col(DigestPost.team_id).in_(list(team_ids)),
                col(DigestPost.week_start) == week_start,
                col(DigestPost.status) == "claimed",
                col(DigestPost.claimed_by) == holder,
            )
        )


def finish_posts(
    session: Session, *, posts: Mapping[int, str | None], week_start: date, now: datetime
) -> None:
    """Mark the teams' (team, week) rows sent (with Slack's ts) or failed (None), in one
    statement: `posts` maps team id -> ts."""
    if not posts:
        return
    team_id = col(DigestPost.team_id)
    ts = case(*((team_id == team, value or None) for team, value in posts.items()))
    status = case(*((team_id == team, "sent" if value else "failed") for team, value in
                    posts.items()))  # fmt: skip
    session.execute(
        update(DigestPost)
        .where(team_id.in_(list(posts)), col(DigestPost.week_start) == week_start)
        .values(status=status, message_ts=ts, posted_at=now)
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
