"""The year-end result (取組結果): each theme's lead gives a final A–D grade with a reason.

In March the leads of themes that have no final grade yet are reminded once a week, on
the first business day of the week at 09:00 (the rule: `bot.domain.reminder_plan.
plan_year_end_grades`, planned by `reminder_planning.plan_year_end`); a theme that gets
its grade has its pending reminders cancelled at once, and at send time too.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.services import reminder_planning
from bot.services.context import Ctx
from bot.services.status import read_grade, record_lead_grade
from storage import grades


@dataclass(frozen=True)
class FinalGrade:
    """What was stored: the theme's code, the grade and the reason as typed."""

    code: str
    grade: str
    reason: str


def set_final_grade(ctx: Ctx, *, user: str, theme_code: str, grade: str, reason: str) -> FinalGrade:
    """Give a theme its year-end grade (A–D) with a reason; only a lead of its teams may."""
    grade, reason = read_grade(grade, reason, keys="final", strip=False)
    with ctx.session() as s:
        theme = record_lead_grade(
            s, ctx=ctx, user=user, theme_code=theme_code, kind=grades.FINAL, grade=grade,
            reason=reason,
        )  # fmt: skip
        today = ctx.clock.today()
        if today.month == reminder_planning.YEAR_END_MONTH:  # no more asking for it
            s.flush()
            reminder_planning.sync_year_end(s, ctx=ctx, day=today)
        return FinalGrade(theme.code, grade, reason)
