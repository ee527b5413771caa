"""A database that cannot be opened: users told briefly, the log told once, recovery noticed."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.clock import FixedClock
from bot.commands import run_command
from bot.render.messages import t
from bot.scheduler import _guarded
from bot.services.context import Ctx
from bot.services.outage import MONITOR
from storage.db import make_engine
from tests.conftest import CALENDAR


@pytest.fixture
def unreachable(tmp_path: Path, clock: FixedClock) -> Ctx:
    """A Ctx whose database file lies in a folder that does not exist."""
    MONITOR.recovered()  # a clean slate whatever ran before in this process
    engine = make_engine(f"sqlite:///{tmp_path}/missing/wgbot.db")
    return Ctx(engine=engine, clock=clock, calendar=CALENDAR, tick_seconds=1)


def outage_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "bot.services.outage"]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_commands_during_an_outage_answer_briefly_and_log_one_line(
    unreachable: Ctx, lang: str, caplog: pytest.LogCaptureFixture
) -> None:
    unreachable.lang = lang
    caplog.set_level(logging.INFO)
    replies = [
        run_command(unreachable, user="U1", text=f"team new 秘密の班{i} kind:WG") for i in range(20)
    ]
    assert {r.text for r in replies} == {t(lang, "error.db_unavailable")}
    (line,) = outage_lines(caplog)
    assert "OperationalError" in line.getMessage()
    assert "秘密" not in caplog.text and "[SQL" not in caplog.text
    assert all(r.exc_info is None for r in caplog.records), "no traceback"


def test_scheduled_jobs_during_an_outage_log_once_then_the_recovery(
    unreachable: Ctx, sqlite_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    ran: list[int] = []
    job = _guarded(unreachable, "reminder_tick", lambda: ran.append(1))
    for _ in range(30):
        job()
    assert ran == [] and len(outage_lines(caplog)) == 1
    unreachable.engine = sqlite_engine  # the database is back
    job()
    assert ran == [1]
    back = outage_lines(caplog)[-1].getMessage()
    assert "reachable again" in back and "30 failures" in back
