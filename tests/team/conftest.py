"""A main window over an empty agency, as on a first run."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from desktop.main_window import MainWindow
from desktop.workspace import Workspace


@pytest.fixture
def window(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(workspace, settings)
    w.persist = False
    qtbot.addWidget(w)
    w.restore_state()
    w.resize(1200, 760)
    w.show()
    qtbot.waitExposed(w)
    return w
