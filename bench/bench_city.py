"""A city on PostgreSQL: task lists on two instances, the roll-up, digests, a reminder burst.

    .venv/bin/python bench/bench_city.py --pg URL [--quick]

The city (issue 12): 7 wards with a plan of 12 themes each (codes A(1)..C(2) in every
ward), 3,000 staff on the operator's staff list, 350 teams (one city-wide harassment PT
with members of every ward), 100,000 tasks and 20,000 progress notes, bulk inserted with
SQLAlchemy Core into a scratch schema (bench/_common.pg_schema).

1. `/wg task list` by 20 users against two `wgbot run --http` processes on that schema
   (each user keeps to one instance; their lines go `task list`, `overdue`,
   `team:<their team>`, `theme:A(n)` resolved in their ward, in turn). Two patterns:
   each user sends a request about once a second (think time 0.5-1.5 s), and 20
   requests always in flight (no think time: the machine's saturation). Signed requests
   (tests/signed.py, as bench_ack.py); the time runs from sending the request until the
   answer reaches the fake Slack's response_url (tests/fakeslack). Target: p99 ≤ 300 ms.
2. The city roll-up: bot.services.reports.build_city_files (every ward's report
   gathered, the city's DOCX and XLSX) plus the Markdown of each ward's report it
   gathered. Target: ≤ 5 s (median of 3).
3. The Monday digest for 350 teams, each its own channel (bot.services.digests
   .post_digests), and 4. a 09:00 burst of 5,000 reminders over 500 channels
   (bot.scheduler.reminder_tick, as bench_reminders.py), both through the production
   client (make_client + ChannelPacer(1 s)) against tests/fakeslack's FakeSlack in a
   child process (bench/_fakeslack_proc.py) that answers 429 to a second post to a
   channel within a second. Bound: messages per channel × 1 s (1 s and 10 s).
   Target: each ≤ 1.1x.
5. Peak RSS (VmHWM) of each `wgbot run --http` instance over part 1. Target: ≤ 250 MB.

--quick: 10 requests per user and pattern instead of 40, one roll-up run instead of 3.
--profile: a cProfile of the digest posting (project code). The machine's 1-minute load
average at the start and the end is printed with the summary. The
instances are stopped before parts 3 and 4, whose rows would otherwise be due for them.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, insert, text

from bench._common import Verdicts, membership_rows, parse_args, pg_schema, quiet_bolt_warnings
from bench._fakeslack_proc import FakeSlackProcess
from bot.clock import FixedClock
from bot.domain.digest import week_monday
from bot.domain.wards import CITY_WIDE
from bot.gateway import Gateway, RecordingGateway, make_client
from bot.scheduler import reminder_tick
from bot.services.context import Ctx
from bot.services.digests import post_digests
from bot.services.reports import build_city_files, render_files
from storage.db import upgrade
from storage.models import (
    DigestPost,
    Kpi,
    KpiValue,
    Membership,
    Plan,
    ProgressNote,
    Staff,
    Task,
    Team,
    Theme,
)
from tests.fakeslack import FakeSlack
from tests.signed import SignedClient

JST = ZoneInfo("Asia/Tokyo")
SECRET = "bench-secret"
WARDS = ("北区", "南区", "東区", "西区", "中央区", "港区", "山手区")  # invented names
CODES = [f"A({i})" for i in range(1, 7)] + [f"B({i})" for i in range(1, 5)] + ["C(1)", "C(2)"]
HARASSMENT = 4  # A(5) in every ward's plan
N_STAFF, N_TEAMS, N_TASKS, N_NOTES = 3_000, 350, 100_000, 20_000
MEMBERS = 8  # per team of one ward; the city-wide PT has 3 of each ward
N_USERS = 20
N_BURST, N_CHANNELS = 5_000, 500
AS_OF = date(2024, 11, 30)
MONDAY = date(2024, 12, 2)  # the digest's day and the burst's
NINE = datetime(2024, 12, 2, 9, 0, tzinfo=JST)
CREATED = datetime(2024, 4, 1, tzinfo=UTC)
MS = 1000.0
ANSWER = re.compile(r"（[\d,]+件）|該当するタスクはありません")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


# seed -------------------------------------------------------------------------------


@dataclass
class City:
    """Who is where, for the requests of part 1."""

    ward_of: dict[str, str]
    team_of: dict[str, str]  # a lead's team name


def _user(n: int) -> str:
    return f"U{n:05d}"


def _staff_of_ward(w: int) -> list[str]:
    return [_user(n) for n in range(1, N_STAFF + 1) if (n - 1) % len(WARDS) == w]


def seed(engine: Engine) -> City:
    """The city in bulk: plans, staff, teams, memberships, tasks, notes, indicators."""
    n_themes = len(CODES)
    rows: dict[Any, list[dict[str, Any]]] = {}
    rows[Plan] = [
        {"ward": w, "fiscal_year": 2024, "title": f"令和6年度 {w}役所 運営方針", "mission": "使命"}
        for w in WARDS
    ]
    rows[Theme] = [
        {
            "plan_id": w + 1,
            "code": code,
            "area": code[0],
            "position": i + 1,
            "title": "カスタマーハラスメントへの対応"
            if i == HARASSMENT
            else f"{ward}の課題 {code}",
            "content": "内容" * 40,
            "background": "背景" * 40,
            "approach": "取組み" * 30,
        }
        for w, ward in enumerate(WARDS)
        for i, code in enumerate(CODES)
    ]
    rows[Staff] = [
        {
            "user_id": _user(n),
            "name": f"職員{n}",
            "ward": WARDS[(n - 1) % len(WARDS)],
            "section": f"課{n % 9}",
            "imported_at": CREATED,
            "imported_by": "bench",
        }
        for n in range(1, N_STAFF + 1)
    ]
    staff = {w: _staff_of_ward(w) for w in range(len(WARDS))}
    teams, members = [], []
    city_members = [u for w in range(len(WARDS)) for u in staff[w][:3]]
    teams.append(
        {
            "name": "カスハラ対策全市PT",
            "kind": "PT",
            "ward": CITY_WIDE,
            "theme_id": None,
            "channel_id": "CT0000",
            "created_by": city_members[0],
            "created_at": CREATED,
        }
    )
    members.append(city_members)
    for t in range(1, N_TEAMS):
        w = t % len(WARDS)
        k = t // len(WARDS)  # the ward's k-th team
        teams.append(
            {
                "name": f"{WARDS[w]}チーム{k}",
                "kind": "WG" if t % 2 else "PT",
                "ward": WARDS[w],
                "theme_id": w * n_themes + k % n_themes + 1,
                "channel_id": f"CT{t:04d}",
                "created_by": staff[w][(k * MEMBERS) % len(staff[w])],
                "created_at": CREATED,
            }
        )
        members.append([staff[w][(k * MEMBERS + j) % len(staff[w])] for j in range(MEMBERS)])
    rows[Team] = teams
    rows[Membership] = membership_rows(members, at=CREATED)
    tasks = []
    for i in range(N_TASKS):
        t = i % N_TEAMS
        team = teams[t]
        theme = team["theme_id"]
        if theme is None:  # the city PT works on each ward's harassment theme
            theme = (i // N_TEAMS) % len(WARDS) * n_themes + HARASSMENT + 1
        done = i % 3 == 0
        tasks.append(
            {
                "kind": "milestone" if i % 10 == 0 else "task",
                "title": f"作業 {i}",
                "team_id": t + 1,
                "theme_id": theme,
                "assignee": members[t][(i // N_TEAMS) % len(members[t])],
                "due": date(2024, 10, 1) + timedelta(days=i % 150),
                "status": "done" if done else "open",
                "created_by": team["created_by"],
                "created_at": CREATED,
                "done_at": datetime(2024, 11, 27, 1, tzinfo=UTC) if done else None,
            }
        )
    rows[Task] = tasks
    rows[ProgressNote] = [
        {
            "theme_id": None if i % 2 else i % (len(WARDS) * n_themes) + 1,
            "task_id": (i * 5) % N_TASKS + 1 if i % 2 else None,
            "author": _user(i % N_STAFF + 1),
            "text": f"進捗 {i} " + "記録" * 30,
            "as_of": date(2024, 4, 1) + timedelta(days=i % 243),
            "created_at": datetime(2024, 4, 1, 1, tzinfo=UTC) + timedelta(days=i % 243),
        }
        for i in range(N_NOTES)
    ]
    n_all = len(WARDS) * n_themes
    rows[Kpi] = [
        {
            "theme_id": i + 1,
            "name": "指標",
            "unit": "%",
            "baseline": 30.0,
            "target": 45.0,
            "created_by": "U00001",
            "created_at": CREATED,
        }
        for i in range(n_all)
    ]
    rows[KpiValue] = [
        {
            "kpi_id": i % n_all + 1,
            "value": 30.0 + i % 15,
            "as_of": date(2024, 4, 30) + timedelta(days=30 * (i // n_all)),
            "recorded_by": "U00001",
            "recorded_at": CREATED,
        }
        for i in range(n_all * 7)
    ]
    # The instances' own week is served already: their start-up catch-up of the weekly
    # digest would otherwise post 350 digests in the middle of part 1.
    this_week = week_monday(datetime.now(JST).date())
    rows[DigestPost] = [
        {"team_id": t + 1, "week_start": this_week, "status": "sent", "claimed_by": "bench"}
        for t in range(N_TEAMS)
    ]
    with engine.begin() as conn:
        for model, batch in rows.items():
            for start in range(0, len(batch), 20_000):
                conn.execute(insert(model), batch[start : start + 20_000])
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
    ward_of = {_user(n): WARDS[(n - 1) % len(WARDS)] for n in range(1, N_STAFF + 1)}
    team_of = {m[0]: str(teams[t]["name"]) for t, m in enumerate(members)}
    return City(ward_of, team_of)


# 1. task lists on two instances -----------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _hwm_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    hwm = [ln for ln in status.splitlines() if ln.startswith("VmHWM")]
    return int(hwm[0].split()[1]) if hwm else 0


def _schema_url(url: str, schema: str) -> str:
    """The URL with the scratch schema as search_path (psycopg's `options`)."""
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={urllib.parse.quote(f'-csearch_path={schema}')}"


class Instances:
    """Two `wgbot run --http` processes on the scratch schema; VmHWM sampled meanwhile."""

    def __init__(self, database_url: str, slack_url: str, n: int = 2) -> None:
        self.ports = [_free_port() for _ in range(n)]
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack_url,
        }
        env.pop("SLACK_APP_TOKEN", None)
        self.procs = [
            subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "run", "--http", "--port", str(port)],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for port in self.ports
        ]
        self.peak = [0] * n
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            self._read()

    def _read(self) -> None:
        for i, proc in enumerate(self.procs):
            self.peak[i] = max(self.peak[i], _hwm_kib(proc.pid))

    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}/slack/events" for port in self.ports]

    def check_alive(self) -> None:
        for proc in self.procs:
            assert proc.poll() is None, f"wgbot run exited with {proc.returncode}"

    def stop(self) -> None:
        self._read()
        self._stop.set()
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_answer(fake: FakeSlack, name: str, since: int, timeout: float = 30.0) -> Any:
    """The response_url POST named `name`, once it arrived (it is after index `since`)."""

    def mine() -> list[Any]:
        return [r for r in fake.responses[since:] if r.name == name]

    def failure(found: list[Any]) -> str:
        return f"no answer for {name} within {timeout} s"

    return fake._wait_until(mine, 1, timeout, failure)[0]


