"""Fixtures shared by the service tests."""

from __future__ import annotations

import pytest

from bot.gateway import RecordingGateway
from bot.services.context import Ctx
from tests.factories import load_sample_plan, signage_team


@pytest.fixture
def team_ctx(ctx: Ctx) -> Ctx:
    """The sample plan with the signage WG; what goes to Slack is recorded, not sent."""
    load_sample_plan(ctx)
    signage_team(ctx)
    ctx.gateway = RecordingGateway()
    return ctx
