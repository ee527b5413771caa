"""Who may do what: every access rule of wgbot, decided from facts the caller gathered.

A task is changed (done, due date, assignee, a note, a reminder's buttons) by its
assignee or a present member of its team; its creator has no say of their own
(docs/decisions.md). A theme's notes and indicators are written by a present member
of one of its teams, by anyone when it has none. A theme's status is confirmed, a
team's members and reminder days are changed, by a present lead. "Present" means a
membership not taken back: the facts passed in must hold present people only.
Who sees a case is `storage.cases.visible_to`, reached through `bot.services.access`.
A team's work (its tasks in lists) is seen by the staff of its ward and by its members;
a city-wide team's (全市) by its members only (DESIGN §11).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class TeamPeople:
    """The present members of one team, and which of them lead it."""

    members: frozenset[str] = frozenset()
    leads: frozenset[str] = frozenset()


def is_member(user: str, people: TeamPeople) -> bool:
    """True when the user is a present member (a lead is a member too)."""
    return bool(user) and user in people.members


def is_lead(user: str, people: TeamPeople) -> bool:
    """True when the user is a present lead of the team."""
    return bool(user) and user in people.leads


def may_change_task(user: str, *, assignee: str | None, team: TeamPeople) -> bool:
    """The assignee or a member of the task's team (a task without a team: its assignee)."""
    return bool(user) and (user == assignee or is_member(user, team))


def may_note_theme(user: str, *, teams: Collection[TeamPeople], of_its_ward: bool = True) -> bool:
    """A member of one of the theme's teams writes its notes and figures; when it has
    none, the staff of its ward (`of_its_ward`; with one ward, everyone)."""
    if teams:
        return any(is_member(user, t) for t in teams)
    return of_its_ward


def may_confirm_status(user: str, *, teams: Collection[TeamPeople]) -> bool:
    """Only a lead of one of the theme's teams confirms its status."""
    return any(is_lead(user, t) for t in teams)


def may_see_team_work(
    user: str, *, user_ward: str | None, team_ward: str | None, team: TeamPeople
) -> bool:
    """Staff of the team's ward, or its members. A team made before wards (no ward) is
    seen by everyone, as it always was; a city-wide team is never "of" a person's ward."""
    if team_ward is None or is_member(user, team):
        return True
    return user_ward is not None and team_ward == user_ward