def _lines(user: str, city: City) -> list[str]:
    code = CODES[int(user[1:]) % len(CODES)]
    return ["task list", "task list overdue", f"task list team:{city.team_of[user]}",
            f"task list theme:{code}"]  # fmt: skip


def _wait_ready(urls: list[str], fake: FakeSlack, instances: Instances) -> None:
    """Until each instance answers a signed request (start-up, migrations, auth.test)."""
    for k, url in enumerate(urls):
        client = SignedClient(url, SECRET)
        deadline = time.monotonic() + 60
        while True:
            instances.check_alive()
            try:
                since = len(fake.responses)
                resp = client.command(
                    "help", user="U00001", response_url=fake.response_url(f"up{k}")
                )
                if resp.status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "an instance did not start within 60 s"
            time.sleep(0.25)
        client.close()
        _wait_answer(fake, f"up{k}", since)


@dataclass
class Load:
    """Answer times of one load pattern, by line kind."""

    times: dict[str, list[float]]
    errors: list[str]
    wall: float

    def all(self) -> list[float]:
        return [x for kind in self.times.values() for x in kind]


def _load(
    urls: list[str], fake: FakeSlack, city: City, *, per_user: int, think: float, tag: str
) -> Load:
    """N_USERS threads, each a person on one instance: request, wait for the answer, then
    think for `think` s on average (uniform 0.5x..1.5x; 0: always one request in flight)."""
    users = list(city.team_of)[1 : N_USERS + 1]  # leads of ward teams
    load = Load({}, [], 0.0)
    lock = threading.Lock()
    start = threading.Barrier(N_USERS)

    def user_loop(k: int, user: str) -> None:
        client = SignedClient(urls[k % len(urls)], SECRET)
        lines = _lines(user, city)
        rnd = random.Random(k)
        mine: list[tuple[str, float]] = []
        start.wait()
        if think:
            time.sleep(rnd.uniform(0, think))  # people do not press enter in step
        for i in range(per_user + 2):
            name = f"{tag}{user}-{i}"
            line = lines[i % len(lines)]
            since = len(fake.responses)
            t0 = time.monotonic()
            resp = client.command(line, user=user, response_url=fake.response_url(name))
            if resp.status != 200:
                with lock:
                    load.errors.append(f"HTTP {resp.status}")
                continue
            got = _wait_answer(fake, name, since)
            if i >= 2:  # the first two warm this user's path
                mine.append((line.split(":")[0].removeprefix("task list").strip(), got.time - t0))
            answer = str(got.json.get("text", ""))
            if not ANSWER.search(answer):
                with lock:
                    load.errors.append(answer[:120])
            if think:
                time.sleep(rnd.uniform(0.5 * think, 1.5 * think))
        client.close()
        with lock:
            for kind, x in mine:
                load.times.setdefault(kind or "mine", []).append(x)

    threads = [threading.Thread(target=user_loop, args=(k, u)) for k, u in enumerate(users)]
    t0 = time.monotonic()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    load.wall = time.monotonic() - t0
    return load


