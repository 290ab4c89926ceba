"""A main window over a small agency for the workload and portfolio tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from db.store import Store
from desktop.main_window import MainWindow
from desktop.workspace import Workspace


@pytest.fixture
def workspace(store: Store, qapp: object) -> Iterator[Workspace]:
    ws = Workspace(store)
    yield ws
    ws.close()


@pytest.fixture
def window(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(workspace, settings, auto_sync=False)
    w.persist = False
    qtbot.addWidget(w)
    w.resize(1300, 800)
    w.show()
    qtbot.waitExposed(w)
    return w
