"""JSON in and out of the self-test commands."""
from __future__ import annotations

from typing import Any

import torch

Json = Any


def tensor(values: list[float], shape: list[int]) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.float32).reshape(shape)


def flat(t: torch.Tensor) -> list[float]:
    return t.detach().flatten().tolist()


def tfjs_layout(name: str, t: torch.Tensor) -> torch.Tensor:
    """A head tensor in the tfjs engine's layout: linear weights [in, out] (torch keeps [out, in])."""
    return t.t() if name.startswith("head.linear") and name.endswith(".weight") else t
