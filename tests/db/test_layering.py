"""The data layer stays free of Qt, so every domain rule runs without a display."""

from __future__ import annotations

import ast
from pathlib import Path

DB = Path(__file__).resolve().parents[2] / "db"


def test_no_module_under_db_imports_qt() -> None:
    offenders = []
    for path in DB.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(
                n.split(".")[0] in {"PySide6", "PyQt6", "PyQt5", "shiboken6", "qasync"}
                for n in names
            ):
                offenders.append(str(path.relative_to(DB.parent)))
    assert offenders == []
