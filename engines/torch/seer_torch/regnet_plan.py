"""The per-block plan of a RegNet trunk from its `ModelSpec` (mirror of runtime/tfjs/regnet-arch.ts).

Every block's widths, stride, groups, SE width and shortcut kind; pycls `anynet.py` structure
(shared/reference/regnet.md section 3). The SE width is roundHalfEven(se_ratio x block *input*
width), as pycls, ClassyVision, torchvision and timm compute it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .spec import ModelSpec


def round_half_even(x: float) -> int:
    """Nearest integer, an exact tie to the even neighbour (core/round.ts `roundHalfEven`)."""
    lower = math.floor(x)
    fraction = x - lower
    if fraction < 0.5:
        return lower
    if fraction > 0.5:
        return lower + 1
    return lower if lower % 2 == 0 else lower + 1


@dataclass(frozen=True)
class BlockPlan:
    name: str
    """pycls name `s{stage}.b{block}`, both 1-based."""
    stage: int
    in_width: int
    out_width: int
    bottleneck_width: int
    groups: int
    stride: int
    se_width: int
    """0 when the block has no squeeze-excitation."""
    projection: bool


def se_ratio_of(model: ModelSpec) -> float | None:
    """The SE ratio the trunk uses: the spec's for family Y, none for X (`archFromSpec`)."""
    return model.se_ratio if model.family == "Y" else None


def validate(model: ModelSpec) -> None:
    """The checks of `validateArch`, with its messages."""
    if model.stem_width < 1:
        raise ValueError(f"RegNet: stemWidth must be a positive integer, got {model.stem_width}")
    if not model.stages:
        raise ValueError("RegNet: at least one stage is needed")
    ratio = se_ratio_of(model)
    if model.family == "Y" and (ratio is None or not ratio > 0):
        raise ValueError("RegNet: family Y needs a positive seRatio")
    for i, s in enumerate(model.stages, start=1):
        for what, v in (("depth", s.depth), ("width", s.width), ("groupWidth", s.group_width), ("bottleneckWidth", s.bottleneck_width)):
            if v < 1:
                raise ValueError(f"RegNet: stage {i} {what} must be a positive integer, got {v}")
        if s.bottleneck_width % s.group_width != 0:
            raise ValueError(f"RegNet: stage {i} bottleneck width {s.bottleneck_width} is not a multiple of group width {s.group_width}")


def plan_blocks(model: ModelSpec) -> list[BlockPlan]:
    """Every block in order (`planBlocks`): stride 2 on each stage's first block, projection when the shape changes."""
    validate(model)
    ratio = se_ratio_of(model)
    blocks: list[BlockPlan] = []
    in_width = model.stem_width
    for si, st in enumerate(model.stages, start=1):
        for bi in range(1, st.depth + 1):
            stride = 2 if bi == 1 else 1
            se_width = 0 if ratio is None else round_half_even(ratio * in_width)
            if ratio is not None and se_width < 1:
                raise ValueError(f"RegNet: SE width rounds to 0 in stage {si}")
            blocks.append(BlockPlan(
                name=f"s{si}.b{bi}", stage=si, in_width=in_width, out_width=st.width, bottleneck_width=st.bottleneck_width,
                groups=st.bottleneck_width // st.group_width, stride=stride, se_width=se_width,
                projection=in_width != st.width or stride != 1,
            ))
            in_width = st.width
    return blocks


def tap_names(model: ModelSpec) -> list[str]:
    """`stem`, `res2`..`res{n+1}` (after stage 1..n), `pool` (`tapNames`)."""
    return ["stem", *(f"res{i + 2}" for i in range(len(model.stages))), "pool"]
