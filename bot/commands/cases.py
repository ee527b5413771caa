"""`/wg case new|list|show|edit|history|close|stats|export|audit`: always ephemeral, files by DM."""

from __future__ import annotations

from datetime import date

from bot.commands import Invocation, OutFile, Reply, command, usage
from bot.commands.core import modal_reply, read_date, read_id
from bot.domain.command import canonical
from bot.render import case_chart, case_export
from bot.render import cases_view as view
from bot.render.messages import t
from bot.services import case_history, cases
from bot.services.context import Ctx


@command("case", "new")
def case_new(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg case new`: the private case form."""
    return modal_reply(ctx, inv, view.case_modal(ctx.lang, today=ctx.clock.today()))


@command("case", "edit")
def case_edit(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg case edit <id>`: the form again, filled in (the reporter only)."""
    case = cases.case_for_edit(ctx, user=inv.user, case_id=read_id(inv))
    modal = view.case_modal(ctx.lang, today=ctx.clock.today(), case=case, tz=ctx.clock.tz)
    return modal_reply(ctx, inv, modal)


@command("case", "list")
def case_list(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg case list`: your cases; every case for case admins."""
    result = cases.list_cases(ctx, user=inv.user)
    text = view.case_list_text(
        ctx.lang,
        result.cases,
        ctx.clock.tz,
        admin=result.admin,
        cmd=ctx.command,
        total=result.total,
        today=ctx.clock.today(),
    )
    return Reply(text=text)


@command("case", "show")
def case_show(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg case show <id>`."""
    detail = cases.show_case(ctx, user=inv.user, case_id=read_id(inv))
    text, blocks = view.case_detail(
        ctx.lang,
        detail.case,
        ctx.clock.tz,
        today=ctx.clock.today(),
        edits=detail.edits,
        cmd=ctx.command,
    )
    return Reply(text=text, blocks=blocks)


@command("case", "history")
def case_history_(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg case history <id>`: the earlier versions (reporter and case admins)."""
    case_id = read_id(inv)
    history = case_history.case_history(ctx, user=inv.user, case_id=case_id)
    return Reply(text=view.history_text(ctx.lang, history, ctx.clock.tz, today=ctx.clock.today()))


@command("case", "close")
def case_close(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg case close <id>`: archived with who and when, never deleted."""
    case_id = read_id(inv)
    _, changed = cases.close_case(ctx, user=inv.user, case_id=case_id)
    return Reply(text=t(ctx.lang, "case.closed" if changed else "case.already_closed", id=case_id))


def _stats_range(ctx: Ctx, inv: Invocation) -> tuple[date | None, date | None]:
    opts = inv.cmd.options
    start = (
        read_date(ctx, opts["from"], year_rule="past", month_day="first").value
        if "from" in opts
        else None
    )
    end = None
    if "to" in opts and start is not None:  # the first such day from the start on
        end = read_date(ctx, opts["to"], month_day="last", after=start).value
    elif "to" in opts:
        end = read_date(ctx, opts["to"], year_rule="recent", month_day="last").value
    if start and end and start > end:
        raise usage(inv)
    return start, end


@command("case", "stats")
def case_stats(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg case stats [from:<date>] [to:<date>]`: counts here, a chart by DM."""
    start, end = _stats_range(ctx, inv)
    result = cases.case_stats(ctx, user=inv.user, start=start, end=end)
    text = view.stats_text(
        ctx.lang,
        result.stats,
        admin=result.admin,
        start=result.start,
        end=result.end,
        shown=result.shown,
    )
    files: list[OutFile] = []
    if result.stats.total:
        png = case_chart.stats_png(
            result.stats, title=t(ctx.lang, "case.chart.title"), lang=ctx.lang, shown=result.shown
        )
        files.append(OutFile(f"case_stats_{ctx.clock.today():%Y%m%d}.png", png))
        text += "\n" + t(ctx.lang, "case.stats.chart_sent")
    return Reply(text=text, files=files, file_channel=None)


@command("case", "export")
def case_export_(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg case export [full] [cp932]`: k-anonymised for outside use, or `full` for
    the case admins' own use (pseudonymised); XLSX and CSV by DM (case admins)."""
    words = [canonical(w) for w in inv.cmd.words]  # ＦＵＬＬ and full alike
    encoding = "cp932" if any(w in ("cp932", "sjis", "shift_jis") for w in words) else "utf-8-sig"
    full = any(w in ("full", "内部用") for w in words)
    xlsx_name, csv_name = case_export.file_names(f"{ctx.clock.today():%Y%m%d}", full=full)
    if full:
        rows = cases.export_rows(ctx, user=inv.user)
        files = [
            OutFile(xlsx_name, case_export.export_xlsx(rows)),
            OutFile(csv_name, case_export.export_csv(rows, encoding=encoding)),
        ]
        return Reply(text=t(ctx.lang, "case.export.done_full", rows=len(rows)), files=files)
    outside, left = cases.export_outside(ctx, user=inv.user)
    files = [
        OutFile(xlsx_name, case_export.outside_xlsx(outside)),
        OutFile(csv_name, case_export.outside_csv(outside, encoding=encoding)),
    ]
    text = t(ctx.lang, "case.export.done_outside", rows=len(outside), left=left)
    return Reply(text=text, files=files)


@command("case", "audit")
def case_audit(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg case audit`: the newest audit rows (case admins)."""
    rows = cases.audit_entries(ctx, user=inv.user)
    return Reply(text=view.audit_text(ctx.lang, rows, ctx.clock.tz))
