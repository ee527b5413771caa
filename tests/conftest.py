"""Fixtures: a real SQLite file per test and, with TEST_DATABASE_URL, a real PostgreSQL."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlmodel import SQLModel

from bot.clock import FixedClock
from bot.domain.calendar import OfficeCalendar
from bot.services.context import Ctx
from storage.db import make_engine, upgrade

JST = ZoneInfo("Asia/Tokyo")
NOW = datetime(2024, 11, 29, 9, 0, tzinfo=JST)
PG_URL = os.environ.get("TEST_DATABASE_URL", "")
REQUIRE_PG = os.environ.get("WGBOT_REQUIRE_POSTGRES") == "1"
CALENDAR = OfficeCalendar()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("tpl") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_engine() -> Iterator[Engine]:
    """The PostgreSQL of TEST_DATABASE_URL, migrated once; fails in CI when unreachable."""
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("WGBOT_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
        pytest.skip(
            "PostgreSQL tests need TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )
    # A schema of its own per test process, so parallel runs on one server do not collide.
    schema = f"wgbot_test_{os.getpid()}"
    try:
        admin = create_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL at TEST_DATABASE_URL is unreachable: {exc}")
        pytest.skip(f"PostgreSQL unreachable: {exc}")
    engine = create_engine(
        PG_URL, connect_args={"options": f"-csearch_path={schema}"}, pool_size=10, max_overflow=20
    )
    upgrade(engine)
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    admin.dispose()


def _truncate(engine: Engine) -> None:
    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A fresh database on each backend."""
    if request.param == "postgres":
        pg = request.getfixturevalue("pg_engine")
        _truncate(pg)
        yield pg
        return
    yield request.getfixturevalue("sqlite_engine")


@pytest.fixture
def sqlite_engine(tmp_path: Path, sqlite_template: Path) -> Iterator[Engine]:
    """A fresh SQLite file only (end-to-end tests that start servers)."""
    path = tmp_path / "wgbot.db"
    shutil.copy(sqlite_template, path)
    eng = make_engine(f"sqlite:///{path}")
    yield eng
    eng.dispose()


@pytest.fixture
def clock() -> FixedClock:
    """The office clock stopped at 2024-11-29 09:00 JST."""
    return FixedClock(NOW)


@pytest.fixture
def ctx(engine: Engine, clock: FixedClock) -> Ctx:
    """Services' context on a fresh database at 2024-11-29 09:00 JST."""
    return Ctx(engine=engine, clock=clock, calendar=CALENDAR)
