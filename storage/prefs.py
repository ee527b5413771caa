"""Queries of the users' settings (user_pref); keyword-only, each takes the session."""

from __future__ import annotations

from collections.abc import Collection

from sqlmodel import Session, col, select

from storage.models import UserPref


def prefs_of(session: Session, *, user_ids: Collection[str]) -> dict[str, UserPref]:
    """The settings of these users, by user id (a user who never set any is absent)."""
    stmt = select(UserPref).where(col(UserPref.user_id).in_(user_ids))
    return {p.user_id: p for p in session.exec(stmt)}
