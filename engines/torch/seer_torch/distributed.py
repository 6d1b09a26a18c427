"""A stage's ranks as one torch.distributed process group (env:// rendezvous: MASTER_ADDR,
MASTER_PORT, RANK, WORLD_SIZE, LOCAL_RANK, set by seer's launcher, by srun's wrapper or by
torchrun), and the data parallelism SwAV needs on it:

  - gradients averaged after each backward pass, flattened into one all-reduce per step. Not
    the `DistributedDataParallel` class: a SwAV step calls the trunk once per crop resolution
    before one backward pass, which DDP's one-forward-per-backward reducer does not allow
    without `find_unused_parameters` and static-graph workarounds; the arithmetic is DDP's
    (the mean of the ranks' gradients);
  - batch norm over the global batch (every rank's rows), so W ranks compute what one process
    does with the same global batch: SyncBatchNorm, which on torch 1.13 runs only on CUDA;
  - broadcasts from rank 0 (the restored checkpoint).
"""
from __future__ import annotations

import datetime
import os
from dataclasses import dataclass

import torch
import torch.distributed as dist
import torch.distributed.nn.functional as dist_fn
import torch.nn.functional as F
from torch import Tensor, nn
from torch._utils import _flatten_dense_tensors, _unflatten_dense_tensors

from .reduce import LOCAL, GroupReduce, Reduce


@dataclass(frozen=True)
class Group:
    rank: int
    world: int
    local_rank: int
    backend: str
    """`gloo`, `nccl`, or `none` for one process."""
    reduce: Reduce

    @property
    def leader(self) -> bool:
        return self.rank == 0


def _env_int(name: str, default: int) -> int:
    v = os.environ.get(name)
    if v is None or v == "":
        return default
    try:
        return int(v)
    except ValueError:
        raise ValueError(f"{name}={v!r} is not an integer") from None


def join_group(cuda: bool, timeout_s: float) -> Group:
    """Joins the process group the environment describes (one process when WORLD_SIZE is unset or 1).

    Under `srun` without a launcher in between, the ranks come from Slurm's task variables
    (SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID); MASTER_ADDR and MASTER_PORT must be set.
    """
    slurm = "RANK" not in os.environ and "SLURM_PROCID" in os.environ
    world = _env_int("SLURM_NTASKS" if slurm else "WORLD_SIZE", 1)
    rank = _env_int("SLURM_PROCID" if slurm else "RANK", 0)
    local = _env_int("SLURM_LOCALID" if slurm else "LOCAL_RANK", 0)
    if world <= 1:
        return Group(0, 1, 0, "none", LOCAL)
    if not 0 <= rank < world:
        raise ValueError(f"RANK={rank} is not in 0..{world - 1}")
    backend = "nccl" if cuda else "gloo"
    dist.init_process_group(backend, init_method="env://", rank=rank, world_size=world, timeout=datetime.timedelta(seconds=timeout_s))
    return Group(rank, world, local, backend, GroupReduce(world))


def leave_group(g: Group) -> None:
    if g.world > 1 and dist.is_initialized():
        dist.destroy_process_group()


def average_gradients(world: int) -> "GradientAverager":
    return GradientAverager(world)


class GradientAverager:
    """Averages every parameter's gradient across the ranks with one flattened all-reduce."""

    def __init__(self, world: int) -> None:
        self.world = world

    def __call__(self, params: dict[str, nn.Parameter]) -> None:
        grads = [p.grad for p in params.values() if p.grad is not None]
        if not grads:
            return
        flat: Tensor = _flatten_dense_tensors(grads)  # type: ignore[no-untyped-call]
        dist.all_reduce(flat, op=dist.ReduceOp.SUM)  # type: ignore[no-untyped-call]
        flat.div_(self.world)
        parts: list[Tensor] = _unflatten_dense_tensors(flat, grads)  # type: ignore[no-untyped-call]
        for g, v in zip(grads, parts):
            g.copy_(v)


def _all_sum(t: Tensor) -> Tensor:
    """A differentiable all-reduce sum (its gradient is the all-reduced gradient)."""
    out: Tensor = dist_fn.all_reduce(t)  # type: ignore[no-untyped-call]
    return out


class GlobalBatchNorm(nn.modules.batchnorm._BatchNorm):
    """Batch norm whose training statistics are over every rank's rows (two all-reduces, differentiable)."""

    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() not in (2, 4):
            raise ValueError(f"expected a 2-d or 4-d input, got {input.dim()}-d")

    def forward(self, x: Tensor) -> Tensor:
        if not self.training:
            return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias, False, 0.0, self.eps)
        dims = [0] + list(range(2, x.dim()))
        shape = [1, -1] + [1] * (x.dim() - 2)
        count = float(x.numel() // x.shape[1])
        total = float(_all_sum(torch.tensor([count], dtype=x.dtype)).item())
        mean = _all_sum(x.sum(dims)) / total
        centred = x - mean.view(shape)
        var = _all_sum((centred * centred).sum(dims)) / total
        y = centred * torch.rsqrt(var + self.eps).view(shape)
        if self.affine:
            y = y * self.weight.view(shape) + self.bias.view(shape)
        if self.track_running_stats and self.running_mean is not None and self.running_var is not None:
            m = self.momentum if self.momentum is not None else 0.1
            with torch.no_grad():
                self.running_mean.mul_(1 - m).add_(mean.detach(), alpha=m)
                self.running_var.mul_(1 - m).add_(var.detach() * (total / max(1.0, total - 1)), alpha=m)
                if self.num_batches_tracked is not None:
                    self.num_batches_tracked.add_(1)
        return y


def globalise_batch_norm(module: nn.Module) -> nn.Module:
    """Replaces every BatchNorm1d/2d below `module` by a GlobalBatchNorm holding the same parameters and statistics."""
    for name, child in list(module.named_children()):
        if isinstance(child, (nn.BatchNorm1d, nn.BatchNorm2d)):
            g = GlobalBatchNorm(child.num_features, child.eps, child.momentum, child.affine, child.track_running_stats)
            g.load_state_dict(child.state_dict())
            if child.running_mean is not None:
                g.to(child.running_mean.device)
            if child.affine:
                g.weight, g.bias = child.weight, child.bias
            setattr(module, name, g)
        else:
            globalise_batch_norm(child)
    return module


def broadcast_(t: Tensor) -> Tensor:
    """Rank 0's values into `t` on every rank."""
    dist.broadcast(t, 0)  # type: ignore[no-untyped-call]
    return t
