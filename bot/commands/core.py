"""Core commands: help, team, task, note, theme."""

from __future__ import annotations

from datetime import date

from bot.commands import HELP_LINES, REGISTRY, Invocation, Reply, command, usage, usage_key
from bot.domain.command import Token, canonical, parse_id, unquote_name
from bot.domain.dates import (
    ACCEPTED_FORMS_JA,
    DateParseError,
    ParsedDate,
    parse_date,
    show_date,
)
from bot.domain.text import slack_plain
from bot.domain.wards import is_theme_ref
from bot.errors import InvalidInput
from bot.render import core_text, modals
from bot.render.messages import CATALOG, date_error, t
from bot.render.reminder_blocks import theme_blocks
from bot.render.text import esc, user
from bot.services import notes, tasks, teams, themes
from bot.services.context import Ctx


def read_date(
    ctx: Ctx,
    text: str,
    *,
    year_rule: str = "next",
    month_day: str = "last_business",
    after: date | None = None,
) -> ParsedDate:
    """A date in any of the office's forms, or InvalidInput listing them.

    `year_rule` and `month_day` for a date typed without a year or day: see `parse_date`
    (`11/20` as an as-of date typed on 11/29 is this 11/20, not next year's). `after`:
    count from that day instead of today (the end of a range from its start).
    """
    today = after or ctx.clock.today()
    try:
        return parse_date(
            text,
            today=today,
            calendar=ctx.calendar,
            year_rule=year_rule,
            month_day=month_day,
        )
    except DateParseError as exc:
        key, params = date_error(exc, lang=ctx.lang, ref=today)
        raise InvalidInput(key, **params) from None


def read_as_of(ctx: Ctx, inv: Invocation, *, so_far: bool = False) -> date | None:
    """The line's `as-of:<date>` option, or None.

    Without a year, the latest such day up to a few weeks ahead; a month is its last
    day (`so_far`: a note or figure is as of today at the latest).
    """
    text = inv.cmd.options.get("as-of")
    if text is None:
        return None
    month_day = "last_so_far" if so_far else "last"
    return read_date(ctx, text, year_rule="recent", month_day=month_day).value


def read_id(inv: Invocation) -> int:
    """The first word as a `#12` id."""
    if not inv.cmd.words:
        raise usage(inv)
    task_id = parse_id(inv.cmd.words[0])
    if task_id is None:
        raise InvalidInput("error.bad_id", text=inv.cmd.words[0])
    return task_id


