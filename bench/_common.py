"""Helpers shared by the bench_*.py scripts: arguments, verdict lines, a scratch PG schema.

Not a benchmark itself (`make bench` runs bench/bench_*.py only).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, create_engine, text

PG_ENV = ("BENCH_DATABASE_URL", "TEST_DATABASE_URL")


def parse_args(
    doc: str | None, *, quick: bool = False, flags: dict[str, str] | None = None
) -> argparse.Namespace:
    """`--pg URL` (default: $BENCH_DATABASE_URL or $TEST_DATABASE_URL), `--quick`, flags."""
    parser = argparse.ArgumentParser(
        description=(doc or "").split("\n", 1)[0],
        epilog="PostgreSQL tables go into a scratch schema wgbot_bench_<pid>, dropped at the end.",
    )
    default = next((os.environ[k] for k in PG_ENV if os.environ.get(k)), None)
    parser.add_argument(
        "--pg",
        metavar="URL",
        default=default,
        help="also run on this PostgreSQL, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test",
    )
    parser.add_argument("--no-pg", action="store_true", help="ignore $BENCH/TEST_DATABASE_URL")
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a target is missed"
    )
    if quick:
        parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    for flag, help_text in (flags or {}).items():
        parser.add_argument(flag, action="store_true", help=help_text)
    args = parser.parse_args()
    if args.no_pg:
        args.pg = None
    return args


def machine_line() -> str:
    """What the figures were measured on."""
    return (
        f"machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}, "
        f"{datetime.now():%Y-%m-%d %H:%M}"
    )


@dataclass
class Verdicts:
    """Collects one line per target and prints a summary at the end."""

    title: str
    rows: list[tuple[str, str, str, bool | None]] = field(default_factory=list)

    def check(self, name: str, measured: str, target: str, ok: bool) -> bool:
        """Print `target <target>: <measured> met|MISSED` and remember it."""
        self.rows.append((name, measured, target, ok))
        print(f"  target {target}: {measured} {'met' if ok else 'MISSED'}  [{name}]", flush=True)
        return ok

    def info(self, name: str, measured: str) -> None:
        """A figure with no target of its own (listed in the summary as "—")."""
        self.rows.append((name, measured, "—", None))
        print(f"  figure: {measured}  [{name}]", flush=True)

    def summary(self, *, strict: bool = False) -> int:
        """Print the table of targets; exit status 1 when one was missed and strict.

        Without --strict a miss still exits 0, so `make bench` runs every script.
        """
        print()
        print(f"{self.title} — summary ({machine_line()})")
        width = max((len(r[0]) for r in self.rows), default=10)
        for name, measured, target, ok in self.rows:
            verdict = "" if ok is None else "met" if ok else "MISSED"
            print(f"  {name:<{width}}  {measured:<32}  target {target:<10} {verdict}")
        checked = [r for r in self.rows if r[3] is not None]
        missed = [r for r in checked if not r[3]]
        print(f"  {len(checked) - len(missed)}/{len(checked)} targets met", flush=True)
        return 1 if missed and strict else 0


@contextmanager
def pg_schema(url: str, tag: str = "") -> Iterator[Engine]:
    """An engine whose tables live in a fresh schema wgbot_bench_<pid>[_tag], dropped after.

    Only this schema is created and dropped; other schemas on the server are left alone.
    """
    schema = f"wgbot_bench_{os.getpid()}" + (f"_{tag}" if tag else "")
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine = create_engine(
        url,
        connect_args={"options": f"-csearch_path={schema}"},
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
    )
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


def quiet_bolt_warnings() -> None:
    """bolt warns 'token will be unused' once per App when a client is given too."""
    import logging

    # bolt's loggers copy the root logger's level when an App is made.
    logging.basicConfig(level=logging.ERROR, format="%(name)s: %(message)s")


def membership_rows(members: list[list[str]], *, at: datetime) -> list[dict[str, object]]:
    """Membership rows for teams 1..n in order: members[t] are team t+1's, the first its lead."""
    return [
        {"team_id": t + 1, "user_id": u, "is_lead": j == 0, "added_by": "bench", "added_at": at}
        for t, users in enumerate(members)
        for j, u in enumerate(users)
    ]


if __name__ == "__main__":  # pragma: no cover
    print(machine_line())
    sys.exit(0)
