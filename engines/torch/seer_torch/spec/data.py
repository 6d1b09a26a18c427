"""Datasets as stages read them (`DatasetSpec`, `DataRefSpec` of `contract/specs.ts`).

The torch engine reads the `synthetic` kind so far; the other kinds (image folders, manifests,
copy-detection sets) are refused by name until its data pipeline reads them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Union

from .read import Node, SpecError


@dataclass(frozen=True)
class FractionSplit:
    name: str
    fraction: float


@dataclass(frozen=True)
class FolderSplit:
    name: str
    folder: str


SplitSpec = Union[FractionSplit, FolderSplit]


@dataclass(frozen=True)
class SyntheticDatasetSpec:
    """Generated shapes: `images` images of `size` px in `classes` classes, deterministic in `seed`."""

    name: str
    dir: str
    attributes: tuple[str, ...]
    generator: Literal["shapes"]
    images: int
    size: int
    classes: int
    groups: int
    shift: float
    seed: int
    splits: tuple[SplitSpec, ...] | None
    kind: Literal["synthetic"] = "synthetic"


DatasetSpec = SyntheticDatasetSpec

DATASET_KINDS = ("synthetic", "image_folder", "manifest", "copy_detection_set")


@dataclass(frozen=True)
class DataRefSpec:
    """A dataset as a stage reads it: `ref` (`shapes.train`), its `prepare-data` stage, a split or None."""

    ref: str
    stage: str
    split: str | None


def parse_split(n: Node) -> SplitSpec:
    if isinstance(n.value, dict) and "folder" in n.value:
        f = n.fields(["name", "folder"])
        return FolderSplit(f["name"].string(), f["folder"].string())
    f = n.fields(["name", "fraction"])
    return FractionSplit(f["name"].string(), f["fraction"].fraction())


def parse_dataset(n: Node) -> DatasetSpec:
    kind = n.peek("kind").enum(*DATASET_KINDS)
    if kind != "synthetic":
        raise SpecError(f"{n.path}.kind: the torch engine does not read {kind} datasets yet (only synthetic)")
    f = n.fields(["name", "dir", "attributes", "kind", "generator", "images", "size", "classes", "groups", "shift", "seed", "splits"])
    return SyntheticDatasetSpec(
        name=f["name"].string(),
        dir=f["dir"].string(),
        attributes=tuple(a.string() for a in f["attributes"].items()),
        generator=f["generator"].enum("shapes"),  # type: ignore[arg-type]
        images=f["images"].integer(1),
        size=f["size"].integer(1),
        classes=f["classes"].integer(2),
        groups=f["groups"].integer(1),
        shift=f["shift"].fraction(),
        seed=f["seed"].integer(),
        splits=f["splits"].nullable(lambda s: tuple(parse_split(x) for x in s.items(min_items=1))),
    )


def parse_data_ref(n: Node) -> DataRefSpec:
    f = n.fields(["ref", "stage", "split"])
    return DataRefSpec(f["ref"].string(), f["stage"].string(), f["split"].nullable(Node.string))
