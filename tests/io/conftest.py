"""Fixtures of the import and export tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from db.store import Store
from desktop.workspace import Workspace
from tests.io.helpers import FILES


@pytest.fixture
def files() -> Path:
    """The hand-written files in the shapes other tools save."""
    return FILES


@pytest.fixture
def workspace(store: Store, qapp: object) -> Iterator[Workspace]:
    ws = Workspace(store)
    yield ws
    ws.close()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
