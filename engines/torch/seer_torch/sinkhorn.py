"""Sinkhorn-Knopp codes (SwAV section 3.1; mirror of runtime/ssl/sinkhorn.ts, same ops in the same order).

For scores [N, K] of N samples (the batch rows first, then any queue rows) against K prototypes:

    Q = exp((S - max S) / eps)        the global max first, so exp never overflows
    Q = Q / sum Q
    repeat `iterations` times:
        Q[:, k] <- Q[:, k] / (K * sum_b Q[b, k])    each prototype gets mass 1/K
        Q[b, :] <- Q[b, :] / (N * sum_k Q[b, k])    each sample gets mass 1/N
    Q = Q * N                          each sample's code sums to 1

Only the first `keep_rows` rows (the batch) are returned.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from .reduce import LOCAL, Reduce


@dataclass(frozen=True)
class SinkhornOptions:
    iterations: int
    epsilon: float


def sinkhorn_knopp(scores: Tensor, opts: SinkhornOptions, keep_rows: int | None = None, reduce: Reduce = LOCAL) -> Tensor:
    """The raw Sinkhorn-Knopp ops on [N, K] scores (differentiable; use `sinkhorn` for codes).

    Across ranks (`reduce` of a process group) each rank holds some of the N rows; the max, the
    total and the per-prototype sums are all-reduced and N is the global row count, so every rank
    gets its rows of the single-process result (up to the order of float sums).
    """
    n, k = scores.shape
    keep = n if keep_rows is None else keep_rows
    if not 1 <= keep <= n:
        raise ValueError(f"Sinkhorn: cannot keep {keep} of {n} rows.")
    if not opts.epsilon > 0 or not opts.iterations >= 0:
        raise ValueError("Sinkhorn needs epsilon > 0 and iterations >= 0.")
    if reduce.world > 1:
        n = int(reduce.sum(torch.tensor([n], dtype=torch.float64)).item())
    q = torch.exp((scores - reduce.max(scores.max())) / opts.epsilon)
    q = q / reduce.sum(q.sum())
    for _ in range(opts.iterations):
        q = q / (reduce.sum(q.sum(0, keepdim=True)) * k)
        q = q / (q.sum(1, keepdim=True) * n)
    q = q * n
    return q if keep == n else q[:keep]


def sinkhorn(scores: Tensor, opts: SinkhornOptions, keep_rows: int | None = None, reduce: Reduce = LOCAL) -> Tensor:
    """Codes for the first `keep_rows` rows of `scores`, as a constant (no gradient flows back)."""
    with torch.no_grad():
        return sinkhorn_knopp(scores.detach(), opts, keep_rows, reduce)
