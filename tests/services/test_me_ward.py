"""`/wg me`: a person's ward and where it comes from; `/wg me ward:<区>` sets their own."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlmodel import select

from bot.domain.staff_file import StaffRow
from bot.services.context import Ctx
from bot.services.staff import import_staff
from bot.services.teams import create_team
from bot.services.wards import ward_of
from storage.models import UserPref
from tests.factories import load_sample_plan, wg
from tests.services.test_staff_import import two_wards


def ward(ctx: Ctx, user: str) -> str | None:
    with ctx.session() as s:
        return ward_of(s, user=user)


def own(ctx: Ctx, user: str) -> str | None:
    with ctx.session() as s:
        pref = s.exec(select(UserPref).where(UserPref.user_id == user)).first()
        return pref.ward if pref else None


def test_one_ward_is_everyones_ward(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    assert wg(ctx, "me", user="U7").text == "あなたの区: *若松区*（この環境の区はひとつだけです）"


def test_no_ward_yet_says_how_to_set_it(ctx: Ctx, tmp_path: Path) -> None:
    two_wards(ctx, tmp_path)
    assert wg(ctx, "me", user="U7").text == (
        "あなたの区はまだ決まっていません。`/wg me ward:&lt;区&gt;` で設定できます"
        "（区: 若松区、架空区）。"
    )


def test_setting_my_ward_is_stored_quoted_and_used(ctx: Ctx, tmp_path: Path) -> None:
    two_wards(ctx, tmp_path)
    assert wg(ctx, "me ward:架空", user="U7").text == "あなたの区を「架空区」に設定しました。"
    assert own(ctx, "U7") == "架空区" and ward(ctx, "U7") == "架空区"
    assert wg(ctx, "me", user="U7").text == (
        "あなたの区: *架空区*（自分で設定）\n"
        "`/wg me ward:&lt;区&gt;` で変えられます（区: 若松区、架空区）。"
    )
    # As typed in Japanese: the alias 区, a full-width colon, a quoted full-width space.
    answer = wg(ctx, "me 区：「若松　区」", user="U7").text
    assert answer == "あなたの区を「若松区」に設定しました。"
    assert ward(ctx, "U7") == "若松区"


def test_an_unknown_ward_lists_the_known_ones_and_changes_nothing(ctx: Ctx, tmp_path: Path) -> None:
    two_wards(ctx, tmp_path)
    wg(ctx, "me ward:架空区", user="U7")
    for typed in ("八幡東区", "全市"):
        answer = wg(ctx, f"me ward:{typed}", user="U7").text
        assert f"「{typed}」という区は見つかりません" in answer
        assert "若松区、架空区" in answer
        assert own(ctx, "U7") == "架空区"
    assert wg(ctx, "me ward:", user="U7").text.startswith("使い方")
    assert wg(ctx, "me 架空区", user="U7").text.startswith("使い方")
    assert own(ctx, "U7") == "架空区"


def test_the_staff_list_comes_first_and_says_so(ctx: Ctx, tmp_path: Path) -> None:
    two_wards(ctx, tmp_path)
    row = StaffRow(row=2, user_id="U7", name="青木 翔", ward="若松区", section="総務企画課")
    import_staff(ctx, rows=[row], by="cli:tester")
    assert wg(ctx, "me", user="U7").text == (
        "あなたの区: *若松区*（職員名簿）\n所属: 総務企画課\n"
        "職員名簿の区が優先されます。名簿の誤りは運用担当者に伝えてください。"
    )
    assert wg(ctx, "me ward:架空区", user="U7").text == (
        "あなたの区を「架空区」に設定しました。ただし職員名簿の区「若松区」が優先されます。"
    )
    assert own(ctx, "U7") == "架空区" and ward(ctx, "U7") == "若松区"


def test_a_ward_from_my_teams(ctx: Ctx, tmp_path: Path) -> None:
    two_wards(ctx, tmp_path)
    create_team(ctx, user="U7", name="架空窓口WG", ward_text="架空区")
    assert wg(ctx, "me", user="U7").text.startswith("あなたの区: *架空区*（チーム）")


def test_english_mode(ctx: Ctx, tmp_path: Path) -> None:
    two_wards(ctx, tmp_path)
    en = replace(ctx, lang="en")
    assert wg(en, "me", user="U7").text == (
        "Your ward is not known yet. Set it with `/wg me ward:&lt;ward&gt;`"
        " (wards: 若松区, 架空区)."
    )
    assert wg(en, "me ward:架空区", user="U7").text == "Your ward is now “架空区”."
    assert wg(en, "me", user="U7").text.startswith("Your ward: *架空区* (set by you)")
    assert "No ward “八幡東区”" in wg(en, "me ward:八幡東区", user="U7").text
    assert "`me [ward:&lt;ward&gt;]` shows or sets your ward" in wg(en, "help").text


def test_help_lists_me(ctx: Ctx) -> None:
    assert "`me [ward:&lt;区&gt;]` 自分の区を表示・設定" in wg(ctx, "help").text


def test_a_ward_from_my_teams_says_me_ward_does_not_change_it(ctx: Ctx, tmp_path: Path) -> None:
    two_wards(ctx, tmp_path)
    create_team(ctx, user="U7", name="架空窓口WG", ward_text="架空区")
    assert wg(ctx, "me", user="U7").text == (
        "あなたの区: *架空区*（チーム）\n"
        "チームの区から決まっています（`/wg me ward:` で設定した区より優先されます）。"
        "違う場合は、運用担当者に職員名簿への登録を頼んでください（名簿の区が最優先です）。"
    )
    en = replace(ctx, lang="en")
    assert "It comes from your teams" in wg(en, "me", user="U7").text


def test_me_offers_me_ward_exactly_when_it_would_change_the_ward(ctx: Ctx, tmp_path: Path) -> None:
    """For every source of a ward, `/wg me` names `me ward:` only if that changes it."""
    two_wards(ctx, tmp_path)
    row = StaffRow(row=2, user_id="U1", name="青木 翔", ward="若松区", section="総務企画課")
    import_staff(ctx, rows=[row], by="cli:tester")  # U1: the staff list
    create_team(ctx, user="U2", name="架空窓口WG", ward_text="架空区")  # U2: a team
    wg(ctx, "me ward:架空区", user="U3")  # U3: set by themselves; U4: nothing yet
    for user in ("U1", "U2", "U3", "U4"):
        offered = "me ward:&lt;" in wg(ctx, "me", user=user).text
        before = ward(ctx, user)
        other = "若松区" if before == "架空区" else "架空区"
        wg(ctx, f"me ward:{other}", user=user)
        assert offered == (ward(ctx, user) == other), user
