"""What the fake Slack saw: recorded calls, response_url POSTs and uploads, and waits on them."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


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


class Recording:
    """The record half of FakeSlack: calls, responses and uploads, guarded by one lock."""

    def _init_recording(self) -> None:
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self.calls: list[Call] = []
        self.responses: list[ResponsePost] = []
        # Uploaded files by id (files upload v2 flow).
        self.uploads: dict[str, UploadedFile] = {}
        # A response_url accepts this many POSTs (Slack: 5 in 30 min); None = unlimited.
        self.response_url_max_uses: int | None = None

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def ok_calls(self, method: str | None = None) -> list[Call]:
        """Calls that succeeded (no injected fault), to one method or all."""
        with self._lock:
            return [c for c in self.calls if c.ok and (method is None or c.method == method)]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until at least ``count`` calls to ``method`` arrived; returns all of them.

        Failed (fault-injected) calls count too; use ``wait_for_ok`` to count only successes.
        """
        return self._wait_calls(method, count, timeout, ok_only=False)

    def wait_for_ok(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Like ``wait_for`` but only successful calls count and are returned."""
        return self._wait_calls(method, count, timeout, ok_only=True)

    def _wait_calls(self, method: str, count: int, timeout: float, *, ok_only: bool) -> list[Call]:
        def matching() -> list[Call]:
            return [c for c in self.calls if c.method == method and (c.ok or not ok_only)]

        def failure(found: list[Call]) -> str:
            seen = sorted({c.method for c in self.calls})
            kind = "successful " if ok_only else ""
            return (
                f"FakeSlack: expected {count} {kind}call(s) to {method}, got {len(found)} "
                f"within {timeout}s; methods seen: {seen}"
            )

        return self._wait_until(matching, count, timeout, failure)

    def wait_for_responses(self, count: int = 1, timeout: float = 5.0) -> list[ResponsePost]:
        """Wait until at least ``count`` response_url POSTs arrived; returns all of them."""

        def failure(found: list[ResponsePost]) -> str:
            return (
                f"FakeSlack: expected {count} response_url POST(s), got "
                f"{len(found)} within {timeout}s"
            )

        return self._wait_until(lambda: list(self.responses), count, timeout, failure)

    def _wait_until(
        self,
        found: Callable[[], list[T]],
        count: int,
        timeout: float,
        failure: Callable[[list[T]], str],
    ) -> list[T]:
        """Wait (woken by each record) until ``found()`` holds ``count`` items; fail after
        ``timeout`` seconds with ``failure(found())``."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                items = found()
                if len(items) >= count:
                    return items
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(failure(items))
                self._changed.wait(min(left, 0.5))

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

    def _clear_records(self) -> None:
        """Forget calls, responses and uploads (called under the lock)."""
        self.calls.clear()
        self.responses.clear()
        self.uploads.clear()

    def _record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def _record_response(
        self, name: str, loaded: Any, body: bytes, headers: dict[str, str]
    ) -> bool:
        """Record a response_url POST; False once that URL has been used up."""
        with self._changed:
            used = sum(1 for r in self.responses if r.name == name and r.accepted)
            limit = self.response_url_max_uses
            accepted = limit is None or used < limit
            self.responses.append(
                ResponsePost(
                    name=name,
                    json=loaded if isinstance(loaded, dict) else {},
                    body=body,
                    headers=headers,
                    time=time.monotonic(),
                    accepted=accepted,
                )
            )
            self._changed.notify_all()
        return accepted
