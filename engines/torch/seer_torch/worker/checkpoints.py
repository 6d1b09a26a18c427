"""A stage's checkpoint folder, as the tfjs engine keeps it (runtime/train/checkpoint.ts):
`ckpt-<step, 9 digits>.seerckpt`, written atomically, the newest `keep` kept; on resume the
newest one that reads back intact wins and corrupt newer ones are reported and skipped.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from ..checkpoint import Checkpoint, CheckpointError, read_checkpoint, write_checkpoint

_FILE = re.compile(r"^ckpt-(\d{9})\.seerckpt$")


def checkpoint_path(folder: str, step: int) -> str:
    return os.path.join(folder, f"ckpt-{step:09d}.seerckpt")


def list_checkpoints(folder: str) -> list[tuple[int, str]]:
    if not os.path.isdir(folder):
        return []
    found = [(int(m.group(1)), os.path.join(folder, f)) for f in os.listdir(folder) if (m := _FILE.match(f))]
    return sorted(found)


def save_checkpoint(folder: str, c: Checkpoint, keep: int) -> str:
    os.makedirs(folder, exist_ok=True)
    path = checkpoint_path(folder, c.step)
    write_checkpoint(path, c)
    everything = list_checkpoints(folder)
    for _, old in everything[:max(0, len(everything) - keep)]:
        try:
            os.unlink(old)
        except FileNotFoundError:
            pass
    return path


@dataclass
class Latest:
    checkpoint: Checkpoint | None = None
    file: str | None = None
    skipped: list[tuple[str, str]] = field(default_factory=list)


def load_latest(folder: str) -> Latest:
    out = Latest()
    for _, path in reversed(list_checkpoints(folder)):
        try:
            out.checkpoint, out.file = read_checkpoint(path), path
            return out
        except (CheckpointError, OSError, ValueError) as e:
            out.skipped.append((path, str(e)))
    return out
