"""Weekly digests as team channels receive them: which week, which day, once (both databases)."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from bot import cli
from bot.cli import main as wgbot
from bot.clock import FixedClock
from bot.gateway import RecordingGateway
from bot.services.context import Ctx
from bot.services.digests import post_weekly_digests
from storage.db import make_engine
from tests.conftest import CALENDAR, JST
from tests.factories import load_sample_plan, wg
from tests.fakeslack import FakeSlack
from tests.services.test_report_commands import database_url

SIGN, COAST = "C0SIGN", "C0COAST"


def at(ctx: Ctx, y: int, m: int, d: int, hour: int = 9, minute: int = 0) -> None:
    """Move the office clock."""
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(datetime(y, m, d, hour, minute, tzinfo=JST))


def messages(gateway: RecordingGateway) -> list[dict[str, Any]]:
    return [m for m in gateway.sent if m["kind"] == "message"]


def per_channel(*gateways: RecordingGateway) -> Counter[str]:
    return Counter(m["channel"] for g in gateways for m in messages(g))


def ok(ctx: Ctx, text: str, *, user: str = "U1") -> None:
    answer = wg(ctx, text, user=user).text
    assert "できません" not in answer and "見つかりません" not in answer, answer
    assert "使い方" not in answer and "問題が起きました" not in answer, answer


def teams(ctx: Ctx) -> None:
    """Two teams with a channel and one without, set up on 1 November."""
    at(ctx, 2024, 11, 1, 10)
    load_sample_plan(ctx)
    ok(ctx, f"team new 案内表示WG kind:WG theme:A(2) <#{SIGN}|signage>")
    ok(ctx, "team add 案内表示WG <@U2>")
    ok(ctx, f"team new 北海岸PT kind:PT theme:C(1) <#{COAST}|coast>", user="U5")
    ok(ctx, "team new 資料整理WG kind:WG theme:B(1)", user="U7")


@pytest.fixture
def posting(ctx: Ctx) -> Ctx:
    """The test context with a gateway that records what would reach Slack."""
    ctx.gateway = RecordingGateway()
    return ctx


def gateway_of(ctx: Ctx) -> RecordingGateway:
    assert isinstance(ctx.gateway, RecordingGateway)
    return ctx.gateway


def another_instance(engine: Engine, clock: FixedClock, name: str) -> Ctx:
    """A second process on the same database: its own engine, gateway and instance id."""
    return Ctx(
        engine=make_engine(database_url(engine)),
        clock=clock,
        calendar=CALENDAR,
        gateway=RecordingGateway(),
        instance_id=name,
    )


def test_monday_digest_shows_monday_to_sunday_of_last_week_and_nothing_older(
    posting: Ctx,
) -> None:
    ctx = posting
    at(ctx, 2024, 11, 18, 10)
    load_sample_plan(ctx)
    ok(ctx, f"team new 案内表示WG kind:WG theme:A(2) <#{SIGN}|signage>")
    titles = [
        "先々週の金曜に終えた点検",
        "日曜の深夜に終えた集計",
        "月曜の零時半に終えた確認",
        "金曜に終えた配置図",
        "日曜に終えた清書",
        "今週月曜の朝に終えた作業",
    ]
    for title in titles:
        ok(ctx, f"task add {title} due:2024-12-20")
    done_at = [
        (2024, 11, 22, 17, 0),
        (2024, 11, 24, 23, 30),
        (2024, 11, 25, 0, 30),  # still 24 Nov in UTC: the office day counts
        (2024, 11, 29, 16, 0),
        (2024, 12, 1, 22, 0),
        (2024, 12, 2, 8, 30),
    ]
    for n, (y, m, d, hh, mm) in enumerate(done_at, start=1):
        at(ctx, y, m, d, hh, mm)
        ok(ctx, f"task done #{n}")
        if n == 1:
            ok(ctx, "note A(2) 先々週に書いた古い記録")
        if n == 4:
            ok(ctx, "note A(2) 先週に書いた記録")
    at(ctx, 2024, 12, 2, 9)
    assert post_weekly_digests(ctx) == 1
    (msg,) = messages(gateway_of(ctx))
    assert msg["channel"] == SIGN
    body = msg["text"]
    assert "12月2日（月）の週" in body
    assert [t for t in titles if t in body] == titles[2:5]
    assert "先週に書いた記録" in body and "古い記録" not in body


def test_holiday_monday_moves_the_digest_to_tuesday(posting: Ctx) -> None:
    ctx = posting
    teams(ctx)
    at(ctx, 2024, 11, 4)  # 振替休日
    assert post_weekly_digests(ctx) == 0
    assert messages(gateway_of(ctx)) == []
    at(ctx, 2024, 11, 5)
    assert post_weekly_digests(ctx) == 2
    assert per_channel(gateway_of(ctx)) == {SIGN: 1, COAST: 1}
    assert all("11月4日（月）の週" in m["text"] for m in messages(gateway_of(ctx)))
    at(ctx, 2024, 11, 6)
    assert post_weekly_digests(ctx) == 0
    assert per_channel(gateway_of(ctx)) == {SIGN: 1, COAST: 1}


def test_ordinary_week_posts_on_monday_not_again_on_tuesday(posting: Ctx) -> None:
    ctx = posting
    teams(ctx)
    at(ctx, 2024, 11, 11, 8, 59)  # Monday, before 09:00 (a start-up run)
    assert post_weekly_digests(ctx) == 0
    at(ctx, 2024, 11, 11)
    assert post_weekly_digests(ctx) == 2
    at(ctx, 2024, 11, 12)  # Tuesday after an open Monday
    assert post_weekly_digests(ctx) == 0
    assert all("11月11日（月）の週" in m["text"] for m in messages(gateway_of(ctx)))


def test_a_monday_missed_while_the_bot_was_down_is_caught_up_on_tuesday(posting: Ctx) -> None:
    ctx = posting
    teams(ctx)
    at(ctx, 2024, 11, 19, 9, 0)  # down on Monday 11/18; back on Tuesday
    assert post_weekly_digests(ctx) == 2
    assert all("11月18日（月）の週" in m["text"] for m in messages(gateway_of(ctx)))
    # A team set up on Tuesday waits for next Monday's digest.
    ok(ctx, "team new 新設WG kind:WG <#C0NEW|new>", user="U8")
    at(ctx, 2024, 11, 20)
    assert post_weekly_digests(ctx) == 0
    at(ctx, 2024, 11, 25)
    assert post_weekly_digests(ctx) == 3


def test_second_call_in_the_same_week_posts_nothing(posting: Ctx) -> None:
    ctx = posting
    teams(ctx)
    at(ctx, 2024, 12, 2)
    assert post_weekly_digests(ctx) == 2
    at(ctx, 2024, 12, 2, 9, 5)
    assert post_weekly_digests(ctx) == 0
    assert per_channel(gateway_of(ctx)) == {SIGN: 1, COAST: 1}
    at(ctx, 2024, 12, 9)
    assert post_weekly_digests(ctx) == 2
    assert per_channel(gateway_of(ctx)) == {SIGN: 2, COAST: 2}


def test_restarted_or_second_instance_does_not_post_the_week_again(
    posting: Ctx, engine: Engine
) -> None:
    teams(posting)
    at(posting, 2024, 12, 2)
    assert isinstance(posting.clock, FixedClock)
    assert post_weekly_digests(posting) == 2
    second = another_instance(engine, posting.clock, "second")
    restarted = another_instance(engine, posting.clock, "local")
    try:
        assert post_weekly_digests(second) == 0
        assert post_weekly_digests(restarted) == 0
        gateways = (gateway_of(posting), gateway_of(second), gateway_of(restarted))
        assert per_channel(*gateways) == {SIGN: 1, COAST: 1}
        at(posting, 2024, 12, 9)
        assert post_weekly_digests(second) == 2
        assert per_channel(*gateways) == {SIGN: 2, COAST: 2}
    finally:
        second.engine.dispose()
        restarted.engine.dispose()


def test_two_instances_at_nine_oclock_post_each_team_once(posting: Ctx, engine: Engine) -> None:
    teams(posting)
    at(posting, 2024, 12, 2)
    assert isinstance(posting.clock, FixedClock)
    instances = [another_instance(engine, posting.clock, f"inst-{n}") for n in range(4)]
    start = threading.Barrier(len(instances))
    counts: list[int] = []

    def run(c: Ctx) -> None:
        start.wait()
        counts.append(post_weekly_digests(c))

    threads = [threading.Thread(target=run, args=(c,)) for c in instances]
    try:
        for th in threads:
            th.start()
        for th in threads:
            th.join(timeout=60)
        assert sum(counts) == 2
        assert per_channel(*(gateway_of(c) for c in instances)) == {SIGN: 1, COAST: 1}
    finally:
        for c in instances:
            c.engine.dispose()


def test_team_without_a_channel_is_left_out_of_the_weekly_posting(posting: Ctx) -> None:
    ctx = posting
    teams(ctx)
    ok(ctx, "task add 資料の棚卸し due:12/04", user="U7")
    at(ctx, 2024, 12, 2)
    assert post_weekly_digests(ctx) == 2
    assert set(per_channel(gateway_of(ctx))) == {SIGN, COAST}
    assert not any("資料の棚卸し" in m["text"] for m in messages(gateway_of(ctx)))


def test_team_without_a_channel_can_still_preview_its_digest(posting: Ctx) -> None:
    teams(posting)
    ok(posting, "task add 資料の棚卸し due:12/04", user="U7")
    at(posting, 2024, 12, 2)
    text = wg(posting, "digest", user="U7").text
    assert "資料整理WG 週間まとめ（12月2日（月）の週）" in text and "資料の棚卸し" in text


@pytest.fixture
def shell(engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """`wgbot …` as an operator runs it: settings from the environment, on the test database."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url(engine))
    monkeypatch.setenv("WGBOT_LANGUAGE", "ja")
    return monkeypatch


