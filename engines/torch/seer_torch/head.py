"""The SwAV head: projection MLP, L2 normalisation, and the prototypes (mirror of runtime/ssl/head.ts and mlp.ts).

MLP: Linear -> [BN1d] -> ReLU -> ... -> Linear; the last Linear has neither BN nor ReLU (VISSL's
`skip_last_bn`); without BN the ReLUs stay. Prototypes: a bias-free K x D matrix whose rows are
kept at unit L2 norm (normalised at creation and after every optimiser update).

Names are the tfjs engine's: `head.linear{i}.weight|bias`, `head.bn{i}.*`, `prototypes.weight`.
Initial values are the tfjs engine's, bit for bit (seeded.py): linear weight and bias uniform in
+-1/sqrt(fan_in), drawn in the tfjs [in, out] layout and transposed to torch's [out, in];
prototypes uniform in +-1/sqrt(D), then unit rows.
"""
from __future__ import annotations

import math
from typing import Sequence

import torch
from torch import Tensor, nn

from .seeded import seeded_uniform

PROTOTYPES = "prototypes.weight"
"""The name of the prototype matrix among the head's parameters."""


def l2_normalize(x: Tensor) -> Tensor:
    """Each row over its L2 norm, the squared norm clamped at 1e-24 (runtime/ssl/ops.ts `l2Normalize`)."""
    return x / torch.sqrt(torch.clamp_min((x * x).sum(1, keepdim=True), 1e-24))


def _uniform(seed: int, name: str, shape: Sequence[int], bound: float) -> Tensor:
    return torch.from_numpy(seeded_uniform(seed, name, math.prod(shape), bound)).reshape(*shape)


class ProjectionMlp(nn.Module):
    def __init__(self, input_dim: int, dims: Sequence[int], batch_norm: bool, seed: int, prefix: str = "head") -> None:
        super().__init__()
        if not dims or input_dim < 1:
            raise ValueError("A projection head needs an input width and at least one layer.")
        self.depth = len(dims)
        fan_in = input_dim
        for i, out in enumerate(dims):
            linear = nn.Linear(fan_in, out)
            bound = 1 / math.sqrt(fan_in)
            with torch.no_grad():
                linear.weight.copy_(_uniform(seed, f"{prefix}.linear{i}.weight", (fan_in, out), bound).t())
                linear.bias.copy_(_uniform(seed, f"{prefix}.linear{i}.bias", (out,), bound))
            self.add_module(f"linear{i}", linear)
            if i < len(dims) - 1 and batch_norm:
                self.add_module(f"bn{i}", nn.BatchNorm1d(out))
            fan_in = out

    def forward(self, x: Tensor) -> Tensor:
        h = x
        for i in range(self.depth):
            h = getattr(self, f"linear{i}")(h)
            if i == self.depth - 1:
                break
            bn = getattr(self, f"bn{i}", None)
            if bn is not None:
                h = bn(h)
            h = torch.relu(h)
        return h


class SwavHead(nn.Module):
    def __init__(self, input_dim: int, dims: Sequence[int], batch_norm: bool, prototypes: int, seed: int) -> None:
        super().__init__()
        if not dims or prototypes < 1:
            raise ValueError("A SwAV head needs at least one layer and one prototype.")
        d = dims[-1]
        self.embedding_dim = d
        self.head = ProjectionMlp(input_dim, dims, batch_norm, seed, prefix="head")
        self.prototypes = nn.Linear(d, prototypes, bias=False)
        with torch.no_grad():
            self.prototypes.weight.copy_(l2_normalize(_uniform(seed, PROTOTYPES, (prototypes, d), 1 / math.sqrt(d))))

    def embed(self, features: Tensor) -> Tensor:
        """Pooled trunk features [N, F] -> L2-normalised embeddings z [N, D]."""
        return l2_normalize(self.head(features))

    def scores(self, z: Tensor) -> Tensor:
        """Cosine scores z C^T [N, K]."""
        return z @ self.prototypes.weight.t()

    @torch.no_grad()
    def normalize_prototypes(self) -> None:
        """Rescales every prototype to unit L2 norm (call after each optimiser update)."""
        w = self.prototypes.weight
        w.copy_(l2_normalize(w))
