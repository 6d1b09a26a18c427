"""The SwAV queue: past embeddings of the assigning crops, [A, length, D], newest first (mirror of runtime/ssl/queue.ts).

`push` puts the batch's B embeddings of each assigning crop at the front and drops the B oldest
from the back. The queue is `full` once `length` embeddings have been pushed; the step hands it
to the loss only when full. Its scores are recomputed with the current prototypes at every use.
"""
from __future__ import annotations

import torch
from torch import Tensor


class EmbeddingQueue:
    def __init__(self, assign: int, length: int, dim: int, device: torch.device | str = "cpu") -> None:
        if not (assign >= 1 and length >= 1 and dim >= 1):
            raise ValueError("A queue needs at least one assigning crop, one slot and one dimension.")
        self.assign, self.length, self.dim = assign, length, dim
        self.store = torch.zeros(assign, length, dim, device=device)
        self.count = 0

    @property
    def filled(self) -> int:
        return self.count

    @property
    def full(self) -> bool:
        return self.count >= self.length

    def embeddings(self) -> Tensor:
        return self.store

    @torch.no_grad()
    def push(self, batch: Tensor) -> None:
        """Adds a batch [A, B, D] at the front; the B oldest embeddings fall off the back."""
        a, b, d = batch.shape
        if a != self.assign or d != self.dim:
            raise ValueError(f"Queue push of shape {list(batch.shape)} does not fit a queue of [{self.assign}, {self.length}, {self.dim}].")
        if b > self.length:
            raise ValueError(f"A batch of {b} does not fit a queue of length {self.length}.")
        batch = batch.detach().to(self.store.dtype)
        self.store = batch.clone() if b == self.length else torch.cat([batch, self.store[:, : self.length - b]], 1)
        self.count = min(self.length, self.count + b)

    def export_state(self) -> tuple[Tensor, int]:
        return self.store.clone(), self.count

    def import_state(self, embeddings: Tensor, filled: int) -> None:
        if embeddings.numel() != self.store.numel():
            raise ValueError(f"Queue state has {embeddings.numel()} values, expected {self.store.numel()}.")
        self.store = embeddings.reshape(self.store.shape).to(self.store)
        self.count = min(self.length, filled)
