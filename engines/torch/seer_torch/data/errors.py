"""A problem with the data a job reads (a missing or unreadable file): the worker reports it as a data error (exit 3)."""
from __future__ import annotations


class DataError(Exception):
    pass
