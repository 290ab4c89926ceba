"""The Gantt view of one project: the task tree beside the chart, rows in lock-step, a toolbar
for zoom, critical path and baseline, and keyboard commands for everything a drag does.

Host it with `GanttView(workspace, project_id)`. Every edit goes through `workspace.run`, so
each is one step on the shared undo stack; the view follows `workspace.changed` (edits, undo,
redo and sync alike) and reschedules only what a change touches.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from db.changes import ChangeSet
from db.models import DependencyType, Task
from db.operations import Create, Operation
from db.scheduling.baseline import SaveBaseline
from db.scheduling.operations import Indent, Link, MoveTask, Outdent
from desktop.gantt.cells import (
    CellDelegate,
    DateCellDelegate,
    NumberCellDelegate,
    ProgressCellDelegate,
)
from desktop.gantt.chart import ZOOM_ORDER, GanttChart
from desktop.gantt.document import GanttDocument
from desktop.gantt.timescale import HEADER_HEIGHT, TimescaleHeader
from desktop.gantt.tree_model import (
    COL_DURATION,
    COL_FINISH,
    COL_NAME,
    COL_PROGRESS,
    COL_SLIP,
    COL_START,
    COL_WBS,
    ROW_HEIGHT,
    TaskTreeModel,
)
from desktop.views.deletion import DeleteOffer, Deletion, delete_rows
from desktop.workspace import Workspace


class GanttView(QWidget):
    def __init__(
        self, workspace: Workspace, project_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.project_id = project_id
        self.document = GanttDocument(workspace.session, project_id)
        self.model = TaskTreeModel(self.document, self.run, self.show_refusal)
        self.document.about_to_reload = self.model.beginResetModel

        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        # Per item: a QTreeView then scrolls by blitting and paints only the rows that come
        # in (per pixel it repaints every row, which costs more than a frame).
        self.tree.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.tree.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.tree.setAlternatingRowColors(True)
        self.tree.setTreePosition(COL_NAME)
        self.tree.setFrameShape(QTreeView.Shape.NoFrame)
        self.tree.setItemDelegate(CellDelegate(self.tree))
        self.tree.setItemDelegateForColumn(COL_START, DateCellDelegate(self.tree))
        self.tree.setItemDelegateForColumn(COL_FINISH, DateCellDelegate(self.tree))
        self.tree.setItemDelegateForColumn(
            COL_DURATION, NumberCellDelegate(1, 9999, " d", self.tree)
        )
        self.tree.setItemDelegateForColumn(
            COL_PROGRESS, ProgressCellDelegate(0, 100, " %", self.tree)
        )
        header = self.tree.header()
        header.setFixedHeight(HEADER_HEIGHT)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in (
            (COL_WBS, 64),
            (COL_NAME, 200),
            (COL_START, 112),
            (COL_FINISH, 112),
            (COL_DURATION, 64),
            (COL_PROGRESS, 100),
            (COL_SLIP, 64),
        ):
            header.resizeSection(col, width)

        self.chart = GanttChart(self.document, self.run)
        self.chart.on_preview = self._rows_moved
        self.chart.refused.connect(self.show_refusal)
        self.timescale = TimescaleHeader(self.chart)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.timescale)
        right_layout.addWidget(self.chart)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([640, 860])

        self.status = QLabel()
        self.status.setObjectName("ganttStatus")
        # A fixed height: a new message must not re-lay-out the splitter under it.
        self.status.setFixedHeight(self.status.fontMetrics().height() + 6)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._build_toolbar())
        layout.addWidget(self.splitter, 1)
        status_row = QHBoxLayout()
        status_row.setContentsMargins(8, 3, 8, 3)
        status_row.addWidget(self.status)
        layout.addLayout(status_row)

        # Lock-step: the tree scrolls by rows, the chart by pixels; each follows the other,
        # and the chart snaps to whole rows so they never drift apart.
        tree_bar, chart_bar = self.tree.verticalScrollBar(), self.chart.verticalScrollBar()
        chart_bar.setSingleStep(ROW_HEIGHT)
        tree_bar.valueChanged.connect(lambda row: chart_bar.setValue(row * ROW_HEIGHT))
        chart_bar.valueChanged.connect(lambda y: tree_bar.setValue(round(y / ROW_HEIGHT)))
        self.tree.expanded.connect(self._expanded)
        self.tree.collapsed.connect(self._collapsed)
        self.tree.selectionModel().currentRowChanged.connect(self._current_changed)
        self.tree.selectionModel().selectionChanged.connect(self._selection_changed)

        self.setFocusProxy(self.tree)  # opening the plan puts the keyboard on its tasks
        # Delete, with the tree or the chart in focus, takes the tasks selected in the tree.
        self.delete_offer = DeleteOffer(self.tree, self.deletion)
        self.chart_delete_offer = DeleteOffer(self.chart, self.deletion, follows=self.tree)

        workspace.changed.connect(self._on_changed)
        workspace.failed.connect(self.show_refusal)
        self._expand_all()

    # -- toolbar and keyboard -----------------------------------------------------------------

    def _action(self, text: str, shortcut: QKeySequence | str, slot: object, tip: str) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{tip} ({QKeySequence(shortcut).toString()})")
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_toolbar(self) -> QToolBar:
        bar = QToolBar()
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.zoom_box = QComboBox()
        self.zoom_box.addItems([name.capitalize() for name in reversed(ZOOM_ORDER)])
        self.zoom_box.setCurrentText(self.chart.zoom.capitalize())
        self.zoom_box.setToolTip("Zoom (Ctrl+wheel on the chart)")
        self.zoom_box.currentTextChanged.connect(lambda text: self.chart.set_zoom(text.lower()))
        self.chart.zoom_changed.connect(
            lambda name: self.zoom_box.setCurrentText(name.capitalize())
        )
        bar.addWidget(QLabel(" Zoom "))
        bar.addWidget(self.zoom_box)
        self.act_zoom_in = self._action(
            "Zoom in", QKeySequence.StandardKey.ZoomIn, lambda: self.chart.zoom_by(1), "Zoom in"
        )
        self.act_zoom_out = self._action(
            "Zoom out",
            QKeySequence.StandardKey.ZoomOut,
            lambda: self.chart.zoom_by(-1),
            "Zoom out",
        )
        self.act_fit = self._action(
            "Fit", "Ctrl+0", self.chart.fit_to_project, "Fit the whole project"
        )
        bar.addAction(self.act_fit)
        bar.addSeparator()
        self.act_critical = self._action(
            "Critical path", "Ctrl+Shift+C", self._toggle_critical, "Highlight the critical path"
        )
        self.act_critical.setCheckable(True)
        bar.addAction(self.act_critical)
        self.act_baseline = self._action(
            "Baseline",
            "Ctrl+Shift+B",
            self._toggle_baseline,
            "Show the last saved baseline as ghost bars",
        )
        self.act_baseline.setCheckable(True)
        self.act_baseline.setChecked(True)
        bar.addAction(self.act_baseline)
        self.act_save_baseline = self._action(
            "Save baseline", "Ctrl+Alt+B", self.save_baseline, "Save today's plan as the baseline"
        )
        bar.addAction(self.act_save_baseline)
        bar.addSeparator()
        self.act_earlier = self._action(
            "◀ Day",
            "Ctrl+Shift+Left",
            lambda: self.move_selected(-1),
            "Move the selected task a working day earlier",
        )
        self.act_later = self._action(
            "Day ▶",
            "Ctrl+Shift+Right",
            lambda: self.move_selected(1),
            "Move the selected task a working day later",
        )
        self.act_outdent = self._action(
            "Outdent", "Alt+Shift+Left", self.outdent_selected, "Move the selected task up a level"
        )
        self.act_indent = self._action(
            "Indent",
            "Alt+Shift+Right",
            self.indent_selected,
            "Put the selected task under the one above it",
        )
        self.act_link = self._action(
            "Link",
            "Ctrl+F2",
            self.link_selected,
            "Make each selected task follow the one before it",
        )
        for action in (
            self.act_earlier,
            self.act_later,
            self.act_outdent,
            self.act_indent,
            self.act_link,
        ):
            bar.addAction(action)
        return bar

    def _toggle_critical(self) -> None:
        self.chart.show_critical = self.act_critical.isChecked()
        self.chart.viewport().update()

    def _toggle_baseline(self) -> None:
        self.chart.show_baseline = self.act_baseline.isChecked()
        self.chart.viewport().update()

    def selected_ids(self) -> list[str]:
        """Selected tasks, top to bottom."""
        rows = self.tree.selectionModel().selectedRows()
        nodes = sorted(
            (self.model.node_of(i) for i in rows),
            key=lambda n: self.document.row_of.get(n, 1 << 30),
        )
        return [self.document.scheduler.ids[n] for n in nodes]

    def select_task(self, task_id: str) -> None:
        index = self.model.index_of(self.document.node(task_id))
        self.tree.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.tree.scrollTo(index)

    def move_selected(self, days: int) -> None:
        """Move the selected task by working days; refused, with the reason, before what its
        predecessors allow."""
        ids = self.selected_ids()
        if len(ids) != 1:
            self.show_refusal("Select one task to move it")
            return
        task_id = ids[0]
        s = self.document.scheduler
        if s.is_summary(task_id):
            self.show_refusal("A summary follows its tasks; move the tasks under it")
            return
        cal = s.calendar_of(task_id)
        new = cal.add_working_days(s.start(task_id), days)
        earliest, why = s.earliest_start(task_id)
        if earliest is not None and new < earliest:
            self.show_refusal(f"Can't start before {earliest:%a %d %b}: {why}")
            return
        self.run(MoveTask(task_id, new))

    def indent_selected(self) -> None:
        for task_id in self.selected_ids():
            self.run(Indent(task_id))

    def outdent_selected(self) -> None:
        for task_id in reversed(self.selected_ids()):
            self.run(Outdent(task_id))

    def link_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) < 2:
            self.show_refusal("Select two or more tasks to link them in order")
            return
        for pred, succ in itertools.pairwise(ids):
            if not self.run(Link(pred, succ, DependencyType.FS)):
                break

    # -- the main window's New / Delete / Find ------------------------------------------------

    new_text = "New Task"

    def new_item(self) -> None:
        """Add a task after the selected one, at its level and on its start day (or at the
        end of the plan), and select its name for typing."""
        s = self.document.scheduler
        ids = self.selected_ids()
        after = ids[-1] if ids else (s.ids[self.document.rows[-1]] if s.ids else None)
        parent_id = s.spec(after).parent_id if after else None
        start = s.start(after) if after else date.today()
        order = 1 + max((t.sort_order for t in s.specs), default=0)
        op = Create(
            Task,
            {
                "project_id": self.project_id,
                "parent_id": parent_id,
                "name": "New task",
                "start_date": start,
                "duration_days": 1,
                "sort_order": order,
            },
            label="New task",
        )
        if self.run(op):
            self.select_task(op.id)
            self.tree.edit(self.model.index_of(self.document.node(op.id), COL_NAME))

    def deletion(self) -> Deletion | None:
        """Edit > Delete in the plan: the selected tasks (with their subtasks, links and
        assignments), never the project."""
        ids = self.selected_ids()
        if not ids:
            return None
        first = self.document.row_of.get(self.document.node(ids[0]), 0)
        return Deletion(
            Task,
            ids,
            ("task", "tasks"),
            self.document.scheduler.spec(ids[0]).name,
            after=lambda: self._select_row(first),
        )

    def delete_selected(self) -> bool:
        """Delete the selected tasks as one step (asking first when subtasks go too)."""
        deletion = self.deletion()
        return deletion is not None and delete_rows(self, self.workspace, deletion)

    def _select_row(self, row: int) -> None:
        """After a delete: the task now on the deleted one's row, else the last one."""
        rows = self.document.rows
        if rows:
            node = rows[min(row, len(rows) - 1)]
            self.select_task(self.document.scheduler.ids[node])

    def focus_filter(self) -> None:
        self.tree.setFocus()

    def save_baseline(self) -> None:
        self.run(SaveBaseline(self.project_id, f"Baseline {date.today():%d %b %Y}"))

    # -- edits and refresh --------------------------------------------------------------------

    def run(self, op: Operation) -> bool:
        ok = self.workspace.run(op)
        if ok:
            self.status.setText(op.label)
            self.status.setStyleSheet("")
        return ok

    def show_refusal(self, message: str) -> None:
        self.status.setText(message)
        self.status.setStyleSheet("color: #d93025;")

    def _rows_moved(self, task_ids: set[str]) -> None:
        """A drag preview moved these tasks: only their date columns need repainting."""
        self.model.rows_changed(task_ids, self._shown_rows(), (COL_START, COL_SLIP))

    def _shown_rows(self) -> range:
        top = self.tree.verticalScrollBar().value()
        return range(top, top + self.tree.viewport().height() // ROW_HEIGHT + 2)

    def _on_changed(self, changes: ChangeSet) -> None:
        if self.chart.drag is not None:
            self.chart.cancel_drag()
        moved = self.document.apply_changes(changes)
        if moved is None:
            self._reset_rows()
        elif moved:
            self.model.rows_changed(moved, self._shown_rows())
        self.chart.refresh_scene_rect()
        self.chart.viewport().update()

    def _reset_rows(self) -> None:
        """After a reload: the model's reset began before the document changed (see
        `GanttDocument.reload`); end it and expand all but the summaries that were closed."""
        s = self.document.scheduler
        collapsed_ids = {s.ids[i] for i in self.document.collapsed}
        self.model.endResetModel()
        self._expand_all(collapsed_ids)

    def _expand_all(self, collapsed_ids: set[str] | None = None) -> None:
        s = self.document.scheduler
        collapsed = {s.pos[i] for i in (collapsed_ids or ()) if i in s.pos}
        self.document.collapsed = collapsed
        self.tree.blockSignals(True)
        if not collapsed:
            self.tree.expandAll()
        else:
            for node in range(len(s.ids)):
                if s.children[node] and node not in collapsed:
                    self.tree.expand(self.model.index_of(node))
        self.tree.blockSignals(False)
        self.document.relayout()
        self.chart.refresh_scene_rect()
        self.chart.viewport().update()

    def _expanded(self, index: QModelIndex) -> None:
        self.document.collapsed.discard(self.model.node_of(index))
        self._relayout()

    def _collapsed(self, index: QModelIndex) -> None:
        self.document.collapsed.add(self.model.node_of(index))
        self._relayout()

    def _relayout(self) -> None:
        self.document.relayout()
        self.chart.refresh_scene_rect()
        self.chart.verticalScrollBar().setValue(self.tree.verticalScrollBar().value() * ROW_HEIGHT)
        self.chart.viewport().update()

    def _selection_changed(self, *_args: object) -> None:
        rows = self.tree.selectionModel().selectedRows()
        self.chart.selected = {self.model.node_of(i) for i in rows}
        self.chart.viewport().update()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            node = self.model.node_of(current)
            start = self.document.scheduler.start_o[node]
            view_left = self.chart.horizontalScrollBar().value()
            x = self.chart.x_of(start)
            if not view_left <= x <= view_left + self.chart.viewport().width() - 60:
                self.chart.scroll_to_task(self.document.scheduler.ids[node])

    def showEvent(self, event: object) -> None:  # type: ignore[override]
        super().showEvent(event)  # type: ignore[arg-type]
        if not getattr(self, "_shown_once", False):
            self._shown_once = True
            span = self.document.scheduler.project_span()
            if span is not None:
                self.chart.horizontalScrollBar().setValue(
                    round(self.chart.x_of((span[0] - timedelta(days=3)).toordinal()))
                )
