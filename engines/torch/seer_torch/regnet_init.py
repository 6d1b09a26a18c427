"""Deterministic initialisation of the trunk, as runtime/tfjs/regnet-params.ts initialises it.

pycls's `init_weights`: conv weights N(0, 2 / (kh·kw·out_channels)) (groups ignored), BN γ = 1
and β = 0 (γ = 0 on every block's final BN, `f.c_bn`, with zero_init_residual), SE biases 0.
Each parameter draws from its own torch generator, seeded by (seed, parameter name) with the
tfjs engine's `streamSeed`, so adding a parameter never changes the others. The distributions
are the tfjs engine's; the bits are not (tfjs draws with sfc32 and Box-Muller), so a model to be
compared across engines is handed over as a checkpoint.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from .seeded import stream_seed


@torch.no_grad()
def init_trunk(trunk: nn.Module, seed: int, zero_init_residual: bool) -> None:
    for name, module in trunk.named_modules():
        if isinstance(module, nn.Conv2d):
            kh, kw = module.kernel_size
            std = math.sqrt(2.0 / (kh * kw * module.out_channels))
            _normal(module.weight, std, seed, f"{name}.weight")
            if module.bias is not None:
                module.bias.zero_()
        elif isinstance(module, nn.BatchNorm2d):
            final = zero_init_residual and name.endswith(".f.c_bn")
            module.weight.fill_(0.0 if final else 1.0)
            module.bias.zero_()
            module.reset_running_stats()


def _normal(param: torch.Tensor, std: float, seed: int, name: str) -> None:
    gen = torch.Generator(device="cpu")
    gen.manual_seed(stream_seed(seed, name))
    values = torch.empty(param.shape, dtype=torch.float32).normal_(0.0, std, generator=gen)
    param.copy_(values)
