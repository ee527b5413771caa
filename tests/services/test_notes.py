"""Progress notes: an id in the answer, corrected only by their author, the theme's button."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select

from bot.services.context import Ctx
from bot.services.reports import gather
from storage.models import ProgressNote
from tests.factories import load_sample_plan, signage_team, wg


def _live(ctx: Ctx) -> list[tuple[str, date]]:
    with ctx.session() as s:
        rows = s.exec(select(ProgressNote).where(col(ProgressNote.archived_at).is_(None))).all()
        return [(n.text, n.as_of) for n in rows]


def test_author_corrects_a_note_and_the_report_shows_the_new_text(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    signage_team(ctx)
    saved = wg(ctx, "note A(2) ラック19台を点険した as-of:11/20").text
    assert "進捗 #1" in saved and "note fix 1" in saved
    fixed = wg(ctx, "note fix 1 ラック19台を点検した").text
    assert "進捗 #1 を直しました" in fixed and "11月20日" in fixed
    assert _live(ctx) == [("ラック19台を点検した", date(2024, 11, 20))]
    (theme,) = [th for th in gather(ctx).sections() if th.code == "A(2)"]
    assert [n.text for n in theme.notes] == ["ラック19台を点検した"]
    with ctx.session() as s:  # the old text is kept, archived, never deleted
        assert len(s.exec(select(ProgressNote)).all()) == 2
    again = wg(ctx, "note fix 1 もう一度").text
    assert "進捗 #1 はすでに直されています" in again
    assert _live(ctx) == [("ラック19台を点検した", date(2024, 11, 20))]


def test_nobody_else_corrects_a_note(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    signage_team(ctx)
    wg(ctx, "note A(2) ラックを点検した")
    answer = wg(ctx, "note fix 1 書き換え", user="U2").text
    assert "見つからないか、あなたが書いたものではありません" in answer
    assert "見つからない" in wg(ctx, "note fix 99 書き換え").text
    # Escaped for Slack, which shows `/wg note fix <進捗番号> <本文>`.
    assert "note fix &lt;進捗番号&gt; &lt;本文&gt;" in wg(ctx, "note fix").text
    assert _live(ctx) == [("ラックを点検した", date(2024, 11, 29))]


def test_theme_show_offers_the_note_button_for_that_theme(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    reply = wg(ctx, "theme show a2")
    assert reply.blocks is not None
    buttons = [e for b in reply.blocks if b["type"] == "actions" for e in b["elements"]]
    assert [(b["text"]["text"], b["value"]) for b in buttons] == [("進捗を書く", "theme:A(2)")]
    assert reply.blocks[0]["text"]["text"] == reply.text


def test_a_note_or_a_figure_as_of_a_day_to_come_is_refused(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    signage_team(ctx)
    answer = wg(ctx, "note A(2) 来月の見込み as-of:2024-12-10").text
    assert "令和6年12月10日はまだ来ていない日です" in answer
    wg(ctx, "kpi add A(1) コンビニ交付率 unit:% baseline:30 target:40")
    assert "まだ来ていない日" in wg(ctx, "kpi set 1 45 as-of:2024-12-31").text
    assert _live(ctx) == []
    # Typed without a year, an as-of date is in this fiscal year: 5/30 is last May.
    assert "5月30日時点" in wg(ctx, "note A(2) 春の点検結果 as-of:5/30").text
    assert _live(ctx) == [("春の点検結果", date(2024, 5, 30))]
