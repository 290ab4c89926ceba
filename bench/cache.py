"""The benchmarks' cache of generated databases (`<temp>/agency-desk-bench`), each file named
for what built it, so a stale one is never timed.

A cached database is built by running the migrations, so its name carries a digest of the
migration scripts and of the `db` modules they import (the sync triggers' SQL in
`db.sync.schema`, the audit and search schemas): a branch whose migration differs under the
same revision id gets a database of its own instead of reusing another branch's.
"""

from __future__ import annotations

import ast
import hashlib
import tempfile
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

CACHE = Path(tempfile.gettempdir()) / "agency-desk-bench"
REPO = Path(__file__).resolve().parent.parent


def schema_sources(root: Path = REPO) -> list[Path]:
    """The migration scripts under `root` and the repository modules they import."""
    scripts = sorted((root / "db" / "migrations" / "versions").glob("*.py"))
    imported: set[Path] = set()
    for script in scripts:
        for node in ast.walk(ast.parse(script.read_bytes(), filename=str(script))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                module = root.joinpath(*node.module.split("."))
                # `from db.audit import schema` names a submodule: take it too.
                candidates = [module.with_suffix(".py"), module / "__init__.py"]
                candidates += [(module / alias.name).with_suffix(".py") for alias in node.names]
                imported.update(c for c in candidates if c.is_file())
    return scripts + sorted(imported - set(scripts))


def digest(paths: Iterable[Path], root: Path | None = None) -> str:
    """Twelve hex digits of the files' names (relative to `root`, the repository by default)
    and contents."""
    h = hashlib.sha256()
    for path in paths:
        h.update(path.relative_to(root or REPO).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()[:12]


@cache
def schema_key() -> str:
    """Changes whenever anything that shapes a migrated database's schema does."""
    return digest(schema_sources())


def cached_database(
    name: str, build: Callable[[Path], None], *, sources: Iterable[Path] = ()
) -> Path:
    """`<cache>/<name>-<key>.sqlite`, built by `build(path)` on first use. The key digests
    the schema's sources and `sources` (the code that generates the data, when it matters)."""
    extra = list(sources)
    key = schema_key() if not extra else digest([*schema_sources(), *extra])
    path = CACHE / f"{name}-{key}.sqlite"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        # Built beside its final name and renamed when whole: a run killed halfway leaves
        # nothing a later run would take for a finished database.
        partial = path.with_name(f"{path.stem}.partial")
        partial.unlink(missing_ok=True)
        build(partial)
        partial.rename(path)
    return path
