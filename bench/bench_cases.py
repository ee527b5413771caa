"""Case log speed.

    .venv/bin/python bench/bench_cases.py [--pg URL]

1. `/wg case stats` over 100,000 cases as a case admin sees them (every case): the whole
   command (bot.commands.run_command: SQL aggregates, audit row, text and the PNG chart
   sent by DM). Target: ≤ 1 s (median of 5 runs). The service alone
   (bot.services.cases.case_stats) is printed too. SQLite always; PostgreSQL with --pg
   (or $BENCH_DATABASE_URL / $TEST_DATABASE_URL), in a scratch schema wgbot_bench_<pid>_cases.
2. Masking 10,000 realistic free-text entries (bot.domain.masking.mask; phone numbers,
   My Number, e-mail, postal codes mixed in). Target: ≤ 2 s (median of 5 runs).
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, insert

from bench._common import Verdicts, parse_args, pg_schema
from bot.clock import FixedClock
from bot.commands import run_command
from bot.domain.cases import KINDS, PLACES
from bot.domain.masking import mask
from bot.services import cases
from bot.services.context import Ctx
from storage.db import make_engine, upgrade
from storage.models import HarassmentCase, Membership, Team

JST = ZoneInfo("Asia/Tokyo")
NOW = datetime(2024, 11, 29, 9, 0, tzinfo=JST)
ADMIN = "UADMIN"
SECTIONS = [
    "市民課",
    "保険年金課",
    "保護課",
    "税務課",
    "こども家庭課",
    "総務企画課",
    "まちづくり整備課",
]
N_CASES = 100_000
N_TEXTS = 10_000


def median_of(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def seed(engine: Engine, n: int) -> None:
    rnd = random.Random(7)
    kinds = list(KINDS)
    start = NOW - timedelta(days=730)
    rows = []
    for i in range(n):
        at = start + timedelta(minutes=rnd.randrange(730 * 24 * 60))
        rows.append(
            {
                "reporter": f"U{i % 500:04d}",
                "occurred_at": at,
                "place": rnd.choice(list(PLACES)),
                "section": rnd.choice(SECTIONS),
                "kinds": ",".join(sorted(rnd.sample(kinds, rnd.randint(1, 3)))),
                "minutes": rnd.randint(5, 240),
                "staff_count": rnd.randint(1, 4),
                "what_happened": "窓口で大声を出し、長時間にわたり要求を繰り返した。",
                "police": rnd.random() < 0.05,
                "follow_up": rnd.random() < 0.3,
                "status": "open",
                "created_at": at,
            }
        )
    with engine.begin() as conn:
        conn.execute(
            insert(Team),
            [
                {
                    "name": "カスハラPT",
                    "kind": "PT",
                    "role": "case_admin",
                    "created_by": ADMIN,
                    "created_at": NOW,
                }
            ],
        )
        conn.execute(
            insert(Membership),
            [{"team_id": 1, "user_id": ADMIN, "added_by": ADMIN, "added_at": NOW}],
        )
        for i in range(0, n, 10_000):
            conn.execute(insert(HarassmentCase), rows[i : i + 10_000])


def bench_stats(engine: Engine, label: str, verdicts: Verdicts) -> None:
    upgrade(engine)
    ctx = Ctx(engine=engine, clock=FixedClock(NOW))
    t0 = time.perf_counter()
    seed(engine, N_CASES)
    print(f"  seeded {N_CASES:,} cases on {label} in {time.perf_counter() - t0:.1f} s")
    result = cases.case_stats(ctx, user=ADMIN).stats
    assert result.total == N_CASES, result.total
    reply = run_command(ctx, user=ADMIN, text="case stats")  # warm up (fonts, matplotlib)
    assert f"{N_CASES}件" in reply.text and reply.files, reply.text[:200]
    service = median_of(lambda: cases.case_stats(ctx, user=ADMIN))
    command = median_of(lambda: run_command(ctx, user=ADMIN, text="case stats"))
    print(
        f"  case stats over {N_CASES:,} cases ({label}): command median {command * 1000:.0f} ms"
        f" (service alone {service * 1000:.0f} ms)"
    )
    verdicts.check(
        f"case stats, 100,000 cases ({label})",
        f"{command * 1000:.0f} ms (SQL part {service * 1000:.0f} ms)",
        "≤ 1 s",
        command <= 1.0,
    )


def realistic_texts(n: int) -> list[str]:
    rnd = random.Random(11)
    pieces = [
        "窓口で手続の説明に納得せず、大声で「責任者を出せ」と繰り返した。",
        "電話で1時間以上にわたり同じ要求を繰り返し、職員の名前を聞き出そうとした。",
        "「SNSに晒す」と言い、職員を撮影しようとした。",
        "令和6年11月29日10時30分ごろ来庁、職員3名で対応し45分後に退庁。",
    ]
    pii = [
        lambda: f"携帯 0{rnd.choice('789')}0-{rnd.randint(1000, 9999)}-{rnd.randint(1000, 9999)}",
        lambda: "０９０－１２３４－５６７８に折り返せと要求",
        lambda: f"〒808-{rnd.randint(0, 9999):04d} の自宅",
        lambda: "個人番号 " + " ".join(str(rnd.randint(1000, 9999)) for _ in range(3)),
        lambda: f"user{rnd.randint(1, 999)}@example.jp からメール",
        lambda: f"自宅 093-{rnd.randint(100, 999)}-{rnd.randint(1000, 9999)}",
        lambda: f"本町{rnd.randint(1, 5)}丁目{rnd.randint(1, 20)}番{rnd.randint(1, 30)}号",
    ]
    out = []
    for _ in range(n):
        parts = rnd.sample(pieces, 3) + [rnd.choice(pii)() for _ in range(rnd.randint(0, 2))]
        rnd.shuffle(parts)
        out.append("".join(parts))
    return out


def main() -> int:
    args = parse_args(__doc__)
    verdicts = Verdicts("bench_cases")
    print("1. case stats (SQL aggregates, text, PNG chart):")
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        bench_stats(engine, "SQLite", verdicts)
        engine.dispose()
    if args.pg:
        with pg_schema(args.pg, "cases") as engine:
            bench_stats(engine, "PostgreSQL", verdicts)
    else:
        print("  PostgreSQL: skipped (give --pg URL)")
    texts = realistic_texts(N_TEXTS)
    avg = sum(map(len, texts)) / len(texts)
    masked = [mask(x) for x in texts]
    found = sum(1 for m in masked if m.found)
    leaked = [m for m in masked if "@example.jp" in m.text or "1234-5678" in m.text]
    assert not leaked, leaked[0].text
    med = median_of(lambda: [mask(x) for x in texts])
    print(
        f"2. masking {N_TEXTS:,} entries (avg {avg:.0f} chars, {found:,} with personal data):"
        f" median {med * 1000:.0f} ms"
    )
    verdicts.check("masking 10,000 entries", f"{med * 1000:.0f} ms", "≤ 2 s", med <= 2.0)
    return verdicts.summary(strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