def _report_load(verdicts: Verdicts, load: Load, what: str) -> None:
    times = load.all()
    assert not load.errors, f"{len(load.errors)} bad answers, e.g. {load.errors[:3]}"
    p50, p99 = statistics.median(times) * MS, percentile(times, 99) * MS
    kinds = ", ".join(
        f"{kind} {percentile(xs, 99) * MS:.0f}" for kind, xs in sorted(load.times.items())
    )
    print(
        f"   {what}: {len(times)} answers in {load.wall:.1f} s ({len(times) / load.wall:.0f}/s)"
        f"; p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {max(times) * MS:.1f} ms"
        f"; p99 by line (ms): {kinds}"
    )
    verdicts.check(
        f"task list answer p99, {what}",
        f"{p99:.1f} ms (p50 {p50:.1f} ms, n {len(times)})",
        "≤ 300 ms",
        p99 <= 300,
    )


def bench_lists(database_url: str, city: City, verdicts: Verdicts, *, per_user: int) -> None:
    print(
        f"1. /wg task list, {N_USERS} users on 2 `wgbot run --http` instances "
        "(mine, overdue, team:, theme: in turn)",
        flush=True,
    )
    with FakeSlack() as fake:
        instances = Instances(database_url, fake.base_url)
        try:
            urls = instances.urls()
            _wait_ready(urls, fake, instances)
            time.sleep(3)  # the schedulers' start-up jobs
            paced = _load(urls, fake, city, per_user=per_user, think=1.0, tag="p")
            flight = _load(urls, fake, city, per_user=per_user, think=0.0, tag="f")
            instances.check_alive()
        finally:
            instances.stop()
    _report_load(verdicts, paced, "20 users, one request a second each")
    _report_load(verdicts, flight, "20 requests always in flight")
    for i, kib in enumerate(instances.peak):
        verdicts.check(
            f"peak RSS of instance {i + 1}",
            f"{kib / 1024:.1f} MB (VmHWM)",
            "≤ 250 MB",
            kib / 1024 <= 250,
        )


