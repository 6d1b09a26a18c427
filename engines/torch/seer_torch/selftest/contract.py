"""Self-test command about the stage contract: `spec`."""
from __future__ import annotations

from ..spec import Node, SpecError, parse_stage
from .common import Json


def spec(inp: Json) -> Json:
    out = []
    for i, s in enumerate(inp["stages"]):
        try:
            stage = parse_stage(Node(s, f"stages[{i}]"))
            out.append({"ok": True, "kind": stage.kind, "type": type(stage.spec).__name__})
        except SpecError as e:
            out.append({"ok": False, "error": str(e)})
    return {"stages": out}
