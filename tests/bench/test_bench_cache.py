"""The benchmarks' database cache is keyed by the migrations' content, not their revision id:
a branch with a different migration under the same id never times another branch's file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import cache

MIGRATION = '''"""Add a column."""
from db.sync.schema import install_triggers
from db.audit import schema as audit

revision = "0016"
down_revision = "0015"


def upgrade() -> None:
    {body}
'''


def tree(root: Path, body: str = "pass", triggers: str = "SQL = 'v1'") -> Path:
    """A repository with one migration script and the modules it imports."""
    versions = root / "db" / "migrations" / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    (versions / "0016_add_column.py").write_text(MIGRATION.format(body=body))
    for module in ("db/sync/schema.py", "db/audit/schema.py", "db/audit/__init__.py"):
        (root / module).parent.mkdir(parents=True, exist_ok=True)
        if not (root / module).exists():
            (root / module).write_text("")
    (root / "db" / "sync" / "schema.py").write_text(triggers)
    return root


def key(root: Path) -> str:
    return cache.digest(cache.schema_sources(root), root)


def test_the_sources_are_the_scripts_and_what_they_import(tmp_path: Path) -> None:
    root = tree(tmp_path)
    names = [p.relative_to(root).as_posix() for p in cache.schema_sources(root)]
    assert names[0] == "db/migrations/versions/0016_add_column.py"
    assert {"db/sync/schema.py", "db/audit/schema.py"} <= set(names)


def test_a_different_migration_under_the_same_id_gets_another_key(tmp_path: Path) -> None:
    mine = key(tree(tmp_path / "mine", body="op.add_column('client', 'tier')"))
    theirs = key(tree(tmp_path / "theirs", body="op.add_column('client', 'rank')"))
    again = key(tree(tmp_path / "mine", body="op.add_column('client', 'tier')"))
    assert mine != theirs
    assert mine == again


def test_changed_trigger_sql_gets_another_key(tmp_path: Path) -> None:
    before = key(tree(tmp_path, triggers="SQL = 'CREATE TRIGGER a'"))
    after = key(tree(tmp_path, triggers="SQL = 'CREATE TRIGGER b'"))
    assert before != after


def test_the_real_key_covers_every_migration_and_the_sync_triggers() -> None:
    sources = {p.relative_to(cache.REPO).as_posix() for p in cache.schema_sources()}
    scripts = {
        p.relative_to(cache.REPO).as_posix()
        for p in (cache.REPO / "db" / "migrations" / "versions").glob("*.py")
    }
    assert scripts <= sources
    assert "db/sync/schema.py" in sources


def test_a_database_is_built_once_per_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "CACHE", tmp_path / "cache")
    built: list[Path] = []

    def build(path: Path) -> None:
        built.append(path)
        path.write_text("a database")

    first = cache.cached_database("plan", build)
    assert cache.cached_database("plan", build) == first
    assert len(built) == 1 and first.name == f"plan-{cache.schema_key()}.sqlite"
    assert not built[0].exists()  # the partial file was renamed into place

    generator = tmp_path / "generator.py"
    generator.write_text("SEED = 1")
    monkeypatch.setattr(cache, "REPO", tmp_path)  # `sources` are named relative to the repo
    monkeypatch.setattr(cache, "schema_sources", lambda: [])
    seeded = cache.cached_database("plan", build, sources=[generator])
    generator.write_text("SEED = 2")
    reseeded = cache.cached_database("plan", build, sources=[generator])
    assert len({first, seeded, reseeded}) == 3 and len(built) == 3


def test_the_startup_databases_are_keyed_like_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start-up benchmark's demo and project databases are named by the schema's
    sources (and the demo's code), so a branch's changed migration never times a stale file."""
    from bench import startup

    monkeypatch.setattr(cache, "CACHE", tmp_path)
    demo = cache.digest([*cache.schema_sources(), *startup.DEMO_SOURCES])
    built = [
        tmp_path / f"demo-scale1-{demo}.sqlite",
        tmp_path / f"plan-2000-v{startup.PLAN_VERSION}-{cache.schema_key()}.sqlite",
    ]
    for path in built:
        path.write_text("built before")  # found in the cache: taken, not written again
    assert [startup.demo_database(1), startup.project_database(2000)] == built
