"""A reminder's buttons (進捗を書く, 1営業日延期, 完了) role by role, over signed HTTP: the
same rule as `/wg task …` (docs/decisions.md). The task's creator, once off the team,
no longer passes as such; before issue 10 the buttons let them through."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from storage.models import ProgressNote, Task
from tests.e2e.conftest import Running, press_button, reminder_sent_on_12_5
from tests.factories import ACCESS_ROLES, load_sample_plan, signage_team, wg
from tests.signed import field

TEAM = "案内表示WG"
REFUSED = "#1 の担当者かチームのメンバーだけが操作できます。"

ROLES = ACCESS_ROLES
REFUSED_USERS = {user for user, allowed in ROLES.values() if not allowed}


def _reminded(run: Running) -> tuple[str, str]:
    """Task #1 by U3 for U4, U3 and U5 since taken off; its reminder DM of 12/5."""
    load_sample_plan(run.ctx)
    signage_team(run.ctx, lead="U1", members=("U2", "U3", "U5"))
    wg(run.ctx, "task add 自己点検 due:12/10 <@U4>", user="U3")
    wg(run.ctx, f"team remove {TEAM} <@U3> <@U5>", user="U1")
    return reminder_sent_on_12_5(run)


def _press(run: Running, msg: tuple[str, str], action: str, value: str, user: str) -> str | None:
    """Press a button as the user: the ephemeral refusal, or None once the bot acted on it."""
    before = len(run.slack.responses)
    acted = "views.open" if action == "reminder_note" else "chat.update"
    done_before = _count(run, acted)
    press_button(run, msg, action, value, user=user)
    if user in REFUSED_USERS:
        body = run.slack.wait_for_responses(before + 1)[before].json
        assert body["response_type"] == "ephemeral"
        return str(body["text"])
    run.slack.wait_for(acted, count=done_before + 1)
    return None


def _count(run: Running, method: str) -> int:
    return len([c for c in run.slack.calls if c.method == method])


def _task(run: Running) -> Task:
    with run.ctx.session() as s:
        task = s.get(Task, 1)
        assert task is not None
        return task


@pytest.mark.parametrize("role", ROLES)
def test_reminder_buttons_by_role(running: Running, role: str) -> None:
    user, allowed = ROLES[role]
    msg = _reminded(running)
    said = [
        _press(running, msg, "reminder_note", "task:1", user),
        _press(running, msg, "reminder_postpone", "1:2024-12-10", user),
        _press(running, msg, "reminder_done", "1", user),
    ]
    task = _task(running)
    if not allowed:
        assert said == [REFUSED] * 3
        assert (task.status, task.due) == ("open", date(2024, 12, 10))
        assert _count(running, "views.open") == 0 and _count(running, "chat.update") == 0
        return
    assert said == [None] * 3
    assert (task.status, task.done_by, task.due) == ("done", user, date(2024, 12, 11))
    (call,) = running.slack.wait_for("views.open")
    view = call.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    ok = running.client.view_submission(
        user=user,
        callback_id="note_modal",
        private_metadata=view["private_metadata"],
        state_values={"note": field("plain_text_input", "看板の試作を発注した")},
    )
    assert ok.status == 200
    running.slack.wait_for("chat.update", count=3)
    with running.ctx.session() as s:
        assert [(n.task_id, n.author) for n in s.exec(select(ProgressNote)).all()] == [(1, user)]
