"""Lists cut to Slack's limits say how many they left out; a case is shown whole."""

from __future__ import annotations

import re
from datetime import datetime

from bot.clock import FixedClock
from bot.render.digest_view import digest_message, digest_text
from bot.render.reminder_blocks import home_view
from bot.render.text import unescape
from bot.services import cases, digests, home
from bot.services.context import Ctx
from storage.models import HarassmentCase
from tests.conftest import JST
from tests.factories import load_sample_plan, signage_team, wg
from tests.services.test_cases import REPORTER, form, setup_people

SECTION_LIMIT = 3000


def _sections(blocks: list[dict]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


def test_digest_notes_cut_to_fit_end_with_how_many_were_left_out(ctx: Ctx) -> None:
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(datetime(2024, 11, 27, 9, 0, tzinfo=JST))
    load_sample_plan(ctx)
    signage_team(ctx)
    for i in range(14):
        wg(ctx, f"note A(2) 第{i + 1:02d}回 " + "案内表示の点検と配置の見直しを進めた。" * 10)
    ctx.clock.set(datetime(2024, 12, 2, 9, 0, tzinfo=JST))
    d = digests.preview(ctx, user="U1", team_name="案内表示WG")
    assert len(d.notes) == 14
    (notes,) = [
        s for s in _sections(digest_message("ja", d)[1]) if s.startswith("*先週の進捗記録*")
    ]
    assert len(notes) <= SECTION_LIMIT
    shown = notes.count("\n• ")
    last = notes.splitlines()[-1]
    assert re.fullmatch(r"…ほか (\d+)件", last), last
    assert 0 < shown < 14 and int(last[4:-1]) == 14 - shown


def test_case_with_a_long_account_is_shown_whole_over_several_blocks(ctx: Ctx) -> None:
    setup_people(ctx)
    case_id = cases.create_case(ctx, user=REPORTER, form=form()).case.id
    account = "".join(f"{i:04d} 窓口で<大声>を出し続け & 机を叩いた。\n" for i in range(250))
    account += "改行のない長い記録&" * 400  # 3,600 characters on one line
    assert len(account) > 9000
    with ctx.session() as s:
        row = s.get(HarassmentCase, case_id)
        assert row is not None
        row.what_happened = account
        s.add(row)
    reply = wg(ctx, f"case show {case_id}", user=REPORTER)
    assert reply.blocks is not None
    sections = _sections(reply.blocks)
    assert len(sections) >= 4 and all(len(s) <= SECTION_LIMIT for s in sections)
    whole = unescape("".join(sections).replace("\n", ""))
    assert account.replace("\n", "") in whole
    assert "*対応*" in sections[-1] and "*記録者*" in sections[-1]  # the fields after it too
    assert reply.blocks[-1]["type"] == "actions"


def test_task_list_over_the_limit_ends_with_how_many_were_left_out(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    signage_team(ctx)
    for i in range(45):
        wg(ctx, f"task add 点検{i:02d} " + "配置図の更新と現地確認" * 10 + " due:12/10 <@U1>")
    text = wg(ctx, "task list mine").text
    assert len(text) <= 4000
    lines = text.splitlines()
    assert lines[0] == "*自分のタスク*（45件）"
    shown = sum(1 for line in lines if line.startswith("• #"))
    match = re.fullmatch(r"…ほか (\d+)件。.*", lines[-1])
    assert match, lines[-1]
    assert shown > 0 and int(match[1]) == 45 - shown


def test_home_tab_says_how_many_tasks_it_left_out(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    signage_team(ctx)
    for i in range(33):
        wg(ctx, f"task add 点検{i:02d} due:12/10 <@U1>")
    view = home_view("ja", home.home_data(ctx, user="U1"))
    texts = [e["text"] for b in view["blocks"] if b["type"] == "context" for e in b["elements"]]
    assert "…ほか 3件" in texts
    assert len(view["blocks"]) <= 100


def test_case_list_says_how_many_older_cases_it_left_out(ctx: Ctx) -> None:
    setup_people(ctx)
    for _ in range(53):
        cases.create_case(ctx, user=REPORTER, form=form())
    text = wg(ctx, "case list", user=REPORTER).text
    assert text.count("\n#") == 50
    assert text.splitlines()[-1].startswith("…ほか 3件")


def test_digest_of_a_team_with_many_tasks_shows_fifteen_and_counts_the_rest(ctx: Ctx) -> None:
    """A long list is cut to 15 lines; ほか N件 counts every task left out, in the posted
    text and in its blocks alike."""
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(datetime(2024, 11, 27, 9, 0, tzinfo=JST))
    load_sample_plan(ctx)
    signage_team(ctx)
    for i in range(40):
        wg(ctx, f"task add 案内板の点検 第{i + 1:02d}区画 due:12/4 team:案内表示WG")
    ctx.clock.set(datetime(2024, 12, 2, 9, 0, tzinfo=JST))
    d = digests.preview(ctx, user="U1", team_name="案内表示WG")
    assert len(d.due_this_week) == 40
    (due,) = [s for s in _sections(digest_message("ja", d)[1]) if s.startswith("*今週が期限*")]
    lines = due.splitlines()
    assert len(lines) == 1 + 15 + 1
    assert lines[-1] == "…ほか 25件"
    assert due in digest_text("ja", d)
