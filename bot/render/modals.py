"""Block Kit modals of the core (team new, task add) and how to read them back.

Convention: each input's block_id equals its action_id equals the field name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    ConversationFilter,
    ConversationSelectElement,
    DatePickerElement,
    InputBlock,
    InputInteractiveElement,
    PlainTextInputElement,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.errors import WgbotError
from bot.gateway import EXPIRED_TRIGGER
from bot.render.blocks import option, plain
from bot.render.fit import LABEL_LIMIT, VIEW_TITLE_LIMIT
from bot.render.messages import error_text, t, t_plain
from bot.render.text import esc

TEAM_NEW = "team_new"
TASK_ADD = "task_add"
ERROR_CHARS = LABEL_LIMIT  # what Slack shows under a field; longer texts are cut, not refused


def text_input(
    name: str,
    label: str,
    *,
    optional: bool = False,
    multiline: bool = False,
    max_length: int | None = None,
    initial: str | None = None,
    hint: str | None = None,
) -> InputBlock:
    """An input block with a plain_text_input."""
    element = PlainTextInputElement(
        action_id=name,
        multiline=multiline,
        max_length=max_length or None,
        initial_value=initial or None,
    )
    return input_block(name, label, element, optional=optional, hint=hint)


def input_block(
    name: str,
    label: str,
    element: InputInteractiveElement,
    *,
    optional: bool | None = False,
    hint: str | None = None,
) -> InputBlock:
    """An input block whose block_id and element's action_id are both `name`."""
    element.action_id = name
    return InputBlock(
        block_id=name,
        label=plain(label),
        element=element,
        optional=optional,
        hint=plain(hint) if hint else None,
    )


def modal(
    callback_id: str,
    title: str,
    blocks: Sequence[Block],
    lang: str,
    *,
    private_metadata: str = "",
) -> dict[str, Any]:
    """A modal view, as the JSON views.open takes."""
    view = View(
        type="modal",
        callback_id=callback_id,
        title=plain(title, VIEW_TITLE_LIMIT),
        submit=plain(t(lang, "modal.submit"), VIEW_TITLE_LIMIT),
        close=plain(t(lang, "modal.cancel"), VIEW_TITLE_LIMIT),
        private_metadata=private_metadata,
        blocks=list(blocks),
    ).to_dict()
    # slack_sdk leaves an empty string out; the view keeps it, as Slack hands it back.
    return {**view, "private_metadata": private_metadata}


def team_new_modal(lang: str) -> dict[str, Any]:
    """The form behind `/wg team new` with no arguments."""
    kinds = [option(k, k) for k in ("WG", "PT")]
    channel = ConversationSelectElement(filter=ConversationFilter(include=["public", "private"]))
    return modal(
        TEAM_NEW,
        t(lang, "modal.team.title"),
        [
            text_input("name", t(lang, "modal.field.name"), max_length=80),
            input_block(
                "kind",
                t(lang, "modal.field.kind"),
                StaticSelectElement(options=kinds, initial_option=kinds[0]),
                optional=None,
            ),
            text_input("theme", t(lang, "modal.field.theme"), optional=True, max_length=10),
            input_block("channel", t(lang, "modal.field.channel"), channel, optional=True),
        ],
        lang,
    )


def task_add_modal(lang: str) -> dict[str, Any]:
    """The form behind `/wg task add` with no arguments."""
    milestone = CheckboxesElement(options=[option(t(lang, "modal.field.milestone"), "yes")])
    return modal(
        TASK_ADD,
        t(lang, "modal.task.title"),
        [
            text_input("title", t(lang, "modal.field.title"), max_length=300),
            input_block("due", t(lang, "modal.field.due"), DatePickerElement(), optional=True),
            input_block(
                "assignee", t(lang, "modal.field.assignee"), UserSelectElement(), optional=True
            ),
            text_input("team", t(lang, "modal.field.team"), optional=True, max_length=80),
            text_input("theme", t(lang, "modal.field.theme"), optional=True, max_length=10),
            input_block("milestone", " ", milestone, optional=True),
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


_NAMES_ITS_FIELD = ("error.control_char", "error.my_number")


def error_under_field(
    lang: str, exc: WgbotError, *, field_of: Mapping[str, str], default: str, cmd: str
) -> dict[str, str]:
    """A domain error as `response_action: errors`, under the field it is about.

    A refused control character or My Number names its field; other errors go by `field_of`
    (message key -> field), else under `default`.
    """
    named = exc.params.get("field") if exc.key in _NAMES_ITS_FIELD else None
    name = str(named or field_of.get(exc.key, default))
    return {name: error_text(lang, exc, cmd=cmd, mrkdwn=False)[:ERROR_CHARS]}
