"""The SwAV swapped-prediction loss over multi-crop embeddings (mirror of runtime/ssl/loss.ts).

`z` holds the L2-normalised embeddings of all V crops, crop-major: rows [v*B, (v+1)*B) are crop
v of the B images. With scores S = z C^T and p_v = softmax(S_v / tau):

    for every assigning crop a: q_a = Sinkhorn(S_a [; queue_a C^T]) restricted to the batch rows,
                                a constant (no gradient);
    L = (1/|A|) sum_a (1/(V-1)) sum_{v != a} -(1/B) sum_b sum_k q_a[b,k] log p_v[b,k]

sum_{v != a} log p_v is computed once as sum_v log p_v - log p_a.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from .reduce import LOCAL, Reduce
from .sinkhorn import SinkhornOptions, sinkhorn


@dataclass(frozen=True)
class SwappedLossOptions:
    crops: int
    """Number of crops V (z has V*B rows)."""
    assign: tuple[int, ...]
    """Indices of the crops whose codes are computed (SwAV's `crops_for_assign`)."""
    temperature: float
    sinkhorn: SinkhornOptions
    reduce: Reduce = LOCAL
    """Across ranks: Sinkhorn's sums over the global batch (and every rank's queue)."""


def codes_for(scores: Tensor, prototypes: Tensor, queue: Tensor | None, opts: SinkhornOptions, reduce: Reduce = LOCAL) -> Tensor:
    """Codes for the B rows of `scores`; the queue's embeddings [L, D], scored against the current prototypes, join Sinkhorn only."""
    if queue is None:
        return sinkhorn(scores, opts, reduce=reduce)
    with torch.no_grad():
        queue_scores = queue @ prototypes.detach().t()
        return sinkhorn(torch.cat([scores.detach(), queue_scores], 0), opts, scores.shape[0], reduce)


def swapped_loss(z: Tensor, prototypes: Tensor, opts: SwappedLossOptions, queue: Tensor | None = None) -> Tensor:
    """The loss for embeddings z [V*B, D] and prototypes [K, D]; `queue`, when given, is [|A|, L, D] (block i: crop assign[i])."""
    v = opts.crops
    rows, d = z.shape
    k = prototypes.shape[0]
    b = rows // v
    if v < 2 or b * v != rows or b < 1:
        raise ValueError(f"Swapped loss: {rows} embedding rows do not split into {v} >= 2 crops.")
    if not opts.assign or any(a < 0 or a >= v for a in opts.assign):
        raise ValueError(f"Swapped loss: assigning crops {list(opts.assign)} are not crops of 0..{v - 1}.")
    if queue is not None and (queue.shape[0] != len(opts.assign) or queue.shape[2] != d):
        raise ValueError(f"Swapped loss: queue of shape {list(queue.shape)} does not fit {len(opts.assign)} assigning crops of dimension {d}.")
    scores = z @ prototypes.t()
    logp = torch.log_softmax(scores / opts.temperature, dim=1)
    sum_logp = logp.reshape(v, b, k).sum(0)
    per_crop = []
    for i, a in enumerate(opts.assign):
        codes = codes_for(scores[a * b:(a + 1) * b], prototypes, None if queue is None else queue[i], opts.sinkhorn, opts.reduce)
        others = sum_logp - logp[a * b:(a + 1) * b]
        per_crop.append(-(codes * others).sum())
    return torch.stack(per_crop).sum() / (b * (v - 1) * len(opts.assign))
