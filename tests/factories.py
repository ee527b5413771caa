"""Plain-function test factories: the sample plan, teams and tasks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.commands import Reply, run_command
from bot.services.context import Ctx
from bot.services.plans import import_plan, read_plan_file

SAMPLE_PLAN = Path(__file__).resolve().parents[1] / "bot" / "samples" / "wakamatsu-fy2024.yaml"


def load_sample_plan(ctx: Ctx) -> None:
    """Import the demo ward's plan."""
    import_plan(ctx, data=read_plan_file(SAMPLE_PLAN))


def operator_shell(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """`wgbot` as an operator runs it: in tmp_path, settings only from this environment,
    on a SQLite file there; returns its DATABASE_URL."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(("SLACK_", "WGBOT_", "DATABASE_URL")):
            monkeypatch.delenv(name)
    url = f"sqlite:///{tmp_path / 'wgbot.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def wg(ctx: Ctx, text: str, *, user: str = "U1", trigger_id: str | None = None) -> Reply:
    """Run one `/wg` line as a user, as the console and Slack do."""
    return run_command(ctx, user=user, text=text, trigger_id=trigger_id)


def signage_team(ctx: Ctx, *, lead: str = "U1", members: tuple[str, ...] = ("U2",)) -> None:
    """The signage WG on theme A(2), with a lead and members."""
    wg(ctx, "team new 案内表示WG kind:WG theme:A(2) <#C0SIGN|signage>", user=lead)
    if members:
        wg(ctx, "team add 案内表示WG " + " ".join(f"<@{m}>" for m in members), user=lead)


# Who is who in the signage WG of the access tests: role -> (user, may change its tasks).
# U3 wrote the tasks and U5 was a member; both are then taken off the team.
ACCESS_ROLES = {
    "assignee": ("U4", True),  # assigned, not on the team
    "member": ("U2", True),
    "lead": ("U1", True),
    "creator_not_member": ("U3", False),
    "stranger": ("U9", False),
    "removed_member": ("U5", False),
}
