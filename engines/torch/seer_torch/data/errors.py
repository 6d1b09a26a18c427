"""A problem with the data a job reads (a missing or unreadable file): the worker reports it as a data error (exit 3)."""
from __future__ import annotations


class DataError(Exception):
    pass


class ImageUnreadable(DataError):
    """One image file that cannot be decoded: the batches replace it by the next image and report it."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"cannot read image {path}: {reason}")
        self.path = path
        self.reason = reason
