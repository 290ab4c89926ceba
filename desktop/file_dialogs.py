"""Every file dialog the app shows, built here so none of them reads the files it lists.

Qt's file dialog asks `QMimeDatabase` for each listed file's icon and type, and for a name with
no known suffix (`agency.sqlite-wal`, `agency.sqlite-shm`) that means opening the file and
reading its first bytes. On Linux and macOS that open-and-close, inside the app's own process,
silently dropped SQLite's locks on the open database (see `db.instance_lock`, which is what now
keeps other processes out whatever happens). The platform dialogs of Linux desktops run in our
process and sniff content the same way. So, belt and braces: on Linux and macOS every dialog is
Qt's own, with an icon provider that decides icons and types from the file name alone. Windows
keeps its native dialog, which users expect there: SQLite's locks on Windows (`LockFileEx`)
belong to SQLite's own handle, and no other handle closing can drop them.

`save_file_name` and `existing_directory` replace `QFileDialog.getSaveFileName` and
`getExistingDirectory`; `file_dialog` builds the dialog they show, for callers that need more.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import overload

from PySide6.QtCore import QFileInfo, QMimeDatabase
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHeaderView,
    QStyle,
    QTreeView,
    QWidget,
)

NATIVE = sys.platform == "win32"
DIALOG_SIZE = (860, 500)
COLUMN_WIDTHS = (90, 150, 170)  # size, type, date modified


class NameOnlyIconProvider(QAbstractFileIconProvider):
    """Icons and type names from a file's name and whether it is a folder, never its content.
    Name matching goes through `QMimeDatabase.mimeTypesForFileName`, which never opens a file."""

    def __init__(self) -> None:
        super().__init__()
        self.setOptions(QAbstractFileIconProvider.Option.DontUseCustomDirectoryIcons)
        self._mimes = QMimeDatabase()
        self._icons: dict[str, QIcon] = {}

    @overload
    def icon(self, arg: QAbstractFileIconProvider.IconType) -> QIcon: ...
    @overload
    def icon(self, arg: QFileInfo) -> QIcon: ...

    def icon(self, arg: QAbstractFileIconProvider.IconType | QFileInfo) -> QIcon:
        if not isinstance(arg, QFileInfo):
            return super().icon(arg)
        style = QApplication.style()
        if arg.isDir():
            return style.standardIcon(QStyle.StandardPixmap.SP_DirIcon)
        fallback = style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        mimes = self._mimes.mimeTypesForFileName(arg.fileName())
        if not mimes:
            return fallback
        name = mimes[0].iconName()
        if name not in self._icons:
            self._icons[name] = QIcon.fromTheme(name, QIcon.fromTheme(mimes[0].genericIconName()))
        icon = self._icons[name]
        return fallback if icon.isNull() else icon

    def type(self, info: QFileInfo) -> str:
        if info.isRoot():
            return "Drive"
        if info.isDir():
            return "Folder"
        mimes = self._mimes.mimeTypesForFileName(info.fileName())
        if mimes and mimes[0].comment():
            return mimes[0].comment()
        suffix = info.suffix()
        return f"{suffix.upper()} file" if suffix else "File"


_provider: NameOnlyIconProvider | None = None


def icon_provider() -> NameOnlyIconProvider:
    """One provider for the whole app (dialogs keep a pointer to it, so it must outlive them)."""
    global _provider
    if _provider is None:
        _provider = NameOnlyIconProvider()
    return _provider


def file_dialog(
    parent: QWidget | None,
    caption: str,
    start: Path | str,
    filters: str = "",
    *,
    mode: QFileDialog.FileMode = QFileDialog.FileMode.AnyFile,
    accept: QFileDialog.AcceptMode = QFileDialog.AcceptMode.AcceptOpen,
) -> QFileDialog:
    """A file dialog opening at `start` (a folder, or a file name to suggest) that never
    reads a listed file's content. The caller shows it."""
    dialog = QFileDialog(parent, caption, str(start), filters)
    dialog.setFileMode(mode)
    dialog.setAcceptMode(accept)
    if mode == QFileDialog.FileMode.Directory:
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    if not NATIVE:
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setIconProvider(icon_provider())
        _roomy(dialog)
    return dialog


def _roomy(dialog: QFileDialog) -> None:
    """Qt's own dialog opens small, with the type and date columns elided: give it room, and
    give the name column what is left."""
    dialog.resize(max(dialog.width(), DIALOG_SIZE[0]), max(dialog.height(), DIALOG_SIZE[1]))
    details = dialog.findChild(QTreeView, "treeView")
    if details is None:
        return
    header = details.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column, width in enumerate(COLUMN_WIDTHS, start=1):
        header.resizeSection(column, width)


def save_file_name(
    parent: QWidget | None,
    caption: str,
    start: Path | str,
    filters: str = "",
    *,
    confirm_overwrite: bool = True,
) -> str | None:
    """Ask for a file to write; None when the user cancels."""
    dialog = file_dialog(parent, caption, start, filters, accept=QFileDialog.AcceptMode.AcceptSave)
    dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, not confirm_overwrite)
    return _chosen(dialog)


def existing_directory(parent: QWidget | None, caption: str, start: Path | str) -> str | None:
    """Ask for a folder that exists; None when the user cancels."""
    dialog = file_dialog(parent, caption, start, mode=QFileDialog.FileMode.Directory)
    return _chosen(dialog)


def _chosen(dialog: QFileDialog) -> str | None:
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted:
            return None
        files = dialog.selectedFiles()
        return files[0] if files else None
    finally:
        dialog.deleteLater()
