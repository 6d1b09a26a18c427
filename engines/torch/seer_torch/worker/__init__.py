"""The stage worker: `python -m seer_torch.worker JOB.json` runs one stage as one rank of a process group."""
