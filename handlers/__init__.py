"""Slack listeners only: parse the request, call one bot service, render the answer."""

from __future__ import annotations

from slack_bolt import App

from bot.services.context import Ctx


def register(app: App, ctx: Ctx) -> None:
    """Wire every feature's listeners."""
    from handlers import cases, commands, home, reminders, reports, views

    for module in (commands, views, reminders, home, reports, cases):
        module.register(app, ctx)
