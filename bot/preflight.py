"""Before `wgbot run` starts anything: Slack must accept both tokens, or we stop.

A revoked or mistyped token otherwise shows up only as a stream of failed sends
(bot token) or an endless reconnect loop (app token), long after the operator
walked away. `auth.test` checks the bot token; `apps.connections.open` is the call
that opening a Socket Mode connection makes, so it checks the app token the same way
(it only hands out a one-time WebSocket URL, which we drop).
"""

from __future__ import annotations

from slack_sdk import WebClient

from bot.gateway import failure_kind


class PreflightError(Exception):
    """Slack refused a token (or could not be reached); names the setting and the error."""

    def __init__(self, *, setting: str, error: str) -> None:
        super().__init__(f"{setting}: {error}")
        self.setting = setting
        self.error = error

    @property
    def unreachable(self) -> bool:
        """True when Slack did not answer at all (network, SLACK_API_URL)."""
        return self.error == "unreachable"


def check_tokens(client: WebClient, *, app_token: str | None = None) -> None:
    """Raise PreflightError unless Slack accepts the bot token and, if given, the app token."""
    try:
        client.auth_test()
    except Exception as exc:  # every kind of failure stops the start; failure_kind names it
        raise PreflightError(setting="SLACK_BOT_TOKEN", error=failure_kind(exc)) from None
    if app_token is None:
        return
    try:
        client.apps_connections_open(app_token=app_token)
    except Exception as exc:
        raise PreflightError(setting="SLACK_APP_TOKEN", error=failure_kind(exc)) from None
