"""A theme's status on the city's scale, confirmed by a lead with a reason."""

from __future__ import annotations

from sqlmodel import Session

from bot.domain.text import check_free_text
from bot.errors import InvalidInput
from bot.services import access
from bot.services.context import Ctx
from bot.services.wards import resolve_theme
from storage import grades
from storage.models import Theme

SCALE = ("A", "B", "C", "D")
REASON_LIMIT = 1000


def read_grade(grade: str, reason: str, *, keys: str, strip: bool) -> tuple[str, str]:
    """A grade on the scale and its reason, checked (`<keys>.bad`, `<keys>.need_reason`):
    the reason stripped when `strip`, else kept as typed."""
    grade = grade.strip().upper()
    if grade not in SCALE:
        raise InvalidInput(f"{keys}.bad")
    reason = check_free_text("reason", reason)
    if strip:
        reason = reason.strip()
    if not reason.strip():
        raise InvalidInput(f"{keys}.need_reason")
    if len(reason) > REASON_LIMIT:
        raise InvalidInput("error.too_long", field="理由", limit=REASON_LIMIT, length=len(reason))
    return grade, reason


def record_lead_grade(
    s: Session, *, ctx: Ctx, user: str, theme_code: str, kind: str, grade: str, reason: str
) -> Theme:
    """The theme `theme_code` names, graded by one of its teams' leads (else refused); the
    grade is kept beside the earlier ones, so a report of an earlier day still shows what
    stood then. One home for the month's status and the year-end grade."""
    theme = resolve_theme(s, ctx=ctx, code_text=theme_code, user=user)
    access.require_status_lead(s, theme=theme, user=user)
    grades.record(
        s, theme=theme, kind=kind, grade=grade, reason=reason, by=user, at=ctx.clock.now()
    )
    return theme


def confirm_status(ctx: Ctx, *, user: str, theme_code: str, status: str, reason: str) -> str:
    """Set the confirmed status (A–D) of a theme; only a lead of one of its teams may."""
    status, reason = read_grade(status, reason, keys="status", strip=True)
    with ctx.session() as s:
        theme = record_lead_grade(
            s, ctx=ctx, user=user, theme_code=theme_code, kind=grades.STATUS, grade=status,
            reason=reason,
        )  # fmt: skip
        return theme.code
