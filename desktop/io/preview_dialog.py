"""The import preview: what a file will add and skip, and every task whose dates here will
differ from the file's and why, before anything is written.

The dialog holds a plan and a way to make it again (`replan`): changing the client or
ticking "keep the file's dates" plans anew, so what the dialog shows is always exactly what
Import applies.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.io import DateDifference, ProjectImport
from desktop.io.preview_frame import PreviewFrame, file_label

Replan = Callable[[str, bool], ProjectImport]
_Index = QModelIndex | QPersistentModelIndex

COL_TASK, COL_FILE, COL_HERE, COL_WHY = range(4)
_HEADERS = ("Task", "In the file", "Here", "Why")


def _span(first: object, last: object) -> str:
    return f"{first:%d %b %Y}" if first == last else f"{first:%d %b} to {last:%d %b %Y}"


class DateDifferenceModel(QAbstractTableModel):
    """The date report: one row per task whose dates differ, reason in the last column."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[DateDifference] = []

    def set_rows(self, rows: list[DateDifference]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if column == COL_TASK:
            return row.name
        if column == COL_FILE:
            return _span(row.file_start, row.file_finish)
        if column == COL_HERE:
            return _span(row.start, row.finish)
        return f"{row.cause.value.capitalize()}: {row.reason}"


class ImportPreviewDialog(PreviewFrame):
    """Shows `plan`; Import accepts it (read `plan` afterwards), Cancel writes nothing."""

    def __init__(self, plan: ProjectImport, replan: Replan, parent: QWidget | None = None):
        super().__init__(f"Import {plan.file.format} Project", "importPreview", parent)
        self.plan = plan
        self._replan = replan
        self.resize(820, 560)

        self.client_edit = QLineEdit(plan.client_name)
        self.client_edit.setMaxLength(200)
        self.client_edit.editingFinished.connect(self._plan_again)
        form = QFormLayout()
        form.addRow("File:", file_label(plan.source))
        self.project_label = QLabel(plan.project_name)
        form.addRow("Project:", self.project_label)
        form.addRow("&Client:", self.client_edit)

        self.summary.setMaximumHeight(96)
        self.dates_label = QLabel()
        self.dates_label.setWordWrap(True)
        self.dates_model = DateDifferenceModel(self)
        self.dates = QTableView()
        self.dates.setModel(self.dates_model)
        self.dates.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.dates.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.dates.verticalHeader().hide()
        # One line a task, the reason elided (its tooltip holds the whole): wrapped reasons
        # made rows too short for their two lines.
        self.dates.setWordWrap(False)
        self.dates.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.dates.horizontalHeader()
        header.setSectionResizeMode(COL_WHY, QHeaderView.ResizeMode.Stretch)
        for column, width in ((COL_TASK, 170), (COL_FILE, 175), (COL_HERE, 175)):
            header.resizeSection(column, width)
        self.keep_dates = QCheckBox(
            "&Keep the file's dates: each of these tasks starts no earlier than in the file"
        )
        self.keep_dates.toggled.connect(self._plan_again)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("<b>What the import does</b>"))
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("<b>Dates</b>"))
        layout.addWidget(self.dates_label)
        layout.addWidget(self.dates, 1)
        layout.addWidget(self.keep_dates)
        self.add_footer(layout)
        self._show(plan)

    def _show(self, plan: ProjectImport) -> None:
        self.plan = plan
        self.project_label.setText(plan.project_name)
        self.show_summary(plan.summary.lines())
        self.dates_model.set_rows(plan.differences)
        if plan.differences:
            count = len(plan.differences)
            tasks = "1 task gets" if count == 1 else f"{count:,} tasks get"
            self.dates_label.setText(
                f"{tasks} other dates here than in the file: Agency Desk schedules them with "
                "its own calendar and links. Hover over a reason to read all of it."
            )
        else:
            self.dates_label.setText("Every task keeps the file's dates.")
        self.dates.setVisible(bool(plan.differences))

    def _plan_again(self) -> None:
        client = self.client_edit.text().strip() or self.plan.client_name
        keep = self.keep_dates.isChecked()
        if client == self.plan.client_name and keep == self.plan.keep_file_dates:
            return
        plan = self.attempt(lambda: self._replan(client, keep))
        if plan is not None:
            self._show(plan)
