"""A theme's status on the city's scale, confirmed by a lead with a reason."""

from __future__ import annotations

from bot.domain.text import check_free_text
from bot.errors import InvalidInput
from bot.services import access
from bot.services.context import Ctx
from bot.services.wards import resolve_theme

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
        theme = resolve_theme(s, ctx=ctx, code_text=theme_code, user=user)
        access.require_status_lead(s, theme=theme, user=user)
        theme.status, theme.status_reason = status, reason
        theme.status_by, theme.status_at = user, ctx.clock.now()
        return theme.code
