"""The GUI reads a schedule through its read API (`db.scheduling.schedule_view`), never
through the engine's parallel arrays, so the engine can change how it stores a plan without
touching a widget. This test reads the source of `desktop/` and keeps that true."""

from __future__ import annotations

import ast
from pathlib import Path

import desktop

# The engine's per-node arrays (`db.scheduling.engine.Scheduler`).
ENGINE_ARRAYS = frozenset(
    {
        "a",
        "cal",
        "children",
        "em",
        "finish_o",
        "ids",
        "incoming",
        "order",
        "outgoing",
        "parent",
        "pos",
        "rank",
        "sm",
        "specs",
        "start_o",
    }
)
# Names only the engine uses: read as attributes anywhere, they are its arrays.
ENGINE_ONLY = frozenset(
    {"em", "finish_o", "incoming", "outgoing", "rank", "sm", "specs", "start_o"}
)
# The modules that build a scheduler and hand out its read API.
OWNERS = frozenset({"desktop/gantt/document.py"})


def _sources() -> list[tuple[str, ast.Module]]:
    root = Path(desktop.__file__).parent
    return [
        (f"desktop/{path.relative_to(root).as_posix()}", ast.parse(path.read_text("utf-8")))
        for path in sorted(root.rglob("*.py"))
    ]


def test_no_reader_in_desktop_indexes_the_engines_arrays() -> None:
    found = []
    for name, tree in _sources():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr in ENGINE_ARRAYS
            ) or (isinstance(node, ast.Attribute) and node.attr in ENGINE_ONLY):
                found.append(f"{name}:{node.lineno}: {ast.unparse(node)}")
    assert not found, "read the schedule through ScheduleView:\n" + "\n".join(found)


def test_only_the_documents_hold_the_engine() -> None:
    found = []
    for name, tree in _sources():
        if name in OWNERS:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "scheduler":
                found.append(f"{name}:{node.lineno}: {ast.unparse(node)}")
            if isinstance(node, ast.ImportFrom) and any(a.name == "Scheduler" for a in node.names):
                found.append(f"{name}:{node.lineno}: imports the engine")
    assert not found, "read the schedule through ScheduleView:\n" + "\n".join(found)
