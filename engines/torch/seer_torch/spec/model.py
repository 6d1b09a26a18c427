"""A RegNet trunk as the contract states it (`ModelSpec` of `contract/specs.ts`): fully expanded stages."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .read import Node


@dataclass(frozen=True)
class RegNetStageSpec:
    """One stage: `depth` blocks of output `width`; the 3x3 conv has `bottleneck_width / group_width` groups."""

    depth: int
    width: int
    group_width: int
    bottleneck_width: int


@dataclass(frozen=True)
class GeneratorSpec:
    """The generating parameters (pycls), for people and provenance; the engine builds from `stages`."""

    depth: int
    w0: float
    wa: float
    wm: float
    group_width: int
    bottleneck: float


@dataclass(frozen=True)
class ModelSpec:
    """A trunk: an engine builds it from `stages` alone; taps are `stem`, `res2`..`resN`, `pool`."""

    name: str
    family: Literal["X", "Y"]
    stem_width: int
    se_ratio: float | None
    zero_init_residual: bool
    stages: tuple[RegNetStageSpec, ...]
    generator: GeneratorSpec
    input_size: int
    taps: tuple[str, ...]


def parse_model(n: Node) -> ModelSpec:
    f = n.fields(["name", "family", "stem_width", "se_ratio", "zero_init_residual", "stages", "generator", "input_size", "taps"])
    stages = []
    for s in f["stages"].items(min_items=1):
        sf = s.fields(["depth", "width", "group_width", "bottleneck_width"])
        stages.append(RegNetStageSpec(*(sf[k].integer(1) for k in ("depth", "width", "group_width", "bottleneck_width"))))
    g = f["generator"].fields(["depth", "w0", "wa", "wm", "group_width", "bottleneck"])
    generator = GeneratorSpec(g["depth"].integer(1), g["w0"].number(), g["wa"].number(), g["wm"].number(), g["group_width"].integer(1), g["bottleneck"].number())
    return ModelSpec(
        name=f["name"].string(),
        family=f["family"].enum("X", "Y"),  # type: ignore[arg-type]
        stem_width=f["stem_width"].integer(1),
        se_ratio=f["se_ratio"].nullable(lambda x: x.number(above=0)),
        zero_init_residual=f["zero_init_residual"].boolean(),
        stages=tuple(stages),
        generator=generator,
        input_size=f["input_size"].integer(1),
        taps=tuple(t.string() for t in f["taps"].items(min_items=1)),
    )
