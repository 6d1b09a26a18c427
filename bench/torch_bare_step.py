"""The torch engine's SwAV step against a bare PyTorch loop on the same network (`npm run bench -- --only engines`).

stdin: a `pretrain-swav` stage (JSON, from `seer graph`). Both sides build the same trunk
(seer_torch.regnet) on one thread, take the same random crops, and time forward + backward +
update per step, alternating rounds; the bare loop is what one would write by hand: a Linear-BN-
ReLU-Linear head, L2-normalised prototypes, Sinkhorn and the swapped loss inline, torch.optim.SGD.
Prints JSON: median ms/step of each and their ratio.
"""
from __future__ import annotations

import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from seer_torch.regnet import build_trunk
from seer_torch.spec import Node, parse_stage
from seer_torch.swav import swav_step
from seer_torch.swav_setup import TrunkBinding, swav_run_from_spec


def seer_steps(stage_json: object, crops: list[Tensor]) -> "callable[[int], None]":
    stage = parse_stage(Node(stage_json, "stage"))
    spec = stage.spec
    trunk = build_trunk(spec.model, spec.seed, "cpu").train()
    run = swav_run_from_spec(spec, TrunkBinding(lambda x: trunk(x, ("pool",))["pool"], dict(trunk.named_parameters()), spec.model.stages[-1].width, 20))
    run.setup.head.train()
    return lambda step: swav_step(run.setup, crops, step) and None


def bare_steps(stage_json: object, crops: list[Tensor]) -> "callable[[int], None]":
    stage = parse_stage(Node(stage_json, "stage"))
    spec = stage.spec
    trunk = build_trunk(spec.model, spec.seed, "cpu").train()
    width = spec.model.stages[-1].width
    dims = spec.head.dims
    head = nn.Sequential(nn.Linear(width, dims[0]), nn.BatchNorm1d(dims[0]), nn.ReLU(), nn.Linear(dims[0], dims[1]))
    protos = nn.Linear(dims[1], spec.prototypes, bias=False)
    params = [*trunk.parameters(), *head.parameters(), *protos.parameters()]
    opt = torch.optim.SGD(params, lr=0.1, momentum=0.9, weight_decay=1e-6)
    b = crops[0].shape[0]

    @torch.no_grad()
    def sinkhorn(s: Tensor) -> Tensor:
        q = torch.exp((s - s.max()) / spec.sinkhorn.epsilon).t()
        q /= q.sum()
        k, n = q.shape
        for _ in range(spec.sinkhorn.iterations):
            q /= q.sum(1, keepdim=True) * k
            q /= q.sum(0, keepdim=True) * n
        return (q * n).t()

    def step(_: int) -> None:
        opt.zero_grad(set_to_none=True)
        z = F.normalize(head(trunk(torch.cat(crops, 0), ("pool",))["pool"]), dim=1)
        with torch.no_grad():
            protos.weight.copy_(F.normalize(protos.weight, dim=1))
        scores = protos(z)
        loss = torch.zeros(())
        for a in range(len(crops)):
            q = sinkhorn(scores[a * b:(a + 1) * b].detach())
            for v in range(len(crops)):
                if v != a:
                    loss = loss - (q * F.log_softmax(scores[v * b:(v + 1) * b] / spec.temperature, dim=1)).sum(1).mean()
        (loss / (len(crops) * (len(crops) - 1))).backward()
        opt.step()

    return step


def main() -> None:
    torch.set_num_threads(1)
    stage_json = json.loads(sys.stdin.read())
    spec = stage_json["spec"]
    batch, size = spec["batch"], spec["crops"][0]["size"]
    gen = torch.Generator().manual_seed(0)
    crops = [torch.randn(batch, 3, size, size, generator=gen) for _ in range(sum(c["count"] for c in spec["crops"]))]
    rounds, steps, warmup = int(sys.argv[1]) if len(sys.argv) > 1 else 3, 8, 2
    sides = {"seer": seer_steps(stage_json, crops), "bare": bare_steps(stage_json, crops)}
    times: dict[str, list[float]] = {k: [] for k in sides}
    for r in range(rounds):
        for name, step in sides.items():
            for i in range(warmup):
                step(i)
            t0 = time.perf_counter()
            for i in range(steps):
                step(warmup + i)
            times[name].append((time.perf_counter() - t0) / steps * 1000)
    seer_ms, bare_ms = statistics.median(times["seer"]), statistics.median(times["bare"])
    print(json.dumps({"batch": batch, "size": size, "seerMs": seer_ms, "bareMs": bare_ms, "ratio": seer_ms / bare_ms, "rounds": times}))


if __name__ == "__main__":
    main()
