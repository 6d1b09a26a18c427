"""seer's PyTorch engine: the worker that runs stage specs of seer's execution graph with torch.

Modules: `spec` (the stage contract), `regnet` (the trunk; `regnet_plan`, `regnet_init`),
`seeded` (the tfjs engine's seeded streams), `checkpoint` and `weights` (the tfjs engine's
checkpoint files), SwAV (`sinkhorn`, `loss`, `head`, `queue`, `crops`, `swav`, `swav_setup`),
optimisation (`momentum`, `lars`, `sgd`, `duration`, `schedule`), `selftest` (the entry the
Node test suite runs). docs/engines.md maps each onto its TensorFlow.js counterpart.
"""
