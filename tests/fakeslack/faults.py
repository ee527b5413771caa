"""Fault injection: which call fails and how (5xx, 429 Retry-After, drops, stalls, errors)."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterable

from tests.fakeslack.recording import Call

FAULT_KINDS = ("429", "500", "timeout")
# A connection that breaks before or after Slack acted: no answer at all.
DROP_KINDS = ("drop_before", "drop_after")
SERVER_ERROR_PAGE = b"<html><body><h1>500 Internal Server Error</h1></body></html>"


class Faults:
    """The fault half of FakeSlack: queued, random and per-channel-rate faults."""

    _lock: threading.Lock

    def _init_faults(self) -> None:
        self.retry_after = 1  # seconds in Retry-After of injected 429s
        self.hang_seconds = 3.0  # how long a "timeout" fault stalls before answering
        self._fail_queue: list[str] = []
        self._fail_methods: frozenset[str] | None = None
        self._fault_rate = 0.0
        self._fault_kinds: tuple[str, ...] = FAULT_KINDS
        self._fault_methods: frozenset[str] | None = None
        self._rng = random.Random(0)
        self._channel_interval: float | None = None
        self._channel_retry_after = 1
        self._channel_last: dict[str, float] = {}

    def fail_next(
        self,
        n: int = 1,
        kind: str = "500",
        *,
        methods: Iterable[str] | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Make the next ``n`` API calls (to ``methods``, default any) fail.

        kind: "429" (Retry-After: ``retry_after``), "500" (HTML body), "403_echo" (a proxy's
        plain-text page quoting the request's parameters), "timeout" (stall
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
                return self._channel_limit(str(call.params.get("channel", "")))
        return None

    def _channel_limit(self, channel: str) -> tuple[str, int] | None:
        """A 429 when ``channel`` was posted to too recently (called under the lock)."""
        now = time.monotonic()
        last = self._channel_last.get(channel)
        if last is not None and now - last < (self._channel_interval or 0.0):
            return "429", self._channel_retry_after
        self._channel_last[channel] = now
        return None
