"""The database is unreachable: say so once a minute, answer users briefly, recover alone.

A running bot meets a database outage in every listener, every scheduled job and every
sender thread at once. Logging each failure (with SQLAlchemy's message, which holds the
SQL and its parameters, i.e. what users typed) floods the log and leaks text. Instead
every boundary asks `is_outage(exc)` and reports it here: the first failure is logged as
one line, then at most one line a minute with the count of failures in that minute, and
one line when the database answers again. Nothing needs restarting: the engine's pool
pre-pings and reconnects, and the next job or command simply works.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import exc as sa_exc

log = logging.getLogger(__name__)
LOG_EVERY = 60.0  # seconds between "still unreachable" lines


def is_outage(exc: BaseException) -> bool:
    """True when `exc` means the database cannot be reached or dropped the connection."""
    if isinstance(exc, sa_exc.DBAPIError):
        return exc.connection_invalidated or isinstance(
            exc, sa_exc.OperationalError | sa_exc.InterfaceError
        )
    # The pool's own timeout, and driver errors raised outside SQLAlchemy's wrapping.
    if isinstance(exc, sa_exc.TimeoutError):
        return True
    return type(exc).__name__ in ("OperationalError", "InterfaceError")


def reason(exc: BaseException) -> str:
    """The exception class and the driver's first line, without SQL or parameters."""
    orig = getattr(exc, "orig", None) or exc
    first = (str(orig).strip().splitlines() or [""])[0]
    if isinstance(orig, sa_exc.StatementError) or "[SQL:" in first:
        first = ""  # never the statement: its parameters may hold user text
    return f"{type(exc).__name__}: {first[:160]}".rstrip(": ")


class Outage:
    """Counts failures while the database is unreachable; logs at most once a minute."""

    def __init__(self, *, every: float = LOG_EVERY) -> None:
        self.every = every
        self.lock = threading.Lock()
        self.since: float | None = None  # monotonic time of the first failure
        self.logged_at = 0.0
        self.window = 0  # failures since the last line
        self.total = 0

    @property
    def active(self) -> bool:
        """True between a failure and the next success."""
        return self.since is not None

    def failed(self, exc: BaseException, *, where: str) -> None:
        """Record one failure; log a line if none was logged this minute."""
        now = time.monotonic()
        with self.lock:
            self.window += 1
            self.total += 1
            if self.since is None:
                self.since, self.logged_at, self.window = now, now, 0
                line = f"database unreachable ({where}: {reason(exc)}); retrying by itself"
            elif now - self.logged_at >= self.every:
                line = (
                    f"database still unreachable: {self.window} failures in the last "
                    f"{now - self.logged_at:.0f} s ({reason(exc)})"
                )
                self.logged_at, self.window = now, 0
            else:
                return
        log.error(line)

    def recovered(self) -> None:
        """The database answered: log one line if it had been unreachable."""
        if self.since is None:
            return
        with self.lock:
            if self.since is None:
                return
            down, total = time.monotonic() - self.since, self.total
            self.since, self.window, self.total = None, 0, 0
        log.warning("database reachable again after %.0f s (%s failures)", down, total)


MONITOR = Outage()
