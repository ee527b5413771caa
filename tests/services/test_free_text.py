"""What a person typed is stored exactly, quoted back, or refused with a reason."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlmodel import col, select

from bot import cli
from bot.services.context import Ctx
from bot.services.plans import PlanData, PlanImportError, import_plan
from bot.services.reports import gather
from storage.models import HarassmentCase, Kpi, ProgressNote, Task, Team, Theme
from tests.conftest import JST
from tests.factories import load_sample_plan, signage_team, wg

ISSUE_LINE = "note A(1) 職員向け接遇研修を実施した　参加者：32名 as-of:2024-11-27"


def _notes(ctx: Ctx) -> list[str]:
    with ctx.session() as s:
        rows = s.exec(select(ProgressNote).order_by(col(ProgressNote.id))).all()
        return [n.text for n in rows if n.archived_at is None]


def _titles(ctx: Ctx) -> list[str]:
    with ctx.session() as s:
        return [t.title for t in s.exec(select(Task).order_by(col(Task.id))).all()]


def test_the_issue_line_keeps_every_word_in_the_note_and_the_report(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    reply = wg(ctx, ISSUE_LINE)
    typed = "職員向け接遇研修を実施した　参加者：32名"
    assert _notes(ctx) == [typed]
    assert f"「{typed}」" in reply.text  # the confirmation quotes what was stored
    (section,) = [th for th in gather(ctx).sections() if th.code == "A(1)"]
    assert [n.text for n in section.notes] == [typed]


def test_brackets_colons_and_spacing_stay_in_titles_notes_and_names(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    signage_team(ctx)
    wg(ctx, "task add 「案内板」の点検：北口  (2か所) due:12/10 milestone")
    wg(ctx, "note A(2) 『掲示』を更新  理由：破損 期限：なし http://x.jp as-of:11/27")
    wg(ctx, "note fix 1 「掲示」を更新　済")
    wg(ctx, 'team new "観光 PT" kind:PT')
    assert _titles(ctx) == ["「案内板」の点検：北口  (2か所)"]
    assert _notes(ctx) == ["「掲示」を更新　済"]
    with ctx.session() as s:
        assert "観光 PT" in [t.name for t in s.exec(select(Team)).all()]
    # A name in quotes groups its words, and finds the team again.
    assert "観光 PT" in wg(ctx, "team show 「観光 PT」").text


def test_what_slack_escaped_is_stored_as_the_person_typed_it(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    signage_team(ctx)
    wg(ctx, "note A(2) <@U2|sato> と <#C9|wg> で確認 &lt;済&gt; &amp; 共有 &amp;lt;")
    assert _notes(ctx) == ["@sato と #wg で確認 <済> & 共有 &lt;"]


def test_confirmations_quote_the_stored_text_escaped_and_shortened(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    signage_team(ctx)
    long = "あ" * 100
    added = wg(ctx, f"task add {long} &lt;b&gt;").text
    assert "「" + "あ" * 79 + "…」" in added
    fixed = wg(ctx, "note A(2) 最初").text
    assert "「最初」" in fixed
    assert "「直した &lt;x&gt;」" in wg(ctx, "note fix 1 直した &lt;x&gt;").text
    status = wg(ctx, "theme status A(2) B 理由：工事の遅れ　（業者）").text
    assert "「工事の遅れ　（業者）」" in status
    with ctx.session() as s:
        theme = s.exec(select(Theme).where(Theme.code == "A(2)")).first()
        assert theme is not None and theme.status_reason == "工事の遅れ　（業者）"
    kpi = wg(ctx, "kpi add A(2) 案内板の「設置」数 unit:㎡ baseline:1 target:3").text
    assert "「案内板の「設置」数」" in kpi and "㎡" in kpi
    with ctx.session() as s:
        assert [(k.name, k.unit) for k in s.exec(select(Kpi)).all()] == [
            ("案内板の「設置」数", "㎡")
        ]


@pytest.mark.parametrize(
    "line",
    [
        "note A(2) 研修を\x07実施した",
        "task add 点検\x1b[31m",
        "team new 新しい\x00チーム",
        "theme status A(2) B reason:予算\x08不足",
        "kpi add A(2) 指標\x7f unit:件",
        "kpi add A(2) 指標 unit:件\x0b",
        "note fix 1 直し\x85た",
    ],
)
def test_control_characters_are_refused_with_a_reason_and_nothing_changes(
    ctx: Ctx, line: str
) -> None:
    load_sample_plan(ctx)
    signage_team(ctx)
    wg(ctx, "note A(2) 元の進捗")
    before = (_notes(ctx), _titles(ctx))
    answer = wg(ctx, line).text
    assert "制御文字" in answer and "保存しませんでした" in answer
    assert (_notes(ctx), _titles(ctx)) == before
    with ctx.session() as s:
        assert [t.name for t in s.exec(select(Team)).all()] == ["案内表示WG"]
        assert s.exec(select(Kpi)).all() == []
        assert all(th.status is None for th in s.exec(select(Theme)).all())


def test_line_breaks_and_tabs_are_kept(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    signage_team(ctx)
    wg(ctx, "note A(2) 一行目\n\t二行目\r\n三行目 as-of:11/27")
    assert _notes(ctx) == ["一行目\n\t二行目\r\n三行目"]


def test_plan_rows_with_control_characters_are_refused(ctx: Ctx) -> None:
    data = PlanData(ward="若松区", fiscal_year=2024, themes=[{"code": "A1", "title": "窓口\x07"}])
    with pytest.raises(PlanImportError) as info:
        import_plan(ctx, data=data)
    assert any("U+0007" in p for p in info.value.problems)


def test_case_export_and_stats_survive_a_section_stored_with_a_bell(ctx: Ctx) -> None:
    wg(ctx, "team new カスハラPT kind:PT", user="U9")
    assert cli.case_admin_cli(ctx, "add", ["U9"]) == 0
    with ctx.session() as s:  # written before control characters were refused
        s.add(
            HarassmentCase(
                reporter="U1",
                created_at=datetime(2024, 11, 1, 10, tzinfo=JST),
                occurred_at=datetime(2024, 11, 1, 9, tzinfo=JST),
                place="counter",
                section="市民課\x07",
                kinds="abusive",
                minutes=30,
                staff_count=1,
                what_happened="記録",
            )
        )
    reply = wg(ctx, "case export full", user="U9")  # the internal one keeps the section
    assert [f.filename[-4:] for f in reply.files] == ["xlsx", ".csv"]
    sheet = load_workbook(io.BytesIO(reply.files[0].content)).worksheets[0]
    assert sheet["E2"].value == "市民課\ufffd"
    assert "市民課\ufffd" in reply.files[1].content.decode("utf-8-sig")
    stats = wg(ctx, "case stats from:2024-11-01", user="U9")
    assert stats.files and stats.files[0].content.startswith(b"\x89PNG")
