"""The job a Node executor hands the worker (runtime/engines/torch/job.ts writes it): the stage, its
data, where to write, and how to compute. Read with the JSON path in every error.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..data.source import FilesSource, PixelsSource, Source
from ..spec import Node, Stage, parse_json, parse_stage

JOB_VERSION = 1


@dataclass(frozen=True)
class Job:
    stage: Stage
    stage_json: Any
    """The stage as JSON (its spec's model is written into the trained trunk's checkpoint state)."""
    source: Source
    images: tuple[int, ...]
    """The indices the stage reads (its split's, or every image)."""
    out_dir: str
    """Checkpoints, metrics, the trained trunk and summaries go here (the stage's work folder)."""
    threads: int
    """Intra-op threads of this rank."""
    loader_workers: int
    """Processes making batches ahead of the step (0: in the training process)."""
    device: str
    """`cpu`, `cuda` or `auto` (CUDA when there is one)."""
    rendezvous_timeout_s: float


def read_job(text: str, what: str = "job") -> Job:
    root = parse_json(text, what)
    f = root.fields(["version", "stage", "data", "images", "out_dir", "threads", "loader_workers", "device", "rendezvous_timeout_s"])
    if f["version"].value != JOB_VERSION:
        raise f["version"].fail(f"job version {JOB_VERSION}")
    data = f["data"]
    kind = data.peek("kind").enum("pixels", "files")
    source: Source
    if kind == "pixels":
        d = data.fields(["kind", "file", "count", "size"])
        source = PixelsSource(d["file"].string(), d["count"].integer(1), d["size"].integer(1))
    else:
        d = data.fields(["kind", "paths", "shorter_side"])
        source = FilesSource(tuple(p.string() for p in d["paths"].items(1)), d["shorter_side"].integer(1))
    n = source.count if isinstance(source, PixelsSource) else len(source.paths)
    images = tuple(_index(i, n) for i in f["images"].items(1))
    return Job(
        stage=parse_stage(f["stage"]),
        stage_json=f["stage"].value,
        source=source,
        images=images,
        out_dir=f["out_dir"].string(),
        threads=f["threads"].integer(1),
        loader_workers=f["loader_workers"].integer(0),
        device=f["device"].enum("cpu", "cuda", "auto"),
        rendezvous_timeout_s=f["rendezvous_timeout_s"].number(above=0),
    )


def _index(n: Node, count: int) -> int:
    i = n.integer(0)
    if i >= count:
        raise n.fail(f"an image index below {count}")
    return i
