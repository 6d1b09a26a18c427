"""Sums and maxima across the ranks of a process group, for the parts of SwAV that need the global
batch: Sinkhorn's normalisations (swav's `distributed_sinkhorn`), the reported loss.

`LOCAL` (one process) returns its input: the single-process code path is the same code.
"""
from __future__ import annotations

from typing import Protocol

import torch
from torch import Tensor


class Reduce(Protocol):
    world: int

    def sum(self, t: Tensor) -> Tensor: ...

    def max(self, t: Tensor) -> Tensor: ...


class _Local:
    world = 1

    def sum(self, t: Tensor) -> Tensor:
        return t

    def max(self, t: Tensor) -> Tensor:
        return t


LOCAL: Reduce = _Local()


class GroupReduce:
    """All-reduce over the default process group (no gradient flows through these)."""

    def __init__(self, world: int) -> None:
        self.world = world

    def sum(self, t: Tensor) -> Tensor:
        out = t.detach().clone()
        torch.distributed.all_reduce(out, op=torch.distributed.ReduceOp.SUM)  # type: ignore[no-untyped-call]
        return out

    def max(self, t: Tensor) -> Tensor:
        out = t.detach().clone()
        torch.distributed.all_reduce(out, op=torch.distributed.ReduceOp.MAX)  # type: ignore[no-untyped-call]
        return out
