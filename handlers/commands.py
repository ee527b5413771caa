"""The `/wg` slash command: ack at once, answer through response_url."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, Respond

from bot.commands import Reply, run_command
from bot.gateway import failure_kind
from bot.render.messages import t
from bot.render.modals import open_failed_text
from bot.render.text import esc, truncate
from bot.services.context import Ctx

log = logging.getLogger(__name__)


def register(app: App, ctx: Ctx) -> None:
    """Wire the slash command."""

    @app.command(ctx.command)
    def on_command(body: dict[str, Any], respond: Respond, wg: Ctx, user: str) -> None:
        # Acked already (bot/app.py, ack_commands_and_buttons); the answer goes by respond().
        typed, trigger_id = str(body.get("text", "")), body.get("trigger_id")
        reply = run_command(
            wg, user=user, text=typed, channel=body.get("channel_id"), trigger_id=trigger_id
        )
        deliver(wg, reply, user=user, respond=respond, trigger_id=trigger_id, typed=typed)


def deliver(
    ctx: Ctx,
    reply: Reply,
    *,
    user: str,
    respond: Respond,
    trigger_id: str | None,
    typed: str = "",
) -> None:
    """Open the modal, upload the files, then answer (ephemeral unless in_channel).

    A form that opened needs no answer; one Slack refused is said so, with what to type.
    """
    gw = ctx.gateway
    if reply.modal and trigger_id and gw:
        try:
            gw.open_view(trigger_id, reply.modal)
            return
        except Exception as exc:  # Slack refused the form (expired trigger, 5xx): say so
            error = failure_kind(exc)
            log.warning("views.open failed: %s", error)
            again = f"{ctx.command} {truncate(' '.join(typed.split()), 100)}".strip()
            respond(text=open_failed_text(ctx.lang, error, again=again), response_type="ephemeral")
            return
    text = reply.text
    try:
        for f in reply.files:
            if gw is None:
                break
            if reply.file_channel:
                gw.upload(reply.file_channel, filename=f.filename, content=f.content, title=f.title)
            else:
                gw.upload_dm(user, filename=f.filename, content=f.content, title=f.title)
    except Exception as exc:  # Slack refused a file: the answer says it was not sent
        error = failure_kind(exc)
        log.warning("file upload failed: %s", error)
        text += "\n" + t(ctx.lang, "files.failed", error=esc(error))
    response_type = "in_channel" if reply.in_channel else "ephemeral"
    respond(text=text, blocks=reply.blocks, response_type=response_type)
