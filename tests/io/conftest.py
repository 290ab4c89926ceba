"""Fixtures of the import and export tests: the hand-written files of `files/` and a way to
import one the way the app does (plan, then one operation through the store)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.io import ProjectImport, plan_project_import, read_path
from db.models import ENTITIES
from db.store import Store

FILES = Path(__file__).parent / "files"


@pytest.fixture
def files() -> Path:
    return FILES


def import_path(store: Store, path: Path, **options: object) -> ProjectImport:
    plan = plan_project_import(store.session, read_path(path), str(path), **options)  # type: ignore[arg-type]
    store.apply(plan.operation)
    return plan


def row_counts(store: Store) -> dict[str, int]:
    """Rows per table: what "the database is unchanged" compares."""
    session = store.session
    return {
        name: session.scalar(select(func.count()).select_from(entity)) or 0
        for name, entity in ENTITIES.items()
    }
