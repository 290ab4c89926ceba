"""A History tab's contents: the list of a record's changes, and a switch to see it as the client
may (private fields such as rapport notes left out, see `db.audit.history.CLIENT_FACING`).

`HistoryPanel(workspace, records, entities)` reads `records(session)` (the rows the record
covers) each time it is shown after a change of one of `entities`; `extra` may add entries
of other kinds (an erase's) to the list. `HistoryDialog` shows one in a window of its own
(a project's history, from its plan).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db.audit.history import HistoryEntry, Record, history
from db.audit.retention import retention_days
from db.changes import ChangeSet
from db.reports.client_summary import Audience
from desktop.client_page.context import list_table
from desktop.history.model import (
    COL_FROM,
    COL_HOW,
    COL_RECORD,
    COL_TO,
    COL_WHAT,
    COL_WHEN,
    COL_WHO,
    HistoryModel,
)
from desktop.views.elided_label import ElidedLabel
from desktop.workspace import Workspace

Records = Callable[[Session], list[Record]]
Extra = Callable[[Session], list[HistoryEntry]]
RECORD_CHARS = 22  # the Record column's widest, in characters, before its text is cut
CLIENT_FACING_TIP = (
    "Show only what the client may see: rapport notes, personal dates and other internal "
    "fields are left out"
)


def kept_for(days: int) -> str:
    """'two years', '18 months', '45 days': how long history is kept, in words."""
    if days % 365 == 0:
        years = days // 365
        return "one year" if years == 1 else ("two years" if years == 2 else f"{years} years")
    if days % 30 == 0:
        return f"{days // 30} months"
    return f"{days} days"


class HistoryPanel(QWidget):
    def __init__(
        self,
        workspace: Workspace,
        records: Records,
        entities: tuple[str, ...],
        parent: QWidget | None = None,
        *,
        extra: Extra | None = None,
        follow: bool = True,
    ) -> None:
        """`follow`: refresh from the workspace's changes by itself (a client page's section
        tells it instead)."""
        super().__init__(parent)
        self.workspace = workspace
        self.records = records
        self.entities = (*entities, "TeamMember")  # a renamed member is named anew
        self.extra = extra
        self.stale = True
        self.model = HistoryModel()
        self.table = list_table(self, "No changes recorded yet.")
        self.table.setObjectName("historyTable")
        self.table.setModel(self.model)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        # The values get the room; the other columns fit their text (a long record name is
        # cut, its tooltip holds all of it), and the user may widen any of them.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column in (COL_FROM, COL_TO):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.client_facing = QCheckBox("&Client-facing")
        self.client_facing.setToolTip(CLIENT_FACING_TIP)
        self.client_facing.toggled.connect(lambda _on: self.reload())
        # Elided, so a narrow page is not made wider by it.
        self.kept = ElidedLabel()
        self.kept.setEnabled(False)  # the palette's quiet secondary text
        top = QHBoxLayout()
        top.addWidget(self.kept, 1)
        top.addWidget(self.client_facing, 0, Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        if follow:
            workspace.changed.connect(self.apply_changes)

    @property
    def audience(self) -> Audience:
        return Audience.CLIENT if self.client_facing.isChecked() else Audience.INTERNAL

    def reload(self) -> None:
        self.stale = False
        session = self.workspace.session
        entries = history(session, self.records(session), self.audience)
        if self.extra is not None and self.audience is Audience.INTERNAL:
            entries += self.extra(session)
            entries.sort(key=lambda e: e.at_ms, reverse=True)
        self.model.set_entries(entries)
        for column in (COL_WHEN, COL_WHO, COL_RECORD, COL_WHAT, COL_HOW):
            self.table.resizeColumnToContents(column)
        record_width = self.table.fontMetrics().averageCharWidth() * RECORD_CHARS
        if self.table.columnWidth(COL_RECORD) > record_width:
            self.table.setColumnWidth(COL_RECORD, record_width)
        self.kept.setText(
            f"Changes are kept for {kept_for(retention_days(session))} (Preferences)."
        )

    def apply_changes(self, changes: ChangeSet) -> None:
        if not changes.touches(*self.entities, "AgencySetting"):
            return
        self.stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        if self.stale:
            self.reload()
        super().showEvent(event)


class HistoryDialog(QDialog):
    """A record's history in a window of its own (not modal: the plan stays usable)."""

    def __init__(
        self,
        workspace: Workspace,
        title: str,
        records: Records,
        entities: tuple[str, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(860, 480)
        self.panel = HistoryPanel(workspace, records, entities, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel, 1)
        layout.addWidget(buttons)
