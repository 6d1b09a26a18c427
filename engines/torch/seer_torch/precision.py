"""`precision: mixed` on the torch engine: the forward pass under autocast in bfloat16 where the
device has it (Ampere and newer GPUs: A100, H100, H200), weights, gradients, optimiser state,
the loss and Sinkhorn in float32. bfloat16 keeps float32's exponent range, so no loss scaling is
needed. Elsewhere (CPUs, V100) the stage runs in float32 and says so: fp16 with a loss scaler is
not implemented.
"""
from __future__ import annotations

import contextlib
import functools
from typing import Callable, ContextManager

import torch


def autocast_for(precision: str, device: torch.device) -> tuple[Callable[[], ContextManager[None]], str]:
    """The context the forward pass runs in, and a sentence for the log."""
    if precision != "mixed":
        return contextlib.nullcontext, "fp32"
    if device.type == "cuda" and torch.cuda.is_bf16_supported():  # type: ignore[no-untyped-call]
        autocast = torch.autocast  # type: ignore[attr-defined]
        return functools.partial(autocast, device_type="cuda", dtype=torch.bfloat16), "mixed (bf16 autocast; loss and Sinkhorn in fp32)"
    return contextlib.nullcontext, f"fp32: precision = mixed asks for bf16, which {'this GPU' if device.type == 'cuda' else 'the CPU path'} does not run here"