@command("help")
def help_(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg help`: every registered command's usage, line by line."""
    lines: dict[str, list[str]] = {line: [] for line in HELP_LINES}
    for key, entry in REGISTRY.items():
        lines[entry.line].append(_help_form(ctx.lang, usage_key(*key)))
    shown = "\n".join(t(ctx.lang, "help.line", forms=" / ".join(f)) for f in lines.values() if f)
    return Reply(text=t(ctx.lang, "help", cmd=ctx.command, commands=shown, forms=ACCEPTED_FORMS_JA))


def _help_form(lang: str, key: str) -> str:
    """`task done <番号>`, with its gloss when the catalogue has one."""
    gloss = key.replace("usage.", "summary.", 1)
    form = f"`{t(lang, key)}`"
    return f"{form} {t(lang, gloss)}" if gloss in CATALOG else form


@command("team", "new", line="team.new")
def team_new(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg team new <name> [kind:WG|PT] [theme:<code>] [ward:<区>|ward:全市] [#channel]`."""
    if not inv.cmd.words and not inv.cmd.options:
        return modal_reply(ctx, inv, modals.team_new_modal(ctx.lang))
    kind = inv.cmd.options.get("kind", "WG")
    name = inv.cmd.free_text(options=("kind", "theme", "ward"), channels=True)
    team = teams.create_team(
        ctx,
        user=inv.user,
        name=unquote_name(name),
        kind=kind,
        theme_code=inv.cmd.options.get("theme"),
        channel_id=inv.cmd.channels[0] if inv.cmd.channels else None,
        ward_text=inv.cmd.options.get("ward"),
    )
    channel = f"<#{team.channel_id}>" if team.channel_id else ""
    extra = t(ctx.lang, "team.channel_extra", channel=channel) if channel else ""
    return Reply(text=t(ctx.lang, "team.created", name=esc(team.name), kind=team.kind, extra=extra))


@command("team", "list")
def team_list(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg team list`."""
    views = teams.list_teams(ctx)
    if not views:
        return Reply(text=t(ctx.lang, "team.none", cmd=ctx.command))
    return Reply(
        text="\n".join(
            [t(ctx.lang, "team.list_header")] + [core_text.team_line(ctx.lang, v) for v in views]
        )
    )


@command("team", "show")
def team_show(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg team show <team>`."""
    if not inv.cmd.words:
        raise usage(inv)
    view = teams.show_team(ctx, name=unquote_name(inv.cmd.free_text()))
    return Reply(text=core_text.team_show(ctx.lang, view))


@command("team", "add")
def team_add(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg team add <team> @user… [lead]`."""
    tokens = inv.cmd.rest(people=True)
    lead = _ends_with(inv, tokens, ("lead", "リーダー"))
    name = unquote_name(inv.cmd.text_of(tokens[:-1] if lead else tokens))
    if not name:
        raise usage(inv)
    team = teams.add_members(ctx, user=inv.user, team_name=name, users=inv.cmd.users, lead=lead)
    return Reply(
        text=t(
            ctx.lang,
            "team.members_added",
            name=esc(team.name),
            users=" ".join(user(u) for u in inv.cmd.users),
        )
    )


@command("team", "remove")
def team_remove(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg team remove <team> @user…` (leads; nothing deleted)."""
    name = unquote_name(inv.cmd.text_of(inv.cmd.rest(people=True)))
    if not name:
        raise usage(inv)
    done = teams.remove_members(ctx, user=inv.user, team_name=name, users=inv.cmd.users)
    lines = []
    if done.removed:
        people = " ".join(user(u) for u in done.removed)
        lines.append(t(ctx.lang, "team.members_removed", name=esc(done.team.name), users=people))
    if done.not_members:
        people = " ".join(user(u) for u in done.not_members)
        lines.append(t(ctx.lang, "team.not_members", name=esc(done.team.name), users=people))
    return Reply(text="\n".join(lines))


@command("task", "add", line="task.add")
def task_add(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg task add <title> [due:<date>] [@assignee] [team:<team>] [theme:<code>] [milestone]`."""
    if not inv.cmd.words and not inv.cmd.options:
        return modal_reply(ctx, inv, modals.task_add_modal(ctx.lang))
    tokens = inv.cmd.rest(options=("due", "team", "theme"), people=True)
    milestone = _ends_with(inv, tokens, ("milestone", "マイルストーン"))
    due_text = inv.cmd.options.get("due")
    due = read_date(ctx, due_text) if due_text else None
    result = tasks.add_task(
        ctx,
        user=inv.user,
        title=inv.cmd.text_of(tokens[:-1] if milestone else tokens),
        due=due,
        assignee=inv.cmd.users[0] if inv.cmd.users else None,
        team_name=inv.cmd.options.get("team"),
        theme_code=inv.cmd.options.get("theme"),
        milestone=milestone,
    )
    text = core_text.task_changed(ctx.lang, "task.added", result.task, result.closed_note)
    return Reply(text="\n".join([text, *_not_mentions(ctx, inv, tokens)]))


def _not_mentions(ctx: Ctx, inv: Invocation, tokens: list[Token]) -> list[str]:
    """Why an `@佐藤` typed in the text assigned no one: Slack sends a mention as `<@U…>`."""
    typed = [inv.cmd.source[tok.start : tok.end] for tok in tokens if tok.kind == "word"]
    names = [w for w in typed if w[:1] in ("@", "＠") and len(w) > 1]
    return [t(ctx.lang, "task.not_a_mention", name=esc(slack_plain(n))) for n in names]


@command("task", "list", line="task.list")
def task_list(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg task list [mine|overdue|team:<team>|theme:<code>]`."""
    scope = inv.cmd.word(0) or "mine"
    if scope not in ("mine", "overdue"):
        raise usage(inv)
    result = tasks.list_tasks(
        ctx,
        user=inv.user,
        scope=scope,
        team_name=inv.cmd.options.get("team"),
        theme_code=inv.cmd.options.get("theme"),
    )
    return Reply(text=core_text.task_list(ctx.lang, result))


@command("task", "done")
def task_done(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg task done <id> [on:<date>]`: `on:` is the day it was completed, if earlier."""
    task_id = read_id(inv)
    on_text = inv.cmd.options.get("on")
    # "recent": 12/1 typed on 11/30 is this 12/1 (refused as after today), not last year's.
    done_on = read_date(ctx, on_text, year_rule="recent").value if on_text else None
    result = tasks.complete_task(ctx, user=inv.user, task_id=task_id, done_on=done_on)
    text = core_text.task_changed(ctx.lang, "task.done", result.task)
    if done_on is not None:
        shown = show_date(done_on, ref=ctx.clock.today(), lang=ctx.lang)
        text += "\n" + t(ctx.lang, "task.done_on", date=shown)
    return Reply(text=text)


@command("task", "due")
def task_due(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg task due <id> <date>`."""
    task_id = read_id(inv)
    date_text = " ".join(inv.cmd.words[1:]) or inv.cmd.options.get("due", "")
    if not date_text:
        raise usage(inv)
    result = tasks.change_due(ctx, user=inv.user, task_id=task_id, due=read_date(ctx, date_text))
    return Reply(
        text=core_text.task_changed(ctx.lang, "task.due_changed", result.task, result.closed_note)
    )


@command("task", "assign")
def task_assign(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg task assign <id> @user`."""
    task_id = read_id(inv)
    if not inv.cmd.users:
        raise usage(inv)
    result = tasks.assign_task(ctx, user=inv.user, task_id=task_id, assignee=inv.cmd.users[0])
    return Reply(
        text=core_text.task_changed(
            ctx.lang, "task.assigned", result.task, user=user(inv.cmd.users[0])
        )
    )


@command("note")
def note(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg note <task-id|theme-code> <text> [as-of:<date>]`."""
    text = inv.cmd.free_text(1, options=("as-of",))
    if not inv.cmd.words or not text:
        raise usage(inv)
    target = inv.cmd.words[0]
    as_of = read_as_of(ctx, inv, so_far=True)
    task_id = parse_id(target)
    if task_id is not None:
        saved = notes.add_task_note(ctx, user=inv.user, task_id=task_id, text=text, as_of=as_of)
    elif is_theme_ref(target):
        saved = notes.add_theme_note(ctx, user=inv.user, theme_code=target, text=text, as_of=as_of)
    else:
        raise usage(inv)
    return Reply(text=core_text.note_saved(ctx.lang, saved, cmd=ctx.command))


@command("note", "fix")
def note_fix(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg note fix <note-id> <text>`: the author corrects a note; the old one is kept."""
    note_id = parse_id(inv.cmd.words[0]) if inv.cmd.words else None
    text = inv.cmd.free_text(1)
    if note_id is None or not text:
        raise usage(inv)
    saved = notes.correct_note(ctx, user=inv.user, note_id=note_id, text=text)
    return Reply(
        text=t(
            ctx.lang,
            "note.fixed",
            old=note_id,
            id=saved.id,
            target=saved.target,
            date=show_date(saved.as_of, ref=saved.today, lang=ctx.lang, weekday=False),
            text=core_text.quote(saved.text),
        )
    )


@command("theme", "list")
def theme_list(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg theme list [ward:<区>]`."""
    found = themes.list_themes(ctx, user=inv.user, ward_text=inv.cmd.options.get("ward"))
    return Reply(text=core_text.theme_list(ctx.lang, found))


@command("theme", "show")
def theme_show(ctx: Ctx, inv: Invocation) -> Reply:
    """`/wg theme show <code>`."""
    if not inv.cmd.words:
        raise usage(inv)
    detail = themes.show_theme(ctx, code=inv.cmd.words[0], user=inv.user)
    text = core_text.theme_show(ctx.lang, detail)
    return Reply(text=text, blocks=theme_blocks(ctx.lang, text, detail.ref or detail.theme.code))


def _ends_with(inv: Invocation, tokens: list[Token], words: tuple[str, ...]) -> bool:
    """Whether the text's last token is one of `words` (a flag such as `milestone`)."""
    return bool(tokens) and canonical(inv.cmd.text_of(tokens[-1:])) in words


def modal_reply(ctx: Ctx, inv: Invocation, view: dict[str, object]) -> Reply:
    """Open a form; without a trigger (the console), show the command's typed form."""
    if not inv.trigger_id:
        form = t(ctx.lang, usage_key(*inv.key))
        if form == " ".join(k for k in inv.key if k):
            # A form-only command (`case new`): repeating it would only fail again.
            return Reply(text=t(ctx.lang, "modal.form_only", usage=f"{ctx.command} {form}"))
        return Reply(text=t(ctx.lang, "modal.no_trigger", usage=f"{ctx.command} {form}"))
    return Reply(text=t(ctx.lang, "modal.opened"), modal=view)
