"""The entry the Node test suite runs: `python -m seer_torch.selftest COMMAND < input.json > output.json`.

Each command reads one JSON object on stdin and prints one JSON object, so the TypeScript tests
(test/engines/torch-*.test.ts) compare this engine with `seer explain` and the tfjs engine on the
same inputs:

  params     models: [ModelSpec], tensors: [names] -> each trunk's parameter count (built on the
             meta device) and, for the named ones, every state tensor's shape
  spec       stages: [stage JSON]            -> per stage: the parsed kind, or the SpecError message
  trunk-forward  model, seed, checkpoint to load or save, NHWC input, passes
                                             -> the taps of each pass (NHWC), BN statistics after
  loss       z, prototypes, queue, options   -> Sinkhorn codes, swapped loss, its gradients
  head       head options, features          -> initial head parameters (tfjs layout), embeddings
  swav-step  spec, a tiny trunk, crops        -> each step's loss and rate, the parameters after
  optim      optimizer spec, params, steps    -> parameters and momentum buffers after each step
  schedule   cases: [{schedule, lr, run, steps}] -> the learning rate at each step

Threads are pinned to 1 (deterministic sums, no oversubscription next to the Node tests).
"""
from __future__ import annotations

import json
import sys
from typing import Callable

import torch

from .common import Json
from .contract import spec
from .optim import optim, schedule
from .swav import head, loss, swav_step
from .trunk import params, trunk_forward

COMMANDS: dict[str, Callable[[Json], Json]] = {
    "params": params, "spec": spec, "loss": loss, "head": head, "swav-step": swav_step, "optim": optim, "schedule": schedule,
    "trunk-forward": trunk_forward,
}


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in COMMANDS:
        print(f"usage: python -m seer_torch.selftest {{{'|'.join(COMMANDS)}}} < input.json", file=sys.stderr)
        return 2
    torch.set_num_threads(1)
    result = COMMANDS[argv[0]](json.load(sys.stdin))
    json.dump({"torch": torch.__version__, **result}, sys.stdout)
    return 0
