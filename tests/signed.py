"""Correctly signed Slack requests to the real app over HTTP (slash commands, buttons,
modal submissions, Events API); the payloads themselves are built in ``tests/payloads.py``.

Signature (docs.slack.dev/authentication/verifying-requests-from-slack):
``X-Slack-Signature: v0=hex(HMAC-SHA256(secret, "v0:{timestamp}:{raw body}"))`` with
``X-Slack-Request-Timestamp``; the exact bytes sent are signed, by slack_sdk's own
``SignatureVerifier`` (the one bolt checks with).  Forged and stale requests: sign with
another secret, or pass an old ``timestamp``.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from slack_sdk.signature import SignatureVerifier

from tests import payloads
from tests.payloads import FIELD_KINDS, field, nest_state, option, state_values

__all__ = [
    "FIELD_KINDS",
    "Response",
    "SignedClient",
    "SlackRequestSigner",
    "field",
    "nest_state",
    "option",
    "state_values",
]

DEFAULT_RESPONSE_URL = "http://127.0.0.1:9/response/none"  # discard port: fails fast
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

# ---------------------------------------------------------------------- signing


class SlackRequestSigner:
    """Builds the headers Slack sends with a request body."""

    def __init__(self, signing_secret: str) -> None:
        self.signing_secret = signing_secret
        self._verifier = SignatureVerifier(signing_secret)

    def signature(self, body: bytes | str, timestamp: int) -> str:
        signature = self._verifier.generate_signature(timestamp=str(timestamp), body=body)
        assert signature is not None  # only None without a timestamp
        return signature

    def headers(
        self, body: bytes | str, *, timestamp: int | None = None, content_type: str = FORM
    ) -> dict[str, str]:
        ts = int(time.time()) if timestamp is None else int(timestamp)
        return {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": self.signature(body, ts),
        }


# ---------------------------------------------------------------------- client


@dataclass
class Response:
    status: int
    body: str
    elapsed: float  # seconds
    headers: dict[str, str] = dc_field(default_factory=dict)

    def json(self) -> Any:
        """The parsed body, or None when it is empty or not JSON."""
        try:
            return json.loads(self.body) if self.body.strip() else None
        except ValueError:
            return None


class SignedClient:
    """Sends signed requests to the app (one keep-alive connection per thread)."""

    def __init__(
        self,
        app_url: str,
        signing_secret: str,
        *,
        team_id: str = "T1",
        response_url_base: str | None = None,
        api_app_id: str = "A1",
        timeout: float = 30.0,
    ) -> None:
        parts = urllib.parse.urlsplit(app_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"app_url must be http://host:port/path, got {app_url!r}")
        self.app_url = app_url
        self.host = parts.hostname
        self.port = parts.port or 80
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.signer = SlackRequestSigner(signing_secret)
        self.team_id = team_id
        self.api_app_id = api_app_id
        self.response_url_base = response_url_base or DEFAULT_RESPONSE_URL
        self.timeout = timeout
        self._local = threading.local()
        self._seq = 0
        self._seq_lock = threading.Lock()

    # --- transport ---

    def _next(self) -> int:
        with self._seq_lock:
            self._seq += 1
            return self._seq

    def _conn(self, fresh: bool = False) -> tuple[http.client.HTTPConnection, bool]:
        conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
        if conn is not None and not fresh:
            return conn, True
        if conn is not None:
            conn.close()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        self._local.conn = conn
        return conn, False

    def close(self) -> None:
        """Close this thread's connection (others close with their threads)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def post_raw(self, body: bytes, headers: dict[str, str]) -> Response:
        """POST exactly these bytes and headers (forged, unsigned, stale requests...)."""
        send_headers = {"Content-Length": str(len(body)), **headers}
        conn, reused = self._conn()
        try:
            return self._exchange(conn, body, send_headers)
        except (http.client.RemoteDisconnected, ConnectionError, http.client.BadStatusLine):
            if not reused:
                raise
        # The server closed an idle keep-alive connection: once more on a new one.
        conn, _ = self._conn(fresh=True)
        return self._exchange(conn, body, send_headers)

    def _exchange(
        self, conn: http.client.HTTPConnection, body: bytes, headers: dict[str, str]
    ) -> Response:
        """One POST on ``conn``, closed when it fails or the server asks to."""
        start = time.monotonic()
        try:
            conn.request("POST", self.path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        except Exception:
            self.close()
            raise
        elapsed = time.monotonic() - start
        if resp.will_close:
            self.close()
        return Response(
            status=resp.status,
            body=data.decode("utf-8", "replace"),
            elapsed=elapsed,
            headers={k: v for k, v in resp.getheaders()},
        )

    def post_signed(
        self,
        body: bytes,
        *,
        content_type: str = FORM,
        timestamp: int | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> Response:
        headers = self.signer.headers(body, timestamp=timestamp, content_type=content_type)
        headers.update(extra_headers or {})
        return self.post_raw(body, headers)

    def interactive(self, payload: dict[str, Any]) -> Response:
        """Any interactivity payload, sent as Slack does: form field payload=<JSON>."""
        body = urllib.parse.urlencode({"payload": json.dumps(payload, ensure_ascii=False)})
        return self.post_signed(body.encode("utf-8"))

    # --- request kinds ---

    def post_json(
        self, body: dict[str, Any], extra_headers: dict[str, str] | None = None
    ) -> Response:
        """A JSON body (Events API), signed."""
        raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
        return self.post_signed(raw, content_type=JSON, extra_headers=extra_headers)

    def command(self, text: str, *, response_url: str | None = None, **kwargs: Any) -> Response:
        """A slash command (flat form fields); arguments as ``payloads.slash_command``."""
        fields = payloads.slash_command(
            text,
            team_id=self.team_id,
            api_app_id=self.api_app_id,
            response_url=response_url or self.response_url_base,
            **kwargs,
        )
        return self.post_signed(urllib.parse.urlencode(fields).encode("utf-8"))

    def block_action(self, *, user: str, action_id: str, **kwargs: Any) -> Response:
        """A block_actions payload; arguments as ``payloads.block_actions``."""
        payload = payloads.block_actions(
            team_id=self.team_id,
            api_app_id=self.api_app_id,
            user=user,
            action_id=action_id,
            default_response_url=self.response_url_base,
            **kwargs,
        )
        return self.interactive(payload)

    def view_submission(
        self,
        *,
        user: str,
        callback_id: str,
        state_values: dict[str, Any],
        view_id: str | None = None,
        **kwargs: Any,
    ) -> Response:
        """A view_submission payload; arguments as ``payloads.view_submission``."""
        payload = payloads.view_submission(
            team_id=self.team_id,
            api_app_id=self.api_app_id,
            user=user,
            callback_id=callback_id,
            state_values=state_values,
            view_id=view_id or f"V{self._next():06d}",
            **kwargs,
        )
        return self.interactive(payload)

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str = "Ev1",
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
        event_time: int | None = None,
    ) -> Response:
        """An Events API event_callback (JSON body); retries carry X-Slack-Retry-*."""
        when = int(time.time()) if event_time is None else event_time
        body = payloads.event_callback(
            event,
            team_id=self.team_id,
            api_app_id=self.api_app_id,
            event_id=event_id,
            event_time=when,
        )
        extra = {}
        if retry_num is not None:
            extra = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        return self.post_json(body, extra)

    def url_verification(self, challenge: str = "challenge-token") -> Response:
        return self.post_json(payloads.url_verification(challenge))
