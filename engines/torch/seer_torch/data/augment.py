"""SwAV multi-crop augmentation on uint8 [3, H, W] images (the tfjs engine's runtime/data/augment.ts,
in torchvision's functional ops):

  RandomResizedCrop(size, scale, ratio 3/4..4/3; 10 attempts, then a centre crop; bilinear,
  antialiased) -> horizontal flip p -> rotation (uniform in +-rotate degrees) -> colour jitter p
  (brightness, contrast, saturation 0.8 s, hue 0.2 s, in a random order) -> grayscale p ->
  Gaussian blur p with sigma ~ U[blur_sigma] (radius ceil(3 sigma)) -> normalise (ImageNet mean/std).

All randomness comes from the generator passed in, which the caller seeds from (seed, epoch,
image index): an image's crops do not depend on which rank or loader process makes them. The
draws follow the tfjs engine's order, but the two engines' generators differ, so their crops
are alike in distribution, not in bits.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
import torchvision.transforms.functional as TF
from torch import Tensor

from ..spec import AugmentSpec

MEAN = torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1)
RATIO = (3 / 4, 4 / 3)


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int


def random_resized_crop_box(width: int, height: int, scale: tuple[float, float], rng: np.random.Generator) -> Box:
    """torchvision's RandomResizedCrop.get_params."""
    area = width * height
    lo, hi = math.log(RATIO[0]), math.log(RATIO[1])
    for _ in range(10):
        target = area * rng.uniform(scale[0], scale[1])
        aspect = math.exp(rng.uniform(lo, hi))
        w = round(math.sqrt(target * aspect))
        h = round(math.sqrt(target / aspect))
        if 0 < w <= width and 0 < h <= height:
            return Box(int(rng.integers(0, width - w + 1)), int(rng.integers(0, height - h + 1)), w, h)
    ratio = width / height
    w, h = width, height
    if ratio < RATIO[0]:
        h = round(w / RATIO[0])
    elif ratio > RATIO[1]:
        w = round(h * RATIO[1])
    return Box((width - w) // 2, (height - h) // 2, w, h)


def augment_crop(img: Tensor, size: int, scale: tuple[float, float], a: AugmentSpec, rng: np.random.Generator) -> Tensor:
    """One augmented, normalised float32 crop [3, size, size] of a uint8 image [3, H, W]."""
    _, height, width = img.shape
    box = random_resized_crop_box(width, height, scale, rng)
    x = TF.resized_crop(img, box.y, box.x, box.h, box.w, [size, size], antialias=True).float().div_(255)
    if rng.random() < a.flip:
        x = x.flip(2)
    if a.rotate > 0:
        x = TF.rotate(x, float(rng.uniform(-a.rotate, a.rotate)), interpolation=TF.InterpolationMode.BILINEAR)
    if rng.random() < a.jitter:
        x = _jitter(x, a.strength, rng)
    if rng.random() < a.grayscale:
        x = TF.rgb_to_grayscale(x, 3)
    if rng.random() < a.blur:
        sigma = float(rng.uniform(a.blur_sigma[0], a.blur_sigma[1]))
        radius = max(1, min(math.ceil(3 * sigma), size - 1))
        x = TF.gaussian_blur(x, [2 * radius + 1, 2 * radius + 1], [sigma, sigma])
    out: Tensor = (x - MEAN) / STD
    return out


def _jitter(x: Tensor, strength: float, rng: np.random.Generator) -> Tensor:
    """torchvision ColorJitter: all four factors drawn first, then applied in a random order."""
    bcs, hue = 0.8 * strength, min(0.5, 0.2 * strength)
    b = rng.uniform(max(0.0, 1 - bcs), 1 + bcs)
    c = rng.uniform(max(0.0, 1 - bcs), 1 + bcs)
    s = rng.uniform(max(0.0, 1 - bcs), 1 + bcs)
    h = rng.uniform(-hue, hue)
    for op in rng.permutation(4):
        if op == 0:
            x = TF.adjust_brightness(x, b)
        elif op == 1:
            x = TF.adjust_contrast(x, c)
        elif op == 2:
            x = TF.adjust_saturation(x, s)
        else:
            x = TF.adjust_hue(x, h)
    return x.clamp_(0, 1)
