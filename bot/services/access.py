"""Every access check of wgbot, in one file: gather the facts, let `bot.domain.access` decide.

Services call `require_*` (raises PermissionDenied with the catalogue's reason) or the
`may_*`/`is_*` answers; none writes its own membership query or rule. Memberships taken
back (`removed_at`) count for nothing here. Case visibility stays the one filter in
`storage.cases` (`visible_to`, `is_case_admin`) and is reached through this module.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from bot.domain import access as rules
from bot.domain.access import TeamPeople
from bot.domain.cases import can_edit as may_edit_case
from bot.domain.wards import CITY_WIDE
from bot.errors import PermissionDenied
from bot.services import wards
from storage import cases as case_store
from storage import queries
from storage import reports as report_store
from storage import teams as team_rows
from storage.cases import Viewer, visible_to
from storage.models import Task, Team, Theme

__all__ = [
    "TeamPeople",
    "Viewer",
    "case_viewer",
    "is_case_admin",
    "is_lead",
    "is_member",
    "may_change_task",
    "may_edit_case",
    "may_note_theme",
    "may_see_team",
    "require_city_planner",
    "require_lead",
    "require_member",
    "require_status_lead",
    "require_task_change",
    "require_team_visible",
    "require_theme_member",
    "require_ward_report",
    "visible_to",
]


def people_of(s: Session, *, team_ids: Sequence[int]) -> dict[int, TeamPeople]:
    """The present members and leads of each team, in one query."""
    members: dict[int, set[str]] = {t: set() for t in team_ids}
    leads: dict[int, set[str]] = {t: set() for t in team_ids}
    for m in queries.members_of_teams(s, team_ids=team_ids):
        members[m.team_id].add(m.user_id)
        if m.is_lead:
            leads[m.team_id].add(m.user_id)
    return {t: TeamPeople(frozenset(members[t]), frozenset(leads[t])) for t in team_ids}


def _people(s: Session, team_id: int | None) -> TeamPeople:
    return people_of(s, team_ids=[team_id])[team_id] if team_id is not None else TeamPeople()


def may_see_team(s: Session, *, team: Team, user: str) -> bool:
    """Whether the user may see the team's tasks and digest (its ward's staff or members).

    The facts are gathered cheapest first: a team of no ward, or a city of one ward, needs
    no more queries (everyone is of that ward); a member needs no ward.
    """
    if team.ward is None or (team.ward != CITY_WIDE and len(wards.known_wards(s)) == 1):
        return True
    people = _people(s, team.id)
    user_ward = None if rules.is_member(user, people) else wards.ward_of(s, user=user)
    return rules.may_see_team_work(user, user_ward=user_ward, team_ward=team.ward, team=people)


def require_team_visible(s: Session, *, team: Team, user: str) -> None:
    """PermissionDenied when the team belongs to another ward (or the city) and the user is
    not on it."""
    if not may_see_team(s, team=team, user=user):
        key = "error.team_city_wide" if team.ward == CITY_WIDE else "error.team_other_ward"
        raise PermissionDenied(key, name=team.name)


def is_member(s: Session, *, team_id: int | None, user: str) -> bool:
    """True when the user is a present member of the team."""
    return rules.is_member(user, _people(s, team_id))


def is_lead(s: Session, *, team_id: int | None, user: str) -> bool:
    """True when the user is a present lead of the team."""
    return rules.is_lead(user, _people(s, team_id))


def require_member(s: Session, *, team: Team, user: str) -> None:
    """Only a member of the team adds tasks to it."""
    if not is_member(s, team_id=team.id, user=user):
        raise PermissionDenied("error.not_member", team=team.name)


def require_lead(s: Session, *, team: Team, user: str) -> None:
    """Only a lead changes the team's members or reminder days."""
    if not is_lead(s, team_id=team.id, user=user):
        raise PermissionDenied("error.not_lead", team=team.name)


def may_change_task(s: Session, *, task: Task, user: str) -> bool:
    """The assignee or a member of the task's team (docs/decisions.md), not the creator as such."""
    people = _people(s, task.team_id)
    return rules.may_change_task(user, assignee=task.assignee, team=people)


def require_task_change(s: Session, *, task: Task, user: str) -> None:
    """Refuse, naming the task's team, anyone who may not change the task."""
    if not may_change_task(s, task=task, user=user):
        team = s.get(Team, task.team_id) if task.team_id else None
        raise PermissionDenied("error.not_member", team=team.name if team else "—")


def _theme_teams(s: Session, theme: Theme) -> tuple[Sequence[Team], list[TeamPeople]]:
    teams = queries.teams_of_theme(s, theme_id=theme.id)
    people = people_of(s, team_ids=[t.id for t in teams if t.id is not None])
    return teams, list(people.values())


def _of_its_ward(s: Session, *, theme: Theme, user: str) -> bool:
    """Whether the user is of the theme's ward (everyone is, in a city of one ward)."""
    if len(wards.known_wards(s)) <= 1:
        return True
    own = wards.ward_of(s, user=user)
    return own is not None and own == team_rows.ward_of_theme(s, theme=theme)


def may_note_theme(s: Session, *, theme: Theme, user: str) -> bool:
    """A member of one of the theme's teams (its ward's staff when it has none) writes notes
    and figures."""
    teams = _theme_teams(s, theme)[1]
    of_ward = not teams and _of_its_ward(s, theme=theme, user=user)
    return rules.may_note_theme(user, teams=teams, of_its_ward=of_ward)


def require_theme_member(s: Session, *, theme: Theme, user: str) -> None:
    """Refuse, naming the theme's first team (or its ward), anyone who may not write for it."""
    if may_note_theme(s, theme=theme, user=user):
        return
    teams = _theme_teams(s, theme)[0]  # asked again only to word the refusal
    if teams:
        raise PermissionDenied("error.not_member", team=teams[0].name)
    ward = team_rows.ward_of_theme(s, theme=theme) or ""
    raise PermissionDenied("error.theme_other_ward", ward=ward, code=theme.code)


def require_status_lead(s: Session, *, theme: Theme, user: str) -> None:
    """Only a lead of one of the theme's teams confirms its status."""
    teams, people = _theme_teams(s, theme)
    if not rules.may_confirm_status(user, teams=people):
        raise PermissionDenied("error.not_lead", team=teams[0].name if teams else theme.code)


def require_city_planner(s: Session, *, user: str, cmd: str) -> None:
    """The city roll-up is for city planning staff (role city_planning, set by the operator)."""
    if not report_store.is_city_planner(s, user=user):
        raise PermissionDenied("city.not_planner", cmd=cmd)


def require_ward_report(s: Session, *, ward: str, user: str, cmd: str) -> None:
    """Another ward's whole report (its tasks and notes) is for city planning staff only."""
    own = wards.ward_of(s, user=user)
    if ward == own or report_store.is_city_planner(s, user=user):
        return
    if own is None:
        raise PermissionDenied("city.other_ward_no_ward", ward=ward, cmd=cmd)
    raise PermissionDenied("city.other_ward", ward=ward, own=own, cmd=cmd)


def is_case_admin(s: Session, *, user: str) -> bool:
    """The one answer to "is this person a case admin" (asked afresh every request)."""
    return case_store.is_case_admin(s, user=user)


def case_viewer(s: Session, *, user: str) -> Viewer:
    """Who is asking for cases; every case query filters with `visible_to(viewer)`."""
    return Viewer(user=user, admin=is_case_admin(s, user=user))
