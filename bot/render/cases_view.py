"""The case modal and the texts of the case log (ephemeral answers and DMs only)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    InputInteractiveElement,
    NumberInputElement,
    Option,
    StaticMultiSelectElement,
    StaticSelectElement,
    TimePickerElement,
)

from bot.domain import cases as rules
from bot.domain.case_privacy import TOTAL, Shown
from bot.domain.dates import show_date
from bot.domain.masking import describe
from bot.render import blocks as kit
from bot.render import modals
from bot.render.blocks import option
from bot.render.fit import split_text
from bot.render.messages import date_label, joined, t, t_plain
from bot.render.modals import input_block, modal, text_input
from bot.render.text import esc, user

if TYPE_CHECKING:
    from bot.results import History
    from storage.models import AuditLog, HarassmentCase

CASE_MODAL = "case_form"
ACTION_CLOSE = "case_close"
LIMITS = {
    "section": rules.SECTION_LIMIT,
    "staff": rules.STAFF_LIMIT,
    "what": rules.TEXT_LIMIT,
    "response": rules.TEXT_LIMIT,
}


def _options(table: Mapping[str, tuple[str, str]], lang: str) -> list[Option]:
    return [option(rules.label(table, c, lang), c) for c in table]


def _chosen(options: list[Option], values: Sequence[str]) -> list[Option] | None:
    """The options whose value is among `values` (None when none is, so the key is left out)."""
    return [o for o in options if o.value in values] or None


def _number(maximum: int, initial: int | None) -> NumberInputElement:
    """A whole number from 1 to `maximum`."""
    return NumberInputElement(
        is_decimal_allowed=False,
        min_value="1",
        max_value=str(maximum),
        initial_value=None if initial is None else str(initial),
    )


def _elements(
    lang: str, case: HarassmentCase | None, tz: ZoneInfo | None, today: date
) -> dict[str, InputInteractiveElement]:
    """The form's pickers, selects and numbers, prefilled from `case` when editing."""
    places, kinds = _options(rules.PLACES, lang), _options(rules.KINDS, lang)
    flags = [
        option(t(lang, "case.field.police"), "police"),
        option(t(lang, "case.field.follow_up"), "follow_up"),
    ]
    # 「このまま保存する」: ticked, a name warning does not stop saving (and is audited).
    names = [option(t(lang, "case.field.names_ok_option"), "names_ok")]
    edit = case if case is not None and case.occurred_at is not None else None
    local = None
    if edit is not None and edit.occurred_at is not None:
        local = edit.occurred_at.astimezone(tz) if tz else edit.occurred_at
    ticked = [k for k in ("police", "follow_up") if edit and getattr(edit, k)]
    return {
        "date": DatePickerElement(initial_date=(local.date() if local else today).isoformat()),
        "time": TimePickerElement(initial_time=local.strftime("%H:%M") if local else None),
        "place": StaticSelectElement(
            options=places,
            initial_option={o.value: o for o in places}.get(edit.place if edit else ""),
        ),
        "kinds": StaticMultiSelectElement(
            options=kinds, initial_options=_chosen(kinds, edit.kinds.split(",") if edit else [])
        ),
        "minutes": _number(rules.MAX_MINUTES, edit.minutes if edit else None),
        "staff_count": _number(rules.MAX_STAFF, edit.staff_count if edit else 1),
        "flags": CheckboxesElement(options=flags, initial_options=_chosen(flags, ticked)),
        "names_ok": CheckboxesElement(options=names),
    }


def case_modal(
    lang: str, *, today: date, case: HarassmentCase | None = None, tz: ZoneInfo | None = None
) -> dict[str, Any]:
    """The form behind `/wg case new` (or `case edit <id>`, prefilled)."""
    els = _elements(lang, case, tz, today)
    init: dict[str, str] = {}
    if case is not None and case.occurred_at is not None:
        init = {
            "section": case.section,
            "staff": case.staff_involved or "",
            "what": case.what_happened,
            "response": case.response or "",
        }

    def f(key: str) -> str:
        return t(lang, f"case.field.{key}")

    def text(name: str, *, optional: bool = False, hint: str | None = None) -> InputBlock:
        return text_input(
            name,
            f(name),
            optional=optional,
            multiline=LIMITS[name] > rules.STAFF_LIMIT,
            max_length=LIMITS[name],
            initial=init.get(name),
            hint=f(hint) if hint else None,
        )

    def pick(name: str, *, optional: bool = False) -> InputBlock:
        return input_block(name, f(name), els[name], optional=optional)

    blocks = [
        ContextBlock(elements=[kit.mrkdwn(t(lang, "case.modal.intro"))]),
        pick("date"),
        pick("time"),
        pick("place"),
        text("section"),
        pick("kinds"),
        pick("minutes"),
        pick("staff_count"),
        text("staff", optional=True, hint="staff_hint"),
        text("what", hint="what_hint"),
        text("response", optional=True),
        pick("flags", optional=True),
        pick("names_ok", optional=True),
    ]
    meta = json.dumps({"case_id": case.id}) if case is not None else ""
    return modal(CASE_MODAL, t(lang, "case.modal.title"), blocks, lang, private_metadata=meta)


