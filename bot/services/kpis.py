"""Indicators of a theme and their recorded values (DESIGN §9 ⑤)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.text import check_free_text
from bot.errors import InvalidInput, NotFound
from bot.services import access
from bot.services.context import Ctx
from bot.services.notes import check_as_of
from bot.services.reports import require_in_theme_year
from bot.services.wards import resolve_theme
from storage.models import Kpi, KpiValue, Theme

NAME_LIMIT = 100
UNIT_LIMIT = 20


@dataclass(frozen=True)
class KpiSaved:
    id: int
    name: str
    unit: str
    theme_code: str
    baseline: float | None = None
    target: float | None = None
    value: float | None = None
    as_of: date | None = None


def add_kpi(
    ctx: Ctx,
    *,
    user: str,
    theme_code: str,
    name: str,
    unit: str = "",
    baseline: float | None = None,
    target: float | None = None,
) -> KpiSaved:
    """Register an indicator on a theme; the target may be above or below the baseline."""
    name = check_free_text("name", name).strip()
    check_free_text("unit", unit)
    if len(unit) > UNIT_LIMIT:
        raise InvalidInput("error.too_long", field="単位", limit=UNIT_LIMIT, length=len(unit))
    if not name:
        raise InvalidInput("error.usage", usage_keys=("usage.kpi.add",))
    if len(name) > NAME_LIMIT:
        raise InvalidInput("error.too_long", field="指標名", limit=NAME_LIMIT, length=len(name))
    with ctx.session() as s:
        theme = resolve_theme(s, ctx=ctx, code_text=theme_code, user=user)
        access.require_theme_member(s, theme=theme, user=user)
        kpi = Kpi(
            theme_id=theme.id or 0,
            name=name,
            unit=unit,
            baseline=baseline,
            target=target,
            created_by=user,
            created_at=ctx.clock.now(),
        )
        s.add(kpi)
        s.flush()
        return KpiSaved(kpi.id or 0, name, kpi.unit, theme.code, baseline, target)


def set_kpi(
    ctx: Ctx, *, user: str, kpi_id: int, value: float, as_of: date | None = None
) -> KpiSaved:
    """Record a value of an indicator as of a date within the plan's fiscal year."""
    check_as_of(ctx, as_of)
    with ctx.session() as s:
        kpi = s.get(Kpi, kpi_id)
        if kpi is None:
            raise NotFound("kpi.not_found", id=kpi_id)
        theme = s.get(Theme, kpi.theme_id)
        assert theme is not None
        access.require_theme_member(s, theme=theme, user=user)
        when = as_of or ctx.clock.today()
        require_in_theme_year(s, theme_id=theme.id, day=when)  # the same rule as notes
        s.add(
            KpiValue(
                kpi_id=kpi_id,
                value=value,
                as_of=when,
                recorded_by=user,
                recorded_at=ctx.clock.now(),
            )
        )
        return KpiSaved(kpi_id, kpi.name, kpi.unit, theme.code, value=value, as_of=when)
