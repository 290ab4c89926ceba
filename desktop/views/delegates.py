"""Item delegates: how a cell is painted and which editor opens on it. Every editor hands its
value back through the model's `setData`, which turns it into an undoable operation."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desktop.models.roles import MAX_LENGTH_ROLE, STATUS_ROLE
from desktop.views.palette_colors import outline_color, pill_colors
from desktop.views.text_limits import cap

AnyIndex = QModelIndex | QPersistentModelIndex
Choices = Callable[[], Sequence[tuple[str, str]]]  # (value, label) pairs, read when editing


def paint_pill(
    painter: QPainter,
    option: QStyleOptionViewItem,
    index: AnyIndex,
    status: str,
    delegate: QStyledItemDelegate,
) -> None:
    """The cell's background as the style draws it, then its text in a status-coloured pill."""
    opt = QStyleOptionViewItem(option)
    delegate.initStyleOption(opt, index)
    text = opt.text
    opt.text = ""
    style = opt.widget.style() if opt.widget else QApplication.style()
    style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
    fill, ink = pill_colors(status, opt.palette)
    metrics = opt.fontMetrics
    width = metrics.horizontalAdvance(text) + 16
    height = metrics.height() + 2
    left = opt.rect.left() + 6
    if opt.displayAlignment & Qt.AlignmentFlag.AlignRight:
        left = opt.rect.right() - 6 - width
    rect = QRect(
        max(left, opt.rect.left()),
        opt.rect.top() + (opt.rect.height() - height) // 2,
        min(width, opt.rect.width() - 12),
        height,
    )
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawRoundedRect(rect, height / 2, height / 2)
    painter.setPen(ink)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()


class LimitedTextDelegate(QStyledItemDelegate):
    """The default editors, with a text cell capped at its field's length (`limit`, or the
    cell's MAX_LENGTH_ROLE): typing stops there and a tip at the cell says why, instead of a
    refusal after the editor closed, which would throw the typing away."""

    def __init__(self, parent: QWidget | None = None, *, limit: int | None = None) -> None:
        super().__init__(parent)
        self._limit = limit

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        editor = super().createEditor(parent, option, index)
        limit = self._limit or index.data(MAX_LENGTH_ROLE)
        if isinstance(editor, QLineEdit) and isinstance(limit, int):
            cap(editor, limit)
        return editor


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box over a closed list of (value, label); the model's EditRole is the value."""

    def __init__(self, choices: Choices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices = choices

    def createEditor(
        self, parent: QWidget, _option: QStyleOptionViewItem, _index: AnyIndex
    ) -> QWidget:
        combo = QComboBox(parent)
        for value, label in self._choices():
            combo.addItem(label, value)
        # Picking an item is the whole edit: commit at once rather than on focus loss.
        combo.activated.connect(lambda _i: self._commit_and_close(combo))
        return combo

    def _commit_and_close(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        found = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class StatusDelegate(ChoiceDelegate):
    """Paints the status as a coloured pill; edits it with a combo box."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        status = index.data(STATUS_ROLE)
        if not status or not index.data(Qt.ItemDataRole.DisplayRole):
            super().paint(painter, option, index)
            return
        paint_pill(painter, option, index, str(status), self)


class DateDelegate(QStyledItemDelegate):
    def createEditor(
        self, parent: QWidget, _option: QStyleOptionViewItem, _index: AnyIndex
    ) -> QWidget:
        editor = QDateEdit(parent)
        editor.setCalendarPopup(True)
        editor.setDisplayFormat("dd MMM yyyy")
        return editor

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QDateEdit)
        value = index.data(Qt.ItemDataRole.EditRole)
        editor.setDate(value if isinstance(value, QDate) else QDate.currentDate())

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        assert isinstance(editor, QDateEdit)
        model.setData(index, editor.date(), Qt.ItemDataRole.EditRole)


class NumberDelegate(QStyledItemDelegate):
    def __init__(
        self, minimum: int, maximum: int, suffix: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._range = (minimum, maximum)
        self._suffix = suffix

    # Qt takes a null editor as "not editable here"; PySide6's stubs omit the None.
    def createEditor(  # type: ignore[override]
        self, parent: QWidget, _option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget | None:
        if not isinstance(index.data(Qt.ItemDataRole.EditRole), int):
            return None
        editor = QSpinBox(parent)
        editor.setRange(*self._range)
        editor.setSuffix(self._suffix)
        return editor

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QSpinBox)
        editor.setValue(int(index.data(Qt.ItemDataRole.EditRole) or 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        assert isinstance(editor, QSpinBox)
        editor.interpretText()
        model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)


class PaddedDelegate(LimitedTextDelegate):
    """The default look with room to breathe: rows a little taller than the text."""

    PADDING = 10

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + self.PADDING)


class ProgressDelegate(NumberDelegate):
    """A task's progress as a slim bar beside the percentage, in the palette's highlight
    colour; a row with a status (a project) shows its status pill instead."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        status = index.data(STATUS_ROLE)
        if status:
            paint_pill(painter, option, index, str(status), self)
            return
        value = index.data(Qt.ItemDataRole.EditRole)
        if not isinstance(value, int):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        text = f"{value} %"
        text_width = opt.fontMetrics.horizontalAdvance("100 %") + 6
        rect = opt.rect.adjusted(6, 0, -6, 0)
        bar = QRect(rect.left(), rect.center().y() - 2, rect.width() - text_width, 5)
        palette = opt.palette
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(outline_color(palette))  # the empty track shows even at 0 %
        painter.drawRoundedRect(bar, 2.5, 2.5)
        if value > 0:
            done = QRect(bar)
            done.setWidth(max(5, bar.width() * min(value, 100) // 100))
            role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight
            painter.setBrush(palette.color(role))
            painter.drawRoundedRect(done, 2.5, 2.5)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(palette.color(role))
        painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
        painter.restore()
