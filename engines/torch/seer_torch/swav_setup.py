"""From a `pretrain-swav` spec to everything `swav_step` needs (mirror of runtime/ssl/setup.ts).

The trunk comes from elsewhere: its function, its parameters, the width of its pooled features.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from torch import nn

from .crops import assigning_crops
from .duration import RunShape, to_steps
from .head import SwavHead
from .lars import Lars, is_batch_norm_or_bias
from .momentum import MomentumOptimizer
from .queue import EmbeddingQueue
from .schedule import schedule_from_spec
from .sgd import Sgd
from .sinkhorn import SinkhornOptions
from .spec import LarsSpec, OptimizerSpec, PretrainSwavSpec
from .swav import SwavStepSetup, Trunk, swav_parameters


@dataclass
class TrunkBinding:
    trunk: Trunk
    params: dict[str, nn.Parameter]
    feature_dim: int
    """Width of the trunk's pooled features (the head's input)."""
    steps_per_epoch: int
    """Optimiser steps per epoch of the pretraining data."""
    is_batch_norm_or_bias: Callable[[str], bool] = is_batch_norm_or_bias


@dataclass
class SwavRun:
    setup: SwavStepSetup
    total_steps: int
    run: RunShape


def swav_run_from_spec(spec: PretrainSwavSpec, trunk: TrunkBinding) -> SwavRun:
    """The head (on the trunk parameters' device), optimiser, queue, schedule and step counts of a spec."""
    batch = spec.batch
    total = to_steps(spec.duration, RunShape(trunk.steps_per_epoch, batch, math.nan))
    run = RunShape(trunk.steps_per_epoch, batch, total)
    assign = assigning_crops(spec.crops)
    device = next(iter(trunk.params.values())).device
    head = SwavHead(trunk.feature_dim, spec.head.dims, spec.head.batch_norm, spec.prototypes, spec.seed).to(device)
    params = swav_parameters(trunk.params, head)
    optimizer = make_optimizer(spec.optimizer, params, trunk.is_batch_norm_or_bias)
    queue = EmbeddingQueue(len(assign), spec.queue.length, head.embedding_dim, device) if spec.queue.length > 0 else None
    setup = SwavStepSetup(
        trunk=trunk.trunk, head=head, params=params, optimizer=optimizer, assign=assign, temperature=spec.temperature,
        sinkhorn=SinkhornOptions(spec.sinkhorn.iterations, spec.sinkhorn.epsilon),
        freeze_prototypes=to_steps(spec.freeze_prototypes, run),
        queue=queue, queue_start=to_steps(spec.queue.start, run) if queue is not None else 0,
        learning_rate=schedule_from_spec(spec.schedule, spec.optimizer.lr, run),
    )
    return SwavRun(setup, total, run)


def make_optimizer(spec: OptimizerSpec, params: dict[str, nn.Parameter], bn_or_bias: Callable[[str], bool]) -> MomentumOptimizer:
    if isinstance(spec, LarsSpec):
        return Lars(params, spec.momentum, spec.weight_decay, spec.trust, bn_or_bias if spec.exclude_bn_bias else None)
    return Sgd(params, spec.momentum, spec.nesterov, spec.weight_decay)
