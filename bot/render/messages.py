"""The message catalogue: every sentence the bot writes, in Japanese and English."""

from __future__ import annotations

from bot.errors import WgbotError
from bot.render import msg_cases, msg_cli, msg_core, msg_reminders, msg_reports
from bot.render.text import esc

CATALOG: dict[str, tuple[str, str]] = {
    **msg_core.MESSAGES,
    **msg_reminders.MESSAGES,
    **msg_reports.MESSAGES,
    **msg_cases.MESSAGES,
    **msg_cli.MESSAGES,
}


def _format(lang: str, key: str, *, mrkdwn: bool, params: dict[str, object]) -> str:
    ja, en = CATALOG.get(key, (key, key))
    template = en if lang == "en" else ja
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
    params = {k: esc(v) if mrkdwn and isinstance(v, str) else v for k, v in exc.params.items()}
    return (t if mrkdwn else t_plain)(lang, exc.key, **{"cmd": cmd, **params})
