"""The database goes away: a 3 s cut mid-burst, and a running bot through a 7 s outage.

A TCP proxy (tests/tcpproxy.py) sits between wgbot and PostgreSQL and drops every
connection, refusing new ones, for a few seconds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from bot.services.outbox import SENDERS
from tests.e2e.conftest import url_with_schema
from tests.e2e.test_chaos import acted_posts, tick_process
from tests.e2e.test_crash_restart import ROOT, count, free_port, seed_due, wait_until
from tests.fakeslack import FakeSlack
from tests.signed import SignedClient
from tests.tcpproxy import TcpProxy

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
SECRET = "x"
OUTAGE = "一時的に保存できません"


def cut_mid_burst(engine: Engine, slack: FakeSlack, log: Path, *, seconds: float = 3.0) -> dict:
    """One tick of 500 reminders through the proxy, cut after 100 sends; then a tick."""
    seed_due(engine, reminders=500, users=100)
    with TcpProxy(engine.url.port or 5432) as proxy:
        url = url_with_schema(engine, port=proxy.port).replace("localhost", "127.0.0.1")
        proc = tick_process(url, slack, log)
        wait_until(lambda: len(acted_posts(slack)) >= 100, timeout=30, what="100 sends")
        proxy.cut(seconds)
        # On the wire at the cut: one call per sender thread at most, and no more than
        # the rows claimed and not yet recorded.
        in_flight = min(SENDERS, count(engine, "claimed"))
        rc = proc.wait(timeout=60)
    time.sleep(2.2)  # the first tick's heartbeat runs out, should it have left claims
    for _ in range(3):
        tick_process(url_with_schema(engine), slack, log).wait(timeout=60)
        if count(engine, "sent") == 500:
            break
        time.sleep(1.0)
    per_task = Counter(task for task, _ in acted_posts(slack))
    per_user: Counter[str] = Counter()
    for task, call in acted_posts(slack):
        if per_task[task] > 1:
            per_user[str(call.params.get("channel"))] += 1
    return {
        "rc": rc,
        "in_flight": in_flight,
        "delivered": len(per_task),
        "resends": sum(n - 1 for n in per_task.values()),
        "max_resends_per_channel": max((n - 1 for n in per_user.values()), default=0),
    }


def test_a_3s_database_cut_mid_burst_resends_at_most_what_was_in_flight(
    pg: Engine, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    log = tmp_path / "ticks.log"
    got = cut_mid_burst(pg, fake_slack, log)
    tail = log.read_text(errors="replace")[-2000:]
    assert got["delivered"] == 500, f"every reminder arrived: {got}\n{tail}"
    assert got["resends"] <= got["in_flight"], got
    assert got["max_resends_per_channel"] <= 1, got
    assert count(pg, "sent") == 500
    assert "Traceback" not in log.read_text(errors="replace")


def start_run(url: str, slack: FakeSlack, log: Path, port: int) -> subprocess.Popen[bytes]:
    """`wgbot run --http` on `port`, ticking every second."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.base_url,
        "WGBOT_TICK_SECONDS": "1",
    }
    env.pop("SLACK_APP_TOKEN", None)
    cmd = [sys.executable, "-m", "bot.cli", "run", "--http", "--port", str(port)]
    with log.open("ab") as out:
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=out)


def ask(client: SignedClient, slack: FakeSlack, line: str, name: str) -> str:
    """Type `/wg <line>`; the answer posted to its response_url."""
    client.command(line, user="U1", response_url=slack.response_url(name))
    wait_until(lambda: slack.responses_to(name), timeout=10, what=f"an answer to {line}")
    return str(slack.responses_to(name)[0].json.get("text", ""))


def outage_while_running(
    engine: Engine, slack: FakeSlack, log: Path, *, seconds: float = 7.0, reminders: int = 600
) -> dict:
    """A running bot, mid-burst, through a database outage: its log, what users were told."""
    seed_due(engine, reminders=reminders, users=100)  # 6 s of sends at Slack's pace
    port = free_port()
    with TcpProxy(engine.url.port or 5432) as proxy:
        url = url_with_schema(engine, port=proxy.port).replace("localhost", "127.0.0.1")
        bot = start_run(url, slack, log, port)
        client = SignedClient(f"http://127.0.0.1:{port}/slack/events", SECRET)
        try:
            wait_until(lambda: _listening(port), timeout=30, what="the bot listening")
            before = ask(client, slack, "team new 試験WG kind:WG", "before")
            wait_until(lambda: count(engine, "sent") >= 100, timeout=30, what="a burst going")
            lines_before = len(log.read_text(errors="replace").splitlines())
            proxy.cut(seconds)
            during = [
                ask(client, slack, f"team new 停止中WG{i} kind:WG", f"d{i}") for i in range(3)
            ]
            time.sleep(seconds + 1.5)
            after = ask(client, slack, "team new 復旧WG kind:WG", "after")
            wait_until(lambda: count(engine, "sent") == reminders, timeout=30, what="all sent")
            text_log = log.read_text(errors="replace")
            # The SDK's own lines about Slack calls are not about the database.
            outage_lines = [
                line for line in text_log.splitlines()[lines_before:] if " slack_sdk." not in line
            ]
        finally:
            bot.terminate()
            bot.wait(timeout=12)
    return {
        "before": before,
        "during": during,
        "after": after,
        "lines": outage_lines,
        "rc": bot.returncode,
    }


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_running_bot_logs_a_database_outage_briefly_answers_users_and_recovers(
    pg: Engine, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    log = tmp_path / "bot.log"
    got = outage_while_running(pg, fake_slack, log)
    lines = "\n".join(got["lines"])
    assert "試験WG" in got["before"]
    assert all(OUTAGE in answer for answer in got["during"]), got["during"]
    assert "復旧WG" in got["after"] and OUTAGE not in got["after"], got["after"]
    assert "Traceback" not in lines and "[SQL:" not in lines, lines
    assert "停止中" not in lines, "no typed text in the log"
    loud = [line for line in got["lines"] if " WARNING " in line or " ERROR " in line]
    assert len(loud) <= 6, lines  # the outage, the halted tick, the recovery
    assert len(got["lines"]) <= 10, lines
    with pg.connect() as conn:
        names = {r[0] for r in conn.execute(text("SELECT name FROM team"))}
    assert names == {"負荷試験WG", "試験WG", "復旧WG"}, "nothing half-saved during the outage"
    assert count(pg, "sent") == 600, "the burst went on after the outage"
    assert got["rc"] == 0
