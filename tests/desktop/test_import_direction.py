"""Imports run one way: the shared layers (`desktop/models`, `desktop/views`,
`desktop/widgets`) never import from an area's own package such as `desktop/client_page`;
what two areas share lives in a shared layer."""

from __future__ import annotations

import ast
from pathlib import Path

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"
SHARED = ("models", "views", "widgets")
AREAS = ("desktop.client_page",)


def _imports(path: Path) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def test_shared_layers_do_not_import_from_an_area() -> None:
    offenders = [
        f"{path.relative_to(DESKTOP.parent)} imports {name}"
        for layer in SHARED
        for path in (DESKTOP / layer).rglob("*.py")
        for name in _imports(path)
        if any(name == area or name.startswith(f"{area}.") for area in AREAS)
    ]
    assert offenders == []
