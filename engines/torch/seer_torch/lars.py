"""LARS as VISSL runs it: SGD with momentum wrapped in apex's LARC with `clip = False` (mirror of runtime/optim/lars.ts).

For every adapted parameter w with gradient g:

    local = trust * |w| / (|g| + wd * |w| + eps)        (eps = 1e-8)
    d     = local * (g + wd * w)

and d goes through plain SGD momentum with the scheduled learning rate (momentum.py). As in LARC,
a parameter whose norm or gradient norm is 0 is neither scaled nor decayed (d = g). Parameters
excluded by name (BN and bias parameters, with `exclude_bn_bias`) skip both: d = g. Everything
stays on the device (no reads per parameter).
"""
from __future__ import annotations

import re
from typing import Any, Callable

import torch
from torch import Tensor, nn

from .momentum import MomentumOptimizer, named_groups

_BIAS = re.compile(r"(^|\.)bias$")
_BN = re.compile(r"(^|\.)(bn[^.]*|[^.]*_bn)\.[^.]+$")


def is_batch_norm_or_bias(name: str) -> bool:
    """`<layer>.bias`, or a parameter of a layer named `bn*` or `*_bn` (`head.bn0.weight`, `stem.bn.weight`, `s1.b1.f.a_bn.weight`)."""
    return bool(_BIAS.search(name) or _BN.search(name))


def lars_direction(w: Tensor, g: Tensor, trust: float, weight_decay: float, eps: float) -> Tensor:
    """The LARC direction for one parameter (see the module comment), in the tfjs engine's op order."""
    w_norm = torch.linalg.vector_norm(w)
    g_norm = torch.linalg.vector_norm(g)
    ok = (w_norm > 0) & (g_norm > 0)
    local = (w_norm * trust) / ((g_norm + w_norm * weight_decay) + eps)
    scale = torch.where(ok, local, torch.ones_like(local))
    decay = torch.where(ok, torch.full_like(local, weight_decay), torch.zeros_like(local))
    return (g + w * decay) * scale


class Lars(MomentumOptimizer):
    kind = "lars"

    def __init__(
        self, params: dict[str, nn.Parameter], momentum: float, weight_decay: float, trust: float,
        exclude: Callable[[str], bool] | None = None, nesterov: bool = False, eps: float = 1e-8,
    ) -> None:
        excluded = {n: bool(exclude(n)) if exclude else False for n in params}
        super().__init__(named_groups(params, excluded, "excluded"), momentum, nesterov)
        self.weight_decay, self.trust, self.eps = weight_decay, trust, eps

    def direction(self, p: Tensor, g: Tensor, group: dict[str, Any]) -> Tensor:
        return g if group["excluded"] else lars_direction(p, g, self.trust, self.weight_decay, self.eps)
