"""A `pretrain-swav` stage on the torch engine: the tfjs engine's runtime/train/pretrain.ts, with
the same outputs in the same layout (`trunk.seerckpt`, `metrics.jsonl`, `summary.json`, and
`telemetry.jsonl` / `telemetry.json` for what depends on the machine), checkpoints in
`checkpoints/`, and exact resume: data order and crops come from (seed, step), everything else
from the checkpoint, so a run stopped at any point and resumed ends with the same weights.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import signal
import time
from typing import Any, Iterator

import torch
from torch import Tensor
from torch.utils.data import DataLoader

from ..checkpoint import Checkpoint, encode_checkpoint, write_atomic
from ..data.batches import BatchPlan, StepBatches, Unreadable
from ..data.errors import DataError
from ..data.unreadable import read_unreadable, write_unreadable
from ..distributed import GradientAverager, Group, globalise_batch_norm
from ..duration import to_steps
from ..precision import autocast_for
from ..queue import EmbeddingQueue
from ..regnet import RegNetTrunk, build_trunk
from ..spec import PretrainSwavSpec, SpecError
from ..swav import swav_step
from ..swav_setup import TrunkBinding, swav_run_from_spec
from ..weights import trunk_snapshot
from .checkpoints import load_latest, save_checkpoint
from .events import emit, log
from .job import Job
from .state import RunState, restore, snapshot

METRICS = "metrics.jsonl"
TELEMETRY_LOG = "telemetry.jsonl"
TELEMETRY_SUMMARY = "telemetry.json"
TRUNK_FILE = "trunk.seerckpt"


class Cancelled(Exception):
    """SIGTERM or SIGINT: the run stopped at a step boundary after saving a checkpoint."""


def _batches(data: StepBatches, start: int, total: int, workers: int) -> Iterator[tuple[int, list[Tensor], Unreadable]]:
    steps = range(start, total)
    if workers == 0:
        for t in steps:
            yield data[t]
        return
    loader: DataLoader[tuple[int, list[Tensor], Unreadable]] = DataLoader(
        data, sampler=list(steps), batch_size=None, num_workers=workers, prefetch_factor=4,
        worker_init_fn=lambda _: torch.set_num_threads(1), persistent_workers=False,
    )
    yield from loader


def run_pretrain(job: Job, g: Group, device: torch.device) -> dict[str, Any]:
    spec = job.stage.spec
    if not isinstance(spec, PretrainSwavSpec):
        raise SpecError(f"{job.stage.name} is a {job.stage.kind} stage, not pretrain-swav")
    if spec.batch % g.world != 0:
        raise DataError(f"the batch ({spec.batch} images) does not split evenly over {g.world} ranks")
    plan = BatchPlan(job.images, spec.batch, spec.seed, g.rank, g.world)
    if plan.steps_per_epoch < 1:
        raise DataError(f"the batch ({spec.batch} images) is larger than the data ({len(job.images)} images).")
    stop = _stop_flag()

    # Channels-last (NHWC) tensors: oneDNN's and cuDNN's convolutions run faster on them (the
    # quickstart's step on one CPU thread: 136 -> 109 ms, measured).
    trunk = build_trunk(spec.model, spec.seed, device).to(memory_format=torch.channels_last)  # type: ignore[call-overload]
    trunk.checkpoint_blocks = spec.activation_checkpointing
    params = dict(trunk.named_parameters())
    feature_dim = spec.model.stages[-1].width
    run = swav_run_from_spec(spec, TrunkBinding(lambda x: _pooled(trunk, x), params, feature_dim, plan.steps_per_epoch))
    setup = run.setup
    if g.world > 1:
        if setup.queue is not None:
            if setup.queue.length % g.world != 0:
                raise DataError(f"the queue ({setup.queue.length}) does not split evenly over {g.world} ranks")
            setup.queue = EmbeddingQueue(setup.queue.assign, setup.queue.length // g.world, setup.queue.dim, device)
        globalise_batch_norm(trunk)
        globalise_batch_norm(setup.head)
        setup.reduce = g.reduce
        setup.sync_gradients = GradientAverager(g.world)
    setup.autocast, precision = autocast_for(spec.precision, device)
    if g.leader:
        log(f"precision: {precision}")
        if spec.activation_checkpointing:
            log("activation checkpointing: each block keeps only its input; the rest is recomputed in the backward pass")
    trunk.train()
    setup.head.train()
    every = max(1, to_steps(spec.checkpoint.every, run.run))
    keep = spec.checkpoint.keep
    ckpt_dir = os.path.join(job.out_dir, "checkpoints")
    os.makedirs(job.out_dir, exist_ok=True)

    latest = load_latest(ckpt_dir) if g.leader else None
    if latest is not None:
        for f, why in latest.skipped:
            log(f"warning: ignoring checkpoint {f}: {why}")
    state = restore(latest.checkpoint if latest else None, trunk, setup.head, setup.optimizer, setup.queue, g) or RunState()
    resumed = state.step if state.step > 0 else None
    if resumed is not None and latest is not None and latest.file:
        log(f"resumed from {os.path.basename(latest.file)} at step {state.step}")
    metrics_file = os.path.join(job.out_dir, METRICS)
    telemetry_file = os.path.join(job.out_dir, TELEMETRY_LOG)
    if g.leader:
        _trim(metrics_file, state.step)
        _trim(telemetry_file, state.step)

    data = StepBatches(plan, job.source, spec.crops, spec.augment)
    # Files no rank could read (path -> reason), those of earlier attempts in this work folder too.
    unreadable = read_unreadable(job.out_dir) if g.leader else {}

    def save_unreadable() -> None:
        """Every rank's files into the work folder (a collective: every rank calls it at the same step)."""
        files = _gathered(unreadable, g)
        if g.leader:
            write_unreadable(job.out_dir, files)
    collapse = _Collapse(spec.prototypes)
    saved = state.step
    start_step = state.step
    t0 = time.perf_counter()
    waited = 0.0

    def checkpoint() -> None:
        nonlocal saved
        if setup.queue is not None:
            state.queue_filled = setup.queue.filled * g.world
        c = snapshot(trunk, setup.head, setup.optimizer, setup.queue, state, g)
        if c is not None:
            save_checkpoint(ckpt_dir, c, keep)
        save_unreadable()
        saved = state.step

    fetch_start = time.perf_counter()
    for epoch, crops, missed in _batches(data, state.step, run.total_steps, job.loader_workers):
        for path, reason in missed:
            unreadable.setdefault(path, reason)
        if _agree(stop.requested, g):
            if saved != state.step:
                checkpoint()
            log(f"cancelled at step {state.step}; checkpoint saved, the next run resumes here")
            raise Cancelled()
        step_start = time.perf_counter()
        waited += step_start - fetch_start
        r = swav_step(setup, [c.to(device, non_blocking=True).contiguous(memory_format=torch.channels_last) for c in crops], state.step)
        state.step += 1
        state.last_loss = r.loss
        if collapse.observe(r.loss, state.step) and g.leader:
            log(f"warning: SwAV loss has stayed at ln K = {math.log(spec.prototypes):.3f} for {collapse.patience} steps (step {state.step}): the codes may have collapsed")
        seconds = time.perf_counter() - step_start
        if g.leader:
            _append(metrics_file, {"step": state.step, "epoch": epoch, "loss": r.loss, "lr": r.lr, "queue": r.used_queue, "prototypes_frozen": r.prototypes_frozen})
            elapsed = time.perf_counter() - t0
            _append(telemetry_file, {"step": state.step, "images_per_s": spec.batch / max(seconds + (step_start - fetch_start), 1e-9), "data_wait": waited / elapsed if elapsed > 0 else 0})
        if state.step % every == 0 or state.step == run.total_steps:
            checkpoint()
            if g.leader:
                log(f"step {state.step}/{run.total_steps}: loss {r.loss:.4f}, checkpoint saved")
        if g.leader:
            emit("progress", step=state.step, total=run.total_steps)
        fetch_start = time.perf_counter()

    seconds = time.perf_counter() - t0
    save_unreadable()
    if not g.leader:
        return {}
    weights = encode_checkpoint(Checkpoint(state.step, {"model": job.stage_json["spec"]["model"]}, dict(trunk_snapshot(trunk))))
    write_atomic(os.path.join(job.out_dir, TRUNK_FILE), weights)
    sha = hashlib.sha256(weights).hexdigest()
    summary = {"name": job.stage.name, "steps": state.step, "totalSteps": run.total_steps, "finalLoss": _finite(state.last_loss), "weightsSha256": sha, "collapsed": collapse.warned_ever}
    write_atomic(os.path.join(job.out_dir, "summary.json"), (json.dumps(summary, indent=2) + "\n").encode())
    trained = state.step - start_step
    telemetry = {
        "name": job.stage.name, "resumedFrom": resumed, "weightsFile": os.path.join(job.out_dir, TRUNK_FILE),
        "engine": "torch", "torch": torch.__version__, "device": _device_name(device), "worldSize": g.world, "distributedBackend": g.backend,
        "threads": torch.get_num_threads(), "loaderWorkers": job.loader_workers,
        "imagesPerSecond": trained * spec.batch / seconds if seconds > 0 else 0, "dataWaitFraction": waited / seconds if seconds > 0 else 0,
        "precision": precision,
        **({"peakMemoryBytes": int(torch.cuda.max_memory_allocated(device))} if device.type == "cuda" else {}),
    }
    write_atomic(os.path.join(job.out_dir, TELEMETRY_SUMMARY), (json.dumps(telemetry, indent=2) + "\n").encode())
    return {**summary, **{k: telemetry[k] for k in ("imagesPerSecond", "dataWaitFraction", "resumedFrom", "worldSize", "device")}}


