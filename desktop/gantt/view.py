"""The Gantt view of one project: the task tree beside the chart, rows in lock-step, a toolbar
for zoom, critical path and baseline, and keyboard commands for everything a drag does.

Host it with `GanttView(workspace, project_id)`. Every edit goes through `workspace.run`, so
each is one step on the shared undo stack; the view follows `workspace.changed` (edits, undo,
redo and sync alike) and reschedules only what a change touches.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from PySide6.QtCore import (
    QByteArray,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QSplitter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db.changes import ChangeSet
from db.labels import quoted
from db.models import DependencyType, Project, Task, TaskKind
from db.operations import Operation, composite
from db.scheduling.baseline import SaveBaseline
from db.scheduling.operations import Link, MoveTask, Unlink
from db.scheduling.outline import (
    DuplicateTasks,
    IndentTasks,
    InsertTask,
    MoveRows,
    OutdentTasks,
)
from db.scheduling.plan_reads import active_member_names, link_between
from desktop.gantt.burn_line import burn_text
from desktop.gantt.cells import (
    CellDelegate,
    DateCellDelegate,
    NameCellDelegate,
    NumberCellDelegate,
    PeopleCellDelegate,
    ProgressCellDelegate,
)
from desktop.gantt.chart import ZOOM_ORDER, GanttChart
from desktop.gantt.document import GanttDocument
from desktop.gantt.task_table import TaskTable
from desktop.gantt.task_tabs import TAB_GENERAL, TAB_LINKS, TAB_PEOPLE
from desktop.gantt.timescale import HEADER_HEIGHT, TimescaleHeader
from desktop.gantt.tree_model import (
    COL_DURATION,
    COL_FINISH,
    COL_NAME,
    COL_PEOPLE,
    COL_PROGRESS,
    COL_SLIP,
    COL_START,
    COL_WBS,
    ROW_HEIGHT,
    TaskTreeModel,
)
from desktop.printing.printable import PrintTarget
from desktop.views.deletion import DeleteOffer, Deletion, delete_rows
from desktop.workspace import Workspace


class GanttView(QWidget):
    """Signals:
    closed_by_deletion(): the project is gone (deleted elsewhere, by sync, or an undone import).
    """

    closed_by_deletion = Signal()

    def __init__(
        self, workspace: Workspace, project_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.project_id = project_id
        self.document = GanttDocument(
            workspace.session,
            project_id,
            workspace.store.schedules.calendars,
            scheduled=workspace.take_scheduled_plan(project_id),
        )
        self.model = TaskTreeModel(self.document, self.run, self.show_refusal)

        self.tree = TaskTable()
        self.tree.setModel(self.model)
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
        self.tree.setFrameShape(TaskTable.Shape.NoFrame)
        self.tree.setItemDelegate(CellDelegate(self.tree))
        self.tree.setItemDelegateForColumn(COL_NAME, NameCellDelegate(self.tree))
        self.tree.setItemDelegateForColumn(COL_START, DateCellDelegate(self.tree))
        self.tree.setItemDelegateForColumn(COL_FINISH, DateCellDelegate(self.tree))
        self.tree.setItemDelegateForColumn(
            COL_DURATION, NumberCellDelegate(0, 9999, " d", self.tree)
        )
        self.tree.setItemDelegateForColumn(
            COL_PROGRESS, ProgressCellDelegate(0, 100, " %", self.tree)
        )
        self.tree.setItemDelegateForColumn(
            COL_PEOPLE, PeopleCellDelegate(self._member_names, self.tree)
        )
        header = self.tree.horizontalHeader()
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
        self.chart.task_activated.connect(self.open_details)
        self.chart.menu_requested.connect(self._chart_menu)
        self.chart.link_menu_requested.connect(self._link_menu)
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
        status_row.addWidget(self.status, 1)
        self.burn = QLabel()
        self.burn.setObjectName("ganttBurn")
        self.burn.setEnabled(False)  # quiet, secondary text
        self._burn_timer = QTimer(self)
        self._burn_timer.setSingleShot(True)
        self._burn_timer.setInterval(200)
        self._burn_timer.timeout.connect(self._refresh_burn)
        status_row.addWidget(self.burn)
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
        self.tree.activated.connect(self._tree_activated)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        # Rows are dragged to reorder them or to put them under another task; the model
        # turns a drop into one undoable move (see `TaskTreeModel.dropMimeData`).
        self.tree.setDragEnabled(True)
        self.tree.setAcceptDrops(True)
        self.tree.setDropIndicatorShown(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.selectionModel().selectionChanged.connect(self._selection_changed)

        self.setFocusProxy(self.tree)  # opening the plan puts the keyboard on its tasks
        # Delete, with the tree or the chart in focus, takes the tasks selected in the tree.
        self.delete_offer = DeleteOffer(self.tree, self.deletion)
        self.chart_delete_offer = DeleteOffer(self.chart, self.deletion, follows=self.tree)

        workspace.changed.connect(self._on_changed)
        workspace.failed.connect(self._show_failed)
        workspace.done.connect(self._show_done)
        self._refresh_burn()

    # -- toolbar and keyboard -----------------------------------------------------------------

    def _action(
        self,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str,
        slot: object,
        tip: str,
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{tip} ({QKeySequence(shortcut).toString()})")
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_task_actions(self) -> None:
        """Making and arranging tasks: the keys, the toolbar's Insert menu and the right-click
        menus all use these actions."""
        self.act_insert = self._action(
            "Task", "Insert", lambda: self.insert(TaskKind.TASK), "Insert a task below"
        )
        self.act_subtask = self._action(
            "Subtask",
            "Alt+Insert",
            lambda: self.insert(TaskKind.TASK, as_child=True),
            "Insert a task under the selected one",
        )
        self.act_milestone = self._action(
            "Milestone",
            "Ctrl+Shift+M",
            lambda: self.insert(TaskKind.MILESTONE),
            "Insert a milestone below",
        )
        self.act_deliverable = self._action(
            "Deliverable",
            "Ctrl+Shift+D",
            lambda: self.insert(TaskKind.DELIVERABLE),
            "Insert a deliverable below",
        )
        self.act_duplicate = self._action(
            "Duplicate",
            "Ctrl+D",
            self.duplicate_selected,
            "Duplicate the selected tasks with their subtasks",
        )
        self.act_move_up = self._action(
            "Move up", "Ctrl+Up", lambda: self.move_rows(-1), "Move the selected rows up"
        )
        self.act_move_down = self._action(
            "Move down", "Ctrl+Down", lambda: self.move_rows(1), "Move the selected rows down"
        )
        self.act_details = self._action(
            "Task details…",
            "Ctrl+I",
            lambda: self.open_details(),
            "Name, kind, dates, people and links of the selected task",
        )
        self.act_rename = QAction("Rename", self)
        self.act_rename.setShortcut(QKeySequence("F2"))
        self.act_rename.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the tree's own
        self.act_rename.triggered.connect(self.rename_selected)

    def _build_toolbar(self) -> QToolBar:
        bar = QToolBar()
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._build_task_actions()
        insert_menu = QMenu(self)
        for action in (
            self.act_insert,
            self.act_subtask,
            self.act_milestone,
            self.act_deliverable,
        ):
            insert_menu.addAction(action)
        self.insert_button = QToolButton()
        self.insert_button.setText("Insert")
        self.insert_button.setToolTip("Insert a task, subtask, milestone or deliverable (Insert)")
        self.insert_button.setMenu(insert_menu)
        self.insert_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.insert_button.clicked.connect(lambda: self.insert(TaskKind.TASK))
        bar.addWidget(self.insert_button)
        bar.addAction(self.act_details)
        self.act_money = QAction("Costs && changes…", self)
        self.act_money.setToolTip("The project's costs, budget and change requests")
        self.act_money.triggered.connect(self.open_money)
        bar.addAction(self.act_money)
        self.act_history = QAction("History…", self)
        self.act_history.setToolTip("Who changed what in this project and its tasks, and when")
        self.act_history.triggered.connect(self.open_history)
        bar.addAction(self.act_history)
        bar.addSeparator()
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
        return [self.document.schedule.task_id(n) for n in nodes]

    def select_task(self, task_id: str) -> None:
        node = self.document.node(task_id)
        self.reveal(node)
        index = self.model.index_of(node, COL_NAME)
        self.tree.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.tree.scrollTo(index)

    def move_selected(self, days: int) -> None:
        """Move the selected task by working days; the plan's rules refuse, with the reason,
        a summary or a start before what its predecessors allow."""
        ids = self.selected_ids()
        if len(ids) != 1:
            self.show_refusal("Select one task to move it")
            return
        task_id = ids[0]
        v = self.document.schedule
        start = v.start(task_id)
        self.run(MoveTask(task_id, v.calendar(v.node(task_id)).add_working_days(start, days)))

    def indent_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self._run_and_select(IndentTasks(ids), ids)

    def outdent_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self._run_and_select(OutdentTasks(ids), ids)

    def link_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) < 2:
            self.show_refusal("Select two or more tasks to link them in order")
            return
        names = [self.document.schedule.name(self.document.node(i)) for i in ids]
        label = (
            f"Link {quoted(names[0])} → {quoted(names[1])}"
            if len(ids) == 2
            else f"Link {len(ids)} tasks"
        )
        steps: list[Operation] = [
            Link(pred, succ, DependencyType.FS) for pred, succ in itertools.pairwise(ids)
        ]
        self._run_and_select(composite(steps, label), ids)

    def move_rows(self, step: int) -> None:
        """Ctrl+Up / Ctrl+Down: the selected rows one place up or down at their level."""
        ids = self.selected_ids()
        if not ids:
            self.show_refusal("Select the tasks to move")
            return
        self._run_and_select(MoveRows(ids, step), ids)

    def duplicate_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            self.show_refusal("Select the tasks to duplicate")
            return
        op = DuplicateTasks(ids)
        if self.run(op):
            self.select_tasks(op.ids)

    def insert(self, kind: TaskKind = TaskKind.TASK, *, as_child: bool = False) -> None:
        """A new task (milestone, deliverable) below the selected one at its level, or under
        it; at the end of the plan when nothing is selected. Its name is then open for typing."""
        v = self.document.schedule
        ids = self.selected_ids()
        current = self.tree.currentIndex()
        if current.isValid() and self.tree.selectionModel().isSelected(current):
            after: str | None = v.task_id(self.model.node_of(current))
        else:
            after = ids[-1] if ids else None
        if as_child and after is None:
            self.show_refusal("Select the task to put a subtask under")
            return
        if after is not None:
            start = v.start(after)
        else:
            span = v.span()
            start = span[0] if span else date.today()
        op = InsertTask(self.project_id, after, kind, as_child=as_child, start=start)
        if self.run(op):
            self.select_task(op.id)
            self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
            self.tree.edit(self.model.index_of(self.document.node(op.id), COL_NAME))

    def rename_selected(self) -> None:
        index = self.tree.currentIndex()
        if index.isValid():
            self.tree.edit(index.siblingAtColumn(COL_NAME))

    def reveal(self, node: int) -> None:
        """Open the closed summaries above a task, so it can be selected and seen."""
        if node not in self.document.row_of:
            self.document.reveal(node)
            self._relayout()

    def open_details(self, task_id: str = "", tab: int = TAB_GENERAL) -> None:
        """The task details dialog for `task_id` (or the current task)."""
        if not task_id:
            ids = self.selected_ids()
            current = self.tree.currentIndex()
            if current.isValid():
                task_id = self.document.schedule.task_id(self.model.node_of(current))
            elif ids:
                task_id = ids[0]
        if not task_id or task_id not in self.document.schedule:
            self.show_refusal("Select a task to see its details")
            return
        if task_id not in self.selected_ids():
            self.select_task(task_id)
        from desktop.gantt.task_dialog import open_task_dialog  # loaded when first opened

        self.details = open_task_dialog(self.workspace, self.document, task_id, self, tab)

    def _tree_activated(self, index: QModelIndex) -> None:
        # Return on a row (a double-click edits the cell in place instead).
        if index.isValid():
            self.open_details(self.document.schedule.task_id(self.model.node_of(index)))

    def _run_and_select(self, op: Operation, ids: list[str]) -> bool:
        """Run an edit that may reload the plan, then select the same tasks again, so the
        next keyboard command acts on them."""
        current = self.tree.currentIndex()
        current_id = (
            self.document.schedule.task_id(self.model.node_of(current)) if current.isValid() else ""
        )
        ok = self.run(op)
        self.select_tasks(ids, current_id)
        return ok

    def select_tasks(self, ids: list[str], current_id: str = "") -> None:
        """Select these tasks (the rows that still exist), the current row on `current_id`
        or the first of them."""
        v = self.document.schedule
        ids = [i for i in ids if i in v]
        if not ids:
            return
        for task_id in ids:
            self.reveal(v.node(task_id))
        selection = QItemSelection()
        for task_id in ids:
            index = self.model.index_of(v.node(task_id))
            selection.select(index, index)
        model = self.tree.selectionModel()
        flags = QItemSelectionModel.SelectionFlag
        current_id = current_id if current_id in ids else ids[0]
        # On the name: F2 and typing then rename, as on a row the user clicked.
        current = self.model.index_of(v.node(current_id), COL_NAME)
        model.setCurrentIndex(current, flags.NoUpdate)
        model.select(selection, flags.ClearAndSelect | flags.Rows)
        self.tree.scrollTo(current)

    # -- right-click menus --------------------------------------------------------------------

    def context_menu(self, task_id: str) -> QMenu:
        """What a right-click on a task (row or bar) offers; on no task, only inserting."""
        menu = QMenu(self)
        if task_id:
            menu.addAction(self.act_details)
            people = menu.addAction("People…")
            people.triggered.connect(lambda: self.open_details(task_id, TAB_PEOPLE))
            links = menu.addAction("Predecessors and successors…")
            links.triggered.connect(lambda: self.open_details(task_id, TAB_LINKS))
            menu.addAction(self.act_rename)
            menu.addSeparator()
        for action in (self.act_insert, self.act_subtask, self.act_milestone):
            menu.addAction(action)
        menu.addAction(self.act_deliverable)
        if task_id:
            menu.addAction(self.act_duplicate)
            menu.addSeparator()
            for action in (
                self.act_move_up,
                self.act_move_down,
                self.act_indent,
                self.act_outdent,
                self.act_link,
            ):
                menu.addAction(action)
            deletion = self.deletion()
            if deletion is not None:
                menu.addSeparator()
                # Named as Edit > Delete names it ("Delete 3 tasks"); asks first, as it does,
                # when subtasks go too.
                delete = menu.addAction(deletion.text)
                delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
                delete.triggered.connect(self.delete_selected)
        self.act_subtask.setEnabled(bool(task_id))
        return menu

    def _tree_menu(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        task_id = ""
        if index.isValid():
            task_id = self.document.schedule.task_id(self.model.node_of(index))
            if task_id not in self.selected_ids():
                self.select_task(task_id)
        self.context_menu(task_id).popup(self.tree.viewport().mapToGlobal(pos))

    def link_menu(self, pred_id: str, succ_id: str) -> QMenu:
        """What a right-click on a link line offers: edit its type and lag, or remove it."""
        v = self.document.schedule
        menu = QMenu(self)
        title = menu.addAction(f"'{v.name(v.node(pred_id))}' → '{v.name(v.node(succ_id))}'")
        title.setEnabled(False)
        edit = menu.addAction("Edit link…")
        edit.triggered.connect(lambda: self.open_details(succ_id, TAB_LINKS))
        remove = menu.addAction("Remove link")
        remove.triggered.connect(lambda: self.remove_link(pred_id, succ_id))
        return menu

    def remove_link(self, pred_id: str, succ_id: str) -> bool:
        dep = link_between(self.workspace.session, pred_id, succ_id)
        if dep is None:
            return False
        v = self.document.schedule
        label = f"Remove link {quoted(v.name(v.node(pred_id)))} → {quoted(v.name(v.node(succ_id)))}"
        return self.run(Unlink(dep, label=label))

    def _link_menu(self, pred_id: str, succ_id: str, global_pos: QPoint) -> None:
        self.link_menu(pred_id, succ_id).popup(global_pos)

    def _chart_menu(self, task_id: str, global_pos: QPoint) -> None:
        if task_id and task_id not in self.selected_ids():
            self.select_task(task_id)
        self.context_menu(task_id).popup(global_pos)

    # -- the main window's New / Delete / Find ------------------------------------------------

    new_text = "New Task"

    def new_item(self) -> None:
        """The main window's New (Ctrl+N) in a plan: a task below the selection."""
        self.insert(TaskKind.TASK)

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
            self.document.schedule.name(self.document.node(ids[0])),
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
            self.select_task(self.document.schedule.task_id(node))

    def focus_filter(self) -> None:
        self.tree.setFocus()

    def save_baseline(self) -> None:
        self.run(SaveBaseline(self.project_id, f"Baseline {date.today():%d %b %Y}"))

    # -- edits and refresh --------------------------------------------------------------------

    def print_target(self) -> PrintTarget:
        """Print makes this plan's timeline, rows collapsed as shown (`Printable`)."""
        return PrintTarget("project", self.project_id, self.document)

    def run(self, op: Operation) -> bool:
        return self.workspace.run(op)

    def show_refusal(self, message: str) -> None:
        """Say why something was refused, through the workspace, so the plan's status line
        and the window's status bar say the same thing."""
        self.workspace.failed.emit(message)

    def _show_failed(self, message: str) -> None:
        self.status.setText(message)
        self.status.setStyleSheet("color: #d93025;")

    def _show_done(self, text: str) -> None:
        # Edits, undo and redo alike ("Undo Move 'Design'"), as the window's status bar.
        self.status.setText(text)
        self.status.setStyleSheet("")

    def _rows_moved(self, task_ids: set[str]) -> None:
        """A drag preview moved these tasks: only their date columns need repainting."""
        self.model.rows_changed(task_ids, self._shown_rows(), (COL_START, COL_SLIP))

    def _shown_rows(self) -> range:
        top = self.tree.verticalScrollBar().value()
        return range(top, top + self.tree.viewport().height() // ROW_HEIGHT + 2)

    def _member_names(self) -> list[str]:
        return active_member_names(self.workspace.session)

    def open_history(self) -> QDialog:
        """The project's history (the project and its tasks) in a window of its own."""
        from db.audit.history import project_records
        from desktop.history.panel import HistoryDialog

        project_id = self.project_id
        project = self.workspace.session.get(Project, project_id)
        dialog = HistoryDialog(
            self.workspace,
            f"History — {project.name}" if project is not None else "Project history",
            lambda session: project_records(session, project_id),
            ("Project", "Task"),
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def open_money(self) -> None:
        from desktop.gantt.money_dialog import open_money_dialog  # loaded when first opened

        self.money = open_money_dialog(self.workspace, self.project_id, self)

    def _refresh_burn(self) -> None:
        self.burn.setText(burn_text(self.workspace, self.project_id))

    def _on_changed(self, changes: ChangeSet) -> None:
        if self.project_id in changes.removed.get("Project", set()):
            # Nothing left to show or refresh: whoever hosts the plan goes back to its list.
            self.workspace.changed.disconnect(self._on_changed)
            self._burn_timer.stop()
            self.closed_by_deletion.emit()
            return
        if changes.touches("Project", "CostEntry", "Task"):
            # A query over every task: after the frame that shows the edit, not in it.
            self._burn_timer.start()
        if self.chart.drag is not None:
            self.chart.cancel_drag()
        moved = self.document.apply_changes(changes)
        if moved is None:
            self._reset_rows()
        elif moved:
            self.model.rows_changed(moved, self._shown_rows())
        # Tasks that left renumber the others: the chart's marks follow the rows' tasks.
        self.chart.hover = -1
        self._selection_changed()
        self.chart.refresh_scene_rect()
        self.chart.viewport().update()

    def _reset_rows(self) -> None:
        """After a reload: the model's reset began before the document changed (see
        `GanttDocument.reload`, which keeps closed summaries closed); end it."""
        self.model.endResetModel()
        self._relayout()

    def _expanded(self, _index: QModelIndex) -> None:
        self._relayout()

    def _collapsed(self, _index: QModelIndex) -> None:
        self._relayout()

    def _relayout(self) -> None:
        """The chart follows the rows shown (the document has laid them out)."""
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
            start = self.document.schedule.start_ordinal(node)
            view_left = self.chart.horizontalScrollBar().value()
            x = self.chart.x_of(start)
            if not view_left <= x <= view_left + self.chart.viewport().width() - 60:
                self.chart.scroll_to_task(self.document.schedule.task_id(node))

    # -- remembered between sessions ----------------------------------------------------------

    def use_settings(self, settings: QSettings) -> None:
        """Remember the splitter (for every plan) and, per project, the critical path,
        baseline and zoom toggles; restore them now."""
        self.settings = settings
        key = f"gantt/project/{self.project_id}"
        state = settings.value("gantt/splitter")
        if isinstance(state, QByteArray | bytes) and state:
            self.splitter.restoreState(QByteArray(state))
            self._splitter_restored = True
        critical = settings.value(f"{key}/critical")
        if critical is not None:
            self.act_critical.setChecked(str(critical).lower() == "true")
            self._toggle_critical()
        baseline = settings.value(f"{key}/baseline")
        if baseline is not None:
            self.act_baseline.setChecked(str(baseline).lower() == "true")
            self._toggle_baseline()
        zoom = settings.value(f"{key}/zoom")
        if isinstance(zoom, str) and zoom in ZOOM_ORDER:
            self.chart.set_zoom(zoom)
        self.splitter.splitterMoved.connect(
            lambda *_a: settings.setValue("gantt/splitter", self.splitter.saveState())
        )
        self.act_critical.toggled.connect(lambda on: settings.setValue(f"{key}/critical", on))
        self.act_baseline.toggled.connect(lambda on: settings.setValue(f"{key}/baseline", on))
        self.chart.zoom_changed.connect(lambda name: settings.setValue(f"{key}/zoom", name))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not getattr(self, "_shown_once", False):
            self._shown_once = True
            if not getattr(self, "_splitter_restored", False):
                # The chart is the point of a plan: the table gets at most 45 % of the width.
                width = max(self.width(), 600)
                table = min(640, max(300, int(width * 0.45)))
                self.splitter.setSizes([table, width - table])
            span = self.document.schedule.span()
            if span is not None:
                self.chart.horizontalScrollBar().setValue(
                    round(self.chart.x_of((span[0] - timedelta(days=3)).toordinal()))
                )
