"""The one place that talks to the Slack Web API: retries, pacing, DMs, files."""

from __future__ import annotations

import logging
import threading
import time
from http.client import RemoteDisconnected
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler

from bot.domain.slack_error import error_code

log = logging.getLogger(__name__)

# Slack allows about one chat.postMessage a second per channel (NOTES.md).
CHANNEL_INTERVAL = 1.0


def make_client(token: str, base_url: str, *, timeout: int = 10) -> WebClient:
    """A WebClient that retries rate limits, server errors, resets and timeouts."""
    handlers = [
        RateLimitErrorRetryHandler(max_retry_count=5),
        ServerErrorRetryHandler(max_retry_count=3),
        ConnectionErrorRetryHandler(
            max_retry_count=3,
            error_types=[URLError, ConnectionResetError, RemoteDisconnected, TimeoutError],
        ),
    ]
    return WebClient(token=token, base_url=base_url, timeout=timeout, retry_handlers=handlers)


class StopRetrying(RetryHandler):
    """Retries as `inner` does, but none once `stop` is set (a shutdown is draining).

    The SDK's handlers would otherwise sleep out a 429's Retry-After or a 5xx back-off
    in the middle of a drain that must end within seconds; the row then fails once
    (a retry later, by whoever holds the scheduler) instead.
    """

    def __init__(self, inner: RetryHandler, stop: threading.Event) -> None:
        super().__init__(max_retry_count=inner.max_retry_count)
        self.inner, self.stop = inner, stop

    def can_retry(self, **kwargs: Any) -> bool:
        """No retry after the stop; otherwise what the wrapped handler says."""
        return not self.stop.is_set() and self.inner.can_retry(**kwargs)

    def prepare_for_next_attempt(self, **kwargs: Any) -> None:
        """The wrapped handler's pause (Retry-After or back-off)."""
        self.inner.prepare_for_next_attempt(**kwargs)


# Slack's answers when a trigger_id is older than 3 s or already used: the user must retry.
EXPIRED_TRIGGER = frozenset({"expired_trigger_id", "trigger_exchanged"})


def failure_kind(exc: BaseException) -> str:
    """What went wrong with a Web API call, as a short code safe to log and to branch on.

    Slack's own error code ("expired_trigger_id") when it answered; "server_error" for a
    5xx (its body is HTML, not an error code); "bad_response" for any other answer with no
    code (a proxy's page: its text is never kept, see bot/domain/slack_error.py);
    "unreachable" for anything else.
    """
    if isinstance(exc, SlackApiError):
        # A SlackResponse from the client; a plain dict where a caller raised one itself.
        if getattr(exc.response, "status_code", 200) >= 500:
            return "server_error"
        code = error_code(getattr(exc.response, "data", exc.response))
        if code is None:  # no code, or the start of a page where the code should be
            return "bad_response"
        return code
    return "unreachable"


class ChannelPacer:
    """The one pacing rule for Slack sends: per channel, one message each `interval` seconds.

    A channel's next send waits a full interval after Slack answered the previous one
    (longer when Slack asked for it with Retry-After); different channels run freely.
    `wait` blocks a caller; the outbox's sender asks `ready_at` and keeps its threads busy
    with other channels meanwhile.
    """

    def __init__(self, interval: float = CHANNEL_INTERVAL) -> None:
        self.interval = interval
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def ready_at(self, channel: str) -> float:
        """The monotonic time from which this channel may be sent to."""
        with self._lock:
            return self._next.get(channel, 0.0)

    def wait(self, channel: str) -> None:
        """Block until this channel may be sent to, and book the next slot."""
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next.get(channel, 0.0))
            self._next[channel] = slot + self.interval
        if slot > now:
            time.sleep(slot - now)

    def answered(self, channel: str, *, retry_after: float = 0.0) -> None:
        """Slack answered: the next send to this channel waits a full interval from now.

        Spacing from the answer, not only from the start, keeps network jitter from
        bringing two messages under Slack's one-a-second and drawing a 429.
        """
        with self._lock:
            later = time.monotonic() + max(self.interval, retry_after)
            self._next[channel] = max(self._next.get(channel, 0.0), later)


def retry_after(exc: BaseException) -> float:
    """Seconds Slack asked us to wait (a 429's Retry-After), else 0."""
    response = exc.response if isinstance(exc, SlackApiError) else None
    if getattr(response, "status_code", None) != 429:
        return 0.0
    headers = {str(k).lower(): v for k, v in (getattr(response, "headers", None) or {}).items()}
    value = headers.get("retry-after")
    try:
        return float(value[0] if isinstance(value, list) else value or 0)
    except (TypeError, ValueError, IndexError):
        return 0.0


