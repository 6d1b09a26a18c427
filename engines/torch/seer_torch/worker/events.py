"""What the worker tells the Node side: one JSON object per line on stdout (rank 0 only, except
errors, which every rank reports). Kinds: `log` {text}, `progress` {step, total}, `done`
{result}, `error` {category, message, rank}. Categories map to seer's exit codes: `data` and
`environment` 3, `spec` 1, `internal` 70.
"""
from __future__ import annotations

import json
import sys
from typing import Any


def emit(event: str, **fields: Any) -> None:
    sys.stdout.write(json.dumps({"event": event, **fields}) + "\n")
    sys.stdout.flush()


def log(text: str) -> None:
    emit("log", text=text)
