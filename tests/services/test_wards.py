"""Two wards in one deployment, with overlapping theme codes (DESIGN §11).

The sample ward (若松区) and a small fictional second ward (架空区, made up for this
test) both have an A(1) and an A(2). Every command resolves a code in the asker's ward;
another ward's theme is named `架空区/A(1)`; someone with no ward is asked which, never
given a guess; one ward never sees another ward's tasks unless they share a team.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import select

from bot.services import reminder_actions
from bot.services.context import Ctx
from bot.services.home import home_data
from bot.services.plans import PlanData, import_plan
from storage.models import ProgressNote, Staff, Team, Theme, UserPref
from tests.factories import load_sample_plan, wg

WAKA, FAKE, NOBODY = "U0WAKA", "U0FAKE", "U0NOWARD"


def load_fictional_ward(ctx: Ctx) -> None:
    """A made-up ward's plan for the same fiscal year; its A(1), A(2) clash with 若松区's."""
    themes = [
        {"code": "A(1)", "title": "架空の窓口案内の改善", "content": "架空の内容"},
        {"code": "A(2)", "title": "架空の広報紙の見直し", "content": "架空の内容"},
        {"code": "B(9)", "title": "架空区にしかない課題", "content": "架空の内容"},
    ]
    import_plan(
        ctx,
        data=PlanData(
            ward="架空区",
            fiscal_year=2024,
            title="令和6年度 架空区役所 運営方針（テスト用の架空の区）",
            themes=themes,
            rows=[2, 3, 4],
        ),
    )


@pytest.fixture
def two_wards(ctx: Ctx) -> Ctx:
    load_sample_plan(ctx)
    load_fictional_ward(ctx)
    now = ctx.clock.now()
    with ctx.session() as s:
        s.add(Staff(user_id=WAKA, name="若松 太郎", ward="若松区", section="総務企画課",
                    imported_at=now, imported_by="test"))  # fmt: skip
        s.add(Staff(user_id=FAKE, name="架空 花子", ward="架空区", section="市民課",
                    imported_at=now, imported_by="test"))  # fmt: skip
    return ctx


def test_a_code_resolves_in_the_askers_own_ward(two_wards: Ctx) -> None:
    ctx = two_wards
    shown = wg(ctx, "theme show A(1)", user=WAKA).text
    assert "コンビニ交付" in shown and "架空" not in shown
    shown = wg(ctx, "theme show A(1)", user=FAKE).text
    assert "架空の窓口案内の改善" in shown and "コンビニ交付" not in shown


def test_another_wards_theme_is_named_with_its_ward(two_wards: Ctx) -> None:
    ctx = two_wards
    assert "架空の窓口案内の改善" in wg(ctx, "theme show 架空区/A(1)", user=WAKA).text
    assert "架空の窓口案内の改善" in wg(ctx, "theme show 架空／A(1)", user=WAKA).text
    refused = wg(ctx, "theme show 存在しない区/A(1)", user=WAKA).text
    assert "存在しない区" in refused and "若松区、架空区" in refused


def test_someone_with_no_ward_is_asked_which_never_given_a_guess(two_wards: Ctx) -> None:
    ctx = two_wards
    asked = wg(ctx, "theme show A(1)", user=NOBODY).text
    assert "`若松区/A(1)`" in asked and "`架空区/A(1)`" in asked
    asked = wg(ctx, "note A(1) 掲示物を確認した", user=NOBODY).text
    assert "`若松区/A(1)`" in asked and "`架空区/A(1)`" in asked
    with ctx.session() as s:
        assert s.exec(select(ProgressNote)).first() is None
    # A code only one ward has is not ambiguous.
    assert "架空区にしかない課題" in wg(ctx, "theme show B(9)", user=NOBODY).text


def test_a_person_without_a_staff_row_takes_the_ward_they_gave(two_wards: Ctx) -> None:
    ctx = two_wards
    with ctx.session() as s:
        s.add(UserPref(user_id=NOBODY, ward="架空区"))
    assert "架空の窓口案内の改善" in wg(ctx, "theme show A(1)", user=NOBODY).text


def test_a_team_belongs_to_its_themes_ward_or_the_city(two_wards: Ctx) -> None:
    ctx = two_wards
    wg(ctx, "team new 架空案内WG theme:A(1)", user=FAKE)
    wg(ctx, "team new 若松案内WG theme:A(1)", user=WAKA)
    wg(ctx, "team new カスハラPT kind:PT ward:全市", user=WAKA)
    with ctx.session() as s:
        wards = {t.name: t.ward for t in s.exec(select(Team)).all()}
    assert wards == {"架空案内WG": "架空区", "若松案内WG": "若松区", "カスハラPT": "全市"}


def test_one_ward_never_sees_another_wards_tasks_unless_they_share_a_team(
    two_wards: Ctx,
) -> None:
    ctx = two_wards
    wg(ctx, "team new 架空案内WG theme:A(1)", user=FAKE)
    wg(ctx, "task add 架空区の掲示物を確認する team:架空案内WG due:12/10", user=FAKE)
    wg(ctx, "team new 若松案内WG theme:A(1)", user=WAKA)
    wg(ctx, "task add 若松区の掲示物を確認する team:若松案内WG due:12/10", user=WAKA)

    # By theme: each ward sees its own theme's tasks only (the code means their own A(1)).
    mine = wg(ctx, "task list theme:A(1)", user=WAKA).text
    assert "若松区の掲示物" in mine and "架空区の掲示物" not in mine
    # Another ward's theme named explicitly: its tasks stay hidden from a non-member.
    other = wg(ctx, "task list theme:架空区/A(1)", user=WAKA).text
    assert "架空区の掲示物" not in other
    # By team: refused with a reason, nothing listed.
    refused = wg(ctx, "task list team:架空案内WG", user=WAKA).text
    assert "別の区" in refused and "架空区の掲示物" not in refused

    # Once on the team, they see its work.
    wg(ctx, f"team add 架空案内WG <@{WAKA}>", user=FAKE)
    assert "架空区の掲示物" in wg(ctx, "task list team:架空案内WG", user=WAKA).text
    assert "架空区の掲示物" in wg(ctx, "task list theme:架空区/A(1)", user=WAKA).text


def test_a_city_wide_team_sees_its_own_work_across_wards(two_wards: Ctx) -> None:
    ctx = two_wards
    wg(ctx, "team new カスハラPT kind:PT ward:全市", user=WAKA)
    wg(ctx, f"team add カスハラPT <@{FAKE}>", user=WAKA)
    wg(ctx, "task add 若松区の事例を集める team:カスハラPT theme:A(5) due:12/10", user=WAKA)
    wg(ctx, "task add 架空区の事例を集める team:カスハラPT theme:架空区/A(1) due:12/11", user=FAKE)
    for member in (WAKA, FAKE):
        listed = wg(ctx, "task list team:カスハラPT", user=member).text
        assert "若松区の事例" in listed and "架空区の事例" in listed
    # Staff of a ward who are not on the city-wide team do not see its work.
    with ctx.session() as s:
        s.add(UserPref(user_id=NOBODY, ward="若松区"))
    assert "メンバーにだけ" in wg(ctx, "task list team:カスハラPT", user=NOBODY).text


def test_with_one_ward_nothing_about_the_commands_changes(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    # No staff list, no ward given: the only ward is everybody's.
    wg(ctx, "team new 案内表示WG theme:A(2)", user=NOBODY)
    added = wg(ctx, "task add 掲示物の確認 theme:A(2) due:12/10", user=NOBODY).text
    assert "#1" in added
    assert "掲示物の確認" in wg(ctx, "task list theme:A(2)", user="U0OTHER").text
    assert "掲示物の確認" in wg(ctx, "task list team:案内表示WG", user="U0OTHER").text
    with ctx.session() as s:
        assert s.exec(select(Team)).one().ward == "若松区"


def test_a_theme_button_names_its_ward_so_a_city_team_lead_notes_the_right_one(
    two_wards: Ctx,
) -> None:
    """The 進捗を書く button of 架空区's A(1), pressed by a 若松区 person, writes on 架空区's."""
    ctx = two_wards
    wg(ctx, "team new カスハラPT kind:PT ward:全市 theme:架空区/A(1)", user=WAKA)
    reply = wg(ctx, "theme show 架空区/A(1)", user=WAKA)
    assert reply.blocks is not None
    values = [e["value"] for b in reply.blocks if b["type"] == "actions" for e in b["elements"]]
    assert values == ["theme:架空区/A(1)"]
    target = reminder_actions.note_target(ctx, user=WAKA, value=values[0])
    saved = reminder_actions.save_note(ctx, user=WAKA, ref=target.ref, text="架空区の進捗")
    assert saved.card is not None and saved.card.title == "架空の窓口案内の改善"
    with ctx.session() as s:
        note = s.exec(select(ProgressNote)).one()
        theme = s.get(Theme, note.theme_id)
    assert theme is not None and theme.title == "架空の窓口案内の改善"


def test_another_wards_digest_and_home_are_not_shown_to_a_non_member(two_wards: Ctx) -> None:
    ctx = two_wards
    wg(ctx, "team new 架空案内WG theme:A(1)", user=FAKE)
    wg(ctx, "task add 架空区の掲示物を確認する team:架空案内WG due:11/29", user=FAKE)
    refused = wg(ctx, "digest team:架空案内WG", user=WAKA).text
    assert "別の区" in refused and "架空区の掲示物" not in refused
    assert "架空区の掲示物" in wg(ctx, "digest team:架空案内WG", user=FAKE).text
    home = home_data(ctx, user=WAKA)
    assert not home.tasks and not home.milestones


def test_in_english_the_wards_and_choices_are_listed_the_english_way(two_wards: Ctx) -> None:
    ctx = replace(two_wards, lang="en")
    refused = wg(ctx, "theme show 存在しない区/A(1)", user=WAKA).text
    assert refused.endswith("若松区, 架空区") and "、" not in refused
    asked = wg(ctx, "theme show A(1)", user=NOBODY).text
    assert "`若松区/A(1)`, `架空区/A(1)`" in asked and "、" not in asked


def test_another_wards_theme_is_written_with_its_ward_in_lists(two_wards: Ctx) -> None:
    ctx = two_wards
    wg(ctx, "team new カスハラPT kind:PT ward:全市", user=WAKA)
    added = wg(
        ctx, "task add 架空区の事例を集める team:カスハラPT theme:架空区/A(1)", user=WAKA
    ).text
    assert "架空区/A(1)" in added
    wg(ctx, "task add 若松区の事例を集める team:カスハラPT theme:A(5)", user=WAKA)
    listed = wg(ctx, "task list team:カスハラPT", user=WAKA).text
    assert "架空区/A(1)" in listed and "若松区/A(5)" not in listed and "A(5)" in listed
    wg(ctx, "team new 架空案内WG theme:A(1)", user=FAKE)
    assert "架空区/A(1)" in wg(ctx, "team list", user=WAKA).text


def test_a_note_on_another_wards_theme_is_taken_with_its_ward(two_wards: Ctx) -> None:
    """A city-wide team's member notes another ward's theme by naming it; staff of another
    ward who are on none of a theme's teams may not write its progress."""
    ctx = two_wards
    wg(ctx, "team new カスハラPT kind:PT ward:全市 theme:架空区/A(1)", user=WAKA)
    saved = wg(ctx, "note 架空区/A(1) 全市PTで類型案を共有：第１回", user=WAKA).text
    assert "全市PTで類型案を共有：第１回" in saved
    wg(ctx, "note 若松区／A(2) 若松区の掲示板の撤去を完了", user=WAKA)
    refused = wg(ctx, "note 若松区/A(2) 他区から書いた進捗", user=FAKE).text
    assert "若松区の職員" in refused
    with ctx.session() as s:
        notes = {n.text: s.get(Theme, n.theme_id).title for n in s.exec(select(ProgressNote))}
    assert notes == {
        "全市PTで類型案を共有：第１回": "架空の窓口案内の改善",
        "若松区の掲示板の撤去を完了": "庁舎内の案内表示と市政情報紙の配置の見直し",
    }