class Gateway:
    """Sends messages, files and views; knows DM channels and paces per channel."""

    def __init__(self, client: WebClient, *, pacer: ChannelPacer | None = None) -> None:
        self.client = client
        self.pacer = pacer or ChannelPacer()
        self._dm: dict[str, str] = {}
        self._dm_lock = threading.Lock()

    def stop_retries_on(self, stop: threading.Event) -> None:
        """From the moment `stop` is set, calls are tried once more at most (no retries)."""
        self.client.retry_handlers = [StopRetrying(h, stop) for h in self.client.retry_handlers]

    def dm_channel(self, user: str) -> str:
        """The DM channel id with a user (conversations.open, cached)."""
        with self._dm_lock:
            if user in self._dm:
                return self._dm[user]
        channel = self.client.conversations_open(users=user)["channel"]["id"]
        with self._dm_lock:
            self._dm[user] = channel
        return channel

    def post(self, channel: str, text: str, blocks: list[dict[str, Any]] | None = None) -> str:
        """Post a message at the channel's pace; returns its ts."""
        self.pacer.wait(channel)
        wait_more = 0.0
        try:
            resp = self.client.chat_postMessage(
                channel=channel, text=text, blocks=blocks, unfurl_links=False, unfurl_media=False
            )
        except SlackApiError as exc:
            wait_more = retry_after(exc)  # the retry handler gave up: keep off as Slack asked
            raise
        finally:
            self.pacer.answered(channel, retry_after=wait_more)
        return str(resp["ts"])

    def post_ephemeral(self, channel: str, user: str, text: str) -> None:
        """A message only `user` sees, in a channel (a confirmation with nothing to update)."""
        self.client.chat_postEphemeral(channel=channel, user=user, text=text)

    def post_dm(
        self, user: str, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> tuple[str, str]:
        """Post to a user's DM; returns (channel, ts)."""
        channel = self.dm_channel(user)
        return channel, self.post(channel, text, blocks)

    def update(
        self, channel: str, ts: str, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> None:
        """Replace a message the bot posted."""
        self.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)

    def upload(
        self,
        channel: str,
        *,
        filename: str,
        content: bytes,
        title: str = "",
        comment: str | None = None,
    ) -> None:
        """Upload a file to a channel id (files_upload_v2 takes channel ids only)."""
        self.client.files_upload_v2(
            channel=channel,
            filename=filename,
            content=content,
            title=title or filename,
            initial_comment=comment,
        )

    def upload_dm(self, user: str, **kwargs: Any) -> None:
        """Upload a file into the user's DM."""
        self.upload(self.dm_channel(user), **kwargs)

    def open_view(self, trigger_id: str, view: dict[str, Any]) -> None:
        """Open a modal."""
        self.client.views_open(trigger_id=trigger_id, view=view)

    def publish_home(self, user: str, view: dict[str, Any]) -> None:
        """Publish the App Home tab of a user."""
        self.client.views_publish(user_id=user, view=view)

    def user_by_email(self, email: str) -> str | None:
        """The member id of the workspace's active user with this e-mail, else None."""
        try:
            user = self.client.users_lookupByEmail(email=email)["user"]
        except SlackApiError as exc:
            if exc.response.get("error") == "users_not_found":  # Slack's answer for "nobody"
                return None
            raise
        return None if user.get("deleted") else str(user["id"])


class RecordingClient:
    """Stands in for the WebClient methods the Gateway uses, recording each call."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self._ts = 0
        self._lock = threading.Lock()

    def _record(self, kind: str, **fields: Any) -> dict[str, Any]:
        with self._lock:
            self._ts += 1
            ts = f"{1700000000 + self._ts}.000100"
            self.sent.append({"kind": kind, "ts": ts, **fields})
            return {"ok": True, "ts": ts}

    def conversations_open(self, *, users: str) -> dict[str, Any]:
        """DM channels are named after the user."""
        return {"ok": True, "channel": {"id": f"D{users}"}}

    def chat_postMessage(  # WebClient's own name
        self, *, channel: str, text: str, blocks: list[dict[str, Any]] | None, **_: Any
    ) -> dict[str, Any]:
        """Record a message."""
        return self._record("message", channel=channel, text=text, blocks=blocks)

    def chat_postEphemeral(  # WebClient's own name
        self, *, channel: str, user: str, text: str
    ) -> dict[str, Any]:
        """Record a message only one user sees."""
        return self._record("ephemeral", channel=channel, user=user, text=text)

    def chat_update(
        self, *, channel: str, ts: str, text: str, blocks: list[dict[str, Any]] | None
    ) -> dict[str, Any]:
        """Record an update of an earlier message."""
        return self._record("update", channel=channel, text=text, blocks=blocks, updated_ts=ts)

    def files_upload_v2(
        self, *, channel: str, filename: str, content: bytes, **_: Any
    ) -> dict[str, Any]:
        """Record a file upload (its name and size)."""
        return self._record("file", channel=channel, filename=filename, size=len(content))

    def views_open(self, *, trigger_id: str, view: dict[str, Any]) -> dict[str, Any]:
        """Record a modal."""
        return self._record("view", view=view)

    def views_publish(self, *, user_id: str, view: dict[str, Any]) -> dict[str, Any]:
        """Record an App Home update."""
        return self._record("home", user=user_id, view=view)

    def users_lookupByEmail(self, *, email: str) -> dict[str, Any]:  # WebClient's own name
        """Nobody is known by e-mail here (a recorded run lists staff by member id)."""
        raise SlackApiError("users_not_found", {"ok": False, "error": "users_not_found"})


class RecordingGateway(Gateway):
    """The real Gateway over a recording client: what would be sent (the demo, dry runs)."""

    def __init__(self) -> None:
        self.recorder = RecordingClient()
        super().__init__(self.recorder, pacer=ChannelPacer(0.0))  # type: ignore[arg-type]

    @property
    def sent(self) -> list[dict[str, Any]]:
        """Every recorded call in order: {"kind": "message"|"update"|"file"|"view"|"home", …}."""
        return self.recorder.sent
