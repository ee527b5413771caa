"""What every use case needs: the database, the clock, the calendar, the language."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlmodel import Session

from bot.clock import Clock
from bot.domain.calendar import OfficeCalendar
from storage.db import lock_wait, session_scope

FORM_LOCK_WAIT_MS = 1000  # of the 3 s Slack gives a form; a busy machine needs the rest

if TYPE_CHECKING:
    from bot.gateway import Gateway


@dataclass
class Ctx:
    """Passed to every service; built once by the CLI or a test."""

    engine: Engine
    clock: Clock
    calendar: OfficeCalendar = field(default_factory=OfficeCalendar)
    lang: str = "ja"
    command: str = "/wg"
    gateway: Gateway | None = None
    report_channel: str | None = None
    operator_channel: str | None = None  # told once a day about failed reminders
    instance_id: str = "local"
    tick_seconds: float = 60.0
    case_retention_years: int = 5  # WGBOT_CASE_RETENTION_YEARS (docs/cases.md, "Retention")
    # Who really acts when a person speaks for a Slack user (`wgbot console --user U9` run
    # by OS user alice: "console:alice"); case audit rows name it (docs/cases.md).
    via: str | None = None
    # Set on SIGTERM/SIGINT: jobs stop claiming new work and put back what they hold.
    stopping: threading.Event = field(default_factory=threading.Event, repr=False)

    @contextmanager
    def answering_a_form(self) -> Iterator[None]:
        """Within it, a locked SQLite database fails after 2 s instead of waiting 10 s.

        Slack drops a form's answer after 3 s (bolt then answers 404 "unhandled request");
        failing sooner lets the error boundary say 一時的に保存できません under the field.
        """
        with lock_wait(FORM_LOCK_WAIT_MS):
            yield

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work (commit or roll back, always close)."""
        with session_scope(self.engine) as s:
            yield s
