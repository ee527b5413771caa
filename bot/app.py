"""create_app: the bolt App with every listener wired, for HTTP or Socket Mode."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.services.context import Ctx

log = logging.getLogger(__name__)


def create_app(*, ctx: Ctx, signing_secret: str, token: str) -> App:
    """A bolt App whose Web API calls go through the gateway's client."""
    if ctx.gateway is None:
        raise ValueError("create_app needs a Ctx with a gateway")
    app = App(
        token=token,
        signing_secret=signing_secret,
        client=ctx.gateway.client,
        # Ack first, work after: listeners run on bolt's thread pool after the ack.
        process_before_response=False,
        token_verification_enabled=False,
        request_verification_enabled=True,
    )

    @app.middleware
    def skip_slack_retries(req: BoltRequest, resp: BoltResponse, next: Any) -> BoltResponse:
        # Slack re-delivers an event it thinks we missed (X-Slack-Retry-Num); the first
        # delivery was acked and is being handled, so a retry must not act twice.
        if req.headers.get("x-slack-retry-num"):
            return BoltResponse(status=200, body="")
        return next()  # type: ignore[no-any-return]

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> None:
        # The one boundary for what escaped a listener: log it; users got an ack already.
        log.error("listener failed: %s (type=%s)", error, body.get("type") or body.get("command"))

    import handlers

    handlers.register(app, ctx)
    return app


def wsgi_app(app: App) -> SlackRequestHandler:
    """WSGI callable serving POST /slack/events (for waitress or gunicorn)."""
    return SlackRequestHandler(app, path="/slack/events")


def serve_http(app: App, *, port: int, host: str = "0.0.0.0", threads: int = 16) -> None:
    """Serve the app with waitress, a production WSGI server."""
    from waitress import serve

    serve(wsgi_app(app), host=host, port=port, threads=threads, ident="wgbot")


def make_server(app: App, *, host: str = "127.0.0.1", port: int = 0, threads: int = 16) -> Any:
    """A waitress server object (tests and benchmarks run it on a thread)."""
    from waitress.server import create_server

    return create_server(wsgi_app(app), host=host, port=port, threads=threads, ident="wgbot")
