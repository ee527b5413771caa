"""Commands for the digest, the month-end report, indicators and theme status."""

from __future__ import annotations

from bot.commands import Invocation, OutFile, Reply, command, usage
from bot.commands.core import read_as_of, read_id
from bot.domain.command import drop_option_name
from bot.domain.dates import show_date
from bot.domain.numbers import format_number, parse_number
from bot.domain.report import STATUS_LABELS
from bot.errors import InvalidInput
from bot.render.core_text import quote
from bot.render.digest_view import digest_text
from bot.render.messages import as_of_text, t
from bot.render.text import esc
from bot.services import digests, kpis, status, year_end
from bot.services.context import Ctx
from bot.services.reports import build_city_files, build_files


def _number(text: str | None) -> float | None:
    if text is None or text == "":
        return None
    value = parse_number(text)
    if value is None:
        raise InvalidInput("kpi.bad_number", text=text)
    return value


@command("digest", line="reports")
def digest(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg digest [team:<team>] [week:<date>]`: this week's digest, only to you."""
    d = digests.preview(
        ctx, user=inv.user, team_name=inv.cmd.options.get("team"), week=inv.cmd.options.get("week")
    )
    return Reply(text=digest_text(ctx.lang, d))


def _with_unit(value: float | None, unit: str) -> str:
    """`30%`, or `—` alone when there is no value."""
    return f"{format_number(value)}{esc(unit)}" if value is not None else "—"


@command("kpi", "add", line="reports")
def kpi_add(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg kpi add <theme> <name> unit:<u> baseline:<v> target:<v>`."""
    name = inv.cmd.free_text(1, options=("unit", "baseline", "target"))
    if not inv.cmd.words or not name:
        raise usage(inv)
    opts = inv.cmd.options
    saved = kpis.add_kpi(
        ctx,
        user=inv.user,
        theme_code=inv.cmd.words[0],
        name=name,
        unit=inv.cmd.raw_options.get("unit", ""),
        baseline=_number(opts.get("baseline")),
        target=_number(opts.get("target")),
    )
    return Reply(
        text=t(
            ctx.lang,
            "kpi.added",
            code=saved.theme_code,
            id=saved.id,
            name=quote(saved.name),
            baseline=_with_unit(saved.baseline, saved.unit),
            target=_with_unit(saved.target, saved.unit),
        )
    )


@command("kpi", "set", line="reports")
def kpi_set(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg kpi set <kpi> <value> [as-of:<date>]`."""
    kpi_id = read_id(inv)
    if len(inv.cmd.words) < 2:
        raise usage(inv)
    value = _number(inv.cmd.words[1])
    assert value is not None
    as_of = read_as_of(ctx, inv, so_far=True)
    saved = kpis.set_kpi(ctx, user=inv.user, kpi_id=kpi_id, value=value, as_of=as_of)
    return Reply(
        text=t(
            ctx.lang,
            "kpi.set",
            id=saved.id,
            name=esc(saved.name),
            value=format_number(saved.value),
            unit=esc(saved.unit),
            date=(
                show_date(saved.as_of, ref=ctx.clock.today(), lang=ctx.lang) if saved.as_of else ""
            ),
        )
    )


@command("theme", "status")
def theme_status(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg theme status <code> <A|B|C|D> reason:<理由>` (a lead confirms the status);
    `/wg theme status <code> final:<A-D> <理由>` gives the year-end grade (取組結果)."""
    if "final" in inv.cmd.options and inv.cmd.words:
        return _final_grade(ctx, inv)
    if len(inv.cmd.words) < 2:
        raise usage(inv)
    # Everything after the status letter is the reason, `reason:` or 理由： dropped.
    reason = drop_option_name(inv.cmd.free_text(2), "reason").strip()
    code = status.confirm_status(
        ctx, user=inv.user, theme_code=inv.cmd.words[0], status=inv.cmd.words[1], reason=reason
    )
    value = inv.cmd.words[1].strip().upper()
    return Reply(
        text=t(
            ctx.lang,
            "status.set",
            code=code,
            status=value,
            label=t(ctx.lang, f"status.label.{value}") if value in STATUS_LABELS else value,
            reason=quote(reason),
        )
    )


def _final_grade(ctx: Ctx, inv: Invocation) -> Reply:
    """The year-end grade: everything after the code but `final:` is the reason, as typed."""
    reason = drop_option_name(inv.cmd.free_text(1, options=("final",)), "reason").strip()
    grade = inv.cmd.options["final"]
    saved = year_end.set_final_grade(
        ctx, user=inv.user, theme_code=inv.cmd.words[0], grade=grade, reason=reason
    )
    label = t(ctx.lang, f"status.label.{saved.grade}")
    text = t(
        ctx.lang,
        "final.set",
        code=saved.code,
        status=saved.grade,
        label=label,
        reason=quote(saved.reason),
    )
    return Reply(text=text)


def _where(ctx: Ctx) -> str:
    channel = ctx.report_channel
    if channel:
        return t(ctx.lang, "report.sent_channel", channel=f"<#{channel}>")
    return t(ctx.lang, "report.sent_dm")


@command("report", line="reports")
def report(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg report [ward:<区>] [as-of:<date>] [format:md,docx,xlsx,csv,png]`: files by DM (or
    the report channel); your ward's report; `ward:` names another (city planning staff only)."""
    as_of = read_as_of(ctx, inv)
    asked = inv.cmd.options.get("format", "md,docx,xlsx,png")
    formats = tuple(f.strip().lower() for f in asked.replace("、", ",").split(",") if f.strip())
    built = build_files(
        ctx,
        as_of=as_of,
        formats=formats or ("md", "docx", "xlsx", "png"),
        group_by=inv.cmd.options.get("group-by", "area"),
        ward=inv.cmd.options.get("ward"),
        user=inv.user,
    )
    files = [OutFile(name, data, name) for name, data in built.files.items()]
    return Reply(
        text=t(
            ctx.lang,
            "city.ward_done" if built.several_wards else "report.done",
            ward=esc(built.report.ward),
            as_of=as_of_text(ctx.lang, built.report.as_of, built.report.as_of_label),
            themes=sum(len(g.sections) for g in built.report.groups),
            missing=len(built.report.themes_without_note),
            where=_where(ctx),
        ),
        files=files,
        file_channel=ctx.report_channel,
    )


@command("report", "city", line="reports")
def report_city(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg report city [as-of:<date>]`: every ward side by side (city planning staff only)."""
    as_of = read_as_of(ctx, inv)
    built = build_city_files(ctx, as_of=as_of, user=inv.user)
    city = built.city
    files = [OutFile(name, data, name) for name, data in built.files.items()]
    return Reply(
        text=t(
            ctx.lang,
            "city.done",
            as_of=as_of_text(ctx.lang, city.as_of, city.as_of_label),
            wards=len(city.wards),
            themes=len(city.rows),
            missing=sum(1 for r in city.rows if not r.noted_this_month),
            where=_where(ctx),
        ),
        files=files,
        file_channel=ctx.report_channel,
    )
