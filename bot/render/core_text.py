"""Render core answers (tasks, teams, themes) as Slack mrkdwn text."""

from __future__ import annotations

from bot.domain.dates import format_fiscal_year, show_date
from bot.render.fit import MESSAGE_TEXT_LIMIT, cut_lines
from bot.render.messages import paren, t
from bot.render.text import esc, tid, truncate, user
from bot.results import NoteSaved, TaskList, TaskRow, TeamView, ThemeDetail, ThemeList


def due_text(lang: str, row: TaskRow) -> str:
    """`12月10日（火）` (with its year outside this fiscal year), an overdue mark, or 期限なし."""
    if row.due is None:
        return t(lang, "task.no_due")
    mark = f" :warning: {t(lang, 'task.overdue_mark')}" if row.overdue else ""
    return show_date(row.due, ref=row.today, lang=lang) + mark


def task_line(lang: str, row: TaskRow) -> str:
    """One line of a task list."""
    flag = ":triangular_flag_on_post: " if row.kind == "milestone" else ""
    where = " / ".join(esc(x) for x in (row.team, row.theme_code) if x)
    return (
        f"• {tid(row.id)} {flag}{esc(truncate(row.title, 120))} — {due_text(lang, row)}"
        f" — {user(row.assignee)}" + (paren(lang, where) if where else "")
    )


def task_list(lang: str, result: TaskList) -> str:
    """A task list with header and an 'and N more' line."""
    title = t(
        lang,
        f"task.list.{result.scope}",
        team=esc(result.label_param),
        code=esc(result.label_param),
    )
    if not result.rows:
        return t(lang, "task.list_header", title=title, count=0) + "\n" + t(lang, "task.list_empty")
    head = t(lang, "task.list_header", title=title, count=result.total)
    rows = [task_line(lang, r) for r in result.rows]
    unlisted = result.total - len(result.rows)  # beyond the service's LIST_LIMIT
    # Room for the "and N more" line the service's cut needs, even if every row fits.
    reserve = len(t(lang, "task.list_more", more=result.total)) + 1 if unlisted > 0 else 0
    shown = cut_lines(
        rows,
        more=lambda n: t(lang, "task.list_more", more=n + unlisted),
        limit=MESSAGE_TEXT_LIMIT,
        used=len(head) + 1 + reserve,
    )
    if unlisted > 0 and len(shown) == len(rows):
        shown.append(t(lang, "task.list_more", more=unlisted))
    return "\n".join([head, *shown])


def task_changed(lang: str, key: str, row: TaskRow, note: str | None = None, **extra: str) -> str:
    """Confirmation of a task change, with the closed-day note when there is one."""
    kind = t(lang, f"task.kind.{row.kind}")
    text = t(
        lang,
        key,
        kind=kind,
        id=tid(row.id),
        title=quote(row.title),
        team=esc(row.team or "—"),
        due=due_text(lang, row),
        assignee=user(row.assignee),
        theme=t(lang, "task.theme_part", code=esc(row.theme_code)) if row.theme_code else "",
        **extra,
    )
    return text + (f"\n:warning: {note}" if note else "")


def team_line(lang: str, view: TeamView) -> str:
    """One line of the team list."""
    return t(
        lang,
        "team.line",
        name=esc(view.team.name),
        kind=view.team.kind,
        theme=f" {view.theme_code}" if view.theme_code else "",
        people=len(view.leads) + len(view.members),
        open=view.open_tasks,
    )


def team_show(lang: str, view: TeamView) -> str:
    """A team's card."""
    channel = f"<#{view.team.channel_id}>" if view.team.channel_id else "—"
    return t(
        lang,
        "team.show",
        name=esc(view.team.name),
        kind=view.team.kind,
        theme=view.theme_code or "—",
        channel=channel,
        leads=" ".join(user(u) for u in view.leads) or "—",
        members=" ".join(user(u) for u in view.members) or "—",
        open=view.open_tasks,
        overdue=view.overdue_tasks,
    )


def theme_list(lang: str, result: ThemeList) -> str:
    """The plan's themes grouped by area."""
    fy = result.plan.fiscal_year
    label = t(lang, "fmt.fiscal_year", label=format_fiscal_year(fy), fy=fy)
    plan = f"{esc(result.plan.ward)} {label}"
    lines = [t(lang, "theme.list_header", plan=plan)]
    area = ""
    for th in result.themes:
        if th.area != area:
            area = th.area
            lines.append(f"*{area}*")
        lines.append(f"• {th.code} {esc(th.title)}")
    return "\n".join(lines)


def theme_show(lang: str, d: ThemeDetail) -> str:
    """A theme's ①–④ and its current state."""
    th = d.theme
    text = t(
        lang,
        "theme.show",
        code=th.code,
        title=esc(th.title),
        content=esc(truncate(th.content or "—", 400)),
        background=esc(truncate(th.background or "—", 400)),
        approach=esc(truncate(th.approach or "—", 400)),
        teams=", ".join(esc(n) for n in d.teams) or "—",
        open=d.open_tasks,
        overdue=d.overdue_tasks,
    )
    if d.notes:
        text += "\n" + t(lang, "theme.recent_notes")
        text += "".join(
            f"\n• {show_date(n.as_of, ref=d.today, lang=lang)} {esc(truncate(n.text, 200))}"
            + (f"（進捗 #{n.id}）" if lang == "ja" else f" (note #{n.id})")
            for n in d.notes
        )
    return text


def note_saved(lang: str, saved: NoteSaved, *, cmd: str) -> str:
    """「A(2) に進捗 #3 を記録しました（11月28日時点）…」 wherever a note was written."""
    return t(lang, "note.saved", target=saved.target, id=saved.id,
             date=show_date(saved.as_of, ref=saved.today, lang=lang, weekday=False),
             cmd=cmd, text=quote(saved.text))  # fmt: skip


QUOTE_LIMIT = 80


def quote(text: str) -> str:
    """Stored free text as a confirmation quotes it: escaped, cut with "…" past 80 characters."""
    return esc(truncate(text, QUOTE_LIMIT))
