"""`/wg remind`: reminders on/off, quiet hours, a team's reminder days."""

from __future__ import annotations

from bot.commands import Invocation, Reply, command, group_usage, usage
from bot.domain.command import canonical
from bot.domain.reminder_plan import format_days
from bot.render.messages import t
from bot.render.text import esc
from bot.services import prefs
from bot.services.context import Ctx


def _status(ctx: Ctx, settings: prefs.UserSettings) -> str:
    state = t(ctx.lang, "remind.state.on" if settings.reminders_on else "remind.state.off")
    quiet = settings.quiet.label() if settings.quiet else t(ctx.lang, "remind.none")
    return t(ctx.lang, "remind.status", state=state, quiet=quiet)


@command("remind", "on")
def remind_on(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg remind on`."""
    settings = prefs.set_reminders(ctx, user=inv.user, on=True)
    return Reply(text=t(ctx.lang, "remind.on", detail=_status(ctx, settings)))


@command("remind", "off")
def remind_off(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg remind off`."""
    prefs.set_reminders(ctx, user=inv.user, on=False)
    return Reply(text=t(ctx.lang, "remind.off"))


@command("remind", "quiet")
def remind_quiet(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg remind quiet 18:00-08:00` (or `quiet off`)."""
    text = "".join(inv.cmd.words)
    if not text:
        raise usage(inv)
    settings = prefs.set_quiet(ctx, user=inv.user, text=text)
    if settings.quiet is None:
        return Reply(text=t(ctx.lang, "remind.quiet_off"))
    return Reply(text=t(ctx.lang, "remind.quiet_set", quiet=settings.quiet.label()))


@command("remind")
def remind(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg remind` (status) or `/wg remind team:<team> task:3,1,0 milestone:5,0`."""
    opts = inv.cmd.options
    if inv.cmd.words and canonical(inv.cmd.words[0]) in ("停止", "止める", "stop"):
        return remind_off(ctx, inv)
    if inv.cmd.words:
        raise group_usage("remind")
    if "team" not in opts:
        if "task" in opts or "milestone" in opts:
            raise group_usage("remind")
        return Reply(text=_status(ctx, prefs.get_settings(ctx, user=inv.user)))
    if "task" not in opts and "milestone" not in opts:
        shown = prefs.show_team_days(ctx, team_name=opts["team"])
        return Reply(text=_team_text(ctx, "remind.team_show", shown))
    changed = prefs.set_team_days(
        ctx,
        user=inv.user,
        team_name=opts["team"],
        task_days=opts.get("task"),
        milestone_days=opts.get("milestone"),
    )
    return Reply(text=_team_text(ctx, "remind.team_set", changed))


def _team_text(ctx: Ctx, key: str, settings: prefs.TeamSettings) -> str:
    return t(
        ctx.lang,
        key,
        team=esc(settings.team),
        task=format_days(settings.days.task),
        milestone=format_days(settings.days.milestone),
        n=settings.replanned,
    )
