"""What a person is told when a team's work is not shown to them: another ward's team, or a
city-wide (全市) team they are not on, each said as what it is (both databases)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.services.context import Ctx
from storage.models import UserPref
from tests.factories import load_sample_plan, wg
from tests.services.test_city_report import JAPANESE
from tests.services.test_wards import FAKE, NOBODY, WAKA, two_wards  # noqa: F401


@pytest.fixture
def city_team(two_wards: Ctx) -> Ctx:  # noqa: F811
    """若松区 and 架空区; the city-wide カスハラ全市PT (若松 and 架空 members) with a task, and
    架空区's own WG with a task; NOBODY is 若松区 staff on neither team."""
    ctx = two_wards
    wg(ctx, "team new カスハラ全市PT kind:PT ward:全市", user=WAKA)
    wg(ctx, f"team add カスハラ全市PT <@{FAKE}>", user=WAKA)
    wg(ctx, "task add 事例を集める team:カスハラ全市PT theme:A(5) due:12/10", user=WAKA)
    wg(ctx, "team new 架空案内WG theme:A(1)", user=FAKE)
    wg(ctx, "task add 架空区の掲示物 team:架空案内WG due:12/10", user=FAKE)
    with ctx.session() as s:
        s.add(UserPref(user_id=NOBODY, ward="若松区"))
    return ctx


def test_a_city_wide_team_is_not_called_another_wards_team(city_team: Ctx) -> None:
    refused = wg(city_team, "task list team:カスハラ全市PT", user=NOBODY).text
    assert "全市のチーム「カスハラ全市PT」の作業はメンバーにだけ表示します" in refused
    assert "別の区" not in refused and "事例を集める" not in refused
    digest = wg(city_team, "digest team:カスハラ全市PT", user=NOBODY).text
    assert "全市のチーム「カスハラ全市PT」" in digest and "別の区" not in digest


def test_another_wards_team_is_still_called_so(city_team: Ctx) -> None:
    refused = wg(city_team, "task list team:架空案内WG", user=WAKA).text
    assert "チーム「架空案内WG」は別の区のチームです" in refused
    assert "架空区の掲示物" not in refused


def test_the_city_wide_refusal_in_english(city_team: Ctx) -> None:
    english = replace(city_team, lang="en")
    refused = wg(english, "task list team:カスハラ全市PT", user=NOBODY).text
    assert "City-wide team" in refused and "another ward" not in refused
    assert not JAPANESE.search(refused.replace("カスハラ全市PT", "")), refused


def test_with_one_ward_a_team_is_shown_to_everyone(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    wg(ctx, "team new 案内表示WG theme:A(2)", user=WAKA)
    wg(ctx, "task add 掲示物の確認 team:案内表示WG due:12/10", user=WAKA)
    assert "掲示物の確認" in wg(ctx, "task list team:案内表示WG", user=NOBODY).text
