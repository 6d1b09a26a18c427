"""A pretraining's full state in a checkpoint, and back, across a process group.

Checkpoint tensors: `trunk/<pycls name>` in the tfjs engine's layouts (so the trunk moves between
engines), `head/<name>` and `optimizer/<parameter>` (momentum buffers) as torch holds them, and
`queue`: every rank's queue, concatenated along the queue's length in rank order, shape
[A, L, D], the same size as one process's queue. The JSON state holds the step, the global count
of queued embeddings and the last loss.

Only rank 0 reads and writes files; the others receive what it read by broadcast and send it
their queues by all-gather, so ranks on hosts without a shared filesystem agree.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import torch
from torch import Tensor, nn

from ..checkpoint import Checkpoint
from ..distributed import Group, broadcast_
from ..momentum import MomentumOptimizer
from ..queue import EmbeddingQueue
from ..weights import from_tfjs, trunk_name, trunk_snapshot


@dataclass
class RunState:
    step: int = 0
    queue_filled: int = 0
    """Embeddings queued over all ranks (world x each rank's count)."""
    last_loss: float = math.nan


def _np(t: Tensor) -> npt.NDArray[np.float32]:
    out: npt.NDArray[np.float32] = t.detach().to("cpu", torch.float32).contiguous().numpy()
    return out


def _gathered_queue(q: EmbeddingQueue, g: Group) -> Tensor:
    store = q.embeddings().detach()
    if g.world == 1:
        return store
    parts = [torch.zeros_like(store) for _ in range(g.world)]
    torch.distributed.all_gather(parts, store.contiguous())  # type: ignore[no-untyped-call]
    return torch.cat(parts, 1)


def snapshot(trunk: nn.Module, head: nn.Module, opt: MomentumOptimizer, queue: EmbeddingQueue | None, state: RunState, g: Group) -> Checkpoint | None:
    """The checkpoint of the current step on rank 0 (None on the others); every rank must call it."""
    q = _gathered_queue(queue, g) if queue is not None else None
    if not g.leader:
        return None
    tensors: dict[str, Any] = dict(trunk_snapshot(trunk))
    for name, t in head.state_dict().items():
        if not name.endswith("num_batches_tracked"):
            tensors[f"head/{name}"] = _np(t)
    for name, buf in opt.buffers_by_name().items():
        tensors[f"optimizer/{name}"] = _np(buf)
    if q is not None:
        tensors["queue"] = _np(q)
    body = {"step": state.step, "queueFilled": state.queue_filled, "lastLoss": None if math.isnan(state.last_loss) else state.last_loss, "engine": "torch"}
    return Checkpoint(state.step, body, tensors)


def restore(c: Checkpoint | None, trunk: nn.Module, head: nn.Module, opt: MomentumOptimizer, queue: EmbeddingQueue | None, g: Group) -> RunState | None:
    """Loads rank 0's checkpoint (`c`; None elsewhere) into every rank; None when rank 0 has none."""
    found = torch.tensor([1 if c is not None else 0, c.step if c is not None else 0], dtype=torch.int64)
    if g.world > 1:
        broadcast_(found)
    if int(found[0]) == 0:
        return None
    def fill(t: Tensor, name: str, convert: bool) -> None:
        if c is not None:
            a = c.tensors.get(name)
            if a is None:
                raise ValueError(f"the checkpoint lacks {name}")
            v = from_tfjs(a) if convert else torch.from_numpy(np.ascontiguousarray(a))
            if tuple(v.shape) != tuple(t.shape):
                raise ValueError(f"checkpoint tensor {name} has shape {list(v.shape)}, expected {list(t.shape)}")
            t.copy_(v.to(t))
        if g.world > 1:
            broadcast_(t)

    with torch.no_grad():
        for name, t in trunk.state_dict().items():
            if not name.endswith("num_batches_tracked"):
                fill(t, trunk_name(name), True)
        for name, t in head.state_dict().items():
            if not name.endswith("num_batches_tracked"):
                fill(t, f"head/{name}", False)
        for group in opt.param_groups:
            for name, p in zip(group["names"], group["params"]):
                buf = opt.state[p].get("momentum_buffer")
                if buf is None:
                    buf = opt.state[p]["momentum_buffer"] = torch.zeros_like(p)
                fill(buf, f"optimizer/{name}", False)
        meta = torch.zeros(3, dtype=torch.float64)
        if c is not None:
            s = c.state if isinstance(c.state, dict) else {}
            loss = s.get("lastLoss")
            meta = torch.tensor([float(c.step), float(s.get("queueFilled", 0)), math.nan if loss is None else float(loss)], dtype=torch.float64)
        if g.world > 1:
            broadcast_(meta)
        state = RunState(int(meta[0]), int(meta[1]), float(meta[2]))
        if queue is not None:
            full = torch.zeros(queue.assign, queue.length * g.world, queue.dim)
            fill(full, "queue", False)
            part = full[:, g.rank * queue.length:(g.rank + 1) * queue.length]
            queue.import_state(part.contiguous(), state.queue_filled // g.world)
    return state
