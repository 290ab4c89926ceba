"""How the task tree paints its cells: text straight onto the row, the progress column as a
slim bar. The stock delegate asks the style to lay out every cell (about a tenth of a
millisecond each in software rendering); painting directly keeps a scroll of the tree within
a frame."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QStringListModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCompleter,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOption,
    QStyleOptionViewItem,
    QWidget,
)

from desktop.gantt.progress_bar import paint_progress_bar
from desktop.gantt.tree_model import CELL_ROLE, LEAF, OPEN, TaskTreeModel
from desktop.models.roles import ID_ROLE
from desktop.views.delegates import DateDelegate, NumberDelegate

AnyIndex = QModelIndex | QPersistentModelIndex
_PAD = 5
_DOT = 8  # px: a person's colour before their name
INDENT = 16  # px per outline level in the name column


class CellDelegate(QStyledItemDelegate):
    """Text cells painted directly; the default editor."""

    progress = False

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        self._paint_cell(painter, option, index, 0)

    def _paint_cell(
        self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex, indent: int
    ) -> None:
        rect = option.rect
        palette: QPalette = option.palette
        selected = is_selected(option)
        text_colour = paint_background(painter, option)
        if self.progress:
            self._paint_progress(painter, rect, index, palette, text_colour)
            return
        cell = index.data(CELL_ROLE)
        if not cell or not cell[0]:
            return
        text, bold, align, colour = cell
        if colour is not None and not selected:
            text_colour = colour
        box = rect.adjusted(_PAD + indent, 0, -_PAD, 0)
        if bold:
            painter.save()
            font = QFont(painter.font())
            font.setBold(True)
            painter.setFont(font)
        metrics = painter.fontMetrics()
        if metrics.horizontalAdvance(text) > box.width():
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, box.width())
        painter.setPen(text_colour)
        painter.drawText(box, align, text)
        if bold:
            painter.restore()

    def _paint_progress(
        self,
        painter: QPainter,
        rect: QRect,
        index: AnyIndex,
        palette: QPalette,
        text_colour: QColor,
    ) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if not isinstance(value, int):
            return
        painter.save()
        box = rect.adjusted(_PAD, 0, -_PAD, 0)
        paint_progress_bar(painter, box.left(), box.center().y(), box.width(), value, palette)
        painter.setPen(text_colour)
        painter.drawText(
            box, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), f"{value} %"
        )
        painter.restore()


def is_selected(option: QStyleOptionViewItem) -> bool:
    return bool(option.state & QStyle.StateFlag.State_Selected)


def paint_background(painter: QPainter, option: QStyleOptionViewItem) -> QColor:
    """Fill a selected cell with the highlight; the colour its text takes either way."""
    palette: QPalette = option.palette
    selected = is_selected(option)
    if selected:
        painter.fillRect(option.rect, palette.color(QPalette.ColorRole.Highlight))
    return palette.color(
        QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
    )


def branch_rect(cell: QRect, depth: int) -> QRect:
    """Where a summary's open/closed mark sits in its name cell, `depth` levels in."""
    return QRect(cell.left() + depth * INDENT, cell.top(), INDENT, cell.height())


class NameCellDelegate(CellDelegate):
    """The name column, which shows the outline: each name indented by its depth, a summary's
    name after a mark saying whether its tasks are shown (click it, or use ← and →)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        model = index.model()
        if not isinstance(model, TaskTreeModel):
            super().paint(painter, option, index)
            return
        depth, state = model.outline_of(index)
        self._paint_cell(painter, option, index, (depth + 1) * INDENT)
        if state == LEAF:
            return
        mark = QStyleOption()
        mark.rect = branch_rect(option.rect, depth)
        mark.palette = option.palette
        flags = QStyle.StateFlag
        mark.state = flags.State_Children | flags.State_Enabled | flags.State_Item
        if state == OPEN:
            mark.state |= flags.State_Open
        if option.state & flags.State_Selected:
            mark.state |= flags.State_Selected
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorBranch, mark, painter, widget)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> None:
        super().updateEditorGeometry(editor, option, index)
        model = index.model()
        if isinstance(model, TaskTreeModel):
            indent = (model.outline_of(index)[0] + 1) * INDENT
            editor.setGeometry(editor.geometry().adjusted(indent, 0, 0, 0))


class DateCellDelegate(CellDelegate, DateDelegate):
    """A date painted as text, edited with the shared date editor."""


class NumberCellDelegate(CellDelegate, NumberDelegate):
    """A whole number painted as text, edited with a spin box."""


class ProgressCellDelegate(CellDelegate, NumberDelegate):
    """Progress as a slim bar and a percentage, edited with a spin box."""

    progress = True


class PeopleCompleter(QCompleter):
    """Completes the name being typed after the last comma ("Ana Lima, Be" -> "Ben Okafor")."""

    def splitPath(self, path: str) -> list[str]:
        return [path.split(",")[-1].strip()]

    def pathFromIndex(self, index: AnyIndex) -> str:
        widget = self.widget()
        typed = widget.text() if isinstance(widget, QLineEdit) else ""
        before = typed.rsplit(",", 1)[0] + ", " if "," in typed else ""
        return before + str(index.data())


class PeopleCellDelegate(CellDelegate):
    """The People column: each person's colour (the colour of their bars on the chart) and
    name, separated by commas; edited as text, each name completed from the team."""

    def __init__(self, names: Callable[[], list[str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names = names

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        model = index.model()
        people: Sequence[tuple[str, str]] = ()
        if isinstance(model, TaskTreeModel):
            people = model.document.assignees.get(str(index.data(ID_ROLE)), ())
        if not any(colour for _name, colour in people):
            super().paint(painter, option, index)
            return
        rect = option.rect
        text_colour = paint_background(painter, option)
        paint_people(painter, rect.adjusted(_PAD, 0, -_PAD, 0), people, text_colour)

    def createEditor(
        self, parent: QWidget, _option: QStyleOptionViewItem, _index: AnyIndex
    ) -> QWidget:
        editor = QLineEdit(parent)
        editor.setPlaceholderText("Names, separated by commas")
        completer = PeopleCompleter(QStringListModel(self._names(), editor), editor)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        editor.setCompleter(completer)
        return editor


def paint_people(
    painter: QPainter, box: QRect, people: Sequence[tuple[str, str]], text_colour: QColor
) -> None:
    """Names after a dot of each one's colour, left to right, elided where the box ends."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    metrics = painter.fontMetrics()
    x, right, cy = box.left(), box.right(), box.center().y()
    for n, (name, colour) in enumerate(people):
        text = name + ("," if n < len(people) - 1 else "")
        if x + _DOT + 4 > right:
            break
        if colour and QColor(colour).isValid():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colour))
            painter.drawEllipse(QRectF(x, cy - _DOT / 2 + 0.5, _DOT, _DOT))
        x += _DOT + 4
        room = right - x
        if metrics.horizontalAdvance(text) > room:
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
        painter.setPen(text_colour)
        painter.drawText(
            QRect(x, box.top(), max(room, 0), box.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            text,
        )
        x += metrics.horizontalAdvance(text) + 8
    painter.restore()
