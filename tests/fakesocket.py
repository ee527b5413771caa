"""A fake Slack Socket Mode server: a real WebSocket server on 127.0.0.1.

Point FakeSlack's apps.connections.open at it (``fake_slack.socket_mode_url = sm.url``)
and the real Socket Mode client connects here; the server greets it with ``hello`` as
Slack does, delivers envelopes, records the acks, and can drop the connection silently:

    with FakeSocketMode() as sm:
        fake_slack.socket_mode_url = sm.url
        ...start the client...
        sm.wait_connections(1)
        env = sm.send_event({"type": "app_home_opened", ...}, event_id="Ev1", retry_attempt=0)
        sm.wait_ack(env)
        sm.drop("blackhole")   # stop reading and answering (pings too), keep the socket open
        sm.drop("close")       # hang up without a WebSocket close frame

The WebSocket protocol is websockets' sans-I/O ServerProtocol, so this server owns the
socket and can go silent at will (a library server would keep answering pings).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import socket
import threading
import time
from typing import Any

from websockets.frames import Frame, Opcode
from websockets.http11 import Request
from websockets.server import ServerProtocol


class _Conn:
    """One accepted client connection, served by its own thread."""

    def __init__(self, server: FakeSocketMode, sock: socket.socket, number: int) -> None:
        self.server = server
        self.sock = sock
        self.number = number
        self.proto = ServerProtocol()
        self.lock = threading.Lock()
        self.open = False  # handshake done, hello sent
        self.silent = threading.Event()  # blackholed: reads nothing, sends nothing
        self.stopped = threading.Event()

    def _flush(self) -> None:
        data = b"".join(self.proto.data_to_send())
        if data and not self.silent.is_set():
            self.sock.sendall(data)

    def send_json(self, obj: dict[str, Any]) -> None:
        with self.lock:
            self.proto.send_text(json.dumps(obj).encode())
            self._flush()

    def run(self) -> None:
        try:
            while True:
                data = self.sock.recv(65536)
                if self.silent.is_set():
                    self.stopped.wait()  # blackholed: stays open until the server stops
                    break
                with self.lock:
                    if data:
                        self.proto.receive_data(data)
                    else:
                        self.proto.receive_eof()
                    for event in self.proto.events_received():
                        self._on_event(event)
                    self._flush()
                if not data:
                    break
        except OSError:
            pass
        self.close()

    def _on_event(self, event: Request | Frame | Any) -> None:
        if isinstance(event, Request):
            self.proto.send_response(self.proto.accept(event))
            self.proto.send_text(json.dumps(self.server.hello(self.number)).encode())
            self.open = True
            self.server._changed_notify()
        elif isinstance(event, Frame) and event.opcode == Opcode.TEXT:
            with contextlib.suppress(ValueError):
                self.server._ack(json.loads(event.data))
        # Pings are answered by the protocol itself (a pong is queued in data_to_send).

    def close(self) -> None:
        """Hang up (FIN, no WebSocket close frame)."""
        with self.lock:
            if not self.stopped.is_set():
                self.stopped.set()
                with contextlib.suppress(OSError):
                    self.sock.shutdown(socket.SHUT_RDWR)
                self.sock.close()


class FakeSocketMode:
    """Accepts Socket Mode connections on ws://127.0.0.1:PORT/link/."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._changed = threading.Condition()
        self._seq = itertools.count(1)
        self.connections: list[_Conn] = []
        self.acks: dict[str, dict[str, Any]] = {}
        self._stopped = False
        self._thread = threading.Thread(target=self._accept, daemon=True)

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> FakeSocketMode:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped = True
        with contextlib.suppress(OSError):
            self._listener.close()
        for conn in list(self.connections):
            conn.close()

    def __enter__(self) -> FakeSocketMode:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The WebSocket URL apps.connections.open should answer."""
        return f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link/?ticket=fake"

    def _accept(self) -> None:
        while not self._stopped:
            try:
                sock, _addr = self._listener.accept()
            except OSError:
                return
            conn = _Conn(self, sock, len(self.connections) + 1)
            with self._changed:
                self.connections.append(conn)
            threading.Thread(target=conn.run, daemon=True).start()

    # ------------------------------------------------------------------ protocol

    @staticmethod
    def hello(number: int) -> dict[str, Any]:
        """The first message Slack sends on a new connection."""
        return {
            "type": "hello",
            "num_connections": 1,
            "debug_info": {"host": "fake", "approximate_connection_time": 18060},
            "connection_info": {"app_id": "A1", "connection_number": number},
        }

    def _changed_notify(self) -> None:
        with self._changed:
            self._changed.notify_all()

    def _ack(self, message: dict[str, Any]) -> None:
        envelope_id = message.get("envelope_id")
        if isinstance(envelope_id, str):
            with self._changed:
                self.acks[envelope_id] = message
                self._changed.notify_all()

    # ------------------------------------------------------------------ for tests

    def current(self) -> _Conn:
        """The newest connection whose handshake is done."""
        with self._changed:
            live = [
                c
                for c in self.connections
                if c.open and not c.silent.is_set() and not c.stopped.is_set()
            ]
        if not live:
            raise AssertionError("FakeSocketMode: no open connection")
        return live[-1]

    def open_count(self) -> int:
        """How many connections completed the handshake so far."""
        with self._changed:
            return sum(1 for c in self.connections if c.open)

    def wait_connections(self, count: int, timeout: float = 10.0) -> _Conn:
        """Wait until ``count`` connections have completed the handshake; the newest."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while sum(1 for c in self.connections if c.open) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"FakeSocketMode: fewer than {count} connections")
                self._changed.wait(min(left, 0.2))
        return self.current()

    def send_event(
        self,
        event: dict[str, Any],
        *,
        event_id: str = "Ev1",
        retry_attempt: int = 0,
        retry_reason: str = "",
        team_id: str = "T1",
    ) -> str:
        """Deliver an events_api envelope on the current connection; its envelope_id."""
        envelope_id = f"env-{next(self._seq)}"
        payload = {
            "token": "verification-token",
            "team_id": team_id,
            "api_app_id": "A1",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [
                {"team_id": team_id, "user_id": "UBOT", "is_bot": True, "enterprise_id": None}
            ],
        }
        self.current().send_json(
            {
                "envelope_id": envelope_id,
                "payload": payload,
                "type": "events_api",
                "accepts_response_payload": False,
                "retry_attempt": retry_attempt,
                "retry_reason": retry_reason,
            }
        )
        return envelope_id

    def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        """Wait for the client's ack of that envelope."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while envelope_id not in self.acks:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"FakeSocketMode: no ack for {envelope_id}")
                self._changed.wait(min(left, 0.2))
            return self.acks[envelope_id]

    def drop(self, mode: str) -> None:
        """Drop the current connection: "blackhole" (go silent) or "close" (no close frame)."""
        conn = self.current()
        if mode == "blackhole":
            conn.silent.set()  # its thread stops reading; nothing is sent any more
        elif mode == "close":
            conn.close()
        else:
            raise ValueError(f"unknown drop mode {mode!r}")
