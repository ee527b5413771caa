"""What Slack sends, as plain data: slash command fields, interactivity payloads, events.

``tests/signed.py`` signs and sends these; here they are only built.

Modal state convention: ``block_id == action_id == field name``.  ``state_values(**fields)``
and ``view_submission(state_values=...)`` take ``{name: field(kind, value)}`` and nest it as
``{name: {name: {...}}}``.  What ``field(kind, value)`` gives:

    plain_text_input / number_input / email_text_input / url_text_input
                                -> {"type": kind, "value": value}
    static_select / external_select / radio_buttons
                                -> {"type": kind, "selected_option": {"value": value, ...}}
    multi_static_select / multi_external_select / checkboxes
                                -> {"type": kind, "selected_options": [{"value": v, ...}, ...]}
    datepicker                  -> {"type": kind, "selected_date": "YYYY-MM-DD"}
    timepicker                  -> {"type": kind, "selected_time": "HH:MM"}
    datetimepicker              -> {"type": kind, "selected_date_time": <epoch int>}
    users_select                -> {"type": kind, "selected_user": "U1"}
    multi_users_select          -> {"type": kind, "selected_users": ["U1", ...]}
    conversations_select        -> {"type": kind, "selected_conversation": "C1"}
    channels_select             -> {"type": kind, "selected_channel": "C1"}
    multi_conversations_select  -> {"type": kind, "selected_conversations": ["C1", ...]}
    multi_channels_select       -> {"type": kind, "selected_channels": ["C1", ...]}

A value of None gives an unset field (``value``/``selected_*`` None; [] for multi kinds).
A bare string in ``state_values`` is shorthand for ``field("plain_text_input", s)``.
"""

from __future__ import annotations

import time
from typing import Any

from tests.fakeslack import BOT_ID, BOT_USER_ID

TOKEN = "verification-token"

# ---------------------------------------------------------------------- modal state

_VALUE_KINDS = ("plain_text_input", "number_input", "email_text_input", "url_text_input")
_OPTION_KINDS = ("static_select", "external_select", "radio_buttons")
_OPTIONS_KINDS = ("multi_static_select", "multi_external_select", "checkboxes")
_SCALAR_KEYS = {
    "datepicker": "selected_date",
    "timepicker": "selected_time",
    "datetimepicker": "selected_date_time",
    "users_select": "selected_user",
    "conversations_select": "selected_conversation",
    "channels_select": "selected_channel",
}
_LIST_KEYS = {
    "multi_users_select": "selected_users",
    "multi_conversations_select": "selected_conversations",
    "multi_channels_select": "selected_channels",
}
FIELD_KINDS = (*_VALUE_KINDS, *_OPTION_KINDS, *_OPTIONS_KINDS, *_SCALAR_KEYS, *_LIST_KEYS)


def option(value: str, text: str | None = None) -> dict[str, Any]:
    """A selected option as Slack sends it."""
    return {"text": plain_text(text or value), "value": value}


def plain_text(text: str) -> dict[str, Any]:
    """A plain_text object as Slack sends it back."""
    return {"type": "plain_text", "text": text, "emoji": True}


def _listed(value: Any) -> list[Any]:
    """None -> [], one string -> [it], else the values as a list."""
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def field(kind: str, value: Any) -> dict[str, Any]:
    """One input's state as Slack sends it in view.state.values[block][action]."""
    if kind in _VALUE_KINDS:
        return {"type": kind, "value": None if value is None else str(value)}
    if kind in _OPTION_KINDS:
        return {"type": kind, "selected_option": None if value is None else option(str(value))}
    if kind in _OPTIONS_KINDS:
        return {"type": kind, "selected_options": [option(str(v)) for v in _listed(value)]}
    if kind in _SCALAR_KEYS:
        return {"type": kind, _SCALAR_KEYS[kind]: value}
    if kind in _LIST_KEYS:
        return {"type": kind, _LIST_KEYS[kind]: _listed(value)}
    raise ValueError(f"unknown input kind {kind!r}; known: {', '.join(FIELD_KINDS)}")


def _is_spec(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("type"), str)


def state_values(**fields: Any) -> dict[str, dict[str, Any]]:
    """{name: field(...)} -> view.state.values ({name: {name: field}}); see module doc."""
    return nest_state(fields)


