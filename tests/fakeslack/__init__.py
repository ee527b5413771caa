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

The package by role: ``recording`` (calls, responses, uploads and waits on them), ``faults``
(which call fails and how), ``methods`` (Web API answers), ``server`` (HTTP plumbing); this
module puts them together as ``FakeSlack``.
"""

from __future__ import annotations

import threading
import urllib.parse

from tests.fakeslack.faults import FAULT_KINDS, Faults
from tests.fakeslack.methods import BOT_ID, BOT_USER_ID, TEAM_ID, Handler, Methods
from tests.fakeslack.recording import Call, Recording, ResponsePost, UploadedFile
from tests.fakeslack.server import RequestHandler, Server

__all__ = [
    "BOT_ID",
    "BOT_USER_ID",
    "FAULT_KINDS",
    "TEAM_ID",
    "Call",
    "FakeSlack",
    "Handler",
    "ResponsePost",
    "UploadedFile",
]


class FakeSlack(Recording, Faults, Methods):
    """A fake Slack Web API on 127.0.0.1:<ephemeral port>, served from a daemon thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host = host
        self._port = port
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._init_recording()
        self._init_faults()
        self._init_methods()

    def start(self) -> FakeSlack:
        if self._server is not None:
            return self
        server = Server((self._host, self._port), RequestHandler)
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

    def clear(self) -> None:
        """Forget recorded calls, responses and uploads (fault settings stay)."""
        with self._lock:
            self._clear_records()
            self._channel_last.clear()
