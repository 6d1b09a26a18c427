"""Learning-rate schedules, per optimiser step, 0-based (mirror of runtime/optim/schedule.ts).

cosine: step < W: lr = from + (peak - from) * step / W (linear warmup); then
        lr = final + (peak - final) * (1 + cos(pi * min(step / total, 1))) / 2, final = final_factor * peak.
        The cosine runs on the progress of the whole run; it does not restart after the warmup.
multistep: linear warmup from 0 to the peak over W steps, then peak * gamma^(milestones <= step).
constant:  linear warmup from 0 to the peak over W steps, then the peak.
"""
from __future__ import annotations

import math
from typing import Callable, Sequence

from .duration import RunShape, resolve_rate, to_steps
from .spec import CosineSpec, MultistepSpec, RateSpec, ScheduleSpec

LearningRate = Callable[[int], float]


def cosine_schedule(peak: float, total_steps: float, warmup_steps: int = 0, warmup_from: float = 0.0, final_factor: float = 0.001) -> LearningRate:
    final = final_factor * peak
    if not total_steps > 0:
        raise ValueError("A cosine schedule needs a positive number of steps.")

    def lr(step: int) -> float:
        if step < warmup_steps:
            return warmup_from + ((peak - warmup_from) * step) / warmup_steps
        p = min(step / total_steps, 1)
        return final + ((peak - final) * (1 + math.cos(math.pi * p))) / 2

    return lr


def multistep_schedule(peak: float, milestones: Sequence[int], gamma: float, warmup_steps: int = 0) -> LearningRate:
    ordered = sorted(milestones)

    def lr(step: int) -> float:
        if step < warmup_steps:
            return (peak * step) / warmup_steps
        rate = peak
        for m in ordered:
            if step >= m:
                rate *= gamma
        return rate

    return lr


def constant_schedule(peak: float, warmup_steps: int = 0) -> LearningRate:
    return lambda step: (peak * step) / warmup_steps if step < warmup_steps else peak


def schedule_from_spec(spec: ScheduleSpec, lr: RateSpec | float, run: RunShape) -> LearningRate:
    """The per-step rate of a spec: `lr` (and a cosine's `warmup_from`) for the run's global batch, durations in steps."""
    peak = resolve_rate(lr, run.batch)
    warmup = to_steps(spec.warmup, run)
    if isinstance(spec, CosineSpec):
        return cosine_schedule(peak, run.total_steps, warmup, resolve_rate(spec.warmup_from, run.batch), spec.final_factor)
    if isinstance(spec, MultistepSpec):
        return multistep_schedule(peak, [to_steps(m, run) for m in spec.milestones], spec.gamma, warmup)
    return constant_schedule(peak, warmup)
