"""Ack latency of `/wg task list` against a bare bolt app, and time to answer.

500 signed `/wg task list team:…` requests over HTTP with 1,000 tasks in the
team, against a bolt app that only acks, both served by waitress in this
process; then the time until the answer reaches the fake Slack with 10,000
tasks. Targets: ratio of ack p50 ≤ 1.5 (and p99 reported), no ack over 3 s,
answer p99 ≤ 300 ms.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slack_bolt import App
from sqlalchemy import insert

from bot.app import create_app, make_server
from bot.clock import FixedClock
from bot.gateway import ChannelPacer, Gateway, make_client
from bot.services.context import Ctx
from storage.db import make_engine, upgrade
from storage.models import Task
from tests.factories import load_sample_plan, signage_team
from tests.fakeslack import FakeSlack
from tests.signed import SignedClient

SECRET = "bench-secret"
N_REQUESTS = 500
NOW = datetime(2024, 11, 29, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def seed(ctx: Ctx, n_tasks: int) -> None:
    """The sample plan, the signage team and n tasks in it (bulk insert)."""
    load_sample_plan(ctx)
    signage_team(ctx)
    created = datetime(2024, 11, 1, tzinfo=UTC)
    rows = [
        {
            "kind": "task",
            "title": f"点検項目 {i}",
            "team_id": 1,
            "theme_id": 2,
            "assignee": "U2",
            "due": date(2024, 12, 1) + timedelta(days=i % 90),
            "status": "open",
            "created_by": "U1",
            "created_at": created,
        }
        for i in range(n_tasks)
    ]
    with ctx.engine.begin() as conn:
        conn.execute(insert(Task), rows)


def start(app: App) -> tuple[object, str]:
    server = make_server(app, port=0, threads=8)
    threading.Thread(target=server.run, daemon=True).start()  # type: ignore[attr-defined]
    return server, f"http://127.0.0.1:{server.effective_port}/slack/events"  # type: ignore[attr-defined]


def wgbot_app(fake: FakeSlack, workdir: Path, n_tasks: int) -> tuple[App, Ctx]:
    engine = make_engine(f"sqlite:///{workdir / f'bench-{n_tasks}.db'}")
    upgrade(engine)
    gateway = Gateway(make_client("xoxb-bench", fake.base_url), pacer=ChannelPacer(0.0))
    ctx = Ctx(engine=engine, clock=FixedClock(NOW), gateway=gateway)
    seed(ctx, n_tasks)
    return create_app(ctx=ctx, signing_secret=SECRET, token="xoxb-bench"), ctx


def bare_app(fake: FakeSlack) -> App:
    app = App(
        token="xoxb-bench",
        signing_secret=SECRET,
        token_verification_enabled=False,
        client=make_client("xoxb-bench", fake.base_url),
    )

    @app.command("/wg")
    def only_ack(ack):  # type: ignore[no-untyped-def]
        ack()

    return app


def ack_latencies(url: str, fake: FakeSlack, n: int) -> list[float]:
    client = SignedClient(url, SECRET)
    out = []
    for i in range(n):
        resp = client.command(
            "task list team:案内表示WG", user="U1", response_url=fake.response_url(f"ack{i}")
        )
        assert resp.status == 200, resp.status
        out.append(resp.elapsed)
    return out


def answer_latencies(url: str, fake: FakeSlack, n: int) -> list[float]:
    client = SignedClient(url, SECRET)
    out = []
    for i in range(n):
        before = len(fake.responses)
        t0 = time.monotonic()
        client.command(
            "task list team:案内表示WG", user="U1", response_url=fake.response_url(f"ans{i}")
        )
        fake.wait_for_responses(before + 1, timeout=10)
        out.append(time.monotonic() - t0)
    return out


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as fake:
        workdir = Path(tmp)
        app, _ = wgbot_app(fake, workdir, 1_000)
        wg_server, wg_url = start(app)
        bare_server, bare_url = start(bare_app(fake))
        ack_latencies(wg_url, fake, 20)  # warm up both
        ack_latencies(bare_url, fake, 20)
        wg, bare = [], []
        for _ in range(5):  # interleave so both see the same machine load
            wg += ack_latencies(wg_url, fake, N_REQUESTS // 5)
            bare += ack_latencies(bare_url, fake, N_REQUESTS // 5)
        time.sleep(1.0)
        wg_server.close()  # type: ignore[attr-defined]
        bare_server.close()  # type: ignore[attr-defined]

        app10k, _ = wgbot_app(fake, workdir, 10_000)
        server10k, url10k = start(app10k)
        answer_latencies(url10k, fake, 10)
        answers = answer_latencies(url10k, fake, 200)
        server10k.close()  # type: ignore[attr-defined]

    ms = 1000.0
    p50_wg, p99_wg = statistics.median(wg) * ms, percentile(wg, 99) * ms
    p50_bare, p99_bare = statistics.median(bare) * ms, percentile(bare, 99) * ms
    print(f"ack latency, {N_REQUESTS} signed /wg task list, 1,000 tasks in the team")
    print(f"  wgbot : p50 {p50_wg:6.2f} ms  p99 {p99_wg:6.2f} ms  max {max(wg) * ms:7.2f} ms")
    print(f"  bare  : p50 {p50_bare:6.2f} ms  p99 {p99_bare:6.2f} ms  max {max(bare) * ms:7.2f} ms")
    print(f"  ratio : p50 {p50_wg / p50_bare:.2f}x  p99 {p99_wg / p99_bare:.2f}x  (target ≤ 1.5x)")
    print(f"  acks over 3 s: {sum(1 for x in wg if x > 3.0)} (target 0)")
    print("answer reaching the fake Slack (response_url), 10,000 tasks, 200 requests")
    p50_ans, p99_ans = statistics.median(answers) * ms, percentile(answers, 99) * ms
    print(f"  p50 {p50_ans:6.1f} ms  p99 {p99_ans:6.1f} ms  (target p99 ≤ 300 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
