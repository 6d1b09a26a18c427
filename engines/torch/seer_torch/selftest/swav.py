"""Self-test commands about SwAV: `loss`, `head`, `swav-step`."""
from __future__ import annotations

import torch
from torch import Tensor, nn

from ..head import SwavHead
from ..loss import SwappedLossOptions, codes_for, swapped_loss
from ..sinkhorn import SinkhornOptions
from ..spec import Node, parse_pretrain_swav
from ..swav import swav_step as run_step
from ..swav_setup import TrunkBinding, swav_run_from_spec
from .common import Json, flat, tensor, tfjs_layout


def loss(inp: Json) -> Json:
    v, b, d, k = inp["crops"], inp["batch"], inp["dim"], inp["k"]
    z = tensor(inp["z"], [v * b, d]).requires_grad_(True)
    c = tensor(inp["prototypes"], [k, d]).requires_grad_(True)
    assign = tuple(inp["assign"])
    queue = tensor(inp["queue"], [len(assign), inp["queue_length"], d]) if inp.get("queue") else None
    sk = SinkhornOptions(inp["sinkhorn"]["iterations"], inp["sinkhorn"]["epsilon"])
    value = swapped_loss(z, c, SwappedLossOptions(v, assign, inp["temperature"], sk), queue)
    gz, gc = torch.autograd.grad(value, [z, c])
    scores = (z @ c.t()).detach()
    codes = [flat(codes_for(scores[a * b:(a + 1) * b], c.detach(), None if queue is None else queue[i], sk)) for i, a in enumerate(assign)]
    return {"loss": float(value), "codes": codes, "grad_z": flat(gz), "grad_prototypes": flat(gc)}


def head(inp: Json) -> Json:
    h = SwavHead(inp["input_dim"], inp["dims"], inp["batch_norm"], inp["prototypes"], inp["seed"]).train()
    initial = {n: flat(tfjs_layout(n, p)) for n, p in h.named_parameters()}
    z = h.embed(tensor(inp["features"], [-1, inp["input_dim"]]))
    return {"params": initial, "z": flat(z)}


class _TinyTrunk(nn.Module):
    """The tfjs tests' stand-in trunk (test/helpers/ssl-tf.ts `tinyTrunk`): NHWC pixels x W, ReLU, mean over pixels."""

    def __init__(self, weight: Tensor) -> None:
        super().__init__()
        self.weight = nn.Parameter(weight)

    def forward(self, x: Tensor) -> Tensor:
        n, h, w, c = x.shape
        y = torch.relu(x.reshape(n * h * w, c) @ self.weight)
        return y.reshape(n, h * w, -1).mean(1)


def swav_step(inp: Json) -> Json:
    trunk = _TinyTrunk(tensor(inp["trunk_weight"], [inp["channels"], inp["features"]]))
    spec = parse_pretrain_swav(Node(inp["spec"], "spec"))
    run = swav_run_from_spec(spec, TrunkBinding(trunk, {"trunk.conv.weight": trunk.weight}, inp["features"], inp["steps_per_epoch"]))
    run.setup.head.train()
    steps = []
    for i, st in enumerate(inp["steps"]):
        crops = [tensor(c["values"], c["shape"]) for c in st["crops"]]
        r = run_step(run.setup, crops, i)
        steps.append({"loss": r.loss, "lr": r.lr, "used_queue": r.used_queue, "prototypes_frozen": r.prototypes_frozen})
    queue = run.setup.queue
    return {
        "total_steps": run.total_steps,
        "steps": steps,
        "params": {n: flat(tfjs_layout(n, p)) for n, p in run.setup.params.items()},
        "queue": None if queue is None else flat(queue.embeddings()),
    }
