""" "Suggest fixes" for an over-allocated person: concrete proposals, each with what it costs,
applied only when picked (one undo step each), the list then made again for what is left."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.workload.fixes import Fix, suggest_fixes
from db.workload.load import Workload
from desktop.workspace import Workspace

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class FixesModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self.fixes: list[Fix] = []

    def set_fixes(self, fixes: list[Fix]) -> None:
        self.beginResetModel()
        self.fixes = fixes
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.fixes)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        fix = self.fixes[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{fix.text}\n⚠ {fix.warning}" if fix.warning else fix.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return fix.warning or "Nothing else moves"
        if role == Qt.ItemDataRole.ForegroundRole and fix.warning:
            return QColor("#b3261e")
        return None


class FixesDialog(QDialog):
    """Proposals for one person; Apply runs the selected one through the workspace."""

    def __init__(
        self,
        workspace: Workspace,
        workload: Workload,
        member_id: str,
        refresh: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("suggestFixes")
        self.workspace = workspace
        self.workload = workload
        self.member_id = member_id
        self._refresh = refresh
        person = workload.person(member_id)
        self.name = person.name if person is not None else "this person"
        self.setWindowTitle(f"Suggest Fixes for {self.name}")
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.model = FixesModel()
        self.list = QListView()
        self.list.setObjectName("fixes")
        self.list.setModel(self.model)
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.setAlternatingRowColors(True)
        self.list.doubleClicked.connect(lambda _index: self.apply_selected())
        self.apply_button = QPushButton("&Apply")
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(620, 380)
        self.suggest()

    def suggest(self) -> None:
        fixes = suggest_fixes(self.workload, self.member_id, date.today())
        self.model.set_fixes(fixes)
        first = next(
            iter(self.workload.over_days(self.member_id, date.today().toordinal(), 1 << 30)),
            None,
        )
        when = f" from {date.fromordinal(first):%a %d %b}" if first else ""
        if fixes:
            self.heading.setText(
                f"{self.name} is over-allocated{when}. Pick a fix; each is one undo step, "
                "and nothing changes until you apply it."
            )
            self.list.setCurrentIndex(self.model.index(0, 0))
        elif first is not None:
            self.heading.setText(
                f"{self.name} is over-allocated{when} by more hours than a day holds: no "
                "single delay, hand-over or overtime clears it. Move or reassign some of "
                "those tasks in the chart."
            )
        else:
            self.heading.setText(f"{self.name} is within capacity from today on: nothing to fix.")
        self.apply_button.setEnabled(bool(fixes))

    def apply_selected(self) -> bool:
        index = self.list.currentIndex()
        if not index.isValid():
            return False
        fix = self.model.fixes[index.row()]
        if not self.workspace.run(fix.operation()):
            self.heading.setText(f"⚠ {self.workspace.last_error}")
            return False
        self._refresh()
        self.suggest()
        return True
