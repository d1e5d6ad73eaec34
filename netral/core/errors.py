"""Domain errors. Services raise these; views and the API map them to responses."""

from __future__ import annotations


class ApplicationError(Exception):
    """A rule of the domain was broken; `message` is translated and safe to show."""

    def __init__(self, message: str, *, extra: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
