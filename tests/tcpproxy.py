"""A TCP proxy on 127.0.0.1 that can cut the database away: tests of outages.

    with TcpProxy(5432) as proxy:           # 127.0.0.1:<proxy.port> -> 127.0.0.1:5432
        ...                                  # point the engine at proxy.port
        proxy.cut(3.0)                       # drop every connection, refuse new ones 3 s

Hand-written (stdlib, ~100 lines) because toxiproxy needs a separate server binary and
the tests need only two things: forward bytes, and break everything for N seconds.
While cut, new connections are accepted and closed at once, which the driver sees as
"server closed the connection unexpectedly", as when PostgreSQL restarts.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time


class TcpProxy:
    """Forwards 127.0.0.1:<port> to 127.0.0.1:<target>, one thread per connection."""

    def __init__(self, target: int, *, host: str = "127.0.0.1") -> None:
        self.target = (host, target)
        self.listener = socket.create_server((host, 0))
        self.port = int(self.listener.getsockname()[1])
        self.lock = threading.Lock()
        self.conns: set[socket.socket] = set()
        self.down_until = 0.0
        self.cuts = 0
        self.refused = 0
        self.closed = False

    def __enter__(self) -> TcpProxy:
        threading.Thread(target=self._accept, daemon=True, name="tcpproxy").start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closed = True
        with contextlib.suppress(OSError):
            self.listener.close()
        self._drop_all()

    @property
    def down(self) -> bool:
        return time.monotonic() < self.down_until

    def cut(self, seconds: float) -> None:
        """Drop every open connection and refuse new ones for `seconds`."""
        with self.lock:
            self.down_until = time.monotonic() + seconds
            self.cuts += 1
        self._drop_all()

    def _drop_all(self) -> None:
        with self.lock:
            conns, self.conns = list(self.conns), set()
        for sock in conns:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.down:
                self.refused += 1
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.conns.update((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        peers = {a: b, b: a}
        try:
            while True:
                ready, _, _ = select.select([a, b], [], [], 1.0)
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    peers[sock].sendall(data)
        except (OSError, ValueError):
            return
        finally:
            with self.lock:
                self.conns.discard(a)
                self.conns.discard(b)
            for sock in (a, b):
                with contextlib.suppress(OSError):
                    sock.close()