# 2. the city roll-up ----------------------------------------------------------------


def bench_rollup(engine: Engine, verdicts: Verdicts, *, runs: int) -> None:
    ctx = Ctx(engine=engine, clock=FixedClock(NINE), gateway=RecordingGateway())
    times, sizes = [], ""
    for _ in range(runs):
        t0 = time.perf_counter()
        built = build_city_files(ctx, as_of=AS_OF, formats=("docx", "xlsx"))
        files = dict(built.files)
        # The roll-up's Markdown: each ward's report as gathered for the roll-up.
        for report in built.city.wards:
            files.update(render_files(report, formats=("md",), stem=f"md-{report.ward}"))
        times.append(time.perf_counter() - t0)
        sizes = ", ".join(f"{n} {len(d) // 1024} KiB" for n, d in files.items() if "全市" in n)
    assert len(files) == 2 + len(WARDS), sorted(files)
    med = statistics.median(times)
    print(
        f"2. city roll-up as of {AS_OF}: build_city_files DOCX + XLSX of {len(WARDS)} wards "
        f"and each ward's Markdown: median {med:.2f} s of {runs} (min {min(times):.2f}) "
        f"[{sizes}]"
    )
    verdicts.check(
        "city roll-up md+docx+xlsx",
        f"{med:.2f} s (median of {runs})",
        "≤ 5 s",
        med <= 5.0,
    )


