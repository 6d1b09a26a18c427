"""The `pretrain-swav` and `random-init` stage specs (`contract/specs.ts`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .data import DataRefSpec, parse_data_ref
from .model import ModelSpec, parse_model
from .read import Node
from .training import DurationSpec, OptimizerSpec, ScheduleSpec, parse_duration, parse_optimizer, parse_schedule


@dataclass(frozen=True)
class CropSpec:
    """`count` crops of `size` px covering a fraction `scale` = (low, high) of the image area."""

    count: int
    size: int
    scale: tuple[float, float]


@dataclass(frozen=True)
class AugmentSpec:
    flip: float
    rotate: float
    jitter: float
    strength: float
    grayscale: float
    blur: float
    blur_sigma: tuple[float, float]


@dataclass(frozen=True)
class HeadSpec:
    """Output widths of the projection's linear layers (the last is the embedding size) and BN."""

    dims: tuple[int, ...]
    batch_norm: bool


@dataclass(frozen=True)
class SinkhornSpec:
    iterations: int
    epsilon: float


@dataclass(frozen=True)
class QueueSpec:
    """`length` past embeddings per assigning crop (0: no queue), filled from `start` on."""

    length: int
    start: DurationSpec


@dataclass(frozen=True)
class CheckpointSpec:
    every: DurationSpec
    keep: int


@dataclass(frozen=True)
class PretrainSwavSpec:
    model: ModelSpec
    data: DataRefSpec
    crops: tuple[CropSpec, ...]
    augment: AugmentSpec
    head: HeadSpec
    prototypes: int
    temperature: float
    sinkhorn: SinkhornSpec
    queue: QueueSpec
    freeze_prototypes: DurationSpec
    optimizer: OptimizerSpec
    schedule: ScheduleSpec
    batch: int
    """Global batch, images."""
    duration: DurationSpec
    precision: Literal["fp32", "mixed"]
    sharding: Literal["none", "full"]
    """How the run is laid out for memory (`full`: FSDP); plans count it, this engine does not shard yet."""
    activation_checkpointing: bool
    """Recompute activations in the backward pass; plans count it, this engine does not checkpoint yet."""
    engine: str | None
    """The engine the recipe pins (`tfjs`, `torch`), None: the run's choice."""
    seed: int
    checkpoint: CheckpointSpec


@dataclass(frozen=True)
class RandomInitSpec:
    model: ModelSpec
    seed: int


PRETRAIN_FIELDS = [
    "model", "data", "crops", "augment", "head", "prototypes", "temperature", "sinkhorn", "queue",
    "freeze_prototypes", "optimizer", "schedule", "batch", "duration", "precision", "sharding",
    "activation_checkpointing", "engine", "seed", "checkpoint",
]


def parse_crop(n: Node) -> CropSpec:
    f = n.fields(["count", "size", "scale"])
    return CropSpec(f["count"].integer(1), f["size"].integer(1), f["scale"].pair(Node.fraction))


def parse_augment(n: Node) -> AugmentSpec:
    f = n.fields(["flip", "rotate", "jitter", "strength", "grayscale", "blur", "blur_sigma"])
    return AugmentSpec(
        f["flip"].fraction(), f["rotate"].number(0, 180), f["jitter"].fraction(), f["strength"].fraction(),
        f["grayscale"].fraction(), f["blur"].fraction(), f["blur_sigma"].pair(lambda x: x.number(minimum=0)),
    )


def parse_pretrain_swav(n: Node) -> PretrainSwavSpec:
    f = n.fields(PRETRAIN_FIELDS)
    head = f["head"].fields(["dims", "batch_norm"])
    sk = f["sinkhorn"].fields(["iterations", "epsilon"])
    queue = f["queue"].fields(["length", "start"])
    ck = f["checkpoint"].fields(["every", "keep"])
    return PretrainSwavSpec(
        model=parse_model(f["model"]),
        data=parse_data_ref(f["data"]),
        crops=tuple(parse_crop(c) for c in f["crops"].items(min_items=1)),
        augment=parse_augment(f["augment"]),
        head=HeadSpec(tuple(d.integer(1) for d in head["dims"].items(min_items=1)), head["batch_norm"].boolean()),
        prototypes=f["prototypes"].integer(1),
        temperature=f["temperature"].number(above=0),
        sinkhorn=SinkhornSpec(sk["iterations"].integer(1), sk["epsilon"].number(above=0)),
        queue=QueueSpec(queue["length"].integer(), parse_duration(queue["start"])),
        freeze_prototypes=parse_duration(f["freeze_prototypes"]),
        optimizer=parse_optimizer(f["optimizer"]),
        schedule=parse_schedule(f["schedule"]),
        batch=f["batch"].integer(1),
        duration=parse_duration(f["duration"]),
        precision=f["precision"].enum("fp32", "mixed"),  # type: ignore[arg-type]
        sharding=f["sharding"].enum("none", "full"),  # type: ignore[arg-type]
        activation_checkpointing=f["activation_checkpointing"].boolean(),
        engine=f["engine"].nullable(lambda n: n.enum("tfjs", "torch")),
        seed=f["seed"].integer(),
        checkpoint=CheckpointSpec(parse_duration(ck["every"]), ck["keep"].integer(1)),
    )


def parse_random_init(n: Node) -> RandomInitSpec:
    f = n.fields(["model", "seed"])
    return RandomInitSpec(parse_model(f["model"]), f["seed"].integer())
