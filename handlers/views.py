"""Modal submissions of the core: team new, task add."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App

from bot.commands.core import read_date
from bot.gateway import failure_kind
from bot.render import modals
from bot.render.core_text import task_changed
from bot.render.messages import t
from bot.render.text import esc
from bot.services import tasks, teams
from bot.services.context import Ctx
from handlers import boundary

log = logging.getLogger(__name__)

# Which modal field an error belongs to, so Slack shows it under that field.
FIELD_OF_ERROR = {
    "error.team_exists": "name",
    "error.bad_kind": "kind",
    "error.theme_not_found": "theme",
    "error.no_plan": "theme",
    "error.team_not_found": "team",
    "error.not_member": "team",
    "error.no_team_for_task": "team",
    "error.bad_date": "due",
    "error.no_such_date": "due",
    "error.weekday_mismatch": "due",
}


def register(app: App, ctx: Ctx) -> None:
    """Wire the core modals."""
    # A domain error raised before ack() is shown by the error boundary under its field;
    # the rest (a text too long, a bad usage) under the form's main field.
    boundary.form_fields(modals.TEAM_NEW, field_of=FIELD_OF_ERROR, default="name")
    boundary.form_fields(modals.TASK_ADD, field_of=FIELD_OF_ERROR, default="title")

    @app.view(modals.TEAM_NEW)
    def on_team_new(ack: Ack, view: dict[str, Any], wg: Ctx, user: str) -> None:
        st = modals.read_state(view)
        if _missing(ack, wg, st, "name"):
            return
        with wg.answering_a_form():  # a locked database: answered under the field in time
            team = teams.create_team(
                wg,
                user=user,
                name=str(st.get("name")),
                kind=str(st.get("kind") or "WG"),
                theme_code=str(st.get("theme") or "").strip() or None,
                channel_id=st.get("channel") or None,
            )
        ack()
        _dm(wg, user, t(wg.lang, "team.created", name=esc(team.name), kind=team.kind, extra=""))

    @app.view(modals.TASK_ADD)
    def on_task_add(ack: Ack, view: dict[str, Any], wg: Ctx, user: str) -> None:
        st = modals.read_state(view)
        if _missing(ack, wg, st, "title"):
            return
        # The command's date reader: the same wording.
        due = read_date(wg, str(st["due"])) if st.get("due") else None
        with wg.answering_a_form():  # a locked database: answered under the field in time
            result = tasks.add_task(
                wg,
                user=user,
                title=str(st["title"]),
                due=due,
                assignee=st.get("assignee") or None,
                team_name=str(st.get("team") or "").strip() or None,
                theme_code=str(st.get("theme") or "").strip() or None,
                milestone=bool(st.get("milestone")),
            )
        ack()
        _dm(wg, user, task_changed(wg.lang, "task.added", result.task, result.closed_note))


def _missing(ack: Ack, ctx: Ctx, state: dict[str, Any], field: str) -> bool:
    """True (and the form told, under the field) when a required field is blank."""
    if str(state.get(field) or "").strip():
        return False
    ack(response_action="errors", errors=modals.field_errors(ctx.lang, {field: "field.required"}))
    return True


def _dm(ctx: Ctx, user: str, text: str) -> None:
    try:
        if ctx.gateway:
            ctx.gateway.post_dm(user, text)
    except Exception as exc:  # the form is saved and closed: a lost DM only loses the echo
        log.warning("could not send a confirmation DM: %s", failure_kind(exc))
