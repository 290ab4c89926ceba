"""An area's two levels: its list, and the detail of one item opened from it (a client's
page, a project's Gantt chart) with a back bar to return. The detail widget is whatever the
area's factory builds; this module knows nothing of what it shows."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.printing.printable import PrintTarget, print_target_of
from desktop.views.elided_label import ElidedLabel
from desktop.views.typing import commit_typing
from desktop.workspace import Workspace

DetailFactory = Callable[[Workspace, str], QWidget]  # (workspace, id) -> the detail widget


class DetailHost(QStackedWidget):
    """Signals:
    detail_closed(): the user went back to the list (or the item went away).
    """

    detail_closed = Signal()

    def __init__(self, list_page: QWidget, back_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list_page = list_page
        self.detail: QWidget | None = None
        self.back = QToolButton()
        self.back.setText(f"←  {back_text}")
        self.back.setAutoRaise(True)
        self.back.setToolTip("Back to the list (Alt+Left)")
        self.back.clicked.connect(self.show_list)
        self.title = ElidedLabel()
        font = QFont(self.title.font())
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        bar = QWidget()
        bar_layout = QHBoxLayout(bar)
        bar_layout.setContentsMargins(8, 4, 8, 4)
        bar_layout.addWidget(self.back)
        bar_layout.addWidget(self.title, 1)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Plain)
        rule.setForegroundRole(QPalette.ColorRole.Mid)
        self.detail_page = QWidget()
        self._detail_layout = QVBoxLayout(self.detail_page)
        self._detail_layout.setContentsMargins(0, 0, 0, 0)
        self._detail_layout.setSpacing(0)
        self._detail_layout.addWidget(bar)
        self._detail_layout.addWidget(rule)
        self.addWidget(list_page)
        self.addWidget(self.detail_page)
        back = QShortcut(QKeySequence(QKeySequence.StandardKey.Back), self.detail_page)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.show_list)

    def show_detail(self, widget: QWidget, title: str) -> None:
        self._drop_detail()
        self.detail = widget
        self.title.setText(title)
        self._detail_layout.addWidget(widget, 1)
        self.setCurrentWidget(self.detail_page)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def print_target(self) -> PrintTarget | None:
        """The detail's, while a detail shows (`Printable`)."""
        if self.detail is None or self.currentWidget() is self.list_page:
            return None
        return print_target_of(self.detail)

    def show_list(self) -> None:
        if self.detail is None:
            return
        self.setCurrentWidget(self.list_page)
        self._drop_detail()
        self.detail_closed.emit()

    def showing_detail(self) -> bool:
        return self.detail is not None

    def _drop_detail(self) -> None:
        if self.detail is not None:
            commit_typing(self.detail)
            self._detail_layout.removeWidget(self.detail)
            self.detail.deleteLater()
            self.detail = None
