"""Correctly signed Slack requests to the real app over HTTP (slash commands, buttons,
modal submissions, Events API), plus payload helpers.  Stdlib only.

Signature (docs.slack.dev/authentication/verifying-requests-from-slack):
``X-Slack-Signature: v0=hex(HMAC-SHA256(secret, "v0:{timestamp}:{raw body}"))`` with
``X-Slack-Request-Timestamp``; the exact bytes sent are signed.

Modal state convention: ``block_id == action_id == field name``.  ``state_values(**fields)``
and ``view_submission(state_values=...)`` take ``{name: field(kind, value)}`` and nest it as
``{name: {name: {...}}}``.  What ``field(kind, value)`` gives:

    plain_text_input / number_input / email_text_input / url_text_input
                                -> {"type": kind, "value": value}
    static_select / external_select / radio_buttons
                                -> {"type": kind, "selected_option": {"value": value, ...}}
    multi_static_select / multi_external_select / checkboxes
                                -> {"type": kind, "selected_options": [{"value": v, ...}, ...]}
    datepicker                  -> {"type": kind, "selected_date": "YYYY-MM-DD"}
    timepicker                  -> {"type": kind, "selected_time": "HH:MM"}
    datetimepicker              -> {"type": kind, "selected_date_time": <epoch int>}
    users_select                -> {"type": kind, "selected_user": "U1"}
    multi_users_select          -> {"type": kind, "selected_users": ["U1", ...]}
    conversations_select        -> {"type": kind, "selected_conversation": "C1"}
    channels_select             -> {"type": kind, "selected_channel": "C1"}
    multi_conversations_select  -> {"type": kind, "selected_conversations": ["C1", ...]}
    multi_channels_select       -> {"type": kind, "selected_channels": ["C1", ...]}

A value of None gives an unset field (``value``/``selected_*`` None; [] for multi kinds).
A bare string in ``state_values`` is shorthand for ``field("plain_text_input", s)``.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

DEFAULT_RESPONSE_URL = "http://127.0.0.1:9/response/none"  # discard port: fails fast
FORM = "application/x-www-form-urlencoded"

# ---------------------------------------------------------------------- payload helpers

_VALUE_KINDS = ("plain_text_input", "number_input", "email_text_input", "url_text_input")
_OPTION_KINDS = ("static_select", "external_select", "radio_buttons")
_OPTIONS_KINDS = ("multi_static_select", "multi_external_select", "checkboxes")
_SCALAR_KEYS = {
    "datepicker": "selected_date",
    "timepicker": "selected_time",
    "datetimepicker": "selected_date_time",
    "users_select": "selected_user",
    "conversations_select": "selected_conversation",
    "channels_select": "selected_channel",
}
_LIST_KEYS = {
    "multi_users_select": "selected_users",
    "multi_conversations_select": "selected_conversations",
    "multi_channels_select": "selected_channels",
}
FIELD_KINDS = (*_VALUE_KINDS, *_OPTION_KINDS, *_OPTIONS_KINDS, *_SCALAR_KEYS, *_LIST_KEYS)


def option(value: str, text: str | None = None) -> dict[str, Any]:
    """A selected option as Slack sends it."""
    return {"text": {"type": "plain_text", "text": text or value, "emoji": True}, "value": value}


def field(kind: str, value: Any) -> dict[str, Any]:
    """One input's state as Slack sends it in view.state.values[block][action]."""
    if kind in _VALUE_KINDS:
        return {"type": kind, "value": None if value is None else str(value)}
    if kind in _OPTION_KINDS:
        return {"type": kind, "selected_option": None if value is None else option(str(value))}
    if kind in _OPTIONS_KINDS:
        values = [] if value is None else [value] if isinstance(value, str) else list(value)
        return {"type": kind, "selected_options": [option(str(v)) for v in values]}
    if kind in _SCALAR_KEYS:
        return {"type": kind, _SCALAR_KEYS[kind]: value}
    if kind in _LIST_KEYS:
        values = [] if value is None else [value] if isinstance(value, str) else list(value)
        return {"type": kind, _LIST_KEYS[kind]: values}
    raise ValueError(f"unknown input kind {kind!r}; known: {', '.join(FIELD_KINDS)}")


