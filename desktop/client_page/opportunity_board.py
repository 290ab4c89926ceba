"""The opportunity board: one column per stage (idea, pitched, won, lost) with a card per
opportunity; dragging a card to another column moves it to that stage, one undoable edit per
drop. Return or a double-click opens the card's opportunity, Delete deletes it.

The drag is plain mouse handling (press on a card, release over a column) rather than QDrag:
it needs no MIME round trip for an in-window move and can be driven by tests with mouse
events. The release is read by its global position, so it works whichever column's viewport
the window system delivers it to.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.am.client_detail import OpportunityRow
from db.am.money import probability_of
from db.models import OpportunityStage
from desktop.client_page.formatting import label, money

ID = Qt.ItemDataRole.UserRole


class StageColumn(QListWidget):
    def __init__(self, stage: OpportunityStage) -> None:
        super().__init__()
        self.stage = stage
        self.setObjectName(f"board_{stage.value}")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setSpacing(4)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)


class OpportunityBoard(QWidget):
    """Signals:
    moved(str, object): a card was dropped on another stage (opportunity id, the stage).
    opened(str): Return or a double-click on a card.
    delete_requested(str): Delete on a card.
    """

    moved = Signal(str, object)
    opened = Signal(str)
    delete_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns: dict[OpportunityStage, StageColumn] = {}
        self.titles: dict[OpportunityStage, QLabel] = {}
        self._pressed: str | None = None
        self._press_at = QPoint()
        self._dragging = False
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for stage in OpportunityStage:
            column = StageColumn(stage)
            column.viewport().installEventFilter(self)
            column.installEventFilter(self)
            column.itemDoubleClicked.connect(lambda item: self.opened.emit(item.data(ID)))
            title = QLabel(label(stage))
            title.setObjectName(f"board_title_{stage.value}")
            holder = QFrame()
            holder_layout = QVBoxLayout(holder)
            holder_layout.setContentsMargins(0, 0, 0, 0)
            holder_layout.addWidget(title)
            holder_layout.addWidget(column, 1)
            row.addWidget(holder, 1)
            self.columns[stage], self.titles[stage] = column, title

    def set_rows(self, rows: Sequence[OpportunityRow], currency: str) -> None:
        """Cards by stage; a column's title sums the values in the client's currency."""
        selected = self.selected_id()
        for stage, column in self.columns.items():
            column.clear()
            mine = [r for r in rows if r.stage == stage]
            total = sum(r.value_cents for r in mine if (r.currency or currency) == currency)
            self.titles[stage].setText(
                f"{label(stage)}  ·  {len(mine)}  ·  {money(total, currency)}"
            )
            for r in mine:
                chance = probability_of(r.stage, r.probability)
                value = money(r.value_cents, r.currency or currency)
                item = QListWidgetItem(f"{r.title}\n{value}  ·  {chance} %")
                item.setData(ID, r.id)
                item.setToolTip(r.title)
                column.addItem(item)
                if r.id == selected:
                    column.setCurrentItem(item)

    def card(self, opportunity_id: str) -> tuple[StageColumn, QListWidgetItem] | None:
        for column in self.columns.values():
            for i in range(column.count()):
                if column.item(i).data(ID) == opportunity_id:
                    return column, column.item(i)
        return None

    def selected_id(self) -> str | None:
        for column in self.columns.values():
            item = column.currentItem()
            if item is not None and item.isSelected():
                return str(item.data(ID))
        return None

    def column_at(self, global_pos: QPoint) -> StageColumn | None:
        for column in self.columns.values():
            viewport = column.viewport()
            if viewport.rect().contains(viewport.mapFromGlobal(global_pos)):
                return column
        return None

    # -- mouse and keys ----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyPress and isinstance(watched, StageColumn):
            assert isinstance(event, QKeyEvent)
            item: QListWidgetItem | None = watched.currentItem()  # None when it is empty
            if item is not None and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.opened.emit(item.data(ID))
                return True
            if item is not None and event.matches(QKeySequence.StandardKey.Delete):
                self.delete_requested.emit(item.data(ID))
                return True
            return False
        parent = watched.parent()
        column = parent if isinstance(parent, StageColumn) else None
        if column is None or not isinstance(event, QMouseEvent):
            return False
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            item = column.itemAt(event.position().toPoint())
            self._pressed = str(item.data(ID)) if item is not None else None
            self._press_at = event.globalPosition().toPoint()
            self._dragging = False
        elif kind == QEvent.Type.MouseMove and self._pressed is not None:
            distance = (event.globalPosition().toPoint() - self._press_at).manhattanLength()
            if not self._dragging and distance >= QApplication.startDragDistance():
                self._dragging = True
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
        elif kind == QEvent.Type.MouseButtonRelease and self._pressed is not None:
            pressed, dragging = self._pressed, self._dragging
            self._pressed, self._dragging = None, False
            self.unsetCursor()
            if dragging:
                target = self.column_at(event.globalPosition().toPoint())
                found = self.card(pressed)
                if target is not None and found is not None and found[0] is not target:
                    self.moved.emit(pressed, target.stage)
                return True
        return False
