"""The Ctrl+K popup: a field and the results under it, answered as you type. Up and Down move
through the results without leaving the field, Return (or a double-click) opens the record,
Escape closes. While it is open, any change to the data asks the query again, so a result
never names a record as it was.

Signals:
    opened(Hit): the user chose a result; the main window shows the record.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from db.changes import ChangeSet
from db.search import Hit
from desktop.search.results_model import CONTEXT_ROLE, KIND_ROLE, SearchResultsModel
from desktop.workspace import Workspace

HINT = "Clients, contacts, projects, tasks, interactions and notes. Return opens, Esc closes"
WIDTH, HEIGHT = 620, 440


class HitDelegate(QStyledItemDelegate):
    """Two lines per result: the title, and under it where it belongs; the kind on the
    right. Colours come from the view's palette, so both palettes read well."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        # No width of its own: a row is as wide as the list, which never scrolls sideways.
        return QSize(0, option.fontMetrics.height() * 2 + 10)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        self.initStyleOption(option, index)
        text = option.text
        option.text = ""
        style = option.widget.style() if option.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        strong = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        soft = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        )
        rect = option.rect.adjusted(10, 5, -10, -5)
        metrics = option.fontMetrics
        line = metrics.height()
        kind = str(index.data(KIND_ROLE) or "")
        kind_width = metrics.horizontalAdvance(kind) + 12
        painter.save()
        painter.setPen(soft)
        painter.drawText(
            QRect(rect.right() - kind_width, rect.top(), kind_width, line),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            kind,
        )
        title_font = QFont(option.font)
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(strong)
        title_rect = QRect(rect.left(), rect.top(), rect.width() - kind_width, line)
        painter.drawText(
            title_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, title_rect.width()),
        )
        painter.setFont(option.font)
        painter.setPen(soft)
        context_rect = QRect(rect.left(), rect.top() + line, rect.width(), line)
        context = str(index.data(CONTEXT_ROLE) or "")
        painter.drawText(
            context_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            metrics.elidedText(context, Qt.TextElideMode.ElideRight, context_rect.width()),
        )
        painter.restore()


class SearchPopup(QFrame):
    opened = Signal(object)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("searchPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.workspace = workspace
        self.model = SearchResultsModel(workspace.store, self)
        self.field = QLineEdit()
        self.field.setPlaceholderText("Search everything…")
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName("Search")
        self.field.textChanged.connect(self._typed)
        self.field.installEventFilter(self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setItemDelegate(HitDelegate(self.list))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing stays in the field
        self.list.activated.connect(self._open_index)
        self.list.doubleClicked.connect(self._open_index)
        self.status = QLabel(HINT)
        self.status.setWordWrap(True)
        self.status.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.field)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        self.resize(WIDTH, HEIGHT)
        workspace.changed.connect(self._data_changed)

    def popup(self) -> None:
        """Show over the top middle of the parent window, the field ready for typing."""
        parent = self.parentWidget()
        if parent is not None:
            top = parent.mapToGlobal(parent.rect().topLeft())
            self.move(top.x() + max(0, (parent.width() - self.width()) // 2), top.y() + 60)
        self.field.selectAll()
        self.show()
        self.field.setFocus(Qt.FocusReason.PopupFocusReason)
        self.model.refresh()  # the data may have changed while it was closed
        self._after_results()

    def _typed(self, text: str) -> None:
        self.model.set_query(text)
        self._after_results()

    def _after_results(self) -> None:
        if self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(0))
        if not self.model.query.strip():
            self.status.setText(HINT)
        elif not self.model.rowCount():
            self.status.setText(f"Nothing found for “{self.model.query.strip()}”")
        else:
            n = self.model.rowCount()
            self.status.setText(f"{n} result{'s' if n != 1 else ''}. Return opens, Esc closes")

    def _data_changed(self, _changes: ChangeSet) -> None:
        if self.isVisible() and self.model.query.strip():
            current = self.model.hit(self.list.currentIndex().row())
            self.model.refresh()
            self._after_results()
            if current is not None:
                row = next(
                    (i for i, h in enumerate(self.model.hits) if h.row_id == current.row_id), -1
                )
                if row >= 0:
                    self.list.setCurrentIndex(self.model.index(row))

    def current_hit(self) -> Hit | None:
        return self.model.hit(self.list.currentIndex().row())

    def open_current(self) -> bool:
        hit = self.current_hit()
        if hit is None:
            return False
        self.hide()
        self.opened.emit(hit)
        return True

    def _open_index(self, index: QModelIndex) -> None:
        self.list.setCurrentIndex(index)
        self.open_current()

    def _move(self, step: int) -> None:
        n = self.model.rowCount()
        if n:
            row = min(max(self.list.currentIndex().row() + step, 0), n - 1)
            self.list.setCurrentIndex(self.model.index(row))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = Qt.Key(event.key())
            page = max(1, self.list.viewport().height() // max(1, self.list.sizeHintForRow(0)))
            steps = {
                Qt.Key.Key_Down: 1,
                Qt.Key.Key_Up: -1,
                Qt.Key.Key_PageDown: page,
                Qt.Key.Key_PageUp: -page,
            }
            if key in steps:
                self._move(steps[key])
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_current()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)
