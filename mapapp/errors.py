"""One error shape: ``{"ok": false, "status", "error"}`` for data URLs, a page for HTML URLs."""

from __future__ import annotations


class MapAppError(Exception):
    """An error with an HTTP status and a message safe to show users (zh / en)."""

    def __init__(self, status: int, user_msg: str) -> None:
        super().__init__(user_msg)
        self.status = status
        self.user_msg = user_msg


def error_body(status: int, message: str) -> dict[str, object]:
    """Return the JSON body every data URL uses for errors."""
    return {"ok": False, "status": status, "error": message}
