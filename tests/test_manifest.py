"""manifest.yml: valid against Slack's manifest schema, asking for exactly the scopes used.

A workspace admin approves every scope the app asks for, so an unused scope is a
question nobody can answer, and a missing one is a feature that fails at run time.
The Web API methods the product calls are found by reading its source (every call of a
WebClient method, every api_call("...")), so a new call without its scope fails here.
"""

from __future__ import annotations

import ast
import copy
import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from slack_sdk import WebClient

REPO = Path(__file__).resolve().parents[1]
SOURCES = ("bot", "handlers", "storage")
SCHEMA = "slack-manifest-schema/manifest.schema.1.0.0.json"
# Vendored (MIT, see its LICENSE and SOURCE.txt) so the test never depends on the folder
# beside the repository; ../shared holds the same file.
SCHEMA_PLACES = (REPO / "tests" / "data" / SCHEMA, REPO.parent / "shared" / SCHEMA)

# Bot scopes each Web API method needs (docs.slack.dev/reference/methods/<method>).
SCOPES_OF_METHOD: dict[str, tuple[str, ...]] = {
    "auth.test": (),
    "apps.connections.open": (),  # takes the app-level token (connections:write), no bot scope
    # chat:write.public: digests and reports go to team channels the bot may not have joined.
    "chat.postMessage": ("chat:write", "chat:write.public"),
    "chat.postEphemeral": ("chat:write",),
    "chat.update": ("chat:write",),
    "conversations.open": ("im:write",),  # the DM channel of a user
    "files.uploadV2": ("files:write",),  # files.getUploadURLExternal + completeUploadExternal
    # Slack: users:read.email "must be requested at the same time as users:read"
    # (docs.slack.dev/reference/scopes/users.read.email).
    "users.lookupByEmail": ("users:read", "users:read.email"),
    "users.info": ("users:read",),
    "views.open": (),
    "views.publish": (),
    "views.update": (),
}
# Scopes for what the manifest declares rather than for a method: the /wg command.
SCOPES_OF_FEATURES = {"commands"}


def manifest() -> dict[str, Any]:
    return yaml.safe_load((REPO / "manifest.yml").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def schema() -> dict[str, Any]:
    for place in SCHEMA_PLACES:
        if place.exists():
            return json.loads(place.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    missing = (
        f"Slack's manifest schema is missing (looked for {', '.join(map(str, SCHEMA_PLACES))})"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(missing)
    pytest.skip(missing)


def api_method(python_name: str) -> str:
    """WebClient's method name as the API method it calls (chat_postMessage → chat.postMessage)."""
    if python_name == "files_upload_v2":
        return "files.uploadV2"
    return python_name.replace("_", ".")


def web_api_calls() -> dict[str, set[str]]:
    """Web API method -> files of the product that call it."""
    client_methods = {n for n in vars(WebClient) if not n.startswith("_")}
    found: dict[str, set[str]] = {}
    for top in SOURCES:
        for path in sorted((REPO / top).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                    continue
                name = node.func.attr
                method = None
                if name in client_methods:
                    method = api_method(name)
                elif name == "api_call" and node.args and isinstance(node.args[0], ast.Constant):
                    method = str(node.args[0].value)
                if method is not None:
                    found.setdefault(method, set()).add(str(path.relative_to(REPO)))
    return found


def test_manifest_is_valid_against_slacks_schema() -> None:
    validator = jsonschema.Draft7Validator(schema())
    errors = [
        f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(manifest())
    ]
    assert errors == []
    broken = copy.deepcopy(manifest())
    broken["oauth_config"]["scopes"]["bot"] = "chat:write"  # the validator does check
    assert not validator.is_valid(broken)


def test_the_code_calls_the_web_api_methods_this_test_knows() -> None:
    calls = web_api_calls()
    assert {"chat.postMessage", "views.publish", "conversations.open"} <= set(calls), (
        "the scan finds the gateway's calls"
    )
    unknown = {m: sorted(files) for m, files in calls.items() if m not in SCOPES_OF_METHOD}
    assert unknown == {}, "add each new method with its scopes to SCOPES_OF_METHOD"


def test_every_method_called_has_its_scope_in_the_manifest() -> None:
    granted = set(manifest()["oauth_config"]["scopes"]["bot"])
    missing = {
        method: sorted(set(SCOPES_OF_METHOD.get(method, ())) - granted)
        for method in web_api_calls()
        if set(SCOPES_OF_METHOD.get(method, ())) - granted
    }
    assert missing == {}


def test_manifest_asks_for_no_scope_the_code_does_not_use() -> None:
    needed = set(SCOPES_OF_FEATURES)
    for method in web_api_calls():
        needed |= set(SCOPES_OF_METHOD.get(method, ()))
    granted = set(manifest()["oauth_config"]["scopes"]["bot"])
    assert sorted(granted - needed) == []