def nest_state(values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Nest flat ``{name: spec}`` entries as ``{name: {name: spec}}``; nested ones stay."""
    out: dict[str, dict[str, Any]] = {}
    for name, value in values.items():
        if isinstance(value, str):
            out[name] = {name: field("plain_text_input", value)}
        elif _is_spec(value):
            out[name] = {name: value}
        elif isinstance(value, dict):
            out[name] = value  # already {action_id: spec}
        else:
            raise TypeError(f"state value for {name!r} must be a field spec, got {value!r}")
    return out


# ---------------------------------------------------------------------- requests


def slash_command(
    text: str,
    *,
    team_id: str,
    api_app_id: str,
    response_url: str,
    user: str = "U1",
    command: str = "/wg",
    channel: str = "C1",
    trigger_id: str = "trig",
    channel_name: str | None = None,
) -> dict[str, str]:
    """A slash command's flat form fields."""
    return {
        "token": TOKEN,
        "team_id": team_id,
        "team_domain": team_id.lower(),
        "channel_id": channel,
        "channel_name": channel_name
        or ("directmessage" if channel.startswith("D") else channel.lower()),
        "user_id": user,
        "user_name": user.lower(),
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def _interaction(
    kind: str, *, team_id: str, api_app_id: str, user: str, trigger_id: str
) -> dict[str, Any]:
    """The fields every interactivity payload carries."""
    return {
        "type": kind,
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team_id},
        "api_app_id": api_app_id,
        "token": TOKEN,
        "trigger_id": trigger_id,
        "team": {"id": team_id, "domain": team_id.lower()},
        "enterprise": None,
        "is_enterprise_install": False,
    }


def block_actions(
    *,
    team_id: str,
    api_app_id: str,
    user: str,
    action_id: str,
    default_response_url: str,
    value: str = "",
    block_id: str = "b",
    channel: str | None = "D1",
    message_ts: str | None = "1.000",
    view: dict[str, Any] | None = None,
    response_url: str | None = None,
    container: dict[str, Any] | None = None,
    trigger_id: str = "trig",
    action_type: str = "button",
    action: dict[str, Any] | None = None,
    state_values: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A block_actions payload: a button pressed in a message, or in ``view`` when given
    (then no channel/message: the container is the view).

    ``action`` overrides the action dict (e.g. a static_select's selected_option).
    A message action gets a response_url (``response_url`` or ``default_response_url``); a
    view action only when ``response_url`` is given.
    """
    act: dict[str, Any] = action or {
        "action_id": action_id,
        "block_id": block_id,
        "type": action_type,
        "value": value,
        "text": plain_text(action_id),
    }
    act = {"action_id": action_id, "block_id": block_id, **act}
    act.setdefault("action_ts", f"{time.time():.6f}")
    payload = _interaction(
        "block_actions", team_id=team_id, api_app_id=api_app_id, user=user, trigger_id=trigger_id
    )
    payload["actions"] = [act]
    state = {"values": nest_state(state_values or {})}
    if view is not None:
        full_view = {
            "id": "V1",
            "team_id": team_id,
            "type": "modal",
            "private_metadata": "",
            "callback_id": "",
            "blocks": [],
            "state": state,
            "hash": "1.hash",
            "app_id": api_app_id,
            "bot_id": BOT_ID,
            **view,
        }
        payload["view"] = full_view
        payload["container"] = container or {"type": "view", "view_id": full_view["id"]}
        if response_url is not None:
            payload["response_url"] = response_url
        return payload
    payload["container"] = container or {
        "type": "message",
        "message_ts": message_ts,
        "channel_id": channel,
        "is_ephemeral": False,
    }
    if channel is not None:
        payload["channel"] = {"id": channel, "name": channel.lower()}
    if message_ts is not None:
        payload["message"] = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "ts": message_ts,
            "text": "",
            "blocks": [],
        }
    payload["state"] = state
    payload["response_url"] = response_url or default_response_url
    return payload


def view_submission(
    *,
    team_id: str,
    api_app_id: str,
    user: str,
    callback_id: str,
    state_values: dict[str, Any],
    view_id: str,
    private_metadata: str = "",
    view_type: str = "modal",
    trigger_id: str = "trig",
    blocks: list[dict[str, Any]] | None = None,
    response_urls: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A view_submission payload; ``state_values`` flat ({name: field(...)}) or nested."""
    payload = _interaction(
        "view_submission", team_id=team_id, api_app_id=api_app_id, user=user, trigger_id=trigger_id
    )
    payload["view"] = {
        "id": view_id,
        "team_id": team_id,
        "type": view_type,
        "blocks": blocks or [],
        "private_metadata": private_metadata,
        "callback_id": callback_id,
        "state": {"values": nest_state(state_values)},
        "hash": f"{view_id}.hash",
        "title": plain_text("wgbot"),
        "clear_on_close": False,
        "notify_on_close": False,
        "close": None,
        "submit": plain_text("OK"),
        "previous_view_id": None,
        "root_view_id": view_id,
        "app_id": api_app_id,
        "external_id": "",
        "app_installed_team_id": team_id,
        "bot_id": BOT_ID,
    }
    payload["response_urls"] = response_urls or []
    return payload


def event_callback(
    event: dict[str, Any], *, team_id: str, api_app_id: str, event_id: str, event_time: int
) -> dict[str, Any]:
    """An Events API event_callback body."""
    return {
        "token": TOKEN,
        "team_id": team_id,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": event_time,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def url_verification(challenge: str) -> dict[str, Any]:
    """The Events API's URL check."""
    return {"token": TOKEN, "challenge": challenge, "type": "url_verification"}
