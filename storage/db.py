"""Engine and unit-of-work session for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    # WAL lets the scheduler write while handlers read; busy_timeout makes
    # concurrent writers wait instead of failing with "database is locked".
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


# How long a SQLite statement waits for another connection's lock (the 10 s above); a form
# listener lowers it (lock_wait) so that it can still answer within Slack's 3 s.
LOCK_WAIT_MS: ContextVar[int] = ContextVar("lock_wait_ms", default=10000)


@contextmanager
def lock_wait(ms: int) -> Iterator[None]:
    """Within it (this thread), a SQLite lock is waited for at most `ms` milliseconds."""
    token = LOCK_WAIT_MS.set(ms)
    try:
        yield
    finally:
        LOCK_WAIT_MS.reset(token)


def _sqlite_lock_wait(dbapi_conn: object, _record: object, _proxy: object) -> None:
    # Set on every checkout: a pooled connection keeps the last value otherwise.
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cur.execute(f"PRAGMA busy_timeout={int(LOCK_WAIT_MS.get())}")
    cur.close()


def make_engine(url: str) -> Engine:
    """Create an engine with the settings each backend needs."""
    if url.startswith("sqlite"):
        # hide_parameters: SQL values (what people typed) stay out of logs and error texts.
        kwargs: dict[str, object] = {
            "connect_args": {"check_same_thread": False, "timeout": 10},
            "hide_parameters": True,
        }
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = StaticPool
        engine = create_engine(url, **kwargs)  # type: ignore[arg-type]
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "checkout", _sqlite_lock_wait)
        return engine
    return create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=10, hide_parameters=True
    )


def is_postgres(engine: Engine) -> bool:
    """True on PostgreSQL (FOR UPDATE SKIP LOCKED is available)."""
    return engine.dialect.name == "postgresql"


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on error, always close."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def upgrade(engine: Engine, *, revision: str = "head") -> None:
    """Apply Alembic migrations up to `revision` (head by default)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
