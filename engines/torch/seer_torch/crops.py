"""Multi-crop bookkeeping: which crops assign codes, and which share a trunk call (mirror of runtime/ssl/crops.ts)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from torch import Tensor

from .spec import CropSpec


def assigning_crops(groups: Sequence[CropSpec]) -> tuple[int, ...]:
    """Indices (in crop order) of every crop of the first group with count >= 2 (swav's `crops_for_assign`)."""
    start = 0
    for g in groups:
        if g.count >= 2:
            return tuple(range(start, start + g.count))
        start += g.count
    raise ValueError("SwAV needs a crop group with count >= 2 to compute codes from.")


@dataclass(frozen=True)
class CropRun:
    start: int
    count: int


def resolution_groups(crops: Sequence[Tensor]) -> list[CropRun]:
    """Runs of consecutive crops with the same shape: each run is one trunk call."""
    runs: list[CropRun] = []
    for i, c in enumerate(crops):
        if runs and crops[i - 1].shape == c.shape:
            runs[-1] = CropRun(runs[-1].start, runs[-1].count + 1)
        else:
            runs.append(CropRun(i, 1))
    return runs
