"""A stage spec's durations and rates turned into steps and plain numbers (mirror of runtime/optim/duration.ts)."""
from __future__ import annotations

import math
from dataclasses import dataclass

from .spec import DurationSpec, RateSpec


@dataclass(frozen=True)
class RunShape:
    steps_per_epoch: int
    """Optimiser steps in one epoch."""
    batch: int
    """Global batch in images."""
    total_steps: float
    """Length of the whole run in steps (NaN while unknown: a `run_fraction` then fails)."""


def js_round(x: float) -> int:
    """JavaScript's `Math.round` for x >= 0: ties go up (Python's `round` sends them to even)."""
    lower = math.floor(x)
    return lower + 1 if x - lower >= 0.5 else lower


def to_steps(d: DurationSpec, run: RunShape) -> int:
    """A duration in optimiser steps, rounded to the nearest step (ties up): images / batch, epochs x steps per epoch, run_fraction x total."""
    if d.unit == "steps":
        steps = d.value
    elif d.unit == "images":
        steps = d.value / run.batch
    elif d.unit == "epochs":
        steps = d.value * run.steps_per_epoch
    else:
        if not math.isfinite(run.total_steps):
            raise ValueError("A fraction of the run needs the run's length in steps.")
        steps = d.value * run.total_steps
    if not math.isfinite(steps) or steps < 0:
        raise ValueError(f"Cannot turn {d.value} {d.unit} into steps.")
    return js_round(steps)


def resolve_rate(rate: RateSpec | float, batch: int) -> float:
    """The rate for a global batch: value x batch / per_images, else value (the spec's `resolved` at its own batch)."""
    if isinstance(rate, (int, float)):
        return float(rate)
    if rate.per_images is None:
        return rate.value
    return (rate.value * batch) / rate.per_images
