"""Where a job's images come from, read by index as uint8 [3, H, W] tensors.

Two kinds, named by the job the Node side writes (runtime/engines/torch/job.ts):
  - `pixels`: a synthetic set materialised once into a raw file of N x S x S x 3 bytes (HWC),
    the same images the tfjs engine generates;
  - `files`: image files (folders, manifests) read directly, decoded with PIL and resized so
    the shorter side is `shorter_side` px (bilinear), as the Node loader does.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import numpy as np
import numpy.typing as npt
import torch
from torch import Tensor

from .errors import DataError, ImageUnreadable


@dataclass(frozen=True)
class PixelsSource:
    file: str
    count: int
    size: int


@dataclass(frozen=True)
class FilesSource:
    paths: tuple[str, ...]
    shorter_side: int


Source = Union[PixelsSource, FilesSource]


def source_length(s: Source) -> int:
    return s.count if isinstance(s, PixelsSource) else len(s.paths)


class ImageReader:
    """Reads image i of a source; the pixels file is memory-mapped (opened lazily, so each loader process maps its own)."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self._pixels: npt.NDArray[np.uint8] | None = None

    def __len__(self) -> int:
        return source_length(self.source)

    def read(self, i: int) -> Tensor:
        s = self.source
        if isinstance(s, PixelsSource):
            if self._pixels is None:
                try:
                    self._pixels = np.memmap(s.file, dtype=np.uint8, mode="r", shape=(s.count, s.size, s.size, 3))
                except (OSError, ValueError) as e:
                    raise DataError(f"cannot read the materialised images {s.file}: {e}") from e
            return torch.from_numpy(np.array(self._pixels[i])).permute(2, 0, 1).contiguous()
        return _decode(s.paths[i], s.shorter_side)


def _decode(path: str, shorter_side: int) -> Tensor:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            im.draft("RGB", (shorter_side, shorter_side))
            rgb = im.convert("RGB")
    except (OSError, UnidentifiedImageError, ValueError) as e:
        raise ImageUnreadable(path, str(e).split("\n", 1)[0]) from e
    w, h = rgb.size
    scale = shorter_side / min(w, h)
    if scale != 1:
        rgb = rgb.resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.BILINEAR)
    return torch.from_numpy(np.asarray(rgb, dtype=np.uint8).copy()).permute(2, 0, 1).contiguous()