def read_metadata(raw: object) -> tuple[bool, int | None]:
    """(ok, case_id to edit) from private_metadata; ok is False for anything unexpected."""
    if raw in (None, ""):
        return True, None
    try:
        data = json.loads(str(raw))
    except ValueError:
        return False, None
    if not isinstance(data, dict) or set(data) != {"case_id"}:
        return False, None
    case_id = data["case_id"]
    if isinstance(case_id, bool) or not isinstance(case_id, int) or case_id < 1:
        return False, None
    return True, case_id


def field_errors(lang: str, errors: Mapping[str, str]) -> dict[str, str]:
    """Message keys per field -> `response_action: errors` texts."""
    return modals.field_errors(
        lang, errors, {name: {"limit": LIMITS.get(name, "")} for name in errors}
    )


def name_errors(lang: str, named: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """The name warning under each field holding a name pattern (`response_action: errors`)."""
    return {
        field: t_plain(lang, "case.err.name", names="、".join(words[:3]))[:150]
        for field, words in named.items()
    }


def saved_text(lang: str, case_id: int | None, masked: Mapping[str, int], *, edited: bool) -> str:
    """Confirmation for the reporter, with what was masked."""
    text = t(lang, "case.updated" if edited else "case.saved", id=case_id)
    if masked:
        text += "\n" + t(lang, "case.masked", what=describe(dict(masked)))
    return text


def _when(lang: str, at: datetime | None, tz: ZoneInfo, today: date) -> str:
    assert at is not None  # occurred_at is required; closed_at is checked by the caller
    local = at.astimezone(tz)
    return f"{show_date(local.date(), ref=today, lang=lang)} {local:%H:%M}"


def _kinds(lang: str, codes: str | Sequence[str]) -> str:
    items = codes.split(",") if isinstance(codes, str) else codes
    return joined(lang, [rules.label(rules.KINDS, k, lang) for k in items if k], dot=True)


def _status(lang: str, status: str) -> str:
    return t(lang, f"case.status.{status}")


def case_line(lang: str, c: HarassmentCase, tz: ZoneInfo, *, admin: bool, today: date) -> str:
    """One line of `case list` (no free text)."""
    who = f" {user(c.reporter)}" if admin else ""
    when = _when(lang, c.occurred_at, tz, today)
    return (
        f"#{c.id} {when} {rules.label(rules.PLACES, c.place, lang)} {esc(c.section)}"
        f" {_kinds(lang, c.kinds)} {t(lang, 'fmt.minutes', n=c.minutes)}"
        f" [{_status(lang, c.status)}]{who}"
    )


def case_list_text(
    lang: str,
    cases: Sequence[HarassmentCase],
    tz: ZoneInfo,
    *,
    admin: bool,
    cmd: str,
    total: int | None = None,
    today: date,
) -> str:
    """The answer to `case list`, ending with how many older cases were left out."""
    if not cases:
        return t(lang, "case.list.none", cmd=cmd)
    head = t(lang, "case.list.all" if admin else "case.list.own")
    lines = [head] + [case_line(lang, c, tz, admin=admin, today=today) for c in cases]
    left_out = (total or 0) - len(cases)
    if left_out > 0:
        lines.append(t(lang, "case.list.more", more=left_out, cmd=cmd))
    return "\n".join(lines)


def case_detail(
    lang: str, c: HarassmentCase, tz: ZoneInfo, *, today: date, edits: int = 0, cmd: str = "/wg"
) -> tuple[str, list[dict[str, Any]]]:
    """The answer to `case show`: every field escaped, and a close button while open."""
    yes_no = {True: t(lang, "case.yes"), False: t(lang, "case.no")}
    rows = [
        ("when", _when(lang, c.occurred_at, tz, today)),
        ("place", rules.label(rules.PLACES, c.place, lang)),
        ("section", esc(c.section)),
        ("kinds", _kinds(lang, c.kinds)),
        ("minutes", t(lang, "case.minutes", minutes=c.minutes, staff=c.staff_count)),
        ("staff", esc(c.staff_involved or "—")),
        ("what", esc(c.what_happened)),
        ("response", esc(c.response or "—")),
        ("police", yes_no[bool(c.police)]),
        ("follow_up", yes_no[bool(c.follow_up)]),
        ("reporter", user(c.reporter)),
    ]
    lines = [t(lang, "case.show.title", id=c.id, status=_status(lang, c.status))]
    if edits:
        lines.append(t(lang, "case.show.edited", n=edits, cmd=cmd, id=c.id))
    if c.disposed_at is not None:
        lines.append(t(lang, "case.show.disposed", when=_when(lang, c.disposed_at, tz, today)))
    lines += [f"*{t(lang, f'case.show.{k}')}*: {v}" for k, v in rows]
    if c.closed_at is not None:
        when = _when(lang, c.closed_at, tz, today)
        lines.append(t(lang, "case.show.closed_by", who=user(c.closed_by), when=when))
    text = "\n".join(lines)
    # The whole record, over as many sections as it needs: a field is never cut.
    blocks: list[Block] = [kit.section(chunk) for chunk in split_text(lines)]
    if c.status == rules.OPEN:
        close = t(lang, "case.button.close")
        blocks.append(kit.actions(kit.button(close, action_id=ACTION_CLOSE, value=str(c.id))))
    return text, kit.to_dicts(blocks)


def stats_text(
    lang: str,
    stats: rules.CaseStats,
    *,
    admin: bool,
    start: date | None,
    end: date | None,
    shown: Shown | None = None,
) -> str:
    """The answer to `case stats`: counts only (cells under 3 as 「3件未満」), never free text."""
    hidden = shown or Shown(stats, frozenset())
    small = t(lang, "case.stats.small")
    lines = [t(lang, "case.stats.header_all" if admin else "case.stats.header_own")]
    if start or end:
        # The one date formatter, with the year (a period is read with no "today").
        first, last = (date_label(lang, d) if d else "" for d in (start, end))
        lines.append(t(lang, "case.stats.range", start=first, end=last))
    if not stats.total:
        return "\n".join([*lines, t(lang, "case.stats.none")])
    total_hidden = hidden.is_hidden(*TOTAL)
    lines.append(
        t(
            lang,
            "case.stats.total_small" if total_hidden else "case.stats.total",
            total=small if total_hidden else stats.total,
            minutes=stats.minutes,
            hours=stats.staff_hours,
        )
    )
    groups = [
        ("by_month", stats.by_month, lambda k: k),
        ("by_kind", stats.by_kind, lambda k: rules.label(rules.KINDS, k, lang)),
        ("by_place", stats.by_place, lambda k: rules.label(rules.PLACES, k, lang)),
        ("by_section", stats.by_section, esc),
    ]
    for key, counts, name in groups:
        cells = [f"{name(k)} {small if hidden.is_hidden(key, k) else n}" for k, n in counts.items()]
        lines.append(f"*{t(lang, f'case.stats.{key}')}*: {joined(lang, cells)}")
    if hidden.hidden:
        lines.append(t(lang, "case.stats.small_note"))
    return "\n".join(lines)


def history_text(lang: str, history: History, tz: ZoneInfo, *, today: date) -> str:
    """The answer to `case history`: each earlier version, who replaced it, when, what it held."""
    c = history.case
    if not history.versions:
        return t(lang, "case.history.none", id=c.id)
    lines = [t(lang, "case.history.header", id=c.id, n=len(history.versions))]
    for v in history.versions:
        fields = [_field_name(lang, f) for f in v.before]
        when = _when(lang, v.edited_at, tz, today)
        lines.append(
            t(
                lang,
                "case.history.version",
                n=v.number,
                next=v.number + 1,
                who=user(v.edited_by),
                when=when,
                fields=joined(lang, fields),
            )
        )
        for f, value in v.before.items():
            shown_value = _version_value(lang, f, value, tz, today)
            lines.append(
                t(lang, "case.history.before", field=_field_name(lang, f), value=shown_value)
            )
    return "\n".join(lines)


# case_version field -> the `case.show.*` label it is shown under
_FIELD_LABEL = {
    "occurred_at": "when",
    "staff_involved": "staff",
    "what_happened": "what",
    "minutes": "minutes",
    "staff_count": "minutes",
}


def _field_name(lang: str, field: str) -> str:
    if field == "staff_count":
        return t(lang, "case.field.staff_count")
    return t(lang, f"case.show.{_FIELD_LABEL.get(field, field)}")


def _version_value(lang: str, field: str, value: Any, tz: ZoneInfo, today: date) -> str:
    if value is None and field in ("what_happened", "response", "staff_involved", "section"):
        return t(lang, "case.history.scrubbed")
    if field == "occurred_at" and isinstance(value, str):
        return _when(lang, datetime.fromisoformat(value), tz, today)
    if field == "place":
        return rules.label(rules.PLACES, str(value), lang)
    if field == "kinds":
        return _kinds(lang, str(value))
    if isinstance(value, bool):
        return t(lang, "case.yes" if value else "case.no")
    return esc(str(value if value not in (None, "") else "—"))


def audit_text(lang: str, rows: Sequence[AuditLog], tz: ZoneInfo) -> str:
    """The answer to `case audit`: who did what to which case, when."""
    lines = [t(lang, "case.audit.header", n=len(rows))]
    for r in rows:
        assert r.at is not None
        at = r.at.astimezone(tz)
        target = f" #{r.case_id}" if r.case_id is not None else ""
        detail = f" ({esc(r.detail)})" if r.detail else ""
        # The operator's rows name the OS account (`operator:<name>`), not a Slack user.
        actor = esc(r.actor) if r.actor.startswith("operator") else user(r.actor)
        lines.append(f"{at:%Y-%m-%d %H:%M} {actor} {esc(r.action)}{target}{detail}")
    return "\n".join(lines)
