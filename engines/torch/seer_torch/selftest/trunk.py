"""Self-test commands about the trunk: `params`, `trunk-forward`."""
from __future__ import annotations

import torch

from ..checkpoint import Checkpoint, read_checkpoint, write_checkpoint
from ..regnet import build_trunk, param_count
from ..spec import Node, parse_model
from ..weights import load_trunk_weights, trunk_snapshot
from .common import Json, flat, tensor


def params(inp: Json) -> Json:
    listed = set(inp.get("tensors", []))
    out = []
    for i, m in enumerate(inp["models"]):
        model = parse_model(Node(m, f"models[{i}]"))
        trunk = build_trunk(model, device="meta")
        row: Json = {"name": model.name, "params": param_count(trunk)}
        if model.name in listed:
            row["tensors"] = {k: list(v.shape) for k, v in trunk.state_dict().items() if not k.endswith("num_batches_tracked")}
        out.append(row)
    return {"models": out}


def trunk_forward(inp: Json) -> Json:
    """Builds a trunk (seed), loads or saves a checkpoint, runs `passes` forward on NHWC `input`; taps back in NHWC."""
    model = parse_model(Node(inp["model"], "model"))
    trunk = build_trunk(model, seed=inp["seed"])
    if inp.get("load"):
        load_trunk_weights(trunk, read_checkpoint(inp["load"]), inp["load"])
    if inp.get("save"):
        write_checkpoint(inp["save"], Checkpoint(0, {"model": inp["model"]}, trunk_snapshot(trunk)))
    x = tensor(inp["input"]["values"], inp["input"]["shape"]).permute(0, 3, 1, 2)
    passes = []
    for p in inp["passes"]:
        trunk.train(p["training"])
        with torch.no_grad():
            out = trunk(x, inp["taps"])
        passes.append({k: flat(v.permute(0, 2, 3, 1) if v.dim() == 4 else v) for k, v in out.items()})
    stats = {k: v.flatten().tolist() for k, v in trunk_snapshot(trunk).items() if k.endswith(("running_mean", "running_var"))}
    return {"passes": passes, "running": stats}
