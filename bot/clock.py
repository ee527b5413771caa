"""The office clock: every service asks it for the time, so tests can fix it."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    tz: ZoneInfo

    def now(self) -> datetime: ...

    def today(self) -> date: ...


class SystemClock:
    """Wall-clock time in the office's time zone."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz

    def now(self) -> datetime:
        """Current aware datetime in office time."""
        return datetime.now(self.tz)

    def today(self) -> date:
        """Current office date."""
        return self.now().date()


class FixedClock:
    """A clock that only moves when told to (tests, demo, `tick --now`)."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.tz = at.tzinfo if isinstance(at.tzinfo, ZoneInfo) else ZoneInfo("Asia/Tokyo")
        self._at = at.astimezone(self.tz)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The fixed instant."""
        with self._lock:
            return self._at

    def today(self) -> date:
        """The fixed date."""
        return self.now().date()

    def set(self, at: datetime) -> None:
        """Jump to another instant."""
        with self._lock:
            self._at = at.astimezone(self.tz)

    def advance(self, delta: timedelta) -> None:
        """Move forward by delta."""
        with self._lock:
            self._at = self._at + delta


def office_datetime(text: str, tz: ZoneInfo) -> datetime:
    """Parse 'YYYY-MM-DD HH:MM' (or ISO) as office time."""
    dt = datetime.fromisoformat(text.strip().replace("/", "-"))
    return dt.replace(tzinfo=tz) if dt.tzinfo is None else dt.astimezone(tz)
