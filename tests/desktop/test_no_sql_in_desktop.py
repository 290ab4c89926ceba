"""No SQL in `desktop/`: a view asks `db/` for what it shows through named functions that are
tested without Qt. Modules that still build queries are listed here and may only shrink."""

from __future__ import annotations

import ast
from pathlib import Path

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"
# SQL construct names (sqlalchemy, sqlalchemy.sql) a module under desktop/ must not import.
CONSTRUCTS = {
    "select",
    "insert",
    "update",
    "delete",
    "text",
    "func",
    "and_",
    "or_",
    "not_",
    "exists",
    "case",
    "literal",
    "union",
    "union_all",
}
# Still to move to db/ (issue 13); remove a module from here once its queries have moved.
NOT_YET: set[str] = set()


def _sql_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "sqlalchemy" or node.module.startswith("sqlalchemy.sql"):
                found += [a.name for a in node.names if a.name in CONSTRUCTS]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("sqlalchemy.sql")]
    return found


def _offenders() -> dict[str, list[str]]:
    found = {}
    for path in sorted(DESKTOP.rglob("*.py")):
        names = _sql_imports(path)
        if names:
            found[path.relative_to(DESKTOP.parent).as_posix()] = names
    return found


def test_no_module_under_desktop_builds_sql() -> None:
    new = {m: names for m, names in _offenders().items() if m not in NOT_YET}
    assert new == {}, "move these queries to named functions in db/"


def test_the_list_of_modules_still_to_move_only_shrinks() -> None:
    done = NOT_YET - set(_offenders())
    assert done == set(), f"{sorted(done)} no longer build SQL: drop them from NOT_YET"
