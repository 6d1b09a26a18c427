"""Trunk weights in checkpoints: `trunk/<pycls name>` tensors in the tfjs engine's layouts (mirror of runtime/train/weights.ts).

Names are the same in both engines (the trunk's `state_dict` keys, BN running statistics
included, `num_batches_tracked` left out). Layouts differ: tfjs conv weights are HWIO
[kh, kw, in/groups, out], torch's OIHW [out, in/groups, kh, kw].
"""
from __future__ import annotations

from typing import cast

import numpy as np
import numpy.typing as npt
import torch
from torch import nn

from .checkpoint import Checkpoint


def trunk_name(name: str) -> str:
    return f"trunk/{name}"


def _trunk_state(trunk: nn.Module) -> dict[str, torch.Tensor]:
    return {k: v for k, v in trunk.state_dict().items() if not k.endswith("num_batches_tracked")}


Array = npt.NDArray[np.float32]


def to_tfjs(t: torch.Tensor) -> Array:
    a = t.detach().to("cpu", torch.float32)
    return cast(Array, (a.permute(2, 3, 1, 0) if a.dim() == 4 else a).contiguous().numpy())


def from_tfjs(a: Array) -> torch.Tensor:
    t = torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32))
    return t.permute(3, 2, 0, 1).contiguous() if t.dim() == 4 else t


def trunk_snapshot(trunk: nn.Module) -> dict[str, Array]:
    """Every trunk tensor (BN statistics included) by checkpoint name, in tfjs layout."""
    return {trunk_name(k): to_tfjs(v) for k, v in _trunk_state(trunk).items()}


@torch.no_grad()
def load_trunk_weights(trunk: nn.Module, ckpt: Checkpoint, source: str = "checkpoint") -> None:
    """Copies `trunk/<name>` tensors into the trunk; a missing or misshapen one is an error naming it."""
    for name, t in _trunk_state(trunk).items():
        a = ckpt.tensors.get(trunk_name(name))
        if a is None:
            raise ValueError(f"{source} has no weights for {name} (a different architecture?)")
        value = from_tfjs(a)
        if tuple(value.shape) != tuple(t.shape):
            raise ValueError(f"{source}: {name} has shape {list(value.shape)} (as OIHW), the trunk {list(t.shape)}")
        t.copy_(value.to(t))
