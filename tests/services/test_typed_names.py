"""Names and times typed with an IME (full-width letters, digits, colons) work like ASCII.

A team name is stored exactly as typed and found by its key (NFKC, casefolded, spaces
collapsed), so `ＷＧ` and `WG` name one team; quiet hours read `１８：００～０８：００`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import select

from bot.cli import main as wgbot
from bot.domain.text import slack_plain
from bot.render.report_md import report_markdown
from bot.services.context import Ctx
from bot.services.reports import gather
from storage.db import make_engine, upgrade
from storage.models import ProgressNote, Team, UserPref
from tests.factories import load_sample_plan, wg
from tests.services.test_report_commands import database_url

IME_NAME = "案内表示・情報紙ＷＧ"


def test_a_team_named_with_full_width_letters_is_found_by_every_command(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    assert "作りました" in wg(ctx, f"team new {IME_NAME} kind:WG theme:A(2)").text
    added = wg(ctx, f"team add {IME_NAME} <@U0TEST>").text
    assert added == f"チーム「{IME_NAME}」に <@U0TEST> を追加しました。"
    for spelling in (IME_NAME, "案内表示・情報紙WG", "案内表示・情報紙wg", "案内表示・情報紙ｗｇ"):
        shown = wg(ctx, f"team show {spelling}").text
        assert shown.startswith(f"*{IME_NAME}*") and "<@U0TEST>" in shown
    task = wg(ctx, "task add 掲示の更新 team:案内表示・情報紙WG").text
    assert f"チーム: {IME_NAME}" in task
    with ctx.session() as s:
        (team,) = s.exec(select(Team)).all()
    assert team.name == IME_NAME  # stored as typed


def test_a_second_spelling_of_an_existing_team_name_is_refused_naming_it(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    wg(ctx, f"team new {IME_NAME}")
    reply = wg(ctx, "team new 案内表示・情報紙WG", user="U2").text
    said = f"「案内表示・情報紙WG」は既存のチーム「{IME_NAME}」と同じ名前とみなします"
    assert reply.startswith(said)
    assert wg(ctx, f"team new {IME_NAME}").text == f"チーム「{IME_NAME}」はすでにあります。"
    with ctx.session() as s:
        assert [t.name for t in s.exec(select(Team)).all()] == [IME_NAME]


def test_wgbot_digest_finds_a_team_named_with_full_width_letters(
    ctx: Ctx, engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    load_sample_plan(ctx)
    wg(ctx, f"team new {IME_NAME} theme:A(2)")
    monkeypatch.setenv("DATABASE_URL", database_url(engine))
    monkeypatch.setenv("WGBOT_LANGUAGE", "ja")
    capsys.readouterr()
    assert wgbot(["digest", "--team", IME_NAME]) == 0
    assert IME_NAME in capsys.readouterr().out


def test_teams_whose_names_collided_before_the_key_both_keep_working(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, revision="0005")
    with engine.begin() as conn:
        for name in ("広報WG", "広報ＷＧ"):
            conn.execute(
                text(
                    "INSERT INTO team (name, kind, created_by, created_at, task_days,"
                    " milestone_days) VALUES (:n, 'WG', 'U1', '2024-11-01 00:00:00', '3,1,0',"
                    " '5,0')"
                ),
                {"n": name},
            )
    upgrade(engine)
    with engine.connect() as conn:
        keys = conn.execute(text("SELECT name, name_key FROM team ORDER BY id")).all()
    engine.dispose()
    assert [tuple(k) for k in keys] == [("広報WG", "広報wg"), ("広報ＷＧ", "広報wg#2")]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("１８：００～０８：００", ("18:00", "08:00")),
        ("18:00〜8:00", ("18:00", "08:00")),
        ("１８：００－０８：００", ("18:00", "08:00")),
        ("18時から8時半まで", ("18:00", "08:30")),
        ("18:00 ~ 08:00", ("18:00", "08:00")),
    ],
)
def test_quiet_hours_typed_with_an_ime_are_read(
    ctx: Ctx, typed: str, stored: tuple[str, str]
) -> None:
    reply = wg(ctx, f"remind quiet {typed}").text
    assert reply.startswith(f"お休み時間を {stored[0]}-{stored[1]} にしました")
    with ctx.session() as s:
        pref = s.get(UserPref, "U1")
        assert pref is not None and (pref.quiet_start, pref.quiet_end) == stored


def test_unreadable_quiet_hours_are_refused_and_change_nothing(ctx: Ctx) -> None:
    reply = wg(ctx, "remind quiet ２５：００～０８：００").text
    assert reply.startswith("お休み時間「２５：００～０８：００」は読めません")
    with ctx.session() as s:
        assert s.get(UserPref, "U1") is None


# --- a link with a label keeps its address ---------------------------------------------

LINKED = "資料（https://example.jp/a?b=1&c=2）"


def test_a_labelled_slack_link_keeps_label_and_address_in_the_note_and_the_report(
    ctx: Ctx,
) -> None:
    load_sample_plan(ctx)
    reply = wg(ctx, "note A(1) 説明会の <https://example.jp/a?b=1&amp;c=2|資料> を共有 as-of:11/27")
    stored = f"説明会の {LINKED} を共有"
    # Slack shows `&amp;` as `&`: the confirmation quotes what was stored.
    assert "「説明会の 資料（https://example.jp/a?b=1&amp;c=2） を共有」" in reply.text
    with ctx.session() as s:
        assert [n.text for n in s.exec(select(ProgressNote)).all()] == [stored]
    report = gather(ctx, as_of=date(2024, 11, 30))
    (section,) = [th for th in report.sections() if th.code == "A(1)"]
    assert [n.text for n in section.notes] == [stored]
    assert "https://example.jp/a?b=1&c=2" in report_markdown(report)


@pytest.mark.parametrize(
    ("slack", "typed"),
    [
        ("<https://example.jp/a?b=1&amp;c=2|資料>", LINKED),
        ("<http://x.jp|x.jp>", "x.jp"),  # Slack linked an address typed bare
        ("<https://x.jp/|x.jp>", "x.jp"),
        ("<mailto:sato@x.lg.jp|sato@x.lg.jp>", "sato@x.lg.jp"),
        ("<https://x.jp/a>", "https://x.jp/a"),
        ("<@U0SATO>", "<@U0SATO>"),
    ],
)
def test_slack_links_come_back_as_typed_with_their_address(slack: str, typed: str) -> None:
    assert slack_plain(slack) == typed
