"""A main window over an empty agency, as on a first run, and typing a new name into it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
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


def type_name(text: str) -> None:
    """Type `text` into the name that opened for typing (after New or Insert), and Enter."""
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit), "the new name opens for typing"
    editor.selectAll()
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits on a queued call
