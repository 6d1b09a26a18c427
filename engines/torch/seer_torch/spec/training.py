"""Training quantities of the contract (`contract/specs.ts`): durations, rates, optimisers, schedules."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Union

from .read import Node

DurationUnit = Literal["steps", "epochs", "images", "run_fraction"]


@dataclass(frozen=True)
class DurationSpec:
    """A length of training: optimiser steps, epochs of the data, images, or a fraction of the run."""

    unit: DurationUnit
    value: float


@dataclass(frozen=True)
class RateSpec:
    """A learning rate: `value`, or `value` per `per_images` images; `resolved` is it at the spec's batch."""

    resolved: float
    value: float
    per_images: float | None


@dataclass(frozen=True)
class LarsSpec:
    lr: RateSpec
    momentum: float
    weight_decay: float
    trust: float
    exclude_bn_bias: bool
    kind: Literal["lars"] = "lars"


@dataclass(frozen=True)
class SgdSpec:
    lr: RateSpec
    momentum: float
    nesterov: bool
    weight_decay: float
    kind: Literal["sgd"] = "sgd"


OptimizerSpec = Union[LarsSpec, SgdSpec]


@dataclass(frozen=True)
class CosineSpec:
    warmup: DurationSpec
    warmup_from: RateSpec
    final_factor: float
    kind: Literal["cosine"] = "cosine"


@dataclass(frozen=True)
class MultistepSpec:
    milestones: tuple[DurationSpec, ...]
    gamma: float
    warmup: DurationSpec
    kind: Literal["multistep"] = "multistep"


@dataclass(frozen=True)
class ConstantSpec:
    warmup: DurationSpec
    kind: Literal["constant"] = "constant"


ScheduleSpec = Union[CosineSpec, MultistepSpec, ConstantSpec]


def parse_duration(n: Node) -> DurationSpec:
    f = n.fields(["unit", "value"])
    unit = f["unit"].enum("steps", "epochs", "images", "run_fraction")
    return DurationSpec(unit, f["value"].number(minimum=0))  # type: ignore[arg-type]


def parse_rate(n: Node) -> RateSpec:
    f = n.fields(["resolved", "value", "per_images"])
    return RateSpec(f["resolved"].number(), f["value"].number(), f["per_images"].nullable(lambda x: x.number(above=0)))


def parse_optimizer(n: Node) -> OptimizerSpec:
    kind = n.peek("kind").enum("lars", "sgd")
    if kind == "lars":
        f = n.fields(["kind", "lr", "momentum", "weight_decay", "trust", "exclude_bn_bias"])
        return LarsSpec(parse_rate(f["lr"]), f["momentum"].fraction(), f["weight_decay"].number(minimum=0), f["trust"].number(above=0), f["exclude_bn_bias"].boolean())
    f = n.fields(["kind", "lr", "momentum", "nesterov", "weight_decay"])
    return SgdSpec(parse_rate(f["lr"]), f["momentum"].fraction(), f["nesterov"].boolean(), f["weight_decay"].number(minimum=0))


def parse_schedule(n: Node) -> ScheduleSpec:
    kind = n.peek("kind").enum("cosine", "multistep", "constant")
    if kind == "cosine":
        f = n.fields(["kind", "warmup", "warmup_from", "final_factor"])
        return CosineSpec(parse_duration(f["warmup"]), parse_rate(f["warmup_from"]), f["final_factor"].fraction())
    if kind == "multistep":
        f = n.fields(["kind", "milestones", "gamma", "warmup"])
        return MultistepSpec(tuple(parse_duration(m) for m in f["milestones"].items()), f["gamma"].fraction(), parse_duration(f["warmup"]))
    f = n.fields(["kind", "warmup"])
    return ConstantSpec(parse_duration(f["warmup"]))
