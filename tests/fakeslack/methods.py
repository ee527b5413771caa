"""Web API method handlers: answers modelled on Slack's, or set per method by a test.

A method ``a.b`` is answered by ``_m_a_b`` when there is one, else ``{"ok": true}``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from tests.fakeslack.recording import Call, UploadedFile

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T1"

Handler = Callable[[Call], dict[str, Any]]


class Methods:
    """The answering half of FakeSlack: built-in Web API methods and per-test overrides."""

    _lock: threading.Lock
    uploads: dict[str, UploadedFile]

    @property
    def url(self) -> str:
        """Where the server listens (FakeSlack's; upload URLs point there)."""
        raise NotImplementedError

    def _init_methods(self) -> None:
        # users.info answers: user id -> extra fields merged into the minimal user.
        self.users: dict[str, dict[str, Any]] = {}
        # users.lookupByEmail answers: e-mail (any case) -> user id; others are not found.
        self.emails: dict[str, str] = {}
        # apps.connections.open answers this ws:// URL (a FakeSocketMode server's).
        self.socket_mode_url: str | None = None
        self._handlers: dict[str, Handler] = {}
        self._seq = 0

    def set_response(self, method: str, answer: dict[str, Any] | Handler | None) -> None:
        """Answer ``method`` with a fixed body or ``answer(call)``; None restores the default.

        A body without "ok" gets ``"ok": True``; ``{"ok": False, "error": ...}`` marks the
        call failed with that error.
        """
        with self._lock:
            if answer is None:
                self._handlers.pop(method, None)
            elif callable(answer):
                self._handlers[method] = answer
            else:
                fixed = dict(answer)
                self._handlers[method] = lambda _call: dict(fixed)

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _ts(self) -> str:
        micros = self._next_seq() * 100
        return f"{1700000000 + micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _answer(self, call: Call) -> dict[str, Any]:
        with self._lock:
            custom = self._handlers.get(call.method)
        if custom is not None:
            body = custom(call)
            body.setdefault("ok", True)
            return body
        builtin = getattr(self, "_m_" + call.method.replace(".", "_"), None)
        return builtin(call) if builtin is not None else {"ok": True}

    # --- Web API methods (answers modelled on Slack's) ---

    def _m_auth_test(self, call: Call) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://t1.slack.com/",
            "team": "Test Team",
            "user": "wgbot",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _m_apps_connections_open(self, call: Call) -> dict[str, Any]:
        # Socket Mode: the WebSocket URL of a fake Socket Mode server (tests/fakesocket.py).
        if self.socket_mode_url is None:
            return {"ok": False, "error": "not_allowed_token_type"}
        return {"ok": True, "url": self.socket_mode_url}

    def _m_api_test(self, call: Call) -> dict[str, Any]:
        return {"ok": True, "args": {k: v for k, v in call.params.items() if k != "token"}}

    @staticmethod
    def _channel_of(raw: Any) -> str:
        channel = str(raw or "")
        # Posting to a user id posts to the DM with the bot.
        return "D" + channel if channel[:1] in ("U", "W") else channel

    def _message(self, call: Call, ts: str) -> dict[str, Any]:
        msg: dict[str, Any] = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "team": TEAM_ID,
            "ts": ts,
            "text": call.params.get("text", ""),
        }
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if call.params.get(key) is not None:
                msg[key] = call.params[key]
        return msg

    def _m_chat_postMessage(self, call: Call) -> dict[str, Any]:
        if not call.params.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        with self._lock:
            ts = self._ts()
        return {
            "ok": True,
            "channel": self._channel_of(call.params["channel"]),
            "ts": ts,
            "message": self._message(call, ts),
        }

    def _m_chat_postEphemeral(self, call: Call) -> dict[str, Any]:
        if not call.params.get("channel") or not call.params.get("user"):
            return {"ok": False, "error": "channel_not_found"}
        with self._lock:
            ts = self._ts()
        return {"ok": True, "message_ts": ts}

    def _m_chat_update(self, call: Call) -> dict[str, Any]:
        ts = str(call.params.get("ts", ""))
        if not call.params.get("channel") or not ts:
            return {"ok": False, "error": "message_not_found"}
        return {
            "ok": True,
            "channel": str(call.params["channel"]),
            "ts": ts,
            "text": call.params.get("text", ""),
            "message": self._message(call, ts),
        }

    def _m_chat_delete(self, call: Call) -> dict[str, Any]:
        return {"ok": True, "channel": call.params.get("channel"), "ts": call.params.get("ts")}

    def _m_chat_scheduleMessage(self, call: Call) -> dict[str, Any]:
        with self._lock:
            ts = self._ts()
            n = self._next_seq()
        return {
            "ok": True,
            "channel": self._channel_of(call.params.get("channel")),
            "scheduled_message_id": f"Q{n:08d}",
            "post_at": call.params.get("post_at"),
            "message": self._message(call, ts),
        }

    def _m_conversations_open(self, call: Call) -> dict[str, Any]:
        users = [u for u in str(call.params.get("users", "")).split(",") if u]
        if call.params.get("channel"):
            channel_id = str(call.params["channel"])
        elif len(users) == 1:
            channel_id = "D" + users[0]
        elif users:
            channel_id = "G" + "".join(users)
        else:
            return {"ok": False, "error": "users_list_not_supplied"}
        return {"ok": True, "channel": {"id": channel_id}}

    def _view(self, call: Call, view_id: str | None = None) -> dict[str, Any]:
        view = call.params.get("view")
        view = dict(view) if isinstance(view, dict) else {}
        with self._lock:
            n = self._next_seq()
        view_id = view_id or f"V{n:08d}"
        return {
            "id": view_id,
            "team_id": TEAM_ID,
            "app_id": "A1",
            "bot_id": BOT_ID,
            "root_view_id": view_id,
            "hash": f"{n}.hash",
            "state": {"values": {}},
            **view,
        }

    def _m_views_open(self, call: Call) -> dict[str, Any]:
        if not call.params.get("trigger_id") and not call.params.get("interactivity_pointer"):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": self._view(call)}

    def _m_views_push(self, call: Call) -> dict[str, Any]:
        return self._m_views_open(call)

    def _m_views_publish(self, call: Call) -> dict[str, Any]:
        if not call.params.get("user_id"):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": self._view(call)}

    def _m_views_update(self, call: Call) -> dict[str, Any]:
        view_id = call.params.get("view_id")
        return {"ok": True, "view": self._view(call, str(view_id) if view_id else None)}

    def _m_users_info(self, call: Call) -> dict[str, Any]:
        user_id = str(call.params.get("user", ""))
        if not user_id:
            return {"ok": False, "error": "user_not_found"}
        with self._lock:
            extra = dict(self.users.get(user_id, {}))
        name = user_id.lower()
        user: dict[str, Any] = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name,
            "real_name": name,
            "deleted": False,
            "is_bot": False,
            "is_admin": False,
            "tz": "Asia/Tokyo",
            "tz_label": "Japan Standard Time",
            "tz_offset": 32400,
            "profile": {"real_name": name, "display_name": name},
        }
        user.update(extra)
        return {"ok": True, "user": user}

    def _m_users_lookupByEmail(self, call: Call) -> dict[str, Any]:
        email = str(call.params.get("email", "")).casefold()
        with self._lock:
            user_id = next((u for e, u in self.emails.items() if e.casefold() == email), None)
        if user_id is None:
            return {"ok": False, "error": "users_not_found"}
        return self._m_users_info(replace(call, params={"user": user_id}))

    def _m_files_getUploadURLExternal(self, call: Call) -> dict[str, Any]:
        filename = str(call.params.get("filename", ""))
        if not filename or not str(call.params.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        with self._lock:
            file_id = f"F{self._next_seq():08d}"
            self.uploads[file_id] = UploadedFile(id=file_id, filename=filename)
        return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _m_files_completeUploadExternal(self, call: Call) -> dict[str, Any]:
        listed = call.params.get("files")
        if not isinstance(listed, list) or not listed:
            return {"ok": False, "error": "invalid_arguments"}
        channel = call.params.get("channel_id") or call.params.get("channels")
        out = []
        with self._lock:
            for item in listed:
                up = self.uploads.get(str(item.get("id"))) if isinstance(item, dict) else None
                if up is None or up.data is None:
                    return {"ok": False, "error": "file_not_found"}
                up.title = str(item.get("title") or up.filename)
                up.channel_id = str(channel) if channel else None
                up.initial_comment = call.params.get("initial_comment")
                up.completed = True
                # Re-insert so uploads keeps completion order.
                self.uploads.pop(up.id)
                self.uploads[up.id] = up
                call.files.append(up)
                out.append(
                    {
                        "id": up.id,
                        "name": up.filename,
                        "title": up.title,
                        "size": len(up.data),
                        "user": BOT_USER_ID,
                        "channels": [up.channel_id] if up.channel_id else [],
                        "permalink": f"https://t1.slack.com/files/{BOT_USER_ID}/{up.id}",
                    }
                )
        return {"ok": True, "files": out}
