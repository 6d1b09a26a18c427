"""seer's PyTorch engine: the worker that runs stage specs of seer's execution graph with torch.

Modules: `spec` (the stage contract), `selftest` (the entry the Node test suite runs).
"""