def test_wgbot_digest_post_to_a_team_without_a_channel_says_why(
    ctx: Ctx, shell: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    teams(ctx)
    with FakeSlack() as slack:
        shell.setenv("SLACK_BOT_TOKEN", "xoxb-test")
        shell.setenv("SLACK_API_URL", slack.base_url)
        capsys.readouterr()
        code = wgbot(["digest", "--post", "--team", "資料整理WG"])
        out = capsys.readouterr().err
        assert slack.calls_to("chat.postMessage") == []
    assert code == 2
    assert out.strip() == (
        "wgbot: チーム「資料整理WG」にはチャンネルが設定されていないため、まとめを投稿できません。"
    )


def test_wgbot_digest_post_for_one_team_posts_once_a_week(
    posting: Ctx, capsys: pytest.CaptureFixture[str]
) -> None:
    teams(posting)
    at(posting, 2024, 12, 3, 14)  # by hand, on any day of the week
    capsys.readouterr()
    assert cli.digest_cli(posting, team="案内表示WG", week=None, post=True) == 0
    assert cli.digest_cli(posting, team="案内表示WG", week=None, post=True) == 0
    assert capsys.readouterr().out == f"投稿しました: 案内表示WG → <#{SIGN}>\n"
    assert per_channel(gateway_of(posting)) == {SIGN: 1}
    at(posting, 2024, 12, 9)
    assert post_weekly_digests(posting) == 2
    assert per_channel(gateway_of(posting)) == {SIGN: 2, COAST: 1}


def test_mentions_and_ampersands_in_what_staff_typed_reach_slack_escaped(posting: Ctx) -> None:
    ctx = posting
    teams(ctx)
    at(ctx, 2024, 11, 26, 10)
    # As Slack sends what a person typed literally: `<`, `>` and `&` escaped.
    ok(ctx, "task add &lt;!channel&gt; 至急 &amp; 確認 due:12/04")
    ok(ctx, "task add &lt;@U123&gt;さんへ資料を送付 due:12/05")
    ok(ctx, "note A(2) &lt;!here&gt; 配置図 &amp; 一覧を共有")
    at(ctx, 2024, 12, 2)
    assert post_weekly_digests(ctx) == 2
    (msg,) = [m for m in messages(gateway_of(ctx)) if m["channel"] == SIGN]
    shown = [msg["text"]] + [b["text"]["text"] for b in msg["blocks"] if b["type"] == "section"]
    for part in (msg["text"], "\n".join(shown[1:])):
        assert "&lt;!channel&gt; 至急 &amp; 確認" in part
        assert "&lt;@U123&gt;さんへ資料を送付" in part
        assert "&lt;!here&gt; 配置図 &amp; 一覧を共有" in part
    for part in shown:
        assert "<!channel>" not in part and "<!here>" not in part and "<@U123>" not in part
        assert " & " not in part


def test_digest_for_a_week_that_is_not_a_date_is_refused(posting: Ctx) -> None:
    teams(posting)
    reply = wg(posting, "digest team:案内表示WG week:あした")
    assert reply.text == "週「あした」が読めません。日付で指定してください（例: 2024-12-02）。"


def test_wgbot_digest_week_that_is_not_a_date_prints_why(
    ctx: Ctx, shell: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    teams(ctx)
    capsys.readouterr()
    assert wgbot(["digest", "--team", "案内表示WG", "--week", "foo"]) == 2
    out = capsys.readouterr().err
    assert out.strip() == "wgbot: 週「foo」が読めません。日付で指定してください（例: 2024-12-02）。"


def test_posting_many_teams_renews_the_instance_lease_once_not_per_team(posting: Ctx) -> None:
    """Posting costs one heartbeat per third of the lease, not a write and commit per team."""
    ctx = posting
    teams(ctx)
    ok(ctx, "team new 窓口改善WG kind:WG theme:B(1) <#C0DESK|desk>", user="U7")
    written: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        if statement.lstrip().upper().startswith("UPDATE LEASE"):  # one per renewal
            written.append(statement)

    at(ctx, 2024, 12, 2, 9)
    event.listen(ctx.engine, "before_cursor_execute", count)
    try:
        assert post_weekly_digests(ctx) == 3
    finally:
        event.remove(ctx.engine, "before_cursor_execute", count)
    assert per_channel(gateway_of(ctx)) == {SIGN: 1, COAST: 1, "C0DESK": 1}
    assert len(written) == 1, written
