"""Reading a JSON value against the contract's shapes, with the JSON path in every error.

The stage contract (`contract/specs.ts`, its schema `contract/graph.schema.json`) has objects
with exactly their keys, numbers with bounds, enums, nullables and arrays. `Node` checks one
value at a time and says where a malformed spec is wrong (`spec.optimizer.lr.resolved: expected
a number, got "x"`), without a JSON Schema package.
"""
from __future__ import annotations

import json
import math
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")


class SpecError(ValueError):
    """A stage spec that does not have the contract's shape; the message starts with its JSON path."""


def _show(value: object) -> str:
    text = json.dumps(value) if isinstance(value, (str, int, float, bool, type(None))) else type(value).__name__
    return text if len(text) <= 60 else text[:57] + "..."


class Node:
    """A JSON value and where it sits (`spec.crops[0].size`)."""

    def __init__(self, value: object, path: str) -> None:
        self.value = value
        self.path = path

    def fail(self, expected: str) -> SpecError:
        return SpecError(f"{self.path}: expected {expected}, got {_show(self.value)}")

    def fields(self, keys: Iterable[str]) -> dict[str, Node]:
        """An object with exactly `keys` (every one required; absent values are JSON null)."""
        wanted = list(keys)
        if not isinstance(self.value, dict):
            raise self.fail("an object")
        missing = [k for k in wanted if k not in self.value]
        if missing:
            raise SpecError(f"{self.path}: missing field{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
        extra = sorted(k for k in self.value if k not in wanted)
        if extra:
            raise SpecError(f"{self.path}: unknown field{'s' if len(extra) > 1 else ''} {', '.join(extra)} (expected {', '.join(wanted)})")
        return {k: Node(self.value[k], f"{self.path}.{k}") for k in wanted}

    def peek(self, key: str) -> Node:
        """One field of an object, before its keys are checked (a union's `kind`)."""
        if not isinstance(self.value, dict):
            raise self.fail("an object")
        if key not in self.value:
            raise SpecError(f"{self.path}: missing field {key}")
        return Node(self.value[key], f"{self.path}.{key}")

    def string(self) -> str:
        if not isinstance(self.value, str):
            raise self.fail("a string")
        return self.value

    def enum(self, *choices: str) -> str:
        if self.value not in choices:
            raise self.fail("one of " + ", ".join(json.dumps(c) for c in choices))
        return str(self.value)

    def boolean(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.fail("true or false")
        return self.value

    def number(self, minimum: float | None = None, maximum: float | None = None, above: float | None = None) -> float:
        """A finite number, within [minimum, maximum] and above `above` where given."""
        v = self.value
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise self.fail("a number")
        if minimum is not None and v < minimum:
            raise self.fail(f"a number >= {minimum}")
        if maximum is not None and v > maximum:
            raise self.fail(f"a number <= {maximum}")
        if above is not None and not v > above:
            raise self.fail(f"a number > {above}")
        return float(v)

    def fraction(self) -> float:
        return self.number(0, 1)

    def integer(self, minimum: int = 0) -> int:
        v = self.value
        if isinstance(v, bool) or not isinstance(v, (int, float)) or (isinstance(v, float) and not v.is_integer()):
            raise self.fail("an integer")
        if v < minimum:
            raise self.fail(f"an integer >= {minimum}")
        return int(v)

    def items(self, min_items: int = 0) -> list[Node]:
        if not isinstance(self.value, list):
            raise self.fail("an array")
        if len(self.value) < min_items:
            raise self.fail(f"an array of at least {min_items} item{'s' if min_items > 1 else ''}")
        return [Node(v, f"{self.path}[{i}]") for i, v in enumerate(self.value)]

    def pair(self, read: Callable[[Node], float]) -> tuple[float, float]:
        nodes = self.items()
        if len(nodes) != 2:
            raise self.fail("an array of 2 numbers")
        return (read(nodes[0]), read(nodes[1]))

    def nullable(self, read: Callable[[Node], T]) -> T | None:
        return None if self.value is None else read(self)


def parse_json(text: str, what: str) -> Node:
    """Parses JSON text into a root `Node` named `what` (a syntax error names the line and column)."""
    try:
        return Node(json.loads(text), what)
    except json.JSONDecodeError as e:
        raise SpecError(f"{what}: not JSON ({e.msg} at line {e.lineno}, column {e.colno})") from None
