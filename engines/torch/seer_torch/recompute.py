"""Activation checkpointing of one block (`swav { activation_checkpointing = true }`).

Only the block's input is kept for the backward pass; its inner activations are recomputed
there (torch.utils.checkpoint, non-reentrant). The recomputation runs the block's batch norms
again in training mode, which would move their running statistics a second time in the step:
their buffers are put back as they were after the first pass, so a checkpointed run ends with the
same weights and statistics as one without (bit for bit on CPU, checked by the Node suite's
end-to-end test).
"""
from __future__ import annotations

from typing import Callable

from torch import Tensor, nn
from torch.utils.checkpoint import checkpoint


def _bn_buffers(block: nn.Module) -> list[Tensor]:
    out: list[Tensor] = []
    for m in block.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm) or type(m).__name__ == "GlobalBatchNorm":
            out.extend(b for b in m.buffers(recurse=False))
    return out


def checkpointed(block: nn.Module, x: Tensor) -> Tensor:
    """`block(x)`, keeping only `x` for the backward pass."""
    passes = [0]
    saved: list[Tensor] = []

    def run(inp: Tensor) -> Tensor:
        passes[0] += 1
        if passes[0] == 1:
            y: Tensor = block(inp)
            saved.extend(b.detach().clone() for b in _bn_buffers(block))
            return y
        y = block(inp)
        for b, keep in zip(_bn_buffers(block), saved):
            b.copy_(keep)
        return y

    fn: Callable[[Tensor], Tensor] = run
    out: Tensor = checkpoint(fn, x, use_reentrant=False)
    return out
