""" "Who is free?": pick a date range and a number of hours; the people who could take it are
listed best fit first, with their free hours and days, those who could take only part of it
after them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.errors import ValidationError
from db.workload.free import Availability, who_is_free
from db.workload.load import Workload

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
COLUMNS = ("Person", "Free hours", "Free days", "Can take it")


class AvailabilityModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Availability] = []

    def set_rows(self, rows: list[Availability]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        a = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return a.person.name
            if col == 1:
                return f"{a.free_hours:.1f}".rstrip("0").rstrip(".") + " h"
            if col == 2:
                return str(a.free_days)
            return "Yes" if a.fits else "Part of it"
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 2):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and col == 0 and a.person.placeholder:
            font = QTableView().font()
            font.setItalic(True)
            return font
        return None


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class WhoIsFreeDialog(QDialog):
    def __init__(self, workload: Workload, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who Is Free?")
        self.setObjectName("whoIsFree")
        self.workload = workload
        today = date.today()
        monday = today + timedelta(days=7 - today.weekday())
        self.first = QDateEdit(_qdate(monday))
        self.last = QDateEdit(_qdate(monday + timedelta(days=4)))
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("ddd dd MMM yyyy")
            edit.dateChanged.connect(self.update_answer)
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0.5, 2000)
        self.hours.setSingleStep(1)
        self.hours.setDecimals(1)
        self.hours.setSuffix(" h")
        self.hours.setValue(16)
        self.hours.valueChanged.connect(self.update_answer)
        form = QFormLayout()
        form.addRow("&From", self.first)
        form.addRow("&To", self.last)
        form.addRow("&Hours of work", self.hours)
        self.model = AvailabilityModel()
        self.table = QTableView()
        self.table.setObjectName("freePeople")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(480, 420)
        self.update_answer()

    def ask(self, first: date, last: date, hours: float) -> None:
        self.first.setDate(_qdate(first))
        self.last.setDate(_qdate(last))
        self.hours.setValue(hours)
        self.update_answer()

    def update_answer(self) -> None:
        try:
            rows = who_is_free(
                self.workload, _date(self.first.date()), _date(self.last.date()), self.hours.value()
            )
        except ValidationError as error:
            self.model.set_rows([])
            self.message.setText(f"⚠ {error}")
            return
        fits = sum(1 for a in rows if a.fits)
        if not rows:
            self.message.setText("Nobody has free time then.")
        elif fits:
            self.message.setText(f"{fits} could take it, best fit first.")
        else:
            self.message.setText("Nobody has all of it free; these could take part of it.")
        self.model.set_rows(rows)
