"""A stage of the execution graph (`contract/graph.ts`) and the graph itself, as the engine reads them.

A stage is `{id, name, kind, spec, inputs, resources, source}`; its `spec` is parsed by kind.
The engine parses the kinds it runs (`prepare-data` of a synthetic dataset, `random-init`,
`pretrain-swav`); any other kind is refused by name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Union

from .data import DatasetSpec, parse_dataset
from .read import Node, SpecError, parse_json
from .swav import PretrainSwavSpec, RandomInitSpec, parse_pretrain_swav, parse_random_init

GRAPH_VERSION = 2
"""The graph version this engine reads (`GRAPH_VERSION` of contract/graph.ts)."""

STAGE_KINDS = (
    "prepare-data", "random-init", "pretrain-swav", "extract-features", "linear-eval", "knn-eval",
    "fairness-eval", "robustness-eval", "copy-detection-eval", "report",
)

StageSpec = Union[DatasetSpec, RandomInitSpec, PretrainSwavSpec]

SPEC_READERS: dict[str, Callable[[Node], StageSpec]] = {
    "prepare-data": parse_dataset,
    "random-init": parse_random_init,
    "pretrain-swav": parse_pretrain_swav,
}

_ID = re.compile(r"^sha256:[0-9a-f]{64}$")


@dataclass(frozen=True)
class Stage:
    id: str
    name: str
    kind: str
    spec: StageSpec
    inputs: tuple[str, ...]
    gpus: int
    cpu: bool
    source_file: str
    declaration: str


def parse_stage(n: Node) -> Stage:
    kind = n.peek("kind").enum(*STAGE_KINDS)
    read = SPEC_READERS.get(kind)
    if read is None:
        raise SpecError(f"{n.path}.kind: the torch engine does not run {kind} stages (it runs {', '.join(SPEC_READERS)})")
    f = n.fields(["id", "name", "kind", "spec", "inputs", "resources", "source"])
    stage_id = f["id"].string()
    if not _ID.match(stage_id):
        raise f["id"].fail("sha256: and 64 hex digits")
    name = f["name"].string()
    if not name:
        raise f["name"].fail("a non-empty name")
    res = f["resources"].fields(["gpus", "cpu"])
    src = f["source"].fields(["file", "declaration"])
    return Stage(
        id=stage_id,
        name=name,
        kind=kind,
        spec=read(f["spec"]),
        inputs=tuple(i.string() for i in f["inputs"].items()),
        gpus=res["gpus"].integer(),
        cpu=res["cpu"].boolean(),
        source_file=src["file"].string(),
        declaration=src["declaration"].string(),
    )


def read_stage(text: str, what: str = "stage") -> Stage:
    """A stage from its JSON text (what a worker is handed)."""
    return parse_stage(parse_json(text, what))


def graph_stages(text: str, what: str = "graph") -> list[Node]:
    """The stages of a graph's JSON text, unparsed (parse the ones to run with `parse_stage`); checks the version."""
    root = parse_json(text, what)
    f = root.fields(["version", "seer", "recipe", "stages"])
    if f["version"].value != GRAPH_VERSION:
        raise f["version"].fail(f"graph version {GRAPH_VERSION} (this engine reads no other)")
    f["seer"].string()
    f["recipe"].string()
    return f["stages"].items()
