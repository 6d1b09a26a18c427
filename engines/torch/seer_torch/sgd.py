"""SGD with momentum, optional Nesterov and L2 weight decay, PyTorch's semantics (mirror of runtime/optim/sgd.ts).

    d = g + wd * w, then the momentum update of momentum.py.
"""
from __future__ import annotations

from typing import Any

from torch import Tensor, nn

from .momentum import MomentumOptimizer


class Sgd(MomentumOptimizer):
    kind = "sgd"

    def __init__(self, params: dict[str, nn.Parameter], momentum: float, nesterov: bool = False, weight_decay: float = 0.0) -> None:
        super().__init__([{"params": list(params.values()), "names": list(params)}], momentum, nesterov)
        self.weight_decay = weight_decay

    def direction(self, p: Tensor, g: Tensor, group: dict[str, Any]) -> Tensor:
        return g if self.weight_decay == 0 else g + p * self.weight_decay