# 3. and 4. through the paced client ---------------------------------------------------


def _paced(engine: Engine, now: datetime, slack: FakeSlackProcess) -> Ctx:
    # as bot.cli.build_ctx: the production client (retry handlers) and 1 s pacer
    gateway = Gateway(make_client("xoxb-bench", slack.base_url))
    return Ctx(engine=engine, clock=FixedClock(now), gateway=gateway, instance_id="bench")


def _bound_check(
    verdicts: Verdicts, name: str, elapsed: float, bound: float, report: dict[str, Any]
) -> None:
    ratio = elapsed / bound
    verdicts.check(
        name,
        f"{elapsed:.2f} s = {ratio:.2f}x of {bound:.0f} s ({report['rate_limited']} x 429)",
        "≤ 1.1x",
        ratio <= 1.1,
    )


def _profile_text(prof: cProfile.Profile) -> str:
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out).sort_stats("cumulative")
    stats.print_stats(re.escape(str(ROOT)) + r"/(bot|storage)/", 15)
    return out.getvalue()


def bench_digest(engine: Engine, verdicts: Verdicts, *, profile: bool) -> None:
    prof = cProfile.Profile()
    with FakeSlackProcess(per_channel=1.0, retry_after=1) as slack:
        ctx = _paced(engine, NINE, slack)
        t0 = time.monotonic()
        if profile:
            prof.enable()
        posted = post_digests(ctx, today=MONDAY)
        prof.disable()
        done = time.monotonic()
    report = slack.report
    assert len(posted) == N_TEAMS and report["ok_posts"] == N_TEAMS, (len(posted), report)
    elapsed = report["last_ok"] - t0
    print(
        f"3. Monday digest, {N_TEAMS} teams in {report['channels']} channels: last post after "
        f"{elapsed:.2f} s (post_digests returned after {done - t0:.2f} s; "
        f"{(done - t0) / N_TEAMS * MS:.1f} ms a team), {report['rate_limited']} x 429"
    )
    _bound_check(verdicts, f"Monday digest, {N_TEAMS} teams", elapsed, 1.0, report)
    if profile:
        print("   cProfile of post_digests (project code):")
        print(_profile_text(prof))


