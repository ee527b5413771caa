"""`wgbot run`: migrate, start the scheduler, serve Slack (Socket Mode or HTTP)."""

from __future__ import annotations

import logging
import os
import socket
import uuid

from bot.app import create_app, serve_http
from bot.config import Settings, require
from storage.db import upgrade

log = logging.getLogger(__name__)


def run(
    settings: Settings, *, http: bool = False, port: int | None = None, scheduler: bool = True
) -> int:
    """Run until stopped."""
    from bot.cli import build_ctx

    ctx = build_ctx(settings, with_gateway=True)
    ctx.instance_id = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    upgrade(ctx.engine)
    token = require(settings, "SLACK_BOT_TOKEN")
    socket_mode = settings.slack_app_token is not None and not http
    secret = "" if socket_mode else require(settings, "SLACK_SIGNING_SECRET")
    app = create_app(ctx=ctx, signing_secret=secret or "unused-in-socket-mode", token=token)
    sched = None
    if scheduler:
        from bot.scheduler import start_scheduler

        sched = start_scheduler(ctx)
    try:
        if socket_mode:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            log.info("wgbot: Socket Mode")
            SocketModeHandler(app, require(settings, "SLACK_APP_TOKEN")).start()
        else:
            listen = port or settings.port
            log.info("wgbot: HTTP on :%s/slack/events", listen)
            serve_http(app, port=listen)
    finally:
        if sched is not None:
            from bot.scheduler import stop_scheduler

            stop_scheduler(ctx, sched)
    return 0
