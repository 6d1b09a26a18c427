"""SGD-with-momentum updates shared by SGD and LARS (mirror of runtime/optim/optimizer.ts).

PyTorch's SGD semantics (dampening 0), with the direction d of each parameter given by the
subclass (plain gradient, decayed gradient, or LARC-scaled):

    buf = momentum * buf + d        (buf starts at 0)
    s   = d + momentum * buf  if nesterov, else buf
    w   = w - lr * s

A parameter whose `.grad` is None (a frozen one) is skipped: no momentum update, no decay. The
learning rate is each group's `lr`, set by the caller every step (`set_lr`). Param groups carry
the parameters' names (`names`), so the state reads and writes by name as tfjs checkpoints do.
"""
from __future__ import annotations

from typing import Any, Iterable

import torch
from torch import Tensor, nn


class MomentumOptimizer(torch.optim.Optimizer):
    def __init__(self, groups: Iterable[dict[str, Any]], momentum: float, nesterov: bool) -> None:
        if nesterov and momentum <= 0:
            raise ValueError("Nesterov momentum needs momentum > 0.")
        super().__init__(list(groups), {"lr": 0.0, "momentum": momentum, "nesterov": nesterov})

    def direction(self, p: Tensor, g: Tensor, group: dict[str, Any]) -> Tensor:
        """The direction parameter `p` moves in, from its value and gradient."""
        raise NotImplementedError

    def set_lr(self, lr: float) -> None:
        for group in self.param_groups:
            group["lr"] = lr

    @torch.no_grad()
    def step(self, closure: Any = None) -> None:
        if closure is not None:
            raise ValueError("seer's optimisers take no closure")
        for group in self.param_groups:
            m, lr = group["momentum"], group["lr"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                d = self.direction(p, p.grad, group)
                state = self.state[p]
                buf = state.get("momentum_buffer")
                if buf is None:
                    buf = state["momentum_buffer"] = torch.zeros_like(p)
                buf.copy_(buf.mul(m).add(d))
                s = d.add(buf.mul(m)) if group["nesterov"] else buf
                p.copy_(p.sub(s.mul(lr)))

    def buffers_by_name(self) -> dict[str, Tensor]:
        """Every parameter's momentum buffer by name (zeros before its first update), as `exportState`."""
        out: dict[str, Tensor] = {}
        for group in self.param_groups:
            for name, p in zip(group["names"], group["params"]):
                buf = self.state[p].get("momentum_buffer")
                out[name] = buf.clone() if buf is not None else torch.zeros_like(p)
        return out


def named_groups(params: dict[str, nn.Parameter], split: dict[str, bool], key: str) -> list[dict[str, Any]]:
    """Parameters in two groups by `split[name]` (the group's `key` is that flag), with their names; empty groups dropped."""
    groups = []
    for flag in (False, True):
        names = [n for n in params if split[n] == flag]
        if names:
            groups.append({"params": [params[n] for n in names], "names": names, key: flag})
    return groups
