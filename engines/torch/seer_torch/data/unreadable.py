"""`unreadable.json` in the work folder: the image files a pretraining could not decode (each replaced by
the next image), the same format the tfjs engine writes (runtime/data/unreadable.ts):
`{"count": N, "files": [{"path", "reason"}]}`, every file by the path the job names, each once. The
Node executor publishes it (paths relative to the dataset root, the first 100 listed). Nothing is
written while the list is empty, so a clean run's work folder is as before.
"""
from __future__ import annotations

import json
import os
from typing import Any

from ..checkpoint import write_atomic

UNREADABLE_FILE = "unreadable.json"


def read_unreadable(out_dir: str) -> dict[str, str]:
    """The files an earlier attempt in this work folder met (path -> reason); empty when none or unreadable."""
    try:
        with open(os.path.join(out_dir, UNREADABLE_FILE), encoding="utf-8") as f:
            v: Any = json.load(f)
    except (OSError, ValueError):
        return {}
    files = v.get("files") if isinstance(v, dict) else None
    if not isinstance(files, list):
        return {}
    return {f["path"]: f["reason"] for f in files if isinstance(f, dict) and isinstance(f.get("path"), str) and isinstance(f.get("reason"), str)}


def write_unreadable(out_dir: str, files: dict[str, str]) -> None:
    if not files:
        return
    body = {"count": len(files), "files": [{"path": p, "reason": r} for p, r in files.items()]}
    write_atomic(os.path.join(out_dir, UNREADABLE_FILE), (json.dumps(body, indent=2) + "\n").encode())
