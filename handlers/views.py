"""Modal submissions of the core: team new, task add."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App

from bot.commands.core import read_date
from bot.errors import WgbotError
from bot.render import modals
from bot.render.core_text import task_changed
from bot.render.messages import t
from bot.render.text import esc
from bot.services import tasks, teams
from bot.services.context import Ctx

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


def field_errors(ctx: Ctx, exc: WgbotError, default: str) -> dict[str, str]:
    """`response_action: errors` payload for a domain error."""
    # A text too long or a bad usage is about the modal's main field (team name, task title).
    field_of = {**FIELD_OF_ERROR, "error.too_long": default, "error.usage": default}
    return modals.error_under_field(
        ctx.lang, exc, field_of=field_of, default=default, cmd=ctx.command
    )


def register(app: App, ctx: Ctx) -> None:
    """Wire the core modals."""

    @app.view(modals.TEAM_NEW)
    def on_team_new(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        st = modals.read_state(view)
        if not str(st.get("name") or "").strip():
            ack(
                response_action="errors",
                errors=modals.field_errors(ctx.lang, {"name": "field.required"}),
            )
            return
        try:
            team = teams.create_team(
                ctx,
                user=user,
                name=str(st.get("name")),
                kind=str(st.get("kind") or "WG"),
                theme_code=str(st.get("theme") or "").strip() or None,
                channel_id=st.get("channel") or None,
            )
        except WgbotError as exc:
            ack(response_action="errors", errors=field_errors(ctx, exc, "name"))
            return
        ack()
        _dm(ctx, user, t(ctx.lang, "team.created", name=esc(team.name), kind=team.kind, extra=""))

    @app.view(modals.TASK_ADD)
    def on_task_add(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        st = modals.read_state(view)
        if not str(st.get("title") or "").strip():
            ack(
                response_action="errors",
                errors=modals.field_errors(ctx.lang, {"title": "field.required"}),
            )
            return
        try:
            due = None
            if st.get("due"):
                due = read_date(ctx, str(st["due"]))  # the command's reader: same wording
            result = tasks.add_task(
                ctx,
                user=user,
                title=str(st["title"]),
                due=due,
                assignee=st.get("assignee") or None,
                team_name=str(st.get("team") or "").strip() or None,
                theme_code=str(st.get("theme") or "").strip() or None,
                milestone=bool(st.get("milestone")),
            )
        except WgbotError as exc:
            ack(response_action="errors", errors=field_errors(ctx, exc, "title"))
            return
        ack()
        _dm(ctx, user, task_changed(ctx.lang, "task.added", result.task, result.closed_note))


def _dm(ctx: Ctx, user: str, text: str) -> None:
    try:
        if ctx.gateway:
            ctx.gateway.post_dm(user, text)
    except Exception:
        log.exception("could not send a confirmation DM")
