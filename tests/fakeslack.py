"""A fake Slack Web API: a real HTTP server on 127.0.0.1 for tests and benchmarks.

Slack is replaced only at the HTTP boundary: point ``WebClient(base_url=fake.base_url)``
at it and the real SDK talks HTTP to this server, which records every call and answers
the way Slack does.  Stdlib only.

    with FakeSlack() as fake:
        client = WebClient(token="xoxb-test", base_url=fake.base_url)
        client.chat_postMessage(channel="C1", text="hi")
        (call,) = fake.wait_for("chat.postMessage")
        assert call.params["text"] == "hi"

Faults: ``fail_next(n, "429" | "500" | "timeout" | "drop_before" | "drop_after" | "<error>")``,
``set_fault_rate(rate, kinds, seed)`` and ``rate_limit_per_channel(per_second)``.
Failed calls are recorded too, with ``call.failed`` set to the kind (``call.ok`` False);
``ok_calls(method)`` leaves them out. "drop_before" hangs up without acting; "drop_after"
acts (the message is posted) and hangs up before answering: ``call.acted`` tells whether
Slack did what was asked, ``call.answer_lost`` whether the client never got the answer.

Params: JSON body, form body (urlencoded or multipart, binary parts left out) and query
string are merged into ``call.params``.  Values of ``blocks``, ``attachments``, ``view``,
``files`` and ``metadata`` sent as JSON strings (form-encoded calls) are decoded, so a
test sees the same dict/list whichever encoding the client chose.
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import json
import random
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T1"
FAULT_KINDS = ("429", "500", "timeout")
# Methods Slack answers without a token.
AUTH_FREE = frozenset(
    {"api.test", "oauth.access", "oauth.v2.access", "oauth.v2.exchange", "openid.connect.token"}
)
JSON_FIELDS = ("blocks", "attachments", "view", "files", "metadata", "user_auth_blocks")


@dataclass
class UploadedFile:
    """One file of the files upload v2 flow."""

    id: str
    filename: str
    title: str = ""
    data: bytes | None = None  # None until POSTed to the upload URL
    channel_id: str | None = None  # set by files.completeUploadExternal
    initial_comment: str | None = None
    completed: bool = False


@dataclass
class Call:
    """One request to the fake Web API (or to an upload URL: method "upload")."""

    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    time: float  # time.monotonic() on arrival
    body: bytes = b""
    data: bytes | None = None  # uploaded bytes (upload URL POSTs, multipart file parts)
    files: list[UploadedFile] = field(default_factory=list)  # files.completeUploadExternal
    failed: str | None = None  # fault kind or Slack error when the call did not succeed
    answer_lost: bool = False  # acted, but the connection dropped before the answer

    @property
    def ok(self) -> bool:
        return self.failed is None

    @property
    def acted(self) -> bool:
        """Slack did what was asked (a message was posted), whether or not it answered."""
        return self.failed is None or self.failed in ("drop_after", "timeout")


@dataclass
class ResponsePost:
    """One POST to a response_url of the fake."""

    name: str
    json: dict[str, Any]  # the parsed body ({} when it was not a JSON object)
    body: bytes
    headers: dict[str, str]
    time: float
    accepted: bool = True  # False once response_url_max_uses is exceeded


Handler = Callable[[Call], dict[str, Any]]


class FakeSlack:
    """A fake Slack Web API on 127.0.0.1:<ephemeral port>, served from a daemon thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host = host
        self._port = port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self.calls: list[Call] = []
        self.responses: list[ResponsePost] = []
        # Uploaded files by id (files upload v2 flow).
        self.uploads: dict[str, UploadedFile] = {}
        # users.info answers: user id -> extra fields merged into the minimal user.
        self.users: dict[str, dict[str, Any]] = {}
        # apps.connections.open answers this ws:// URL (a FakeSocketMode server's).
        self.socket_mode_url: str | None = None
        # Fault settings.
        self.retry_after = 1  # seconds in Retry-After of injected 429s
        self.hang_seconds = 3.0  # how long a "timeout" fault stalls before answering
        # A response_url accepts this many POSTs (Slack: 5 in 30 min); None = unlimited.
        self.response_url_max_uses: int | None = None
        self._fail_queue: list[str] = []
        self._fail_methods: frozenset[str] | None = None
        self._fault_rate = 0.0
        self._fault_kinds: tuple[str, ...] = FAULT_KINDS
        self._fault_methods: frozenset[str] | None = None
        self._rng = random.Random(0)
        self._channel_interval: float | None = None
        self._channel_retry_after = 1
        self._channel_last: dict[str, float] = {}
        self._handlers: dict[str, Handler] = {}
        self._seq = 0

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> FakeSlack:
        if self._server is not None:
            return self
        server = _Server((self._host, self._port), _RequestHandler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """http://127.0.0.1:PORT (no trailing slash)."""
        return f"http://{self._host}:{self.port}"

    @property
    def base_url(self) -> str:
        """For ``WebClient(base_url=...)``: http://127.0.0.1:PORT/api/."""
        return f"{self.url}/api/"

    def response_url(self, name: str = "r") -> str:
        """A response_url on this server; POSTs to it land in ``responses``."""
        return f"{self.url}/response/{urllib.parse.quote(name, safe='')}"

    # ------------------------------------------------------------------ inspection

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def ok_calls(self, method: str | None = None) -> list[Call]:
        """Calls that succeeded (no injected fault), to one method or all."""
        with self._lock:
            return [c for c in self.calls if c.ok and (method is None or c.method == method)]

    def clear(self) -> None:
        """Forget recorded calls, responses and uploads (fault settings stay)."""
        with self._lock:
            self.calls.clear()
            self.responses.clear()
            self.uploads.clear()
            self._channel_last.clear()

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until at least ``count`` calls to ``method`` arrived; returns all of them.

        Failed (fault-injected) calls count too; use ``wait_for_ok`` to count only successes.
        """
        return self._wait_calls(method, count, timeout, ok_only=False)

    def wait_for_ok(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Like ``wait_for`` but only successful calls count and are returned."""
        return self._wait_calls(method, count, timeout, ok_only=True)

    def _wait_calls(self, method: str, count: int, timeout: float, *, ok_only: bool) -> list[Call]:
        deadline = time.monotonic() + timeout

        def matching() -> list[Call]:
            return [c for c in self.calls if c.method == method and (c.ok or not ok_only)]

        with self._changed:
            while True:
                found = matching()
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = sorted({c.method for c in self.calls})
                    kind = "successful " if ok_only else ""
                    raise AssertionError(
                        f"FakeSlack: expected {count} {kind}call(s) to {method}, got {len(found)} "
                        f"within {timeout}s; methods seen: {seen}"
                    )
                self._changed.wait(min(left, 0.5))

    def wait_for_responses(self, count: int = 1, timeout: float = 5.0) -> list[ResponsePost]:
        """Wait until at least ``count`` response_url POSTs arrived; returns all of them."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.responses) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"FakeSlack: expected {count} response_url POST(s), got "
                        f"{len(self.responses)} within {timeout}s"
                    )
                self._changed.wait(min(left, 0.5))
            return list(self.responses)

    def responses_to(self, name: str) -> list[ResponsePost]:
        with self._lock:
            return [r for r in self.responses if r.name == name]

    def uploaded(self, channel_id: str | None = None) -> list[UploadedFile]:
        """Completed uploads (optionally to one channel), in completion order."""
        with self._lock:
            return [
                f
                for f in self.uploads.values()
                if f.completed and (channel_id is None or f.channel_id == channel_id)
            ]

    # ------------------------------------------------------------------ behaviour

    def set_response(self, method: str, answer: dict[str, Any] | Handler | None) -> None:
        """Answer ``method`` with a fixed body or ``answer(call)``; None restores the default.

        A body without "ok" gets ``"ok": True``; ``{"ok": False, "error": ...}`` marks the
        call failed with that error.
        """
        with self._lock:
            if answer is None:
                self._handlers.pop(method, None)
            elif callable(answer):
                self._handlers[method] = answer
            else:
                fixed = dict(answer)
                self._handlers[method] = lambda _call: dict(fixed)

    def fail_next(
        self,
        n: int = 1,
        kind: str = "500",
        *,
        methods: Iterable[str] | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Make the next ``n`` API calls (to ``methods``, default any) fail.

        kind: "429" (Retry-After: ``retry_after``), "500" (HTML body), "timeout" (stall
        ``hang_seconds`` then answer normally — clients with a shorter timeout give up),
        or any other string: HTTP 200 ``{"ok": false, "error": kind}``.
        """
        with self._lock:
            self._fail_queue.extend([str(kind)] * n)
            self._fail_methods = frozenset(methods) if methods is not None else None
            if retry_after is not None:
                self.retry_after = retry_after

    def set_fault_rate(
        self,
        rate: float,
        kinds: Iterable[str] = FAULT_KINDS,
        seed: int = 0,
        *,
        methods: Iterable[str] | None = None,
    ) -> None:
        """Make a seeded random fraction ``rate`` of API calls fail with one of ``kinds``."""
        with self._lock:
            self._fault_rate = float(rate)
            self._fault_kinds = tuple(str(k) for k in kinds) or FAULT_KINDS
            self._fault_methods = frozenset(methods) if methods is not None else None
            self._rng = random.Random(seed)

    def rate_limit_per_channel(self, per_second: float | None = 1.0, retry_after: int = 1) -> None:
        """chat.postMessage to one channel more often than ``per_second`` answers 429.

        ``None`` or 0 switches the limit off.
        """
        with self._lock:
            self._channel_interval = 1.0 / per_second if per_second else None
            self._channel_retry_after = retry_after
            self._channel_last.clear()

    def reset_faults(self) -> None:
        """No injected faults and no per-channel limit any more."""
        with self._lock:
            self._fail_queue.clear()
            self._fault_rate = 0.0
            self._channel_interval = None
            self._channel_last.clear()

    # ------------------------------------------------------------------ internals

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _ts(self) -> str:
        micros = self._next_seq() * 100
        return f"{1700000000 + micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def _fault_for(self, call: Call) -> tuple[str, int] | None:
        """The fault this call suffers, with its Retry-After; None when it goes through."""
        with self._lock:
            if self._fail_queue and (
                self._fail_methods is None or call.method in self._fail_methods
            ):
                return self._fail_queue.pop(0), self.retry_after
            if (
                self._fault_rate > 0
                and (self._fault_methods is None or call.method in self._fault_methods)
                and self._rng.random() < self._fault_rate
            ):
                return self._rng.choice(self._fault_kinds), self.retry_after
            if call.method == "chat.postMessage" and self._channel_interval is not None:
                channel = str(call.params.get("channel", ""))
                now = time.monotonic()
                last = self._channel_last.get(channel)
                if last is not None and now - last < self._channel_interval:
                    return "429", self._channel_retry_after
                self._channel_last[channel] = now
        return None

    def _answer(self, call: Call) -> dict[str, Any]:
        with self._lock:
            custom = self._handlers.get(call.method)
        if custom is not None:
            body = custom(call)
            body.setdefault("ok", True)
            return body
        builtin = getattr(self, "_m_" + call.method.replace(".", "_"), None)
        return builtin(call) if builtin is not None else {"ok": True}

    # --- Web API methods (answers modelled on Slack's) ---

    def _m_auth_test(self, call: Call) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://t1.slack.com/",
            "team": "Test Team",
            "user": "wgbot",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _m_apps_connections_open(self, call: Call) -> dict[str, Any]:
        # Socket Mode: the WebSocket URL of a fake Socket Mode server (tests/fakesocket.py).
        if self.socket_mode_url is None:
            return {"ok": False, "error": "not_allowed_token_type"}
        return {"ok": True, "url": self.socket_mode_url}

    def _m_api_test(self, call: Call) -> dict[str, Any]:
        return {"ok": True, "args": {k: v for k, v in call.params.items() if k != "token"}}

    @staticmethod
    def _channel_of(raw: Any) -> str:
        channel = str(raw or "")
        # Posting to a user id posts to the DM with the bot.
        return "D" + channel if channel[:1] in ("U", "W") else channel

    def _message(self, call: Call, ts: str) -> dict[str, Any]:
        msg: dict[str, Any] = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "team": TEAM_ID,
            "ts": ts,
            "text": call.params.get("text", ""),
        }
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if call.params.get(key) is not None:
                msg[key] = call.params[key]
        return msg

    def _m_chat_postMessage(self, call: Call) -> dict[str, Any]:
        if not call.params.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        with self._lock:
            ts = self._ts()
        return {
            "ok": True,
            "channel": self._channel_of(call.params["channel"]),
            "ts": ts,
            "message": self._message(call, ts),
        }

    def _m_chat_postEphemeral(self, call: Call) -> dict[str, Any]:
        if not call.params.get("channel") or not call.params.get("user"):
            return {"ok": False, "error": "channel_not_found"}
        with self._lock:
            ts = self._ts()
        return {"ok": True, "message_ts": ts}

    def _m_chat_update(self, call: Call) -> dict[str, Any]:
        ts = str(call.params.get("ts", ""))
        if not call.params.get("channel") or not ts:
            return {"ok": False, "error": "message_not_found"}
        return {
            "ok": True,
            "channel": str(call.params["channel"]),
            "ts": ts,
            "text": call.params.get("text", ""),
            "message": self._message(call, ts),
        }

    def _m_chat_delete(self, call: Call) -> dict[str, Any]:
        return {"ok": True, "channel": call.params.get("channel"), "ts": call.params.get("ts")}

    def _m_chat_scheduleMessage(self, call: Call) -> dict[str, Any]:
        with self._lock:
            ts = self._ts()
            n = self._next_seq()
        return {
            "ok": True,
            "channel": self._channel_of(call.params.get("channel")),
            "scheduled_message_id": f"Q{n:08d}",
            "post_at": call.params.get("post_at"),
            "message": self._message(call, ts),
        }

    def _m_conversations_open(self, call: Call) -> dict[str, Any]:
        users = [u for u in str(call.params.get("users", "")).split(",") if u]
        if call.params.get("channel"):
            channel_id = str(call.params["channel"])
        elif len(users) == 1:
            channel_id = "D" + users[0]
        elif users:
            channel_id = "G" + "".join(users)
        else:
            return {"ok": False, "error": "users_list_not_supplied"}
        return {"ok": True, "channel": {"id": channel_id}}

    def _view(self, call: Call, view_id: str | None = None) -> dict[str, Any]:
        view = call.params.get("view")
        view = dict(view) if isinstance(view, dict) else {}
        with self._lock:
            n = self._next_seq()
        view_id = view_id or f"V{n:08d}"
        return {
            "id": view_id,
            "team_id": TEAM_ID,
            "app_id": "A1",
            "bot_id": BOT_ID,
            "root_view_id": view_id,
            "hash": f"{n}.hash",
            "state": {"values": {}},
            **view,
        }

    def _m_views_open(self, call: Call) -> dict[str, Any]:
        if not call.params.get("trigger_id") and not call.params.get("interactivity_pointer"):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": self._view(call)}

    def _m_views_push(self, call: Call) -> dict[str, Any]:
        return self._m_views_open(call)

    def _m_views_publish(self, call: Call) -> dict[str, Any]:
        if not call.params.get("user_id"):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": self._view(call)}

    def _m_views_update(self, call: Call) -> dict[str, Any]:
        view_id = call.params.get("view_id")
        return {"ok": True, "view": self._view(call, str(view_id) if view_id else None)}

    def _m_users_info(self, call: Call) -> dict[str, Any]:
        user_id = str(call.params.get("user", ""))
        if not user_id:
            return {"ok": False, "error": "user_not_found"}
        with self._lock:
            extra = dict(self.users.get(user_id, {}))
        name = user_id.lower()
        user: dict[str, Any] = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name,
            "real_name": name,
            "deleted": False,
            "is_bot": False,
            "is_admin": False,
            "tz": "Asia/Tokyo",
            "tz_label": "Japan Standard Time",
            "tz_offset": 32400,
            "profile": {"real_name": name, "display_name": name},
        }
        user.update(extra)
        return {"ok": True, "user": user}

    def _m_files_getUploadURLExternal(self, call: Call) -> dict[str, Any]:
        filename = str(call.params.get("filename", ""))
        if not filename or not str(call.params.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        with self._lock:
            file_id = f"F{self._next_seq():08d}"
            self.uploads[file_id] = UploadedFile(id=file_id, filename=filename)
        return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _m_files_completeUploadExternal(self, call: Call) -> dict[str, Any]:
        listed = call.params.get("files")
        if not isinstance(listed, list) or not listed:
            return {"ok": False, "error": "invalid_arguments"}
        channel = call.params.get("channel_id") or call.params.get("channels")
        out = []
        with self._lock:
            for item in listed:
                up = self.uploads.get(str(item.get("id"))) if isinstance(item, dict) else None
                if up is None or up.data is None:
                    return {"ok": False, "error": "file_not_found"}
                up.title = str(item.get("title") or up.filename)
                up.channel_id = str(channel) if channel else None
                up.initial_comment = call.params.get("initial_comment")
                up.completed = True
                # Re-insert so uploads keeps completion order.
                self.uploads.pop(up.id)
                self.uploads[up.id] = up
                call.files.append(up)
                out.append(
                    {
                        "id": up.id,
                        "name": up.filename,
                        "title": up.title,
                        "size": len(up.data),
                        "user": BOT_USER_ID,
                        "channels": [up.channel_id] if up.channel_id else [],
                        "permalink": f"https://t1.slack.com/files/{BOT_USER_ID}/{up.id}",
                    }
                )
        return {"ok": True, "files": out}


# ---------------------------------------------------------------------- HTTP plumbing


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # 32 sender threads connecting at once are not refused
    block_on_close = False
    fake: FakeSlack

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that time out and hang up are expected; stay quiet


def _decode_json_fields(params: dict[str, Any]) -> None:
    for key in JSON_FIELDS:
        value = params.get(key)
        if isinstance(value, str) and value[:1] in ("[", "{"):
            with contextlib.suppress(ValueError):
                params[key] = json.loads(value)


def _parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, Any], bytes | None]:
    parser = email.parser.BytesParser(policy=email.policy.HTTP)
    msg = parser.parsebytes(b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    fields: dict[str, Any] = {}
    data: bytes | None = None
    if not msg.is_multipart():
        return fields, None
    for part in msg.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        raw = part.get_payload(decode=True)
        payload = raw if isinstance(raw, bytes) else b""
        if part.get_filename() is not None:
            data = payload if data is None else data + payload
        elif name:
            fields[str(name)] = payload.decode("utf-8", "replace")
    return fields, data


def _parse_form(body: bytes) -> dict[str, Any]:
    parsed = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 60  # idle keep-alive connections

    def log_message(self, format: str, *args: Any) -> None:
        pass

    # --- helpers ---

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str = "application/json; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True

    def _send_json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), headers=headers)

    # --- routes ---

    def do_GET(self) -> None:
        self._route()

    def do_POST(self) -> None:
        self._route()

    def _route(self) -> None:
        body = self._read_body()
        parsed = urllib.parse.urlsplit(self.path)
        path = parsed.path
        if path.startswith("/api/"):
            self._api(path[len("/api/") :], parsed.query, body)
        elif path.startswith("/response/"):
            self._response_url(urllib.parse.unquote(path[len("/response/") :]), body)
        elif path.startswith("/upload/"):
            self._upload(path[len("/upload/") :], parsed.query, body)
        else:
            self._send(404, b"not found", "text/plain")

    def _params(self, query: str, body: bytes) -> tuple[dict[str, Any], bytes | None]:
        params: dict[str, Any] = _parse_form(query.encode()) if query else {}
        data: bytes | None = None
        ctype = self.headers.get("Content-Type", "")
        if body:
            if "json" in ctype:
                try:
                    loaded = json.loads(body)
                except ValueError:
                    loaded = None
                if isinstance(loaded, dict):
                    params.update(loaded)
            elif ctype.startswith("multipart/"):
                fields, data = _parse_multipart(ctype, body)
                params.update(fields)
            else:
                params.update(_parse_form(body))
        _decode_json_fields(params)
        return params, data

    def _api(self, method: str, query: str, body: bytes) -> None:
        fake = self.server.fake
        params, data = self._params(query, body)
        call = Call(
            method=method,
            params=params,
            headers=dict(self.headers.items()),
            time=time.monotonic(),
            body=body,
            data=data,
        )
        auth = self.headers.get("Authorization", "")
        token = (
            auth[len("Bearer ") :] if auth.startswith("Bearer ") else str(params.get("token", ""))
        )
        if method not in AUTH_FREE and not token:
            call.failed = "not_authed"
            fake._record(call)
            self._send_json(200, {"ok": False, "error": "not_authed"})
            return
        # apps.connections.open takes the app-level token (xapp-), every other method xox*.
        prefix = "xapp-" if method == "apps.connections.open" else "xox"
        if method not in AUTH_FREE and not token.startswith(prefix):
            call.failed = "invalid_auth"
            fake._record(call)
            self._send_json(200, {"ok": False, "error": "invalid_auth"})
            return
        fault = fake._fault_for(call)
        if fault is not None:
            kind, retry_after = fault
            call.failed = kind
            if kind == "429":
                fake._record(call)
                self._send_json(
                    429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
                )
                return
            if kind == "500":
                fake._record(call)
                html = b"<html><body><h1>500 Internal Server Error</h1></body></html>"
                self._send(500, html, "text/html; charset=utf-8")
                return
            if kind in ("drop_before", "drop_after"):
                # A connection that breaks before or after Slack acted: no answer at all.
                if kind == "drop_after":
                    fake._answer(call)
                    call.answer_lost = True
                fake._record(call)
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(2)  # SHUT_RDWR: the client sees a reset
                return
            if kind == "timeout":
                fake._record(call)
                time.sleep(fake.hang_seconds)
                self._send_json(200, fake._answer(Call(method, params, call.headers, call.time)))
                return
            fake._record(call)
            self._send_json(200, {"ok": False, "error": kind})
            return
        try:
            answer = fake._answer(call)
        except Exception as exc:  # a broken custom handler: answer like Slack's 500
            call.failed = "500"
            fake._record(call)
            self._send(500, f"handler error: {exc!r}".encode(), "text/plain")
            return
        if answer.get("ok") is False:
            call.failed = str(answer.get("error", "error"))
        fake._record(call)
        self._send_json(200, answer)

    def _response_url(self, name: str, body: bytes) -> None:
        fake = self.server.fake
        try:
            loaded = json.loads(body) if body else {}
        except ValueError:
            loaded = _parse_form(body)
            if isinstance(loaded.get("payload"), str):
                with contextlib.suppress(ValueError):
                    loaded = json.loads(loaded["payload"])
        with fake._changed:
            used = sum(1 for r in fake.responses if r.name == name and r.accepted)
            limit = fake.response_url_max_uses
            accepted = limit is None or used < limit
            fake.responses.append(
                ResponsePost(
                    name=name,
                    json=loaded if isinstance(loaded, dict) else {},
                    body=body,
                    headers=dict(self.headers.items()),
                    time=time.monotonic(),
                    accepted=accepted,
                )
            )
            fake._changed.notify_all()
        if accepted:
            self._send(200, b"ok", "text/html")
        else:
            self._send(404, b"used_url", "text/html")

    def _upload(self, file_id: str, query: str, body: bytes) -> None:
        fake = self.server.fake
        ctype = self.headers.get("Content-Type", "")
        params: dict[str, Any] = _parse_form(query.encode()) if query else {}
        data = body
        if ctype.startswith("multipart/"):
            fields, part = _parse_multipart(ctype, body)
            params.update(fields)
            data = part if part is not None else b""
        params["file_id"] = file_id
        call = Call(
            method="upload",
            params=params,
            headers=dict(self.headers.items()),
            time=time.monotonic(),
            body=body,
            data=data,
        )
        with fake._lock:
            up = fake.uploads.get(file_id)
            if up is not None:
                up.data = data
        if up is None:
            call.failed = "file_not_found"
            fake._record(call)
            self._send(404, b"file not found", "text/plain")
            return
        fake._record(call)
        self._send(200, f"OK - {len(data)}".encode(), "text/plain")
