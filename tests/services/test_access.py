"""Who may do what, role by role: a task is changed by its assignee or a present member
of its team (docs/decisions.md), never by its creator as such, a stranger or someone
taken off the team; a theme's notes and figures by its teams' members; its status by a lead."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from bot.domain.access import TeamPeople, may_change_task, may_confirm_status, may_note_theme
from bot.services.context import Ctx
from storage.models import Kpi, ProgressNote, Task, Theme
from tests.factories import ACCESS_ROLES, load_sample_plan, signage_team, wg

TEAM = "案内表示WG"
NOT_MEMBER = f"チーム「{TEAM}」のメンバーではないため、この操作はできません。"
NOT_LEAD = f"この操作はチーム「{TEAM}」のリーダーだけができます。"

ROLES = ACCESS_ROLES


def _team_with_tasks(ctx: Ctx, *, tasks: int = 4) -> None:
    """The signage WG (lead U1; U2; U3 and U5 since removed); tasks by U3 for U4."""
    load_sample_plan(ctx)
    signage_team(ctx, lead="U1", members=("U2", "U3", "U5"))
    for n in range(tasks):
        wg(ctx, f"task add 点検{n + 1} due:12/10 <@U4>", user="U3")
    assert "外しました" in wg(ctx, f"team remove {TEAM} <@U3> <@U5>", user="U1").text


def _task(ctx: Ctx, task_id: int) -> Task:
    with ctx.session() as s:
        task = s.get(Task, task_id)
        assert task is not None
        return task


def _notes(ctx: Ctx) -> list[tuple[int | None, str]]:
    with ctx.session() as s:
        return [(n.task_id, n.author) for n in s.exec(select(ProgressNote)).all()]


@pytest.mark.parametrize("role", ROLES)
def test_who_may_change_a_task_by_command(ctx: Ctx, role: str) -> None:
    user, allowed = ROLES[role]
    _team_with_tasks(ctx)
    said = {
        "done": wg(ctx, "task done 1", user=user).text,
        "due": wg(ctx, "task due 2 12/20", user=user).text,
        "assign": wg(ctx, "task assign 3 <@U7>", user=user).text,
        "note": wg(ctx, "note #4 看板の試作を発注した", user=user).text,
    }
    changed = {
        "done": _task(ctx, 1).status == "done" and _task(ctx, 1).done_by == user,
        "due": _task(ctx, 2).due == date(2024, 12, 20),
        "assign": _task(ctx, 3).assignee == "U7",
        "note": _notes(ctx) == [(4, user)],
    }
    assert changed == dict.fromkeys(changed, allowed), said
    if not allowed:
        assert said == dict.fromkeys(said, NOT_MEMBER)
        assert _notes(ctx) == [] and _task(ctx, 3).assignee == "U4"


def _theme(ctx: Ctx) -> Theme:
    with ctx.session() as s:
        theme = s.exec(select(Theme).where(Theme.code == "A(2)")).one()
        s.expunge(theme)
        return theme


@pytest.mark.parametrize(
    ("user", "member", "lead"),
    [
        ("U1", True, True),  # lead
        ("U2", True, False),  # member
        ("U6", False, False),  # a lead taken off the team
        ("U5", False, False),  # a member taken off the team
        ("U9", False, False),  # stranger
    ],
    ids=["lead", "member", "removed_lead", "removed_member", "stranger"],
)
def test_theme_notes_and_figures_by_members_status_by_leads(
    ctx: Ctx, user: str, member: bool, lead: bool
) -> None:
    _team_with_tasks(ctx, tasks=0)
    wg(ctx, f"team add {TEAM} <@U6> lead", user="U1")
    wg(ctx, f"team remove {TEAM} <@U6>", user="U1")
    note = wg(ctx, "note A(2) 案内表示の試作を始めた", user=user).text
    kpi = wg(ctx, "kpi add A(2) 設置数 unit:台", user=user).text
    status = wg(ctx, "theme status A(2) B reason:試作が遅れている", user=user).text
    with ctx.session() as s:
        kpis = s.exec(select(Kpi.created_by)).all()
    assert (_notes(ctx) == [(None, user)], list(kpis) == [user]) == (member, member)
    assert (_theme(ctx).status_by == user) is lead
    refused = [t for t in (note, kpi) if t == NOT_MEMBER]
    assert len(refused) == (0 if member else 2)
    assert (status == NOT_LEAD) is not lead


@pytest.mark.parametrize(
    ("user", "lead"),
    [("U1", True), ("U2", False), ("U5", False), ("U9", False)],
    ids=["lead", "member", "removed_member", "stranger"],
)
def test_only_a_present_lead_changes_members_and_reminder_days(
    ctx: Ctx, user: str, lead: bool
) -> None:
    _team_with_tasks(ctx, tasks=0)
    added = wg(ctx, f"team add {TEAM} <@U8>", user=user).text
    days = wg(ctx, f"remind team:{TEAM} task:5,1", user=user).text
    shown = wg(ctx, f"team show {TEAM}").text
    assert ("<@U8>" in shown) is lead
    assert (added == NOT_LEAD, days == NOT_LEAD) == (not lead, not lead)


def test_rules_decide_from_present_people_only() -> None:
    team = TeamPeople(members=frozenset({"U1", "U2"}), leads=frozenset({"U1"}))
    assert may_change_task("U4", assignee="U4", team=team)
    assert may_change_task("U2", assignee="U4", team=team)
    assert not may_change_task("U3", assignee="U4", team=team)
    assert not may_change_task("", assignee="", team=team)
    assert may_change_task("U4", assignee="U4", team=TeamPeople())  # a task without a team
    assert may_note_theme("U9", teams=[])  # a theme no team works on
    assert may_note_theme("U2", teams=[TeamPeople(), team])
    assert not may_note_theme("U9", teams=[team])
    assert may_confirm_status("U1", teams=[team])
    assert not may_confirm_status("U2", teams=[team])
