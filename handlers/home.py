"""The App Home tab: published when the user opens it (and by the services on task changes)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.services import home
from bot.services.context import Ctx


def register(app: App, ctx: Ctx) -> None:
    """Wire app_home_opened."""

    @app.event("app_home_opened")
    def on_home_opened(event: dict[str, Any], wg: Ctx, user: str) -> None:
        # Events are acked by bolt before this runs; the Home tab only (not Messages).
        if event.get("tab", "home") != "home" or not user:
            return
        home.publish_home(wg, user=user)