def _gathered(files: dict[str, str], g: Group) -> dict[str, str]:
    """The union of every rank's unreadable files (the leader's first), on the leader; each path once."""
    if g.world == 1:
        return files
    parts: list[dict[str, str] | None] = [None] * g.world
    torch.distributed.all_gather_object(parts, files)  # type: ignore[no-untyped-call]
    union: dict[str, str] = {}
    for part in parts:
        for path, reason in (part or {}).items():
            union.setdefault(path, reason)
    return union


def _pooled(trunk: RegNetTrunk, x: Tensor) -> Tensor:
    out: Tensor = trunk(x, ("pool",))["pool"]
    return out


def _device_name(d: torch.device) -> str:
    return torch.cuda.get_device_name(d) if d.type == "cuda" else "cpu"


class _StopFlag:
    requested = False


def _stop_flag() -> _StopFlag:
    flag = _StopFlag()

    def handler(signum: int, _frame: object) -> None:
        flag.requested = True

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    return flag


def _agree(local: bool, g: Group) -> bool:
    """Whether any rank was asked to stop (all ranks stop at the same step)."""
    if g.world == 1:
        return local
    return bool(g.reduce.sum(torch.tensor([1.0 if local else 0.0])).item() > 0)


class _Collapse:
    """runtime/ssl/collapse.ts: loss within 0.01 of ln K for 100 consecutive steps."""

    def __init__(self, prototypes: int, tolerance: float = 0.01, patience: int = 100) -> None:
        self.ln_k, self.tolerance, self.patience = math.log(prototypes), tolerance, patience
        self.streak, self.warned, self.warned_ever = 0, False, False

    def observe(self, loss: float, step: int) -> bool:
        if abs(loss - self.ln_k) > self.tolerance:
            self.streak, self.warned = 0, False
            return False
        self.streak += 1
        if self.warned or self.streak < self.patience:
            return False
        self.warned = self.warned_ever = True
        return True


def _finite(v: Any) -> Any:
    """JSON has no NaN or infinity: they are written as null (as JSON.stringify does)."""
    return None if isinstance(v, float) and not math.isfinite(v) else v


def _append(path: str, row: dict[str, Any]) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps({k: _finite(v) for k, v in row.items()}, separators=(",", ":")) + "\n")


def _trim(path: str, up_to: int) -> None:
    """Drops metric lines of steps after the checkpoint a run resumes from (and a line cut short by a kill)."""
    if not os.path.exists(path):
        return
    kept = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            try:
                if json.loads(line)["step"] <= up_to:
                    kept.append(line if line.endswith("\n") else line + "\n")
            except (ValueError, KeyError, TypeError):
                pass
    write_atomic(path, "".join(kept).encode())
