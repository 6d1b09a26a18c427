"""One SwAV training step (mirror of runtime/ssl/swav-step.ts):

  1. one trunk call per run of equal-resolution crops (the run's crops concatenated); the pooled
     features of all crops concatenated in crop order and passed through the head together (so
     the head's BN sees every crop, as swav and VISSL do);
  2. the swapped-prediction loss, with the queue once it is active and full;
  3. gradients; the prototypes get none while frozen (swav's `p.grad = None`: no momentum, no decay);
  4. the optimiser update with the scheduled learning rate, then unit-norm prototypes;
  5. the assigning crops' embeddings pushed onto the queue (from the queue's start on).

The trunk and the head must be in training mode (`.train()`); the caller owns them.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Callable, ContextManager, Sequence

import torch
from torch import Tensor, nn

from .crops import resolution_groups
from .head import PROTOTYPES, SwavHead
from .loss import SwappedLossOptions, swapped_loss
from .momentum import MomentumOptimizer
from .queue import EmbeddingQueue
from .reduce import LOCAL, Reduce
from .schedule import LearningRate
from .sinkhorn import SinkhornOptions

Trunk = Callable[[Tensor], Tensor]
"""Images [N, C, H, W] -> pooled features [N, F]."""


@dataclass
class SwavStepSetup:
    trunk: Trunk
    head: SwavHead
    params: dict[str, nn.Parameter]
    """Every trainable parameter by name: the trunk's and the head's (`swav_parameters`)."""
    optimizer: MomentumOptimizer
    assign: tuple[int, ...]
    temperature: float
    sinkhorn: SinkhornOptions
    freeze_prototypes: int
    """The prototypes are frozen during steps 0 .. freeze_prototypes - 1."""
    queue: EmbeddingQueue | None
    queue_start: int
    """The step from which the queue is filled (and used once full)."""
    learning_rate: LearningRate
    reduce: Reduce = LOCAL
    """Across ranks: Sinkhorn over the global batch, the loss averaged for reporting."""
    autocast: Callable[[], ContextManager[None]] = contextlib.nullcontext
    """`precision: mixed`: the trunk and head run under autocast (bf16); the loss and Sinkhorn stay in fp32."""
    sync_gradients: Callable[[dict[str, nn.Parameter]], None] | None = None
    """Across ranks: averages the gradients after the backward pass (data parallelism)."""


@dataclass(frozen=True)
class SwavStepResult:
    loss: float
    lr: float
    used_queue: bool
    prototypes_frozen: bool


def swav_parameters(trunk_params: dict[str, nn.Parameter], head: SwavHead) -> dict[str, nn.Parameter]:
    """The trunk's and the head's parameters in one map; names must not collide."""
    out = dict(trunk_params)
    for name, p in head.named_parameters():
        if name in out:
            raise ValueError(f"Trunk parameter `{name}` collides with a head parameter.")
        out[name] = p
    return out


def swav_step(s: SwavStepSetup, crops: Sequence[Tensor], step: int) -> SwavStepResult:
    """Runs step number `step` (0-based) on `crops`, one [B, C, H, W] tensor per crop in recipe order."""
    if not crops or any(c.shape[0] != crops[0].shape[0] for c in crops):
        raise ValueError("Every crop needs the same batch size.")
    batch = crops[0].shape[0]
    frozen = step < s.freeze_prototypes
    queue = s.queue if s.queue is not None and step >= s.queue_start else None
    use_queue = queue is not None and queue.full
    lr = s.learning_rate(step)

    s.optimizer.zero_grad(set_to_none=True)
    with s.autocast():
        features = [s.trunk(torch.cat(list(crops[g.start:g.start + g.count]), 0) if g.count > 1 else crops[g.start]) for g in resolution_groups(crops)]
        z = s.head.embed(features[0] if len(features) == 1 else torch.cat(features, 0))
    z = z.float()
    stash = assign_rows(z.detach(), s.assign, batch) if queue is not None else None
    opts = SwappedLossOptions(len(crops), s.assign, s.temperature, s.sinkhorn, s.reduce)
    loss = swapped_loss(z, s.head.prototypes.weight, opts, queue.embeddings() if use_queue and queue is not None else None)
    torch.autograd.backward([loss])
    if s.sync_gradients is not None:
        s.sync_gradients(s.params)
    if frozen:
        s.params[PROTOTYPES].grad = None
    s.optimizer.set_lr(lr)
    s.optimizer.step()
    s.head.normalize_prototypes()
    if queue is not None and stash is not None:
        queue.push(stash)
    reported = loss.detach() if s.reduce.world == 1 else s.reduce.sum(loss.detach()) / s.reduce.world
    return SwavStepResult(float(reported), lr, use_queue, frozen)


def assign_rows(z: Tensor, assign: Sequence[int], batch: int) -> Tensor:
    """The embeddings of the assigning crops, [A, B, D]."""
    return torch.stack([z[a * batch:(a + 1) * batch] for a in assign], 0)
