"""seer checkpoints: named float32 tensors plus a JSON state, in one file (mirror of runtime/train/checkpoint.ts).

    "SEERCKPT" | u32 version | u32 header length | header JSON | tensor bytes | sha256 (32 bytes)

Little-endian; the header is {step, state, tensors: [{name, shape, offset, length}]} with the
tensors sorted by name; the sha256 covers everything before it, so a truncated or corrupted file
is detected. Files written here read back in the tfjs engine and the other way round.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

MAGIC = b"SEERCKPT"
VERSION = 1


class CheckpointError(ValueError):
    pass


@dataclass
class Checkpoint:
    step: int
    state: Any
    tensors: dict[str, npt.NDArray[np.float32]] = field(default_factory=dict)
    """float32 arrays in the tfjs engine's layouts, by checkpoint name."""


def encode_checkpoint(c: Checkpoint) -> bytes:
    entries = sorted(c.tensors.items())
    header: dict[str, Any] = {"step": c.step, "state": c.state, "tensors": []}
    offset = 0
    for name, t in entries:
        header["tensors"].append({"name": name, "shape": list(t.shape), "offset": offset, "length": int(t.size)})
        offset += t.size * 4
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    body = b"".join([MAGIC, VERSION.to_bytes(4, "little"), len(head).to_bytes(4, "little"), head, *(np.ascontiguousarray(t, dtype="<f4").tobytes() for _, t in entries)])
    return body + hashlib.sha256(body).digest()


def decode_checkpoint(data: bytes) -> Checkpoint:
    if len(data) < 16 + 32 or data[:8] != MAGIC:
        raise CheckpointError("not a seer checkpoint")
    body, digest = data[:-32], data[-32:]
    if hashlib.sha256(body).digest() != digest:
        raise CheckpointError("checksum mismatch (truncated or corrupted)")
    version = int.from_bytes(data[8:12], "little")
    if version != VERSION:
        raise CheckpointError(f"unsupported checkpoint version {version}")
    length = int.from_bytes(data[12:16], "little")
    header = json.loads(data[16:16 + length].decode("utf-8"))
    start = 16 + length
    tensors = {}
    for t in header["tensors"]:
        at = start + t["offset"]
        tensors[t["name"]] = np.frombuffer(data, dtype="<f4", count=t["length"], offset=at).reshape(t["shape"]).copy()
    return Checkpoint(header["step"], header["state"], tensors)


def write_checkpoint(path: str, c: Checkpoint) -> None:
    write_atomic(path, encode_checkpoint(c))


def write_atomic(path: str, data: bytes) -> None:
    """Readers see the old file or the new one, never half: a temp file in the same folder, fsync, rename."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_checkpoint(path: str) -> Checkpoint:
    with open(path, "rb") as f:
        return decode_checkpoint(f.read())
