"""The RegNet trunk on PyTorch, built from a `ModelSpec` (mirror of runtime/tfjs/regnet.ts).

    stem   3x3/2 conv (no bias) -> BN -> ReLU
    block  f.a: 1x1 -> BN -> ReLU; f.b: grouped 3x3 with the stride -> BN -> ReLU;
           [Y: f.se squeeze-excitation]; f.c: 1x1 -> BN; shortcut: identity, or proj 1x1 with
           the stride -> bn when the shape changes; residual add; ReLU
    taps   stem, res2..res{n+1} (after each stage), pool (global average, [N, C])

Module names are pycls's (`stem.conv`, `s1.b1.proj`, `s1.b1.bn`, `s1.b1.f.a_bn`, `s1.b1.f.se.f_ex.0`),
so `state_dict()` keys are the tfjs variable names (runtime/tfjs/regnet-params.ts). Layout is
PyTorch's: NCHW maps, OIHW conv weights. BN: eps 1e-5, momentum 0.1, as the tfjs BN.
"""
from __future__ import annotations

from typing import Iterable, Optional

import torch
from torch import Tensor, nn

from .recompute import checkpointed
from .regnet_init import init_trunk
from .regnet_plan import BlockPlan, plan_blocks, tap_names
from .spec import ModelSpec


Device = Optional[torch.device]


def _conv(cin: int, cout: int, k: int, device: Device, stride: int = 1, groups: int = 1, bias: bool = False) -> nn.Conv2d:
    return nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, groups=groups, bias=bias, device=device)


def _bn(c: int, device: Device) -> nn.BatchNorm2d:
    return nn.BatchNorm2d(c, device=device)


class Stem(nn.Module):
    def __init__(self, width: int, device: Device) -> None:
        super().__init__()
        self.conv = _conv(3, width, 3, device, stride=2)
        self.bn = _bn(width, device)
        self.af = nn.ReLU(inplace=True)

    def forward(self, x: Tensor) -> Tensor:
        y: Tensor = self.af(self.bn(self.conv(x)))
        return y


class SqueezeExcite(nn.Module):
    """Global average pool -> 1x1 conv (bias) -> ReLU -> 1x1 conv (bias) -> sigmoid -> channel scale."""

    def __init__(self, width: int, se_width: int, device: Device) -> None:
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.f_ex = nn.Sequential(_conv(width, se_width, 1, device, bias=True), nn.ReLU(inplace=True), _conv(se_width, width, 1, device, bias=True), nn.Sigmoid())

    def forward(self, x: Tensor) -> Tensor:
        scale: Tensor = self.f_ex(self.avg_pool(x))
        return x * scale


class BottleneckTransform(nn.Module):
    def __init__(self, p: BlockPlan, device: Device) -> None:
        super().__init__()
        wb = p.bottleneck_width
        self.a = _conv(p.in_width, wb, 1, device)
        self.a_bn = _bn(wb, device)
        self.a_af = nn.ReLU(inplace=True)
        self.b = _conv(wb, wb, 3, device, stride=p.stride, groups=p.groups)
        self.b_bn = _bn(wb, device)
        self.b_af = nn.ReLU(inplace=True)
        self.se = SqueezeExcite(wb, p.se_width, device) if p.se_width > 0 else None
        self.c = _conv(wb, p.out_width, 1, device)
        self.c_bn = _bn(p.out_width, device)

    def forward(self, x: Tensor) -> Tensor:
        x = self.a_af(self.a_bn(self.a(x)))
        x = self.b_af(self.b_bn(self.b(x)))
        if self.se is not None:
            x = self.se(x)
        y: Tensor = self.c_bn(self.c(x))
        return y


class ResBottleneckBlock(nn.Module):
    def __init__(self, p: BlockPlan, device: Device) -> None:
        super().__init__()
        # pycls creates the projection before the residual branch.
        self.proj = _conv(p.in_width, p.out_width, 1, device, stride=p.stride) if p.projection else None
        self.bn = _bn(p.out_width, device) if p.projection else None
        self.f = BottleneckTransform(p, device)
        self.af = nn.ReLU(inplace=True)

    def forward(self, x: Tensor) -> Tensor:
        shortcut = x if self.proj is None or self.bn is None else self.bn(self.proj(x))
        y: Tensor = self.af(shortcut + self.f(x))
        return y


class RegNetTrunk(nn.Module):
    """A RegNet without a head; `forward(x, taps)` returns the requested taps by name."""

    def __init__(self, model: ModelSpec, device: Device = None) -> None:
        super().__init__()
        self.spec = model
        self.blocks = plan_blocks(model)
        self.tap_names = tap_names(model)
        self.feature_dim = model.stages[-1].width
        # Activation checkpointing per block (recompute.py); the worker sets it from the spec.
        self.checkpoint_blocks = False
        self.stem = Stem(model.stem_width, device)
        for si in range(1, len(model.stages) + 1):
            stage = nn.Module()
            for p in (b for b in self.blocks if b.stage == si):
                stage.add_module(p.name.split(".")[1], ResBottleneckBlock(p, device))
            self.add_module(f"s{si}", stage)

    def stages(self) -> list[nn.Module]:
        """The stage modules s1..sN in order (activation checkpointing wraps these)."""
        return [getattr(self, f"s{i}") for i in range(1, len(self.spec.stages) + 1)]

    def forward(self, x: Tensor, taps: Iterable[str] = ("pool",)) -> dict[str, Tensor]:
        wanted = list(taps)
        unknown = [t for t in wanted if t not in self.tap_names]
        if unknown:
            raise ValueError(f"RegNet: unknown tap '{unknown[0]}' (have {', '.join(self.tap_names)})")
        out: dict[str, Tensor] = {}
        h = self.stem(x)
        if "stem" in wanted:
            out["stem"] = h
        recompute = self.checkpoint_blocks and self.training and torch.is_grad_enabled()
        for i, stage in enumerate(self.stages()):
            for block in stage.children():
                h = checkpointed(block, h) if recompute else block(h)
            if f"res{i + 2}" in wanted:
                out[f"res{i + 2}"] = h
        if "pool" in wanted:
            out["pool"] = torch.flatten(nn.functional.adaptive_avg_pool2d(h, 1), 1)
        return out


def build_trunk(model: ModelSpec, seed: int = 0, device: torch.device | str | None = None) -> RegNetTrunk:
    """The trunk of `model`, initialised from `seed` (pycls's init; see regnet_init.py). On the meta device nothing is allocated or initialised."""
    dev = torch.device(device) if device is not None else torch.device("cpu")
    trunk = RegNetTrunk(model, dev)
    if dev.type != "meta":
        init_trunk(trunk, seed, zero_init_residual=model.zero_init_residual)
    return trunk


def param_count(module: nn.Module) -> int:
    """Trainable parameters, counted as pycls and `seer explain` count them (BN buffers excluded)."""
    return sum(p.numel() for p in module.parameters() if p.requires_grad)
