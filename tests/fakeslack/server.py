"""HTTP plumbing of the fake Slack: routes, body parsing, and fault kinds turned into replies."""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import json
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from tests.fakeslack.faults import DROP_KINDS, SERVER_ERROR_PAGE
from tests.fakeslack.recording import Call

if TYPE_CHECKING:
    from tests.fakeslack import FakeSlack

# Methods Slack answers without a token.
AUTH_FREE = frozenset(
    {"api.test", "oauth.access", "oauth.v2.access", "oauth.v2.exchange", "openid.connect.token"}
)
JSON_FIELDS = ("blocks", "attachments", "view", "files", "metadata", "user_auth_blocks")


class Server(ThreadingHTTPServer):
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


class RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server
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

    def _call(self, method: str, params: dict[str, Any], body: bytes, data: bytes | None) -> Call:
        return Call(
            method=method,
            params=params,
            headers=dict(self.headers.items()),
            time=time.monotonic(),
            body=body,
            data=data,
        )

    def _refuse(
        self,
        call: Call,
        failed: str,
        status: int,
        body: bytes,
        content_type: str = "text/plain",
        headers: dict[str, str] | None = None,
    ) -> None:
        """Record ``call`` as failed with ``failed`` and answer with this reply."""
        call.failed = failed
        self.server.fake._record(call)
        self._send(status, body, content_type, headers)

    def _refuse_json(
        self,
        call: Call,
        failed: str,
        error: str | None = None,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Record ``call`` as failed and answer ``{"ok": false, "error": error or failed}``."""
        body = json.dumps({"ok": False, "error": error or failed}).encode("utf-8")
        self._refuse(call, failed, status, body, "application/json; charset=utf-8", headers)

    def _auth_error(self, method: str, params: dict[str, Any]) -> str | None:
        """Slack's error for a missing or wrong kind of token; None when it will do."""
        if method in AUTH_FREE:
            return None
        auth = self.headers.get("Authorization", "")
        token = (
            auth[len("Bearer ") :] if auth.startswith("Bearer ") else str(params.get("token", ""))
        )
        if not token:
            return "not_authed"
        # apps.connections.open takes the app-level token (xapp-), every other method xox*.
        prefix = "xapp-" if method == "apps.connections.open" else "xox"
        return None if token.startswith(prefix) else "invalid_auth"

    def _api(self, method: str, query: str, body: bytes) -> None:
        fake = self.server.fake
        params, data = self._params(query, body)
        call = self._call(method, params, body, data)
        error = self._auth_error(method, params)
        if error is not None:
            self._refuse_json(call, error)
            return
        fault = fake._fault_for(call)
        if fault is not None:
            self._inject(call, *fault)
            return
        try:
            answer = fake._answer(call)
        except Exception as exc:  # a broken custom handler: answer like Slack's 500
            self._refuse(call, "500", 500, f"handler error: {exc!r}".encode())
            return
        if answer.get("ok") is False:
            call.failed = str(answer.get("error", "error"))
        fake._record(call)
        self._send_json(200, answer)

    def _inject(self, call: Call, kind: str, retry_after: int) -> None:
        """Answer ``call`` the way fault ``kind`` says (see FakeSlack.fail_next)."""
        fake = self.server.fake
        if kind == "429":
            retry = {"Retry-After": str(retry_after)}
            self._refuse_json(call, kind, "ratelimited", 429, retry)
        elif kind == "500":
            self._refuse(call, kind, 500, SERVER_ERROR_PAGE, "text/html; charset=utf-8")
        elif kind == "403_echo":  # a proxy or firewall page that quotes the request
            quoted = json.dumps(call.params, ensure_ascii=False).encode()[:300]
            self._refuse(call, kind, 403, b"Request blocked by WAF: " + quoted, "text/plain")
        elif kind in DROP_KINDS:
            call.failed = kind
            if kind == "drop_after":
                fake._answer(call)
                call.answer_lost = True
            fake._record(call)
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(2)  # SHUT_RDWR: the client sees a reset
        elif kind == "timeout":
            call.failed = kind
            fake._record(call)
            time.sleep(fake.hang_seconds)
            # Answer as a fresh call: the recorded one stays marked "timeout".
            fresh = Call(call.method, call.params, call.headers, call.time)
            self._send_json(200, fake._answer(fresh))
        else:
            self._refuse_json(call, kind)

    def _response_url(self, name: str, body: bytes) -> None:
        try:
            loaded = json.loads(body) if body else {}
        except ValueError:
            loaded = _parse_form(body)
            if isinstance(loaded.get("payload"), str):
                with contextlib.suppress(ValueError):
                    loaded = json.loads(loaded["payload"])
        headers = dict(self.headers.items())
        if self.server.fake._record_response(name, loaded, body, headers):
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
        call = self._call("upload", params, body, data)
        with fake._lock:
            up = fake.uploads.get(file_id)
            if up is not None:
                up.data = data
        if up is None:
            self._refuse(call, "file_not_found", 404, b"file not found")
            return
        fake._record(call)
        self._send(200, f"OK - {len(data)}".encode(), "text/plain")
