"""The strip above each list: the area's title, how many rows show, and the filter box."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget


class AreaHeader(QWidget):
    """Signals:
    filter_changed(str): the text typed into the filter box.
    """

    filter_changed = Signal(str)

    def __init__(self, title: str, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(title)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.count = QLabel()
        self.count.setEnabled(False)  # the palette's disabled text: a quiet secondary colour
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(placeholder)
        self.filter.setClearButtonEnabled(True)
        self.filter.setMinimumWidth(200)
        self.filter.textChanged.connect(self.filter_changed)
        # Escape in the filter clears it (a second Escape leaves it as other widgets do).
        clear = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.filter)
        clear.setContext(Qt.ShortcutContext.WidgetShortcut)
        clear.activated.connect(self.filter.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.count)
        layout.addStretch(1)
        self.extra = QHBoxLayout()
        self.extra.setSpacing(8)
        layout.addLayout(self.extra)
        layout.addWidget(self.filter)

    def set_count(self, shown: int, total: int, noun: str) -> None:
        plural = noun if total == 1 else f"{noun}s"
        text = f"{total} {plural}" if shown == total else f"{shown} of {total} {plural}"
        self.count.setText(text)