def _is_spec(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("type"), str)


def state_values(**fields: Any) -> dict[str, dict[str, Any]]:
    """{name: field(...)} -> view.state.values ({name: {name: field}}); see module doc."""
    return nest_state(fields)


def nest_state(values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Nest flat ``{name: spec}`` entries as ``{name: {name: spec}}``; nested ones stay."""
    out: dict[str, dict[str, Any]] = {}
    for name, value in values.items():
        if isinstance(value, str):
            out[name] = {name: field("plain_text_input", value)}
        elif _is_spec(value):
            out[name] = {name: value}
        elif isinstance(value, dict):
            out[name] = value  # already {action_id: spec}
        else:
            raise TypeError(f"state value for {name!r} must be a field spec, got {value!r}")
    return out


# ---------------------------------------------------------------------- signing


class SlackRequestSigner:
    """Builds the headers Slack sends with a request body."""

    def __init__(self, signing_secret: str) -> None:
        self.signing_secret = signing_secret

    def signature(self, body: bytes | str, timestamp: int) -> str:
        raw = body.encode("utf-8") if isinstance(body, str) else body
        base = f"v0:{timestamp}:".encode() + raw
        digest = hmac.new(self.signing_secret.encode(), base, hashlib.sha256).hexdigest()
        return f"v0={digest}"

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
        start = time.monotonic()
        conn, reused = self._conn()
        try:
            conn.request("POST", self.path, body=body, headers=send_headers)
            resp = conn.getresponse()
            data = resp.read()
        except (http.client.RemoteDisconnected, ConnectionError, http.client.BadStatusLine):
            if not reused:
                self.close()
                raise
            # The server closed an idle keep-alive connection: once more on a new one.
            conn, _ = self._conn(fresh=True)
            start = time.monotonic()
            try:
                conn.request("POST", self.path, body=body, headers=send_headers)
                resp = conn.getresponse()
                data = resp.read()
            except Exception:
                self.close()
                raise
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

    def _user(self, user: str) -> dict[str, Any]:
        return {"id": user, "username": user.lower(), "name": user.lower(), "team_id": self.team_id}

    def _team(self) -> dict[str, Any]:
        return {"id": self.team_id, "domain": self.team_id.lower()}

    def command(
        self,
        text: str,
        *,
        user: str = "U1",
        command: str = "/wg",
        channel: str = "C1",
        trigger_id: str = "trig",
        response_url: str | None = None,
        channel_name: str | None = None,
    ) -> Response:
        """A slash command (flat form fields)."""
        fields = {
            "token": "verification-token",
            "team_id": self.team_id,
            "team_domain": self.team_id.lower(),
            "channel_id": channel,
            "channel_name": channel_name
            or ("directmessage" if channel.startswith("D") else channel.lower()),
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": self.api_app_id,
            "is_enterprise_install": "false",
            "response_url": response_url or self.response_url_base,
            "trigger_id": trigger_id,
        }
        return self.post_signed(urllib.parse.urlencode(fields).encode("utf-8"))

    def block_action(
        self,
        *,
        user: str,
        action_id: str,
        value: str = "",
        block_id: str = "b",
        channel: str | None = "D1",
        message_ts: str | None = "1.000",
        view: dict[str, Any] | None = None,
        response_url: str | None = None,
        container: dict[str, Any] | None = None,
        trigger_id: str = "trig",
        action_type: str = "button",
        action: dict[str, Any] | None = None,
        state_values: dict[str, Any] | None = None,
    ) -> Response:
        """A block_actions payload: a button pressed in a message, or in ``view`` when given
        (then no channel/message: the container is the view).

        ``action`` overrides the action dict (e.g. a static_select's selected_option).
        A message action gets a response_url (``response_url`` or the default); a view
        action only when ``response_url`` is given.
        """
        act: dict[str, Any] = action or {
            "action_id": action_id,
            "block_id": block_id,
            "type": action_type,
            "value": value,
            "text": {"type": "plain_text", "text": action_id, "emoji": True},
        }
        act = {"action_id": action_id, "block_id": block_id, **act}
        act.setdefault("action_ts", f"{time.time():.6f}")
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": self._user(user),
            "api_app_id": self.api_app_id,
            "token": "verification-token",
            "trigger_id": trigger_id,
            "team": self._team(),
            "enterprise": None,
            "is_enterprise_install": False,
            "actions": [act],
        }
        if view is not None:
            full_view = {
                "id": "V1",
                "team_id": self.team_id,
                "type": "modal",
                "private_metadata": "",
                "callback_id": "",
                "blocks": [],
                "state": {"values": nest_state(state_values or {})},
                "hash": "1.hash",
                "app_id": self.api_app_id,
                "bot_id": "BBOT",
                **view,
            }
            payload["view"] = full_view
            payload["container"] = container or {
                "type": "view",
                "view_id": full_view["id"],
            }
            if response_url is not None:
                payload["response_url"] = response_url
        else:
            payload["container"] = container or {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel,
                "is_ephemeral": False,
            }
            if channel is not None:
                payload["channel"] = {"id": channel, "name": channel.lower()}
            if message_ts is not None:
                payload["message"] = {
                    "type": "message",
                    "user": "UBOT",
                    "bot_id": "BBOT",
                    "ts": message_ts,
                    "text": "",
                    "blocks": [],
                }
            payload["state"] = {"values": nest_state(state_values or {})}
            payload["response_url"] = response_url or self.response_url_base
        return self.interactive(payload)

    def view_submission(
        self,
        *,
        user: str,
        callback_id: str,
        state_values: dict[str, Any],
        private_metadata: str = "",
        view_type: str = "modal",
        view_id: str | None = None,
        trigger_id: str = "trig",
        blocks: list[dict[str, Any]] | None = None,
        response_urls: list[dict[str, Any]] | None = None,
    ) -> Response:
        """A view_submission payload; ``state_values`` flat ({name: field(...)}) or nested."""
        vid = view_id or f"V{self._next():06d}"
        payload = {
            "type": "view_submission",
            "team": self._team(),
            "user": self._user(user),
            "api_app_id": self.api_app_id,
            "token": "verification-token",
            "trigger_id": trigger_id,
            "enterprise": None,
            "is_enterprise_install": False,
            "view": {
                "id": vid,
                "team_id": self.team_id,
                "type": view_type,
                "blocks": blocks or [],
                "private_metadata": private_metadata,
                "callback_id": callback_id,
                "state": {"values": nest_state(state_values)},
                "hash": f"{vid}.hash",
                "title": {"type": "plain_text", "text": "wgbot", "emoji": True},
                "clear_on_close": False,
                "notify_on_close": False,
                "close": None,
                "submit": {"type": "plain_text", "text": "OK", "emoji": True},
                "previous_view_id": None,
                "root_view_id": vid,
                "app_id": self.api_app_id,
                "external_id": "",
                "app_installed_team_id": self.team_id,
                "bot_id": "BBOT",
            },
            "response_urls": response_urls or [],
        }
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
        now = int(time.time())
        body = {
            "token": "verification-token",
            "team_id": self.team_id,
            "api_app_id": self.api_app_id,
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": now if event_time is None else event_time,
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.team_id,
                    "user_id": "UBOT",
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
        extra = {}
        if retry_num is not None:
            extra = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
        return self.post_signed(raw, content_type="application/json", extra_headers=extra)

    def url_verification(self, challenge: str = "challenge-token") -> Response:
        body = {"token": "verification-token", "challenge": challenge, "type": "url_verification"}
        raw = json.dumps(body).encode("utf-8")
        return self.post_signed(raw, content_type="application/json")
