"""`/wg me`: which ward the bot takes you for and why; `/wg me ward:<区>` sets your own."""

from __future__ import annotations

from bot.commands import Invocation, Reply, command, usage
from bot.render.messages import joined, t
from bot.render.text import esc
from bot.services import staff
from bot.services.context import Ctx


@command("me")
def me(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg me` (your ward and where it comes from) or `/wg me ward:<区>` (set your own)."""
    if inv.cmd.words or set(inv.cmd.options) - {"ward"}:
        raise usage(inv)
    if "ward" not in inv.cmd.options:
        return Reply(text=_shown(ctx, staff.my_ward(ctx, user=inv.user)))
    text = inv.cmd.options["ward"].strip()
    if not text:
        raise usage(inv)
    mine = staff.set_my_ward(ctx, user=inv.user, text=text)
    answer = t(ctx.lang, "me.set", ward=esc(mine.own or ""))
    if mine.ward != mine.own and mine.source in ("staff", "team"):
        answer += t(ctx.lang, f"me.own_ignored.{mine.source}", ward=esc(mine.ward or ""))
    return Reply(text=answer)


def _shown(ctx: Ctx, mine: staff.MyWard) -> str:
    wards = esc(joined(ctx.lang, list(mine.wards))) or "—"
    if mine.ward is None:
        return t(ctx.lang, "me.none", cmd=ctx.command, wards=wards)
    source = t(ctx.lang, f"me.source.{mine.source}")
    lines = [t(ctx.lang, "me.ward", ward=esc(mine.ward), source=source)]
    if mine.section:
        lines.append(t(ctx.lang, "me.section", section=esc(mine.section)))
    if how := _how_to_change(mine):
        lines.append(t(ctx.lang, how, cmd=ctx.command, wards=wards))
    return "\n".join(lines)


def _how_to_change(mine: staff.MyWard) -> str | None:
    """What changes the ward, as ward_of ranks its sources: `me ward:` only where it wins."""
    if mine.source == "staff":  # the operator's list comes first
        return "me.staff_wins"
    if mine.source == "team":  # a team's ward comes before one's own setting
        return "me.team_wins"
    if mine.source == "own" and len(mine.wards) > 1:
        return "me.change"
    return None  # the only ward of the city: nothing to change it to
