"""Reliability figures: chaos runs, deploy and crash takeover, database cut and outage.

    .venv/bin/python bench/bench_chaos.py [--pg URL] [--quick]

Needs PostgreSQL (--pg URL or $BENCH_DATABASE_URL / $TEST_DATABASE_URL; a scratch
schema wgbot_bench_<pid>). Every scenario is the one the tests in tests/e2e run, here
repeated and measured:

1. Chaos (tests/e2e/test_chaos.py), 10 runs (3 with --quick) with seeds 1..10: 500
   reminders over 100 DMs, 30% of Slack calls fail (429 with Retry-After, 5xx,
   internal_error, connection dropped before or after acting), `wgbot tick` killed
   with SIGKILL five times at random points, one faulty tick to its end, a clean tick.
   Delivered / lost / duplicates / honest resends (a call Slack acted on whose answer
   was lost, or whose sender was killed before recording it). Target: 0 lost, 0
   unexplained duplicates.
2. Takeover (tests/e2e/test_deploy.py): two `wgbot run --http` (tick 2 s, lease 6 s),
   1,000 reminders; the lease holder gets SIGTERM, or SIGKILL, once 200 are sent.
   Seconds until it exits and until the other holds the lease and sends. Targets:
   SIGTERM exit ≤ 10 s with status 0, takeover ≤ 5 s.
3. Database cut (tests/e2e/test_db_cut.py): a 3 s cut of every PostgreSQL connection
   through a TCP proxy after 100 of 500 sends. Resends, against the rows in flight.
4. Outage log (tests/e2e/test_db_cut.py): `wgbot run` through a 7 s outage while users
   type commands: lines logged, and that users got 一時的に保存できません.
"""

from __future__ import annotations

import signal
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from bench._common import Verdicts, parse_args, pg_schema
from storage.db import upgrade
from tests.e2e.conftest import url_with_schema
from tests.e2e.test_chaos import run_chaos
from tests.e2e.test_db_cut import OUTAGE, cut_mid_burst, outage_while_running
from tests.e2e.test_deploy import sigterm_holder_mid_burst
from tests.fakeslack import FakeSlack


def empty(engine: Engine) -> None:
    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def chaos(engine: Engine, v: Verdicts, runs: int, tmp: Path) -> None:
    print(f"1. chaos: {runs} runs of 500 reminders, 30% faults, kill -9 x5", flush=True)
    lost = unexplained = resends = honest = delivered = 0
    for seed in range(1, runs + 1):
        empty(engine)
        with FakeSlack() as slack:
            r = run_chaos(engine, url_with_schema(engine), slack, tmp / f"c{seed}.log", seed=seed)
        extra = sum(n - 1 - r.honest[t] for t, n in r.unexplained.items())
        print(f"  seed {seed}: delivered {len(r.delivered)}/500, lost {r.lost}, "
              f"resends {r.resends} (honest {r.resends - extra}), unexplained {extra}",
              flush=True)  # fmt: skip
        delivered += len(r.delivered)
        lost += r.lost
        unexplained += extra
        resends += r.resends
        honest += r.resends - extra
    v.check("chaos lost", f"{lost} of {runs * 500}", "0", lost == 0)
    v.check("chaos duplicates", f"{unexplained} unexplained", "0", unexplained == 0)
    v.info("chaos delivered", f"{delivered} of {runs * 500}")
    v.info("chaos honest resends", f"{honest} ({honest / runs:.1f} a run)")


def takeover(engine: Engine, v: Verdicts, tmp: Path) -> None:
    print("2. takeover: two wgbot run, the lease holder stopped mid-burst", flush=True)
    for name, sig in (("SIGTERM", signal.SIGTERM), ("SIGKILL", signal.SIGKILL)):
        empty(engine)
        with FakeSlack() as slack:
            exited, took, rc = sigterm_holder_mid_burst(
                engine, url_with_schema(engine), slack, tmp / f"{name}.log", sig=sig
            )
        if sig == signal.SIGTERM:
            v.check("SIGTERM exit", f"{exited:.1f} s, status {rc}", "≤ 10 s, 0",
                    exited <= 10 and rc == 0)  # fmt: skip
            v.check("SIGTERM takeover", f"{took:.1f} s", "≤ 5 s", took <= 5)
        else:
            v.info("kill -9 takeover", f"{took:.1f} s (lease 6 s)")


def database(engine: Engine, v: Verdicts, tmp: Path) -> None:
    print("3. a 3 s database cut mid-burst; 4. a 7 s outage of a running bot", flush=True)
    empty(engine)
    with FakeSlack() as slack:
        got = cut_mid_burst(engine, slack, tmp / "cut.log")
    v.check("db cut resends", f"{got['resends']} (in flight {got['in_flight']})",
            "≤ in flight", got["resends"] <= got["in_flight"])  # fmt: skip
    v.info("db cut delivered", f"{got['delivered']} of 500, tick exit status {got['rc']}")
    empty(engine)
    with FakeSlack() as slack:
        out = outage_while_running(engine, slack, tmp / "outage.log")
    told = all(OUTAGE in answer for answer in out["during"])
    tracebacks = sum("Traceback" in line for line in out["lines"])
    loud = [line for line in out["lines"] if " WARNING " in line or " ERROR " in line]
    for line in out["lines"]:
        print(f"    | {line[:150]}")
    v.check("outage log lines", f"{len(loud)} warn/error of {len(out['lines'])}, "
            f"{tracebacks} tracebacks", "≤ 6, 0", len(loud) <= 6 and tracebacks == 0)  # fmt: skip
    v.check("outage answer", "一時的に保存できません" if told else "other", "told", told)


def main() -> int:
    args = parse_args(__doc__, quick=True, flags={"--db-only": "only the database figures"})
    if not args.pg:
        print("bench_chaos needs PostgreSQL: --pg URL or $TEST_DATABASE_URL")
        return 0
    v = Verdicts("bench_chaos")
    with pg_schema(args.pg, "chaos") as engine, tempfile.TemporaryDirectory() as tmp:
        upgrade(engine)
        if not args.db_only:
            chaos(engine, v, 3 if args.quick else 10, Path(tmp))
            takeover(engine, v, Path(tmp))
        database(engine, v, Path(tmp))
    return v.summary(strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
