"""Case admins on SQLite and PostgreSQL: one visibility rule, the operator's group, a
release 0.1 designation, refused-attempt alerts, and hostile text in the case form."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from bot.clock import FixedClock
from bot.errors import InvalidInput, NotFound, PermissionDenied
from bot.services import cases
from bot.services.context import Ctx
from storage import cases as store
from storage.models import AuditLog, HarassmentCase, Membership, Team
from tests.factories import wg
from tests.services.test_cases import form

REPORTER, ADMIN, OTHER = "U1", "U9", "U2"
ONLY_ADMINS = "この操作は事例管理者だけができます。"
OPERATOR_SAYS = "事例管理者の追加・解除は運用担当者が wgbot case-admin で行います。"


@pytest.mark.parametrize(
    ("user", "admin", "seen"),
    [
        (REPORTER, False, [1]),  # the reporter: their own case
        (ADMIN, True, [1, 2]),  # a case admin: every case
        (OTHER, False, [2]),  # anyone else: only what they reported
        ("", True, []),  # no user at all sees nothing, whatever the flag says
        ("", False, []),
    ],
)
def test_one_visibility_rule_in_sql(ctx: Ctx, user: str, admin: bool, seen: list[int]) -> None:
    cases.create_case(ctx, user=REPORTER, form=form())
    cases.create_case(ctx, user=OTHER, form=form())
    with ctx.session() as s:
        viewer = store.Viewer(user=user, admin=admin)
        assert sorted(c.id or 0 for c in store.list_cases(s, viewer=viewer)) == seen
        assert store.count_cases(s, viewer=viewer) == len(seen)


def _admin_reads(ctx: Ctx, user: str) -> bool:
    return wg(ctx, "case audit", user=user).text != ONLY_ADMINS


def test_a_removed_admin_sees_only_their_own_cases_at_once(ctx: Ctx) -> None:
    case_id = cases.create_case(ctx, user=REPORTER, form=form()).case.id or 0
    own = cases.create_case(ctx, user=ADMIN, form=form()).case.id or 0
    assert cases.add_case_admins(ctx, users=[ADMIN], actor="operator").changed == [ADMIN]
    assert cases.show_case(ctx, user=ADMIN, case_id=case_id).admin
    assert cases.remove_case_admins(ctx, users=[ADMIN], actor="operator").changed == [ADMIN]
    with pytest.raises(NotFound):
        cases.show_case(ctx, user=ADMIN, case_id=case_id)
    with pytest.raises(NotFound):
        cases.close_case(ctx, user=ADMIN, case_id=case_id)
    for denied in (cases.export_rows, cases.audit_entries):
        with pytest.raises(PermissionDenied):
            denied(ctx, user=ADMIN)
    listed = cases.list_cases(ctx, user=ADMIN)
    assert [c.id for c in listed.cases] == [own] and not listed.admin
    assert cases.case_stats(ctx, user=ADMIN).stats.total == 1
    with ctx.session() as s:
        assert not cases.is_case_admin(s, ADMIN)
        (row,) = s.exec(select(Membership).where(Membership.user_id == ADMIN)).all()
        assert (row.removed_by, row.removed_at) == ("operator", ctx.clock.now())


def _release_designation(ctx: Ctx) -> None:
    """What release 0.1 left: a Slack-made team given the role, members added by its lead."""
    wg(ctx, "team new カスハラPT kind:PT", user=ADMIN)
    wg(ctx, "team add カスハラPT <@U7>", user=ADMIN)
    with ctx.session() as s:
        s.exec(update(Team).where(col(Team.name) == "カスハラPT").values(role="case_admin"))


def test_a_release_designation_keeps_its_admins_and_becomes_operator_managed(ctx: Ctx) -> None:
    _release_designation(ctx)
    assert _admin_reads(ctx, ADMIN) and _admin_reads(ctx, "U7")
    assert wg(ctx, "team add カスハラPT <@U3>", user=ADMIN).text.startswith(OPERATOR_SAYS)
    assert wg(ctx, "team remove カスハラPT <@U7>", user=ADMIN).text.startswith(OPERATOR_SAYS)
    assert not _admin_reads(ctx, "U3") and _admin_reads(ctx, "U7")
    assert [m.user_id for m in cases.list_case_admins(ctx)] == [ADMIN, "U7"]
    # The operator works on that team: no second group is made.
    cases.add_case_admins(ctx, users=["U3"], actor="operator")
    cases.remove_case_admins(ctx, users=["U7"], actor="operator")
    assert _admin_reads(ctx, "U3") and not _admin_reads(ctx, "U7")
    with ctx.session() as s:
        assert [t.name for t in store.case_admin_teams(s)] == ["カスハラPT"]
        assert s.exec(select(Team).where(Team.name == cases.ADMIN_GROUP_NAME)).first() is None


def test_the_group_is_refused_in_english_too(ctx: Ctx) -> None:
    cases.add_case_admins(ctx, users=[ADMIN], actor="operator")
    ctx.lang = "en"
    said = wg(ctx, f"team add {cases.ADMIN_GROUP_NAME} <@U3>", user=ADMIN).text
    assert said.startswith("Case admins are added and removed by the operator with wgbot")


def _refused_alerts(ctx: Ctx, user: str) -> list[str | None]:
    with ctx.session() as s:
        stmt = select(AuditLog).where(AuditLog.actor == user, AuditLog.action == "refused_alert")
        return [a.detail for a in s.exec(stmt).all()]


def test_refused_attempts_are_counted_per_user_within_the_hour(ctx: Ctx) -> None:
    assert isinstance(ctx.clock, FixedClock)
    case_id = cases.create_case(ctx, user=REPORTER, form=form()).case.id or 0
    for _ in range(2):
        with pytest.raises(NotFound):
            cases.show_case(ctx, user=OTHER, case_id=case_id)
    with pytest.raises(PermissionDenied):  # another user's refusal counts for them only
        cases.audit_entries(ctx, user="U3")
    assert _refused_alerts(ctx, OTHER) == [] and _refused_alerts(ctx, "U3") == []
    ctx.clock.advance(timedelta(minutes=59))
    cases.record_refused(ctx, user=OTHER, what="form")
    assert _refused_alerts(ctx, OTHER) == ["count=3"]
    with pytest.raises(PermissionDenied):
        cases.export_rows(ctx, user=OTHER)
    assert _refused_alerts(ctx, OTHER) == ["count=3"]  # once within the hour


def test_refused_history_reads_alert_too(ctx: Ctx) -> None:
    from bot.services.case_history import case_history

    case_id = cases.create_case(ctx, user=REPORTER, form=form()).case.id or 0
    for _ in range(3):
        with pytest.raises(NotFound):
            case_history(ctx, user=OTHER, case_id=case_id)
    assert _refused_alerts(ctx, OTHER) == ["count=3"]


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
@pytest.mark.parametrize("field", ["section", "staff", "what", "response"])
def test_case_form_refuses_control_characters_on_both_backends(
    ctx: Ctx, field: str, char: str
) -> None:
    kept = cases.create_case(ctx, user=REPORTER, form=form()).case
    hostile: dict[str, Any] = {field: f"窓口で{char}怒鳴った"}
    with pytest.raises(InvalidInput) as created:
        cases.create_case(ctx, user=REPORTER, form=form(**hostile))
    with pytest.raises(InvalidInput) as updated:
        cases.update_case(ctx, user=REPORTER, case_id=kept.id or 0, form=form(**hostile))
    for info in (created, updated):
        assert info.value.key == "error.control_char"
    with ctx.session() as s:
        rows = s.exec(select(HarassmentCase)).all()
    assert len(rows) == 1 and rows[0].what_happened == kept.what_happened
    assert rows[0].section == kept.section and rows[0].response == kept.response
