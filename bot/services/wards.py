"""Whose ward is which, and which ward's plan a typed theme code means (DESIGN §11).

A person's ward comes from the operator's staff list, else from their teams (when they
all belong to one ward), else from `/wg me ward:`. With one ward in the database it is
that ward for everyone, so a single-ward deployment works as it always has.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlmodel import Session

from bot.domain.calendar import fiscal_year
from bot.domain.themes import normalize_theme_code
from bot.domain.wards import CITY_WIDE, match_ward, split_theme_ref, theme_ref
from bot.errors import InvalidInput, NotFound
from bot.services.context import Ctx
from storage import queries
from storage import wards as ward_rows
from storage.models import Plan, Theme


def known_wards(s: Session) -> list[str]:
    """Every ward with a plan, in the order their plans were first imported."""
    return ward_rows.wards(s)


def ward_of(s: Session, *, user: str) -> str | None:
    """The user's ward, or None when nothing says it (and the city has several)."""
    return ward_and_source(s, user=user)[0]


def ward_and_source(s: Session, *, user: str) -> tuple[str | None, str]:
    """The user's ward and what says it, first that answers: "staff" (the staff list),
    "team" (their teams other than city-wide ones are of one ward), "own" (`/wg me ward:`),
    "only" (the city has one ward); else (None, "none")."""
    if ward := ward_rows.staff_ward(s, user_id=user):
        return ward, "staff"
    teams = {w for w in ward_rows.team_wards(s, user_id=user) if w and w != CITY_WIDE}
    if len(teams) == 1:
        return teams.pop(), "team"
    if ward := ward_rows.own_ward(s, user_id=user):
        return ward, "own"
    known = ward_rows.wards(s)
    return (known[0], "only") if len(known) == 1 else (None, "none")


def read_ward(s: Session, text: str, *, city_wide: bool = False) -> str:
    """The ward a person typed (`若松`, `若松区`, `全市` when allowed), or InvalidInput."""
    known = ward_rows.wards(s)
    ward = match_ward(text, known)
    if ward is None or (ward == CITY_WIDE and not city_wide):
        raise InvalidInput("error.unknown_ward", ward=text, wards=known or ["—"])
    return ward


def plan_of(s: Session, *, ctx: Ctx, ward: str | None) -> Plan | None:
    """The plan of this fiscal year (else the newest) of a ward, or of the only ward."""
    plans = ward_rows.plans_of_year(s, fiscal_year=fiscal_year(ctx.clock.today()))
    if ward is None:
        return plans[0] if len(plans) == 1 else None
    return next((p for p in plans if p.ward == ward), None)


def user_plan(s: Session, *, ctx: Ctx, user: str | None) -> Plan:
    """The plan a person means by default: their ward's, or the only ward's."""
    plans = ward_rows.plans_of_year(s, fiscal_year=fiscal_year(ctx.clock.today()))
    if not plans:
        raise NotFound("error.no_plan")
    plan = plan_meant(s, plans=plans, user=user)
    if plan is None:
        raise InvalidInput("error.no_ward", wards=[p.ward for p in plans], cmd=ctx.command)
    return plan


def plan_meant(s: Session, *, plans: Sequence[Plan], user: str | None) -> Plan | None:
    """Of one year's plans, the one a person means: the only one, else their ward's."""
    if len(plans) == 1:
        return plans[0]
    ward = ward_of(s, user=user) if user else None
    return next((p for p in plans if p.ward == ward), None)


def theme_refs(
    s: Session,
    *,
    themes: Iterable[Theme],
    reader: str | None = None,
) -> dict[int | None, str]:
    """How each theme is written: its code with one ward; with several, `若松区/A(5)`,
    except the themes of `reader`'s ward, which keep their code.

    With one ward it costs one small query: a reader's ward is looked up only when needed.
    """
    found = list(themes)
    if not found or len(ward_rows.wards(s)) <= 1:
        return {t.id: t.code for t in found}
    seen_from = ward_of(s, user=reader) if reader is not None else None
    plans = ward_rows.plan_wards(s, plan_ids={t.plan_id for t in found})
    return {
        t.id: t.code if plans[t.plan_id] == seen_from else theme_ref(plans[t.plan_id], t.code)
        for t in found
    }


def resolve_theme(s: Session, *, ctx: Ctx, code_text: str, user: str | None = None) -> Theme:
    """The theme `A(2)` (in the person's ward) or `八幡東区/A(2)` names, this fiscal year.

    With one ward, its plan. Otherwise the person's ward's plan; a person with no ward
    gets the theme if only one ward has that code, and is asked which when several do.
    """
    ward_text, code_part = split_theme_ref(code_text)
    code = normalize_theme_code(code_part)
    if code is None:
        raise NotFound("error.theme_not_found", code=code_text, cmd=ctx.command)
    plans = list(ward_rows.plans_of_year(s, fiscal_year=fiscal_year(ctx.clock.today())))
    if not plans:
        raise NotFound("error.no_plan")
    if ward_text is not None:
        ward = read_ward(s, ward_text)
        plans = [p for p in plans if p.ward == ward]
    elif len(plans) > 1 and user:
        mine = ward_of(s, user=user)
        plans = [p for p in plans if p.ward == mine] or plans
    found = [
        theme
        for plan in plans
        if (theme := queries.theme_by_code(s, plan_id=plan.id, code=code)) is not None
    ]
    if not found:
        raise NotFound("error.theme_not_found", code=code_text, cmd=ctx.command)
    if len(found) > 1:
        wards = {p.id: p.ward for p in plans}
        choices = [f"`{theme_ref(wards[t.plan_id], code)}`" for t in found]
        raise InvalidInput("error.theme_ambiguous", code=code, choices=choices)
    return found[0]
