"""The tfjs engine's seeded streams: its stream seeds, and its uniforms bit for bit.

`stream_seed` is runtime/tfjs/init.ts `streamSeed`; `seeded_uniform` is runtime/ssl/init.ts
`seededUniform`.

FNV-1a of the name mixed with the seed picks a mulberry32 stream; mulberry32 is a counter-based
generator (its state only advances by a constant), so the stream is computed vectorised with
numpy's unsigned 64-bit arithmetic, masked to 32 bits as JavaScript's `Math.imul` and `>>> 0`.
The SwAV head and the prototypes start from the same float32 values in both engines.
"""
from __future__ import annotations

from typing import cast

import numpy as np
import numpy.typing as npt

_MASK = np.uint64(0xFFFFFFFF)
_FNV_BASIS = 0x811C9DC5


def _fnv1a(text: str, basis: int) -> int:
    """32-bit FNV-1a over the characters of `text` (ASCII: one UTF-16 code unit each, as JavaScript hashes them)."""
    if not text.isascii():
        raise ValueError(f"seeded streams are named in ASCII, got {text!r}")
    h = basis
    for ch in text:
        h ^= ord(ch)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def stream_seed(seed: int, name: str) -> int:
    """The seed of parameter `name`'s stream: FNV-1a of `{seed}/{name}` (tfjs `streamSeed`)."""
    return _fnv1a(f"{seed}/{name}", _FNV_BASIS)


U32 = npt.NDArray[np.uint64]


def _imul(a: U32, b: U32) -> U32:
    return cast(U32, (a * b) & _MASK)


_CHUNK = 1 << 22


def seeded_uniform(seed: int, name: str, size: int, bound: float) -> npt.NDArray[np.float32]:
    """`size` float32 values uniform in [-bound, bound), the stream of (seed, name); computed in chunks (a SEER-10B head layer has 2.3e8)."""
    state = np.uint64(_fnv1a(name, (_FNV_BASIS ^ (seed & 0xFFFFFFFF)) & 0xFFFFFFFF))
    out = np.empty(size, dtype=np.float32)
    for start in range(0, size, _CHUNK):
        i = np.arange(start + 1, min(size, start + _CHUNK) + 1, dtype=np.uint64)
        a = (state + i * np.uint64(0x6D2B79F5)) & _MASK
        t = _imul(a ^ (a >> np.uint64(15)), a | np.uint64(1))
        t = t ^ ((t + _imul(t ^ (t >> np.uint64(7)), t | np.uint64(61))) & _MASK)
        u = (t ^ (t >> np.uint64(14))).astype(np.float64) / 4294967296.0
        out[start:start + len(i)] = (2.0 * u - 1.0) * bound
    return out
