"""Domain errors that the one error boundary turns into a user message."""

from __future__ import annotations


class WgbotError(Exception):
    """Base: carries a message key and its arguments for the catalogue."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class InvalidInput(WgbotError):
    """The user typed something we cannot use; nothing was changed."""


class NotFound(WgbotError):
    """No such record, or one the user may not know exists."""


class PermissionDenied(WgbotError):
    """The user may not do this."""
