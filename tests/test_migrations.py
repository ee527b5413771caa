"""A ward's database made by the last release upgrades to this one with its data intact.

`tests/data/release-0.1.0.db` was written by release 0.1.0's own code (schema 0001):
its `wgbot demo` month (plan, teams, tasks, notes, indicators, sent reminders, digest
rows) plus two cases saved through its case service and two reminder preferences.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, MetaData, create_engine, inspect, select, text

from bot.clock import FixedClock
from bot.commands import run_command
from bot.services.context import Ctx
from bot.services.reports import build_files
from storage.db import make_engine, upgrade
from tests.conftest import CALENDAR, PG_URL, REQUIRE_PG

RELEASE_DB = Path(__file__).parent / "data" / "release-0.1.0.db"
JST = ZoneInfo("Asia/Tokyo")


def rows_by_table(engine: Engine, tables: list[str]) -> dict[str, list[tuple[object, ...]]]:
    """Every row of each table, columns of the release only, in primary-key order."""
    meta = MetaData()
    meta.reflect(engine, only=tables)
    release_cols = _release_columns()
    out: dict[str, list[tuple[object, ...]]] = {}
    with engine.connect() as conn:
        for name in tables:
            table = meta.tables[name]
            cols = [table.c[c] for c in release_cols[name]]
            order = list(table.primary_key.columns)
            out[name] = [
                tuple(_plain(v) for v in r) for r in conn.execute(select(*cols).order_by(*order))
            ]
    return out


def _release_columns() -> dict[str, list[str]]:
    release = make_engine(f"sqlite:///{RELEASE_DB}")
    try:
        insp = inspect(release)
        return {
            t: [c["name"] for c in insp.get_columns(t)]
            for t in insp.get_table_names()
            if t != "alembic_version"
        }
    finally:
        release.dispose()


def _plain(value: object) -> object:
    # SQLite hands datetimes back as text and booleans as 0/1; compare what they mean.
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, str) and len(value) == 26 and value[10] == " ":
        return datetime.fromisoformat(value).isoformat(sep=" ")
    if isinstance(value, bool):
        return int(value)
    return value


@pytest.fixture
def release_sqlite(tmp_path: Path) -> Iterator[Engine]:
    """A copy of the release's database file."""
    path = tmp_path / "wgbot.db"
    shutil.copy(RELEASE_DB, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def release_postgres() -> Iterator[Engine]:
    """A PostgreSQL schema at revision 0001 holding the release database's rows."""
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("WGBOT_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
        pytest.skip("PostgreSQL tests need TEST_DATABASE_URL")
    schema = "wgbot_release_upgrade"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine = create_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
    upgrade(engine, revision="0001")
    _copy_rows(make_engine(f"sqlite:///{RELEASE_DB}"), engine)
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    admin.dispose()


def _copy_rows(source: Engine, target: Engine) -> None:
    src, dst = MetaData(), MetaData()
    src.reflect(source)
    dst.reflect(target)
    with source.connect() as read, target.begin() as write:
        for table in dst.sorted_tables:
            if table.name == "alembic_version":
                continue
            rows = [dict(r._mapping) for r in read.execute(select(src.tables[table.name]))]
            if rows:
                write.execute(table.insert(), rows)
            if "id" in table.c:
                write.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                    )
                )
    source.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def release_engine(request: pytest.FixtureRequest) -> Engine:
    """The release's data at schema 0001, on each backend."""
    name = "release_sqlite" if request.param == "sqlite" else "release_postgres"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


def test_release_database_upgrades_with_every_row_intact(release_engine: Engine) -> None:
    tables = list(_release_columns())
    before = rows_by_table(release_engine, tables)
    assert before["task"] and before["progressnote"] and before["harassment_case"]

    upgrade(release_engine)

    # 0003 rewrites a reminder's key from its send minute to its business day, on purpose.
    before["reminder"] = [
        (r[0], re.sub(r"T\d\d:\d\d\+09:00:", ":", str(r[1])), *r[2:]) for r in before["reminder"]
    ]
    assert rows_by_table(release_engine, tables) == before
    with release_engine.connect() as conn:
        head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert head != "0001"


def test_upgraded_release_database_answers_as_before(release_engine: Engine) -> None:
    upgrade(release_engine)
    ctx = Ctx(
        engine=release_engine,
        clock=FixedClock(datetime(2024, 11, 29, 10, 0, tzinfo=JST)),
        calendar=CALENDAR,
    )
    with release_engine.connect() as conn:
        owner, title = conn.execute(
            text("SELECT assignee, title FROM task WHERE status = 'open' ORDER BY id")
        ).first()  # type: ignore[misc]
    answer = run_command(ctx, user=owner, text="task list mine").text
    assert title in answer

    shown = run_command(ctx, user="U0SATO", text="case show 1").text
    assert "「責任者を出せ」" in shown and "［電話番号］" in shown and "長時間拘束" in shown


def test_release_teams_belong_to_the_ward_of_their_plan(release_engine: Engine) -> None:
    """0007: a single-ward database's teams all get that ward, so nothing changes for it."""
    with release_engine.connect() as conn:
        (ward,) = conn.execute(text("SELECT DISTINCT ward FROM plan")).scalars().all()
        teams = conn.execute(text("SELECT count(*) FROM team")).scalar_one()
    assert teams > 0
    upgrade(release_engine)
    with release_engine.connect() as conn:
        wards = conn.execute(text("SELECT ward FROM team")).scalars().all()
    assert wards == [ward] * teams


def test_release_status_becomes_the_first_of_its_themes_grades(release_engine: Engine) -> None:
    """0009: the status confirmed under the release is kept as history, and November's
    report of the upgraded database still shows it."""
    with release_engine.connect() as conn:
        confirmed = conn.execute(
            text("SELECT id, status, status_reason, status_by FROM theme WHERE status IS NOT NULL")
        ).all()
    assert len(confirmed) == 1
    upgrade(release_engine)
    with release_engine.connect() as conn:
        kept = conn.execute(
            text("SELECT theme_id, kind, grade, reason, given_by, given_at FROM theme_grade")
        ).all()
    ((theme_id, status, reason, by),) = confirmed
    assert [tuple(r[:5]) for r in kept] == [(theme_id, "status", status, reason, by)]
    assert _plain(kept[0][5]) == "2024-11-29 00:30:00"
    ctx = Ctx(
        engine=release_engine,
        clock=FixedClock(datetime(2024, 12, 2, 10, 0, tzinfo=JST)),
        calendar=CALENDAR,
    )
    md = build_files(ctx, as_of=date(2024, 11, 30), formats=("md",)).files
    assert f"確定 {status} 一定の進捗（{reason}）" in md["progress-report-2024-11-30.md"].decode()
