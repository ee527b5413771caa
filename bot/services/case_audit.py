"""`wgbot case audit verify`: walk the audit log's hash chain and name the first broken link."""

from __future__ import annotations

from bot.domain.audit_chain import Walk
from bot.services.context import Ctx
from storage import audit_chain


def verify_audit(ctx: Ctx) -> Walk:
    """Walk the whole chain (streamed, read-only)."""
    with ctx.session() as s:
        return audit_chain.verify(s)


def verify_cli(ctx: Ctx) -> int:
    """Print one line: OK with the row count and last hash (exit 0), or the break (exit 2)."""
    import sys

    from bot.render.messages import t_plain

    walk = verify_audit(ctx)
    if walk.broken is None:
        print(t_plain(ctx.lang, "case.verify.ok", rows=walk.rows, hash=walk.last_hash))
        return 0
    key = f"case.verify.{walk.broken.problem}"
    print(f"wgbot: {t_plain(ctx.lang, key, id=walk.broken.row_id or '-')}", file=sys.stderr)
    return 2
