"""create_app: the bolt App with every listener wired, for HTTP or Socket Mode."""

from __future__ import annotations

import io
import json
import logging
import threading
import urllib.parse
from datetime import datetime, timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltRequest, BoltResponse, Respond
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier

from bot.logs import install_scrubbing
from bot.services.context import Ctx
from handlers import boundary
from storage.events import EVENT_ID_MAX, forget_events, take_event

log = logging.getLogger(__name__)
EVENTS_KEPT = timedelta(days=1)
PRUNE_EVERY = timedelta(hours=1)


def create_app(*, ctx: Ctx, signing_secret: str, token: str) -> App:
    """A bolt App whose Web API calls go through the gateway's client."""
    if ctx.gateway is None:
        raise ValueError("create_app needs a Ctx with a gateway")
    install_scrubbing()  # bolt logs request bodies; see bot/logs.py
    app = App(
        token=token,
        signing_secret=signing_secret,
        client=ctx.gateway.client,
        # Ack first, work after: listeners run on bolt's thread pool after the ack.
        process_before_response=False,
        token_verification_enabled=False,
        request_verification_enabled=True,
        # Every bolt logger under "slack_bolt." (its default is the file name, "app.py").
        logger=_bolt_logger(),
    )
    events_seen = EventsSeen(ctx)

    @app.middleware
    def handle_each_event_once(req: BoltRequest, resp: BoltResponse, next: Any) -> BoltResponse:
        # Slack re-delivers an event it thinks we missed (X-Slack-Retry-Num 1, 2, 3), maybe
        # to another instance. The retry number cannot decide alone: under Socket Mode the
        # first delivery carries 0, and a retry of a delivery we never got must be handled.
        # So every delivery claims its event_id in the shared table; only the first acts.
        event_id = _event_id(req)
        if event_id is None or events_seen.first_delivery(event_id):
            return next()  # type: ignore[no-any-return]
        retry = req.headers.get("x-slack-retry-num", ["0"])[0]
        log.info("event %s delivered again (retry %s): already handled", event_id, retry)
        return BoltResponse(status=200, body="")

    @app.middleware
    def put_services_in_context(context: BoltContext, next: Any) -> BoltResponse:
        # Listeners take the services as `wg` and the acting user as `user` (bolt injects
        # context entries by name). The user is bolt's own context.user_id, which bolt reads
        # from every payload type (command, action, form, event), so no listener parses it.
        context["wg"] = ctx
        context["user"] = context.user_id or ""
        return next()  # type: ignore[no-any-return]

    @app.middleware
    def ack_commands_and_buttons(
        body: dict[str, Any], context: BoltContext, next: Any
    ) -> BoltResponse:
        # Ack first, work after (Slack wants the ack within 3 s; answers follow by
        # response_url). Done here, on the request thread, so the ack never waits for a free
        # thread on bolt's listener pool. The ack is a KeptAck: see there why.
        # Forms are not acked here: their listener acks with field errors or closes them.
        ack = context["ack"] = KeptAck()
        if body.get("type") == "block_actions" or body.get("command"):
            ack()
        return next()  # type: ignore[no-any-return]

    @app.error
    def on_error(
        error: Exception,
        body: dict[str, Any],
        context: BoltContext,
        respond: Respond | None,
        response: BoltResponse | None,
    ) -> BoltResponse | None:
        # The one boundary for what escaped a listener or a middleware: the user is told
        # (domain message, outage, or the generic one; field errors for a form), the log
        # gets the kind only. See handlers/boundary.py.
        return boundary.on_error(ctx, error, body, context, respond, response)

    import handlers

    handlers.register(app, ctx)
    return app


class KeptAck(Ack):
    """bolt's Ack, except that an ack once given stays given."""

    # When a listener raises after the ack, bolt 1.30 (ThreadListenerRunner, on its pool
    # thread) writes None over the given ack. A request thread that has not read the ack by
    # then (a busy machine: it is waiting for the CPU or the GIL) waits 3 s and answers Slack
    # 404 "didn't call ack()", so the user saw Slack's generic error instead of ours.
    def __setattr__(self, name: str, value: Any) -> None:
        if name == "response" and value is None and getattr(self, "response", None) is not None:
            return
        super().__setattr__(name, value)


def _bolt_logger() -> logging.Logger:
    """bolt's logger, without its warning that the client's token wins over `token`."""
    from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

    # bolt also reads SLACK_BOT_TOKEN from the environment, so the warning would come on
    # every start although the client was built with that very token.
    noise = warning_client_prioritized_and_token_skipped()
    logger = logging.getLogger("slack_bolt.wgbot")
    if not logger.filters:
        logger.addFilter(lambda record: record.getMessage() != noise)
    return logger


