"""`wgbot case audit verify`: walk the audit log's hash chain and name the first broken link."""

from __future__ import annotations

from bot.domain.audit_chain import Walk
from bot.services.context import Ctx
from storage import audit_chain


def verify_audit(ctx: Ctx) -> Walk:
    """Walk the whole chain (streamed, read-only)."""
    with ctx.session() as s:
        return audit_chain.verify(s)
