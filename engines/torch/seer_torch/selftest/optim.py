"""Self-test commands about optimisation: `optim`, `schedule`."""
from __future__ import annotations

from torch import nn

from ..duration import RunShape
from ..lars import is_batch_norm_or_bias
from ..schedule import schedule_from_spec
from ..spec import Node, RateSpec, parse_optimizer, parse_rate, parse_schedule
from ..swav_setup import make_optimizer
from .common import Json, flat, tensor


def optim(inp: Json) -> Json:
    named = {n: nn.Parameter(tensor(p["values"], p["shape"])) for n, p in inp["params"].items()}
    opt = make_optimizer(parse_optimizer(Node(inp["optimizer"], "optimizer")), named, is_batch_norm_or_bias)
    after = []
    for st in inp["steps"]:
        for n, p in named.items():
            g = st["grads"].get(n)
            p.grad = None if g is None else tensor(g, list(p.shape))
        opt.set_lr(st["lr"])
        opt.step()
        after.append({n: flat(p) for n, p in named.items()})
    return {"after": after, "buffers": {n: flat(b) for n, b in opt.buffers_by_name().items()}}


def schedule(inp: Json) -> Json:
    out = []
    for i, case in enumerate(inp["cases"]):
        r = case["run"]
        lr: RateSpec | float = float(case["lr"]) if isinstance(case["lr"], (int, float)) else parse_rate(Node(case["lr"], f"cases[{i}].lr"))
        rate = schedule_from_spec(parse_schedule(Node(case["schedule"], f"cases[{i}].schedule")), lr, RunShape(r["steps_per_epoch"], r["batch"], r["total_steps"]))
        out.append([rate(s) for s in case["steps"]])
    return {"rates": out}