def _event_id(req: BoltRequest) -> str | None:
    """The event_id of an Events API delivery; None for commands, actions and odd ids."""
    body = req.body
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    if isinstance(event_id, str) and 0 < len(event_id) <= EVENT_ID_MAX:
        return event_id
    return None


class EventsSeen:
    """Claims event_ids in the database; forgets day-old ones now and then."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self._pruned_at: datetime | None = None
        self._lock = threading.Lock()

    def first_delivery(self, event_id: str) -> bool:
        """True for the one delivery of this event (on any instance) that should act."""
        now = self.ctx.clock.now()
        with self.ctx.session() as s:
            if self._prune_due(now):
                # Slack retries within minutes: a day-old row can never stop a delivery.
                forget_events(s, before=now - EVENTS_KEPT)
            return take_event(s, event_id=event_id, now=now)

    def _prune_due(self, now: datetime) -> bool:
        # Once an hour per process is enough to keep the table small, and cheap.
        with self._lock:
            if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
                return False
            self._pruned_at = now
            return True


MAX_BODY = 1024 * 1024  # Slack's largest payloads (a full modal's state) are far below


def wsgi_app(app: App) -> SignedOnly:
    """WSGI callable serving POST /slack/events (for waitress or gunicorn)."""
    # bolt keeps the secret it was built with only as a private attribute.
    return SignedOnly(SlackRequestHandler(app, path="/slack/events"), app._signing_secret)


class SignedOnly:
    """WSGI gate before bolt: size cap, Slack signature on the raw bytes, then a parse check.

    bolt parses a body before it checks the signature, so an unsigned `payload={broken`
    ended in a 500 and an ERROR line, and an unsigned 50 MB body was read in full.
    Here nothing is parsed unless signed: too large → 413 (unread), unsigned, forged or
    stale → 401, a signed body that does not parse → 400 with one WARNING naming the kind.
    """

    def __init__(self, inner: Any, signing_secret: str) -> None:
        self.inner = inner
        self.verifier = SignatureVerifier(signing_secret)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        """Answer 413/401/400 here, else hand the same bytes to bolt."""
        if environ.get("REQUEST_METHOD") != "POST":
            return self.inner(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            return _plain(start_response, "413 Request Entity Too Large", "request too large")
        body = environ["wsgi.input"].read(length) if length else b""
        if not self._signed(body, environ):
            log.info("refused a request without a valid Slack signature (missing, wrong, stale)")
            return _plain(start_response, "401 Unauthorized", '{"error":"invalid request"}')
        problem = _parse_problem(body, environ.get("CONTENT_TYPE", ""))
        if problem:
            log.warning("a signed request could not be read (%s)", problem)
            return _plain(start_response, "400 Bad Request", '{"error":"bad request"}')
        environ["wsgi.input"] = io.BytesIO(body)
        return self.inner(environ, start_response)

    def _signed(self, body: bytes, environ: dict[str, Any]) -> bool:
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not timestamp.isdigit() or not signature:  # slack_sdk would raise on int("")
            return False
        return self.verifier.is_valid(body, timestamp, signature)


def _plain(start_response: Any, status: str, text: str) -> list[bytes]:
    data = text.encode()
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(data)))])
    return [data]


def _parse_problem(body: bytes, content_type: str) -> str | None:
    """The kind of error reading a signed body as bolt will (JSON or form with payload=)."""
    try:
        text = body.decode("utf-8")
        if content_type.startswith("application/json"):
            json.loads(text)
        else:
            form = urllib.parse.parse_qs(text, keep_blank_values=True, errors="strict")
            if "payload" in form:
                json.loads(form["payload"][0])
    except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError is a ValueError
        return type(exc).__name__
    return None


def serve_http(app: App, *, port: int, host: str = "0.0.0.0", threads: int = 16) -> None:
    """Serve the app with waitress, a production WSGI server."""
    from waitress import serve

    serve(
        wsgi_app(app),
        host=host,
        port=port,
        threads=threads,
        ident="wgbot",
        max_request_body_size=MAX_BODY,  # waitress answers 413 before reading the body
    )


def make_server(app: App, *, host: str = "127.0.0.1", port: int = 0, threads: int = 16) -> Any:
    """A waitress server object (tests and benchmarks run it on a thread)."""
    from waitress.server import create_server

    return create_server(
        wsgi_app(app),
        host=host,
        port=port,
        threads=threads,
        ident="wgbot",
        max_request_body_size=MAX_BODY,
    )
