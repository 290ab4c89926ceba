"""Shared fixtures. The suite runs headless: offscreen Qt is set here, before anything imports
Qt, so no test depends on the caller's environment."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

import pytest

from db.database import open_database
from db.store import Store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "agency.sqlite"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """A fresh, empty, migrated database per test."""
    s = Store(open_database(db_path, create=True))
    yield s
    s.close()
