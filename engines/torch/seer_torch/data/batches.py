"""A pretraining's batches by step: which images, in which order, and this rank's share.

Epoch e visits the job's images (its split's indices) in a permutation drawn from (seed, e);
step t of the run is the t-th run of `batch` images of that order (a partial last batch is
dropped, as the tfjs engine does). With W ranks, rank r takes rows [r B/W, (r+1) B/W) of the
global batch, so the union over ranks is the single-process batch. Each image's crops come
from a generator seeded with (seed, epoch, image): any rank and any loader process makes the
same crops, and a run resumed at step t reads the same batches as one that never stopped.

An image file that cannot be decoded is replaced by the next image of the job's list (wrapping
round, passing over those that failed already), as the tfjs loader does (runtime/data/protocol.ts),
and each step reports the files it could not read with its batch; 64 in a row fail the job.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import torch
from torch import Tensor
from torch.utils.data import Dataset

from ..spec import AugmentSpec, CropSpec
from .augment import augment_crop
from .errors import DataError, ImageUnreadable
from .source import ImageReader, Source

MAX_SUBSTITUTES = 64
"""Consecutive unreadable images tried before a step fails (the tfjs loader's limit)."""

Unreadable = list[tuple[str, str]]
"""Files a step could not read: (path, the decoder's message)."""


@dataclass(frozen=True)
class BatchPlan:
    images: tuple[int, ...]
    """The job's image indices (a split's, or all)."""
    batch: int
    """Global batch in images."""
    seed: int
    rank: int = 0
    world: int = 1

    @property
    def steps_per_epoch(self) -> int:
        return len(self.images) // self.batch

    @property
    def local_batch(self) -> int:
        return self.batch // self.world

    def epoch_order(self, epoch: int) -> npt.NDArray[np.int64]:
        return np.random.default_rng([self.seed, epoch]).permutation(np.asarray(self.images, dtype=np.int64))


class StepBatches(Dataset[tuple[int, list[Tensor], Unreadable]]):
    """Item t: (epoch, one [b, 3, S, S] tensor per crop in recipe order, the files it could not read) for this rank's rows of step t."""

    def __init__(self, plan: BatchPlan, source: Source, crops: tuple[CropSpec, ...], augment: AugmentSpec) -> None:
        self.plan = plan
        self.reader = ImageReader(source)
        self.crops = crops
        self.augment = augment
        self._order: tuple[int, npt.NDArray[np.int64]] | None = None
        self._position = {image: k for k, image in enumerate(plan.images)}
        self._bad: set[int] = set()

    def __len__(self) -> int:
        return 1 << 62

    def __getitem__(self, step: int) -> tuple[int, list[Tensor], Unreadable]:
        epoch, rows = self._rows(step)
        per_crop: list[list[Tensor]] = [[] for c in self.crops for _ in range(c.count)]
        unreadable: Unreadable = []
        for row in rows:
            i, img = self._read(row, unreadable)
            rng = np.random.default_rng([self.plan.seed, epoch, i])
            k = 0
            for c in self.crops:
                for _ in range(c.count):
                    per_crop[k].append(augment_crop(img, c.size, c.scale, self.augment, rng))
                    k += 1
        return epoch, [torch.stack(xs, 0) for xs in per_crop], unreadable

    def _read(self, image: int, unreadable: Unreadable) -> tuple[int, Tensor]:
        """Image `image`, or the first readable one after it in the job's list; the files that failed go to `unreadable`."""
        images = self.plan.images
        start = self._position[image]
        for a in range(min(MAX_SUBSTITUTES, len(images))):
            i = images[(start + a) % len(images)]
            if i in self._bad:
                continue
            try:
                return i, self.reader.read(i)
            except ImageUnreadable as e:
                self._bad.add(i)
                unreadable.append((e.path, e.reason))
        raise DataError(f"{MAX_SUBSTITUTES} consecutive images could not be read (from image {image} on)")

    def _rows(self, step: int) -> tuple[int, list[int]]:
        """The epoch of global step `step` and this rank's image indices for it (the epoch's order drawn once)."""
        p = self.plan
        epoch, within = divmod(step, p.steps_per_epoch)
        if self._order is None or self._order[0] != epoch:
            self._order = (epoch, p.epoch_order(epoch))
        start = within * p.batch + p.rank * p.local_batch
        return epoch, [int(i) for i in self._order[1][start:start + p.local_batch]]
