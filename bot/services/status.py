"""A theme's status on the city's scale, confirmed by a lead with a reason."""

from __future__ import annotations

from sqlmodel import select

from bot.domain.text import check_free_text
from bot.errors import InvalidInput, PermissionDenied
from bot.services.context import Ctx
from bot.services.teams import resolve_theme
from storage import queries
from storage.models import Team

SCALE = ("A", "B", "C", "D")
REASON_LIMIT = 1000


def confirm_status(ctx: Ctx, *, user: str, theme_code: str, status: str, reason: str) -> str:
    """Set the confirmed status (A–D) of a theme; only a lead of one of its teams may."""
    status = status.strip().upper()
    if status not in SCALE:
        raise InvalidInput("status.bad")
    reason = check_free_text("reason", reason).strip()
    if not reason:
        raise InvalidInput("status.need_reason")
    if len(reason) > REASON_LIMIT:
        raise InvalidInput("error.too_long", field="理由", limit=REASON_LIMIT, length=len(reason))
    with ctx.session() as s:
        theme = resolve_theme(s, ctx=ctx, code_text=theme_code)
        teams = s.exec(select(Team).where(Team.theme_id == theme.id)).all()
        leads = [
            t
            for t in teams
            if (m := queries.membership(s, team_id=t.id or 0, user_id=user)) and m.is_lead
        ]
        if not leads:
            raise PermissionDenied("error.not_lead", team=teams[0].name if teams else theme.code)
        theme.status, theme.status_reason = status, reason
        theme.status_by, theme.status_at = user, ctx.clock.now()
        return theme.code
