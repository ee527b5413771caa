"""The year-end result (取組結果): each theme's lead gives a final A–D grade with a reason.

In March the leads of themes that have no final grade yet are reminded once a week, on
the first business day of the week at 09:00 (the rule: `bot.domain.reminder_plan.
plan_year_end_grades`, planned by `reminder_planning.plan_year_end`); a theme that gets
its grade has its pending reminders cancelled at once, and at send time too.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.text import check_free_text
from bot.errors import InvalidInput
from bot.services import access, reminder_planning
from bot.services.context import Ctx
from bot.services.status import REASON_LIMIT, SCALE
from bot.services.wards import resolve_theme


@dataclass(frozen=True)
class FinalGrade:
    """What was stored: the theme's code, the grade and the reason as typed."""

    code: str
    grade: str
    reason: str


def set_final_grade(ctx: Ctx, *, user: str, theme_code: str, grade: str, reason: str) -> FinalGrade:
    """Give a theme its year-end grade (A–D) with a reason; only a lead of its teams may."""
    grade = grade.strip().upper()
    if grade not in SCALE:
        raise InvalidInput("final.bad")
    reason = check_free_text("reason", reason)
    if not reason.strip():
        raise InvalidInput("final.need_reason")
    if len(reason) > REASON_LIMIT:
        raise InvalidInput("error.too_long", field="理由", limit=REASON_LIMIT, length=len(reason))
    with ctx.session() as s:
        theme = resolve_theme(s, ctx=ctx, code_text=theme_code, user=user)
        access.require_status_lead(s, theme=theme, user=user)
        theme.final_status, theme.final_reason = grade, reason
        theme.final_by, theme.final_at = user, ctx.clock.now()
        today = ctx.clock.today()
        if today.month == reminder_planning.YEAR_END_MONTH:  # no more asking for it
            s.flush()
            reminder_planning.sync_year_end(s, ctx=ctx, day=today)
        return FinalGrade(theme.code, grade, reason)
