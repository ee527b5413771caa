"""Block Kit modals of the core (team new, task add) and how to read them back.

Convention: each input's block_id equals its action_id equals the field name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.errors import WgbotError
from bot.gateway import EXPIRED_TRIGGER
from bot.render.messages import error_text, t, t_plain
from bot.render.text import esc

TEAM_NEW = "team_new"
TASK_ADD = "task_add"
ERROR_CHARS = 150  # what Slack shows under a field; longer texts are cut, not refused


def plain(text: str) -> dict[str, Any]:
    """A plain_text object."""
    return {"type": "plain_text", "text": text[:150], "emoji": True}


def text_input(
    name: str,
    label: str,
    *,
    optional: bool = False,
    multiline: bool = False,
    max_length: int | None = None,
    initial: str | None = None,
    hint: str | None = None,
) -> dict[str, Any]:
    """An input block with a plain_text_input."""
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": name,
        "multiline": multiline,
    }
    if max_length:
        element["max_length"] = max_length
    if initial:
        element["initial_value"] = initial
    block = {
        "type": "input",
        "block_id": name,
        "optional": optional,
        "label": plain(label),
        "element": element,
    }
    if hint:
        block["hint"] = plain(hint)
    return block


def modal(
    callback_id: str,
    title: str,
    blocks: list[dict[str, Any]],
    lang: str,
    *,
    private_metadata: str = "",
) -> dict[str, Any]:
    """A modal view."""
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title[:24]),
        "submit": plain(t(lang, "modal.submit")),
        "close": plain(t(lang, "modal.cancel")),
        "private_metadata": private_metadata,
        "blocks": blocks,
    }


def team_new_modal(lang: str) -> dict[str, Any]:
    """The form behind `/wg team new` with no arguments."""
    kinds = [{"text": plain(k), "value": k} for k in ("WG", "PT")]
    return modal(
        TEAM_NEW,
        t(lang, "modal.team.title"),
        [
            text_input("name", t(lang, "modal.field.name"), max_length=80),
            {
                "type": "input",
                "block_id": "kind",
                "label": plain(t(lang, "modal.field.kind")),
                "element": {
                    "type": "static_select",
                    "action_id": "kind",
                    "options": kinds,
                    "initial_option": kinds[0],
                },
            },
            text_input("theme", t(lang, "modal.field.theme"), optional=True, max_length=10),
            {
                "type": "input",
                "block_id": "channel",
                "optional": True,
                "label": plain(t(lang, "modal.field.channel")),
                "element": {
                    "type": "conversations_select",
                    "action_id": "channel",
                    "filter": {"include": ["public", "private"]},
                },
            },
        ],
        lang,
    )


def task_add_modal(lang: str) -> dict[str, Any]:
    """The form behind `/wg task add` with no arguments."""
    return modal(
        TASK_ADD,
        t(lang, "modal.task.title"),
        [
            text_input("title", t(lang, "modal.field.title"), max_length=300),
            {
                "type": "input",
                "block_id": "due",
                "optional": True,
                "label": plain(t(lang, "modal.field.due")),
                "element": {"type": "datepicker", "action_id": "due"},
            },
            {
                "type": "input",
                "block_id": "assignee",
                "optional": True,
                "label": plain(t(lang, "modal.field.assignee")),
                "element": {"type": "users_select", "action_id": "assignee"},
            },
            text_input("team", t(lang, "modal.field.team"), optional=True, max_length=80),
            text_input("theme", t(lang, "modal.field.theme"), optional=True, max_length=10),
            {
                "type": "input",
                "block_id": "milestone",
                "optional": True,
                "label": plain(" "),
                "element": {
                    "type": "checkboxes",
                    "action_id": "milestone",
                    "options": [{"text": plain(t(lang, "modal.field.milestone")), "value": "yes"}],
                },
            },
        ],
        lang,
    )


def open_failed_text(lang: str, error: str, *, again: str | None = None) -> str:
    """Why a form did not open and what to do: type `again` (a command) or press the button."""
    where = "failed" if again else "failed_button"
    kind = "expired" if error in EXPIRED_TRIGGER else "other"
    return t(lang, f"modal.{where}.{kind}", error=esc(error), again=esc(again or ""))


def read_state(view: dict[str, Any]) -> dict[str, Any]:
    """Flatten view.state.values into {field: value} whatever the element type."""
    out: dict[str, Any] = {}
    values = (view.get("state") or {}).get("values") or {}
    if not isinstance(values, dict):
        return out
    for block_id, actions in values.items():
        if not isinstance(actions, dict):
            continue
        for action in actions.values():
            if isinstance(action, dict):
                out[str(block_id)] = _value_of(action)
    return out


def _value_of(action: dict[str, Any]) -> Any:
    for key in (
        "value",
        "selected_date",
        "selected_time",
        "selected_user",
        "selected_conversation",
        "selected_channel",
        "selected_date_time",
    ):
        if key in action:
            return action[key]
    if "selected_option" in action:
        opt = action["selected_option"]
        return opt.get("value") if isinstance(opt, dict) else None
    for key in ("selected_options", "selected_users", "selected_conversations"):
        if key in action:
            items = action[key] or []
            return [i.get("value") if isinstance(i, dict) else i for i in items]
    return None


def field_errors(
    lang: str, keys: Mapping[str, str], params: Mapping[str, Mapping[str, object]] | None = None
) -> dict[str, str]:
    """Message keys per field (with each field's parameters) -> `response_action: errors`."""
    params = params or {}
    return {
        name: t_plain(lang, key, **params.get(name, {}))[:ERROR_CHARS] for name, key in keys.items()
    }


def error_under_field(
    lang: str, exc: WgbotError, *, field_of: Mapping[str, str], default: str, cmd: str
) -> dict[str, str]:
    """A domain error as `response_action: errors`, under the field it is about.

    A refused control character names its field; other errors go by `field_of`
    (message key -> field), else under `default`.
    """
    named = exc.params.get("field") if exc.key == "error.control_char" else None
    name = str(named or field_of.get(exc.key, default))
    return {name: error_text(lang, exc, cmd=cmd, mrkdwn=False)[:ERROR_CHARS]}
