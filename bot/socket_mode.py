"""Socket Mode: the client that notices a dead connection within seconds, idle meanwhile.

slack_sdk's built-in client (bolt's default) spins a CPU core once the server hangs up
without a close frame, and takes about a minute to give up on a connection that has gone
silent. The websocket-client based client waits in select() and reconnects at once on a
hang-up; given a pong timeout it also gives up on a silent connection within
PING_INTERVAL + 2 x PING_TIMEOUT seconds. Figures: docs/benchmarks.md (Socket Mode reconnect).
"""

from __future__ import annotations

import time

from slack_bolt import App
from slack_bolt.adapter.socket_mode.base_handler import BaseSocketModeHandler
from slack_bolt.adapter.socket_mode.internals import run_bolt_app, send_response
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.websocket_client import SocketModeClient
from websocket import WebSocketApp, WebSocketTimeoutException

# A ping every 4 s, and no pong within 2 s means the connection is dead. The client checks
# every 2 s while nothing arrives, so a missing pong is always caught before the next ping
# (interval >= 2 x timeout): reconnected at most about 8.5 s after the line went silent.
# Slack answers pings in well under a second; a false alarm only costs a reconnect, and
# Slack delivers again whatever was not acked.
PING_INTERVAL = 4.0
PING_TIMEOUT = 2.0


class PongTimeoutClient(SocketModeClient):
    """slack_sdk's websocket-client Socket Mode client, with a pong timeout.

    slack_sdk passes only ping_interval to websocket-client's run_forever, which then never
    misses a pong; this is its _run_current_session with ping_timeout added.
    """

    def __init__(self, *, ping_timeout: float, **kwargs: object) -> None:
        self.ping_timeout = ping_timeout
        super().__init__(on_error_listeners=[_hang_up_on_pong_timeout], **kwargs)  # type: ignore[arg-type]

    def _run_current_session(self) -> None:
        session = self.current_session
        if session is None:
            return
        try:
            self.logger.info("Starting to receive messages from a new connection")
            session.run_forever(
                ping_interval=self.ping_interval,
                ping_timeout=self.ping_timeout,
                http_proxy_host=self.http_proxy_host,
                http_proxy_port=self.http_proxy_port,
                http_proxy_auth=self.http_proxy_auth,
                proxy_type=self.proxy_type,
            )
            self.logger.info("Stopped receiving messages from a connection")
        except Exception as exc:  # as the library's loop does: log it, the monitor reconnects
            self.logger.error("Socket Mode session failed: %s", type(exc).__name__)
            session.close()


def _hang_up_on_pong_timeout(ws: WebSocketApp, error: Exception) -> None:
    # Without this, websocket-client's teardown sends a close frame to the dead peer and
    # waits 3 s for its answer before the client reconnects.
    if isinstance(error, WebSocketTimeoutException) and ws.sock is not None:
        ws.sock.shutdown()


class SocketModeHandler(BaseSocketModeHandler):
    """bolt's Socket Mode handler on PongTimeoutClient (start, connect, close as bolt's)."""

    def __init__(
        self,
        app: App,
        app_token: str,
        *,
        ping_interval: float = PING_INTERVAL,
        ping_timeout: float = PING_TIMEOUT,
    ) -> None:
        self.app = app
        self.client = PongTimeoutClient(
            app_token=app_token,
            logger=app.logger,
            web_client=app.client,
            ping_interval=ping_interval,
            ping_timeout=ping_timeout,
        )
        self.client.socket_mode_request_listeners.append(self.handle)  # type: ignore[arg-type]

    def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        """Run the request through the bolt app and send its ack."""
        start = time.time()
        send_response(client, req, run_bolt_app(self.app, req), start)


def socket_mode_handler(app: App, app_token: str) -> SocketModeHandler:
    """The Socket Mode handler wgbot runs the app with."""
    return SocketModeHandler(app, app_token)
