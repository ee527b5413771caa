"""Case log speed.

- `case stats` over 100,000 cases (SQL GROUP BY, as a case admin sees them):
  target ≤ 1 s (median of 5 runs). SQLite always; PostgreSQL too when
  BENCH_DATABASE_URL names one (its tables are created in a scratch schema).
- Masking 10,000 realistic free-text entries: target ≤ 2 s (median of 5 runs).
"""

from __future__ import annotations

import os
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

from sqlalchemy import Engine, create_engine, insert, text

from bot.clock import FixedClock
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


def bench_stats(engine: Engine, label: str) -> float:
    ctx = Ctx(engine=engine, clock=FixedClock(NOW))
    t0 = time.perf_counter()
    seed(engine, N_CASES)
    print(f"  seeded {N_CASES:,} cases on {label} in {time.perf_counter() - t0:.1f} s")
    result = cases.case_stats(ctx, user=ADMIN).stats
    assert result.total == N_CASES, result.total
    med = median_of(lambda: cases.case_stats(ctx, user=ADMIN))
    ok = "OK" if med <= 1.0 else "TOO SLOW"
    print(f"  case stats over {N_CASES:,} cases ({label}): median {med * 1000:.0f} ms"
          f" (target <= 1000 ms) {ok}")  # fmt: skip
    return med


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


def main() -> None:
    print("case stats (SQL aggregates):")
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        upgrade(engine)
        bench_stats(engine, "SQLite")
        engine.dispose()
    pg_url = os.environ.get("BENCH_DATABASE_URL")
    if pg_url:
        schema = f"wgbot_bench_{os.getpid()}"
        admin = create_engine(pg_url)
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        engine = create_engine(pg_url, connect_args={"options": f"-csearch_path={schema}"})
        try:
            upgrade(engine)
            bench_stats(engine, "PostgreSQL")
        finally:
            engine.dispose()
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()
    texts = realistic_texts(N_TEXTS)
    avg = sum(map(len, texts)) / len(texts)
    masked = sum(1 for x in texts if mask(x).found)
    med = median_of(lambda: [mask(x) for x in texts])
    ok = "OK" if med <= 2.0 else "TOO SLOW"
    print(f"masking {N_TEXTS:,} entries (avg {avg:.0f} chars, {masked:,} with personal data):"
          f" median {med * 1000:.0f} ms (target <= 2000 ms) {ok}")  # fmt: skip


if __name__ == "__main__":
    main()
