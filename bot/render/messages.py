"""The message catalogue: every sentence the bot writes, in Japanese and English."""

from __future__ import annotations

from bot.render import msg_cases, msg_core, msg_reminders, msg_reports

CATALOG: dict[str, tuple[str, str]] = {
    **msg_core.MESSAGES,
    **msg_reminders.MESSAGES,
    **msg_reports.MESSAGES,
    **msg_cases.MESSAGES,
}


def t(lang: str, key: str, **params: object) -> str:
    """The message `key` in `lang` ("ja" or "en"), formatted with params."""
    ja, en = CATALOG.get(key, (key, key))
    template = en if lang == "en" else ja
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
