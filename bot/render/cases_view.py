"""The case modal and the texts of the case log (ephemeral answers and DMs only)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.domain import cases as rules
from bot.domain.case_privacy import TOTAL, Shown
from bot.domain.dates import show_date
from bot.domain.masking import describe
from bot.render import modals
from bot.render.fit import split_text
from bot.render.messages import joined, t, t_plain
from bot.render.modals import modal, plain, text_input
from bot.render.text import esc, user

if TYPE_CHECKING:
    from bot.services.case_history import History
    from storage.models import AuditLog, HarassmentCase

CASE_MODAL = "case_form"
ACTION_CLOSE = "case_close"
LIMITS = {
    "section": rules.SECTION_LIMIT,
    "staff": rules.STAFF_LIMIT,
    "what": rules.TEXT_LIMIT,
    "response": rules.TEXT_LIMIT,
}


def _options(table: Mapping[str, tuple[str, str]], lang: str) -> list[dict[str, Any]]:
    return [{"text": plain(rules.label(table, c, lang)), "value": c} for c in table]


def _input(name: str, label: str, element: dict[str, Any], optional: bool = False) -> dict:
    return {
        "type": "input",
        "block_id": name,
        "optional": optional,
        "label": plain(label),
        "element": {"action_id": name, **element},
    }


def case_modal(
    lang: str, *, today: date, case: HarassmentCase | None = None, tz: ZoneInfo | None = None
) -> dict[str, Any]:
    """The form behind `/wg case new` (or `case edit <id>`, prefilled)."""
    places, kinds = _options(rules.PLACES, lang), _options(rules.KINDS, lang)
    flags: list[dict[str, Any]] = [
        {"text": plain(t(lang, "case.field.police")), "value": "police"},
        {"text": plain(t(lang, "case.field.follow_up")), "value": "follow_up"},
    ]
    date_el: dict[str, Any] = {"type": "datepicker", "initial_date": today.isoformat()}
    time_el: dict[str, Any] = {"type": "timepicker"}
    place_el: dict[str, Any] = {"type": "static_select", "options": places}
    kinds_el: dict[str, Any] = {"type": "multi_static_select", "options": kinds}
    number = {"type": "number_input", "is_decimal_allowed": False, "min_value": "1"}
    minutes_el: dict[str, Any] = {**number, "max_value": str(rules.MAX_MINUTES)}
    staff_el: dict[str, Any] = {**number, "max_value": str(rules.MAX_STAFF), "initial_value": "1"}
    flags_el: dict[str, Any] = {"type": "checkboxes", "options": flags}
    # 「このまま保存する」: ticked, a name warning does not stop saving (and is audited).
    names_el: dict[str, Any] = {
        "type": "checkboxes",
        "options": [{"text": plain(t(lang, "case.field.names_ok_option")), "value": "names_ok"}],
    }
    init: dict[str, str] = {}
    if case is not None and case.occurred_at is not None:
        local = case.occurred_at.astimezone(tz) if tz else case.occurred_at
        date_el["initial_date"] = local.date().isoformat()
        time_el["initial_time"] = local.strftime("%H:%M")
        place_el["initial_option"] = next((o for o in places if o["value"] == case.place), None)
        chosen = case.kinds.split(",")
        kinds_el["initial_options"] = [o for o in kinds if o["value"] in chosen]
        minutes_el["initial_value"] = str(case.minutes)
        staff_el["initial_value"] = str(case.staff_count)
        ticked = {"police": case.police, "follow_up": case.follow_up}
        flags_el["initial_options"] = [o for o in flags if ticked[o["value"]]]
        init = {
            "section": case.section,
            "staff": case.staff_involved or "",
            "what": case.what_happened,
            "response": case.response or "",
        }
    for el in (place_el, kinds_el, flags_el):
        if not el.get("initial_option", el.get("initial_options", True)):
            el.pop("initial_option", None)
            el.pop("initial_options", None)

    def f(key: str) -> str:
        return t(lang, f"case.field.{key}")

    def text(name: str, *, optional: bool = False, hint: str | None = None) -> dict[str, Any]:
        return text_input(
            name,
            f(name),
            optional=optional,
            multiline=LIMITS[name] > rules.STAFF_LIMIT,
            max_length=LIMITS[name],
            initial=init.get(name),
            hint=f(hint) if hint else None,
        )

    intro = {"type": "mrkdwn", "text": t(lang, "case.modal.intro")}
    blocks = [
        {"type": "context", "elements": [intro]},
        _input("date", f("date"), date_el),
        _input("time", f("time"), time_el),
        _input("place", f("place"), place_el),
        text("section"),
        _input("kinds", f("kinds"), kinds_el),
        _input("minutes", f("minutes"), minutes_el),
        _input("staff_count", f("staff_count"), staff_el),
        text("staff", optional=True, hint="staff_hint"),
        text("what", hint="what_hint"),
        text("response", optional=True),
        _input("flags", f("flags"), flags_el, optional=True),
        _input("names_ok", f("names_ok"), names_el, optional=True),
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
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": chunk}}
        for chunk in split_text(lines)
    ]
    if c.status == rules.OPEN:
        button = {
            "type": "button",
            "action_id": ACTION_CLOSE,
            "value": str(c.id),
            "text": plain(t(lang, "case.button.close")),
        }
        blocks.append({"type": "actions", "elements": [button]})
    return text, blocks


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
        lines.append(t(lang, "case.stats.range", start=start or "", end=end or ""))
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
