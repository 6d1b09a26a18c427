"""The stage contract as the torch engine reads it: typed dataclasses parsed from stage JSON.

Mirror of `contract/specs.ts` and `contract/graph.ts` (JSON Schema: `contract/graph.schema.json`);
every malformed spec raises `SpecError` with its JSON path.
"""
from __future__ import annotations

from .data import DataRefSpec, DatasetSpec, FolderSplit, FractionSplit, SplitSpec, SyntheticDatasetSpec, parse_data_ref, parse_dataset
from .model import GeneratorSpec, ModelSpec, RegNetStageSpec, parse_model
from .read import Node, SpecError, parse_json
from .stage import GRAPH_VERSION, Stage, StageSpec, graph_stages, parse_stage, read_stage
from .swav import AugmentSpec, CheckpointSpec, CropSpec, HeadSpec, PretrainSwavSpec, QueueSpec, RandomInitSpec, SinkhornSpec, parse_pretrain_swav, parse_random_init
from .training import (
    ConstantSpec, CosineSpec, DurationSpec, DurationUnit, LarsSpec, MultistepSpec, OptimizerSpec, RateSpec, ScheduleSpec, SgdSpec,
    parse_duration, parse_optimizer, parse_rate, parse_schedule,
)

__all__ = [
    "AugmentSpec", "CheckpointSpec", "ConstantSpec", "CosineSpec", "CropSpec", "DataRefSpec", "DatasetSpec", "DurationSpec",
    "DurationUnit", "FolderSplit", "FractionSplit", "GRAPH_VERSION", "GeneratorSpec", "HeadSpec", "LarsSpec", "ModelSpec",
    "MultistepSpec", "Node", "OptimizerSpec", "PretrainSwavSpec", "QueueSpec", "RandomInitSpec", "RateSpec", "RegNetStageSpec",
    "ScheduleSpec", "SgdSpec", "SinkhornSpec", "SpecError", "SplitSpec", "Stage", "StageSpec", "SyntheticDatasetSpec",
    "graph_stages", "parse_data_ref", "parse_dataset", "parse_duration", "parse_json", "parse_model", "parse_optimizer",
    "parse_pretrain_swav", "parse_random_init", "parse_rate", "parse_schedule", "parse_stage", "read_stage",
]
