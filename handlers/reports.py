"""Listeners of this feature."""

from __future__ import annotations

from slack_bolt import App

from bot.services.context import Ctx


def register(app: App, ctx: Ctx) -> None:
    """Wire this feature's listeners (none yet)."""
