"""The operator-run role groups: case admins (DESIGN §10) and city planners (§11).

A role belongs to the present members of an active team carrying it. Only the operator
changes who they are (`wgbot case-admin`, `wgbot city-planning`): the group's team is
made on the first `add`, a removed member's row comes back on `add`, and `remove` sets
removed_at/removed_by, deleting nothing. What a change leaves behind is the group's own
(`RoleGroup.record`): the case admins' audit chain, the city planners' team history.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.domain.text import team_name_key
from bot.errors import InvalidInput
from bot.services.context import Ctx
from storage import queries
from storage import role_groups as store
from storage.models import Membership, Team

# A Slack member id (U…, or W… on Enterprise Grid), as copied from a profile.
_MEMBER_ID = re.compile(r"[UW][A-Z0-9]{1,31}")


@dataclass(frozen=True)
class Change:
    """Who one record call is about: `verb` add or remove, on these teams, at `now`."""

    verb: str
    user: str
    team_ids: list[int]
    actor: str
    now: datetime


@dataclass(frozen=True)
class RoleGroup:
    """One operator-run group; `keys` is its catalogue prefix (`<keys>.bad_id`, …)."""

    role: str  # Team.role
    name: str  # the team made on the first add
    ward: str | None  # that team's ward
    keys: str
    record: Callable[[Session, Ctx, Change], None]


@dataclass(frozen=True)
class RoleChange:
    changed: list[str]  # added, or removed
    unchanged: list[str]  # already in the group (add) / not in it (remove)


def _member_ids(group: RoleGroup, users: list[str]) -> list[str]:
    ids = list(dict.fromkeys(u.strip() for u in users))
    bad = [u for u in ids if not _MEMBER_ID.fullmatch(u)]
    if not ids or bad:
        raise InvalidInput(f"{group.keys}.bad_id", given=" ".join(bad) or "-")
    return ids


def _team(s: Session, ctx: Ctx, group: RoleGroup, *, actor: str) -> Team:
    """The group's team; made on the first `add` when the database has none."""
    teams = store.role_teams(s, role=group.role)
    if teams:
        return teams[0]
    if (taken := queries.team_by_name(s, name=group.name, archived_too=True)) is not None:
        raise InvalidInput(f"{group.keys}.name_taken", team=taken.name)
    team = Team(
        name=group.name,
        name_key=team_name_key(group.name),
        kind="PT",
        ward=group.ward,
        role=group.role,
        created_by=actor,
        created_at=ctx.clock.now(),
    )
    s.add(team)
    s.flush()
    return team


def add(ctx: Ctx, group: RoleGroup, *, users: list[str], actor: str) -> RoleChange:
    """Give people the role (a removed one's membership is re-activated); recorded."""
    ids = _member_ids(group, users)
    now = ctx.clock.now()
    result = RoleChange([], [])
    with ctx.session() as s:
        team = _team(s, ctx, group, actor=actor)
        for uid in ids:
            if store.has_role(s, role=group.role, user=uid):
                result.unchanged.append(uid)
                continue
            row = queries.membership_row(s, team_id=team.id, user_id=uid)
            if row is None:
                row = Membership(team_id=team.id or 0, user_id=uid, added_by=actor, added_at=now)
            row.removed_at, row.removed_by = None, None
            row.added_by, row.added_at = actor, now
            s.add(row)
            group.record(s, ctx, Change("add", uid, [team.id or 0], actor, now))
            result.changed.append(uid)
    return result


def remove(ctx: Ctx, group: RoleGroup, *, users: list[str], actor: str) -> RoleChange:
    """Take the role back: memberships get removed_at/removed_by, nothing is deleted."""
    ids = _member_ids(group, users)
    now = ctx.clock.now()
    result = RoleChange([], [])
    with ctx.session() as s:
        for uid in ids:
            rows = store.role_memberships(s, role=group.role, user=uid)
            for row in rows:
                row.removed_at, row.removed_by = now, actor
                s.add(row)
            if rows:
                team_ids = [row.team_id for row in rows]
                group.record(s, ctx, Change("remove", uid, team_ids, actor, now))
            (result.changed if rows else result.unchanged).append(uid)
    return result


def members(ctx: Ctx, group: RoleGroup) -> list[Membership]:
    """The present holders of the role, oldest first."""
    with ctx.session() as s:
        return store.role_members(s, role=group.role)
