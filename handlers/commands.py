"""The `/wg` slash command: ack at once, answer through response_url."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.commands import Reply, run_command
from bot.services.context import Ctx

log = logging.getLogger(__name__)


def register(app: App, ctx: Ctx) -> None:
    """Wire the slash command."""

    @app.command(ctx.command)
    def on_command(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()  # Slack wants an answer within 3 s; the real one follows via respond().
        reply = run_command(
            ctx,
            user=str(body.get("user_id", "")),
            text=str(body.get("text", "")),
            channel=body.get("channel_id"),
            trigger_id=body.get("trigger_id"),
        )
        deliver(
            ctx,
            reply,
            user=str(body.get("user_id", "")),
            respond=respond,
            trigger_id=body.get("trigger_id"),
        )


def deliver(ctx: Ctx, reply: Reply, *, user: str, respond: Respond, trigger_id: str | None) -> None:
    """Open the modal, upload the files, then answer (ephemeral unless in_channel)."""
    gw = ctx.gateway
    try:
        if reply.modal and trigger_id and gw:
            gw.open_view(trigger_id, reply.modal)
            return
        for f in reply.files:
            if gw is None:
                break
            if reply.file_channel:
                gw.upload(reply.file_channel, filename=f.filename, content=f.content, title=f.title)
            else:
                gw.upload_dm(user, filename=f.filename, content=f.content, title=f.title)
    except Exception:
        log.exception("could not open a modal or upload a file")
    response_type = "in_channel" if reply.in_channel else "ephemeral"
    respond(text=reply.text, blocks=reply.blocks, response_type=response_type)
