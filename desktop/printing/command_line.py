"""What a printing command needs around it: a Qt application without a screen, and a checked
output path. Printing to PDF never needs a display, so the command line always runs Qt with
the offscreen platform."""

from __future__ import annotations

import os
from pathlib import Path

from desktop.cli_commands.command import UsageError


def gui_application() -> object:
    """The running QApplication, or a new offscreen one (fonts and PDF writing need it)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def checked_output(path: Path) -> Path:
    """`path` if a PDF can be written there; else a UsageError naming what is wrong."""
    path = path.expanduser()
    if path.suffix.lower() != ".pdf":
        raise UsageError(f"{path}: the output must be a .pdf file")
    if path.is_dir():
        raise UsageError(f"{path}: is a folder; give a file name ending in .pdf")
    if not path.parent.is_dir():
        raise UsageError(f"{path.parent}: no such folder")
    if not os.access(path.parent, os.W_OK):
        raise UsageError(f"{path.parent}: folder is not writable")
    return path


def checked_database(path: Path) -> Path:
    path = path.expanduser()
    if not path.exists():
        raise UsageError(f"{path}: no such database file")
    return path
