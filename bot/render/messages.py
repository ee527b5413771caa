"""The message catalogue: every sentence the bot writes, in Japanese and English."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from bot.domain.calendar import WEEKEND_NAMES, YEAR_END_CLOSURE
from bot.domain.dates import DateParseError, ParsedDate, WeekdayMismatch, show_date, weekday_name
from bot.errors import WgbotError
from bot.render import (
    msg_cases,
    msg_city,
    msg_cli,
    msg_core,
    msg_form,
    msg_format,
    msg_reminders,
    msg_reports,
    msg_staff,
    msg_year,
)
from bot.render.text import esc

CATALOG: dict[str, tuple[str, str]] = {
    **msg_core.MESSAGES,
    **msg_reminders.MESSAGES,
    **msg_reports.MESSAGES,
    **msg_cases.MESSAGES,
    **msg_city.MESSAGES,
    **msg_cli.MESSAGES,
    **msg_format.MESSAGES,
    **msg_form.MESSAGES,
    **msg_year.MESSAGES,
    **msg_staff.MESSAGES,
}
_JAPANESE_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]+")


def date_label(lang: str, d: date) -> str:
    """A day with its year, for errors and labels: 「令和7年3月1日」 or `1 Mar 2025`."""
    return show_date(d, ref=d, lang=lang, weekday=False, year="always")


def _english_params(params: dict[str, Any]) -> dict[str, Any]:
    """Usage forms and field names are written in Japanese where they are raised."""
    out = dict(params)
    if isinstance(out.get("usage"), str):
        words = msg_format.FORM_WORDS_EN
        out["usage"] = _JAPANESE_WORD.sub(lambda m: words.get(m[0], m[0]), out["usage"])
    if isinstance(out.get("field"), str):
        out["field"] = msg_format.FIELD_NAMES_EN.get(out["field"], out["field"])
    return out


def _format(lang: str, key: str, *, mrkdwn: bool, params: dict[str, object]) -> str:
    ja, en = CATALOG.get(key, (key, key))
    template = en if lang == "en" else ja
    if lang == "en":
        params = _english_params(params)
    if mrkdwn:
        template = esc(template)
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def t(lang: str, key: str, **params: object) -> str:
    """The message `key` in `lang` ("ja" or "en"), formatted with params, for Slack.

    The catalogue writes forms like `note <番号> <本文>`; Slack would read `<…>` as a
    link or mention, so the template's own `<`, `>` are escaped (no template holds a
    real mention; those come in through params, already built).
    """
    return _format(lang, key, mrkdwn=True, params=params)


def t_plain(lang: str, key: str, **params: object) -> str:
    """The same message as it is, for the terminal and Slack's plain-text fields."""
    return _format(lang, key, mrkdwn=False, params=params)


def error_text(lang: str, exc: WgbotError, *, cmd: str = "/wg", mrkdwn: bool = True) -> str:
    """The user's message for a domain error.

    Its parameters often quote what the user typed, so for Slack text they are escaped
    here, at the one place every error is worded (`mrkdwn=False` for modal field errors
    and the terminal, which show text as it is).
    """
    params = {k: date_label(lang, v) if isinstance(v, date) else v for k, v in exc.params.items()}
    if "usage_keys" in params:  # each command's usage form is in the catalogue (msg_format)
        keys: tuple[str, ...] = params.pop("usage_keys")  # type: ignore[assignment]
        forms = " | ".join(t_plain(lang, key) for key in keys)
        params["usage"] = f"{cmd} {forms}"
    params = {k: esc(v) if mrkdwn and isinstance(v, str) else v for k, v in params.items()}
    # A list (the wards there are, the choices of a theme code) is joined the language's way.
    params = {
        k: joined(lang, [esc(x) if mrkdwn else x for x in v]) if isinstance(v, list) else v
        for k, v in params.items()
    }
    return (t if mrkdwn else t_plain)(lang, exc.key, **{"cmd": cmd, **params})


def paren(lang: str, text: str) -> str:
    """`（text）` in Japanese, ` (text)` in English."""
    return _format(lang, "fmt.paren", mrkdwn=False, params={"x": text})


def joined(lang: str, items: list[str], *, dot: bool = False) -> str:
    """Items joined with 「、」 (or 「・」) in Japanese, commas (or dots) in English."""
    return _format(lang, "fmt.dot" if dot else "fmt.sep", mrkdwn=False, params={}).join(items)


DATE_ERROR_KEYS = {
    "no_such_day": "error.no_such_date",
    "weekday_mismatch": "error.weekday_mismatch",
}


def date_error(exc: DateParseError, *, lang: str, ref: date) -> tuple[str, dict[str, Any]]:
    """(message key, params) for a date that could not be read, in either language.

    Chosen by the error's `code`, never by its words. The Japanese message of a date that
    cannot be read is the parser's own (`message`, with the list of forms); a wrong
    weekday is worded here from the day it read, shown as of `ref` (today).
    """
    if isinstance(exc, WeekdayMismatch):
        day = show_date(exc.value, ref=ref, lang=lang, weekday=False)
        params = {"date": day, "weekday": weekday_name(exc.value, lang), "written": exc.written}
    else:
        params = {"message": str(exc), "text": exc.text}
    return DATE_ERROR_KEYS.get(exc.code, "error.bad_date"), params


def _closed_reason(lang: str, day: date, reason: str) -> str:
    """Why the office is closed, in lang: the calendar names it in Japanese."""
    if lang != "en":
        return reason
    if reason == YEAR_END_CLOSURE:
        return t(lang, "closed.year_end")
    weekend = {name: n for n, name in WEEKEND_NAMES.items()}
    if reason in weekend:
        return t(lang, f"closed.weekend.{weekend[reason]}")
    import holidays  # the holiday's English name, from the same table the calendar uses

    return str(holidays.country_holidays("JP", language="en_US", years=day.year).get(day) or "")


def closed_day_text(lang: str, parsed: ParsedDate, *, ref: date) -> str | None:
    """「12月29日は閉庁日です（年末年始）」 when the office is closed that day, else None."""
    if parsed.closed_reason is None:
        return None
    day = show_date(parsed.value, ref=ref, lang=lang, weekday=False)
    reason = _closed_reason(lang, parsed.value, parsed.closed_reason)
    return t(lang, "closed_day", day=day, reason=reason)


def as_of_text(lang: str, day: date, label_ja: str) -> str:
    """A report's 「令和6年11月末時点」 (the domain's label) or `as of 30 Nov 2024`."""
    return label_ja if lang != "en" else t(lang, "fmt.as_of", date=date_label(lang, day))
