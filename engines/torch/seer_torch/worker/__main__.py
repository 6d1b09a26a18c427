"""`python -m seer_torch.worker JOB.json`: runs one stage as one rank (RANK / WORLD_SIZE from the
environment; one process without them). Events go to stdout as JSON lines (`events.py`); the exit
code says what went wrong: 0 done, 3 data or environment, 1 a spec the engine refuses, 130
cancelled (a checkpoint was saved), 70 a bug.
"""
from __future__ import annotations

import os
import sys
import traceback

import torch

from ..data.errors import DataError
from ..distributed import join_group, leave_group
from ..spec import SpecError
from .events import emit
from .job import read_job
from .pretrain import Cancelled, run_pretrain

EXIT = {"spec": 1, "data": 3, "environment": 3, "internal": 70}


def _rank() -> int:
    try:
        return int(os.environ.get("RANK", "0") or 0)
    except ValueError:
        return 0


def _fail(category: str, message: str) -> int:
    emit("error", category=category, message=message, rank=_rank(), host=os.uname().nodename)
    return EXIT[category]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        return _fail("internal", "usage: python -m seer_torch.worker JOB.json")
    try:
        with open(argv[0], encoding="utf-8") as f:
            job = read_job(f.read(), argv[0])
    except OSError as e:
        return _fail("environment", f"cannot read the job {argv[0]}: {e.strerror}")
    except SpecError as e:
        return _fail("spec", str(e))
    torch.set_num_threads(job.threads)
    torch.manual_seed(0)
    cuda = job.device == "cuda" or (job.device == "auto" and torch.cuda.is_available())
    if job.device == "cuda" and not torch.cuda.is_available():
        return _fail("environment", "the job asks for CUDA, and this torch sees no GPU")
    try:
        group = join_group(cuda, job.rendezvous_timeout_s)
    except (RuntimeError, ValueError) as e:
        return _fail("environment", f"cannot join the process group: {e}")
    device = torch.device("cuda", group.local_rank) if cuda else torch.device("cpu")
    if cuda:
        torch.cuda.set_device(device)
    try:
        if job.stage.kind != "pretrain-swav":
            return _fail("spec", f"the torch engine's worker runs pretrain-swav stages, not {job.stage.kind}")
        result = run_pretrain(job, group, device)
        if group.leader:
            emit("done", result=result)
        return 0
    except Cancelled:
        return 130
    except DataError as e:
        return _fail("data", str(e))
    except SpecError as e:
        return _fail("spec", str(e))
    except Exception as e:  # noqa: BLE001: every other failure is reported with its trace
        if type(e).__name__ == "OutOfMemoryError":
            return _fail("environment", f"out of GPU memory: {e}")
        return _fail("internal", f"{type(e).__name__}: {e}\n{traceback.format_exc()}")
    finally:
        leave_group(group)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
