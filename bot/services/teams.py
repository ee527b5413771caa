"""Use cases for teams: create, list, show, add and remove members.

A membership is never deleted: removing sets removed_at/removed_by, a re-add
re-activates the row, and every add and removal is kept in team_history. The
case-admin group is run by the operator (`wgbot case-admin`), never from Slack.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.domain.text import check_free_text, team_name_key
from bot.errors import InvalidInput, NotFound, PermissionDenied
from bot.results import TeamView
from bot.services import access, wards
from bot.services.context import Ctx
from bot.services.wards import resolve_theme
from storage import queries
from storage import teams as team_rows
from storage.cases import CASE_ADMIN
from storage.models import Membership, Team, TeamHistory, Theme

NAME_LIMIT = 80


def create_team(
    ctx: Ctx,
    *,
    user: str,
    name: str,
    kind: str = "WG",
    theme_code: str | None = None,
    channel_id: str | None = None,
    role: str | None = None,
    ward_text: str | None = None,
) -> Team:
    """Create a team; its creator becomes its lead.

    Its ward: `ward_text` (a ward, or 全市 for a city-wide team), else its theme's ward,
    else the creator's ward.
    """
    name = check_free_text("name", name).strip()
    if not name:
        raise InvalidInput("error.usage", usage=f"{ctx.command} team new <名前> [kind:WG|PT]")
    if len(name) > NAME_LIMIT:
        raise InvalidInput("error.too_long", field="チーム名", limit=NAME_LIMIT, length=len(name))
    kind = kind.upper()
    if kind not in ("WG", "PT"):
        raise InvalidInput("error.bad_kind", kind=kind)
    now = ctx.clock.now()
    with ctx.session() as s:
        if existing := queries.team_by_name(s, name=name, archived_too=True):
            # `ＷＧ` and `WG` are one name (team.name_key): say which team has it.
            key = "error.team_exists" if existing.name == name else "error.team_exists_as"
            raise InvalidInput(key, name=name, existing=existing.name)
        theme = resolve_theme(s, ctx=ctx, code_text=theme_code, user=user) if theme_code else None
        ward: str | None
        if ward_text is not None:
            ward = wards.read_ward(s, ward_text, city_wide=True)
        elif theme is not None:
            ward = team_rows.ward_of_theme(s, theme=theme)
        else:
            ward = wards.ward_of(s, user=user)
        team = Team(
            name=name,
            name_key=team_name_key(name),
            kind=kind,
            ward=ward,
            theme_id=theme.id if theme else None,
            channel_id=channel_id,
            role=role,
            created_by=user,
            created_at=now,
        )
        s.add(team)
        s.flush()
        assert team.id is not None
        s.add(Membership(team_id=team.id, user_id=user, is_lead=True, added_by=user, added_at=now))
        _history(s, team=team, user_id=user, action="member_add", actor=user, at=now)
        return team


def find_team(session: Session, *, ctx: Ctx, name: str) -> Team:
    """An active team by name, or NotFound."""
    team = queries.team_by_name(session, name=name)
    if team is None:
        raise NotFound("error.team_not_found", name=name, cmd=ctx.command)
    return team


def add_members(
    ctx: Ctx, *, user: str, team_name: str, users: Sequence[str], lead: bool = False
) -> Team:
    """Add users (leads only may do this); existing members may be made leads."""
    if not users:
        raise InvalidInput("error.no_users")
    now = ctx.clock.now()
    with ctx.session() as s:
        team = _team_a_lead_runs(s, ctx=ctx, user=user, team_name=team_name)
        for uid in dict.fromkeys(users):
            row = queries.membership_row(s, team_id=team.id, user_id=uid)
            if row is None or row.removed_at is not None:
                row = row or Membership(team_id=team.id or 0, user_id=uid, added_by=user)
                row.is_lead, row.added_by, row.added_at = lead, user, now
                row.removed_at, row.removed_by = None, None
                s.add(row)
                _history(s, team=team, user_id=uid, action="member_add", actor=user, at=now)
            elif lead and not row.is_lead:
                row.is_lead = True
        return team


@dataclass(frozen=True)
class Removal:
    team: Team
    removed: list[str]
    not_members: list[str]


def remove_members(ctx: Ctx, *, user: str, team_name: str, users: Sequence[str]) -> Removal:
    """Take people off a team (leads only): nothing deleted, each removal in team_history."""
    if not users:
        raise InvalidInput("error.no_users")
    now = ctx.clock.now()
    with ctx.session() as s:
        team = _team_a_lead_runs(s, ctx=ctx, user=user, team_name=team_name)
        wanted = list(dict.fromkeys(users))
        rows = {m.user_id: m for m in queries.members(s, team_id=team.id)}
        leads_left = [u for u, m in rows.items() if m.is_lead and u not in wanted]
        if not leads_left and any(rows[u].is_lead for u in wanted if u in rows):
            raise InvalidInput("team.err.last_lead", team=team.name)
        for uid in wanted:
            if (row := rows.get(uid)) is not None:
                row.removed_at, row.removed_by = now, user
                s.add(row)
                _history(s, team=team, user_id=uid, action="member_remove", actor=user, at=now)
        return Removal(
            team=team,
            removed=[u for u in wanted if u in rows],
            not_members=[u for u in wanted if u not in rows],
        )


def _team_a_lead_runs(s: Session, *, ctx: Ctx, user: str, team_name: str) -> Team:
    """The team whose members the user may change, or why not."""
    team = find_team(s, ctx=ctx, name=team_name)
    if team.role == CASE_ADMIN:
        # Whoever created the group in Slack must not decide who reads every case.
        raise PermissionDenied("team.err.case_admin_group", team=team.name)
    access.require_lead(s, team=team, user=user)
    return team


def _history(
    s: Session, *, team: Team, user_id: str, action: str, actor: str, at: datetime
) -> None:
    s.add(TeamHistory(team_id=team.id or 0, user_id=user_id, action=action, actor=actor, at=at))


def list_teams(ctx: Ctx) -> list[TeamView]:
    """All active teams with their people and counts."""
    with ctx.session() as s:
        return [_view(s, ctx, t) for t in team_rows.active_teams(s)]


def show_team(ctx: Ctx, *, name: str) -> TeamView:
    """One team with its people and counts."""
    with ctx.session() as s:
        return _view(s, ctx, find_team(s, ctx=ctx, name=name))


def _view(s: Session, ctx: Ctx, team: Team) -> TeamView:
    rows = queries.members(s, team_id=team.id)
    theme = s.get(Theme, team.theme_id) if team.theme_id else None
    open_n, overdue_n = queries.task_counts(s, today=ctx.clock.today(), team_id=team.id)
    # With several wards a team's theme is written with its ward: the list holds every ward's.
    ref = wards.theme_refs(s, themes=[theme])[theme.id] if theme else None
    return TeamView(
        team=team,
        theme_code=ref,
        leads=[m.user_id for m in rows if m.is_lead],
        members=[m.user_id for m in rows if not m.is_lead],
        open_tasks=open_n,
        overdue_tasks=overdue_n,
    )