def _burst_rows(engine: Engine) -> None:
    with engine.begin() as conn:
        ids = conn.execute(
            text("SELECT id FROM task WHERE status = 'open' ORDER BY id LIMIT :n"),
            {"n": N_BURST},
        ).scalars()
        conn.execute(
            text(
                "INSERT INTO reminder (dedupe_key, kind, task_id, channel_id, fire_at, status,"
                " attempts) VALUES (:key, 'milestone_channel', :task, :channel, :at,"
                " 'pending', 0)"
            ),
            [
                {"key": f"b{i}", "task": task, "channel": f"C{i % N_CHANNELS:04d}", "at": NINE}
                for i, task in enumerate(ids)
            ],
        )


def _pending(engine: Engine) -> int:
    """The burst's rows not sent yet (the instances of part 1 planned month-end note
    reminders for their own, later, month: those are not due at NINE)."""
    with engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT count(*) FROM reminder WHERE status IN ('pending', 'claimed')"
                    " AND fire_at <= :nine"
                ),
                {"nine": NINE},
            ).scalar_one()
        )


def bench_burst(engine: Engine, verdicts: Verdicts) -> None:
    _burst_rows(engine)
    with FakeSlackProcess(per_channel=1.0, retry_after=1) as slack:
        ctx = _paced(engine, NINE, slack)
        ticks = 0
        t0 = time.monotonic()
        while _pending(engine) and ticks < 10:
            reminder_tick(ctx)  # what the scheduler runs every WGBOT_TICK_SECONDS
            ticks += 1
        done = time.monotonic()
    report = slack.report
    assert report["ok_posts"] == N_BURST, report
    assert report["min_gap"] >= 1.0, report
    elapsed = report["last_ok"] - t0
    print(
        f"4. burst of {N_BURST:,} reminders at 09:00 over {report['channels']} channels: last "
        f"delivery after {elapsed:.2f} s (rows marked sent after {done - t0:.2f} s, {ticks} "
        f"tick(s)), {report['posts']} posts of which {report['rate_limited']} answered 429"
    )
    bound = N_BURST / N_CHANNELS
    _bound_check(
        verdicts, f"burst {N_BURST:,} reminders / {N_CHANNELS} channels", elapsed, bound, report
    )


def main() -> int:
    args = parse_args(
        __doc__, quick=True, flags={"--profile": "print a cProfile of the digest posting"}
    )
    quiet_bolt_warnings()
    verdicts = Verdicts("bench_city")
    load_start = _load1()
    if not args.pg:
        # `make bench` runs every script: skipped, not failed, as the others skip their PG part
        print("bench_city: skipped, it runs on PostgreSQL only (give --pg URL)")
        return 0
    with pg_schema(args.pg, "city") as engine:
        upgrade(engine)
        t0 = time.perf_counter()
        city = seed(engine)
        print(
            f"seeded {len(WARDS)} wards, {N_STAFF:,} staff, {N_TEAMS} teams, {N_TASKS:,} "
            f"tasks, {N_NOTES:,} notes in {time.perf_counter() - t0:.1f} s",
            flush=True,
        )
        schema = f"wgbot_bench_{os.getpid()}_city"
        per_user = 10 if args.quick else 40
        bench_lists(_schema_url(args.pg, schema), city, verdicts, per_user=per_user)
        bench_rollup(engine, verdicts, runs=1 if args.quick else 3)
        bench_digest(engine, verdicts, profile=args.profile)
        bench_burst(engine, verdicts)
    verdicts.info("load average (1 min) at start / end", f"{load_start:.2f} / {_load1():.2f}")
    return verdicts.summary(strict=args.strict)


def _load1() -> float:
    return os.getloadavg()[0]


if __name__ == "__main__":
    sys.exit(main())
