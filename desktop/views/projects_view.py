"""The Projects area: the project managers' tree of projects and their tasks with dates;
names, clients and dates edit in place, each edit one undo step. The Gantt chart will sit
beside this tree in its own issue."""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRegularExpression,
    QSettings,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from db.directory import clients_by_name, first_client_id
from db.models import Project, ProjectStatus, Task
from db.operations import Create
from db.validation import NAME_MAX
from desktop.models.projects_tree import (
    COL_CLIENT,
    COL_DUE,
    COL_DURATION,
    COL_FINISH,
    COL_NAME,
    COL_PROGRESS,
    COL_START,
    COL_STATUS,
    ProjectRow,
    ProjectsTreeModel,
)
from desktop.models.roles import ENTITY_ROLE, ID_ROLE, SORT_ROLE
from desktop.printing.printable import PrintTarget
from desktop.views.area_header import AreaHeader
from desktop.views.delegates import (
    ChoiceDelegate,
    DateDelegate,
    NumberDelegate,
    PaddedDelegate,
    ProgressDelegate,
    StatusDelegate,
)
from desktop.views.deletion import DeleteOffer, Deletion
from desktop.views.detail_host import DetailFactory, DetailHost
from desktop.workspace import Workspace

AnyIndex = QModelIndex | QPersistentModelIndex


class ProjectsProxy(QSortFilterProxyModel):
    """Filters and sorts the projects; tasks keep their plan order under their project, so
    reading a project's plan never depends on which column the list is sorted by."""

    def __init__(self) -> None:
        super().__init__()
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if source_parent.isValid():
            return True
        pattern = self.filterRegularExpression()
        if not pattern.pattern():
            return True
        model = self.sourceModel()
        return any(
            pattern.match(str(model.index(source_row, col, source_parent).data())).hasMatch()
            for col in (COL_NAME, COL_CLIENT)
        )

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        if left.parent().isValid():
            before = left.row() < right.row()
            return before != (self.sortOrder() == Qt.SortOrder.DescendingOrder)
        return super().lessThan(left, right)


class ProjectsView(QWidget):
    """Signals:
    project_activated(str): a project's plan was opened (Return, a double-click on a cell
        that does not edit in place, or the Open plan button).
    actions_changed(): what New does changed (a plan opened or closed); the main window
        renames its New action.
    """

    project_activated = Signal(str)
    actions_changed = Signal()

    def __init__(
        self,
        workspace: Workspace,
        parent: QWidget | None = None,
        *,
        detail_factory: DetailFactory | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.detail_factory = detail_factory
        self.model = ProjectsTreeModel(workspace)
        self.proxy = ProjectsProxy()
        self.proxy.setSourceModel(self.model)

        self.header = AreaHeader("Projects", "Filter projects or clients")
        self.header.filter_changed.connect(self._filter)
        self.open_button = QPushButton("Open plan")
        self.open_button.setToolTip("Open the selected project's timeline (Return)")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(lambda: self._activated(self.tree.currentIndex()))
        if detail_factory is not None:
            self.header.extra.addWidget(self.open_button)

        self.tree: QTreeView = QTreeView()  # typed here: the lambda above refers to it first
        self.item_view = self.tree
        self.tree.setObjectName("projectsTree")
        self.tree.setModel(self.proxy)
        self.tree.setUniformRowHeights(True)  # lets a long tree scroll without measuring rows
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.tree.setItemDelegate(PaddedDelegate(self))
        # Project and task names stop at their length limit, with a note under the cell.
        self.tree.setItemDelegateForColumn(COL_NAME, PaddedDelegate(self, limit=NAME_MAX))
        self.tree.header().setSortIndicator(COL_CLIENT, Qt.SortOrder.AscendingOrder)
        self.tree.setSortingEnabled(True)
        self.tree.setItemDelegateForColumn(COL_CLIENT, ChoiceDelegate(self._client_choices, self))
        dates = DateDelegate(self)
        self.tree.setItemDelegateForColumn(COL_START, dates)
        self.tree.setItemDelegateForColumn(COL_FINISH, dates)
        self.tree.setItemDelegateForColumn(COL_DUE, dates)
        self.tree.setItemDelegateForColumn(COL_DURATION, NumberDelegate(0, 9999, " d", self))
        self.tree.setItemDelegateForColumn(COL_PROGRESS, ProgressDelegate(0, 100, " %", self))
        statuses = [(st.value, st.value.replace("_", " ").capitalize()) for st in ProjectStatus]
        self.tree.setItemDelegateForColumn(COL_STATUS, StatusDelegate(lambda: statuses, self))
        header = self.tree.header()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        em = self.fontMetrics().averageCharWidth()
        # Quietly: told of a resize, the tree lays its first row out on the next turn of the
        # loop even while hidden, and measuring that row's dates schedules a batch of projects;
        # a plan opened at start-up over the list then paints later (issue 19). The tree lays
        # everything out when it first shows anyway.
        was_blocked = header.blockSignals(True)
        for col, chars in (
            (COL_CLIENT, 26),
            (COL_START, 15),
            (COL_FINISH, 15),
            (COL_DURATION, 13),
            (COL_PROGRESS, 20),
            (COL_STATUS, 14),
            (COL_DUE, 15),
        ):
            header.resizeSection(col, chars * em)
        header.blockSignals(was_blocked)

        self.tree.activated.connect(self._activated)
        self.tree.selectionModel().currentChanged.connect(
            lambda current, _previous: self.open_button.setEnabled(current.isValid())
        )
        self.delete_offer = DeleteOffer(self.tree, self.deletion)

        list_page = QWidget()
        list_layout = QVBoxLayout(list_page)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.setSpacing(0)
        list_layout.addWidget(self.header)
        list_layout.addWidget(self.tree, 1)
        self.host = DetailHost(list_page, "All projects")
        self.host.detail_closed.connect(self.actions_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.host)

        # As in the clients list: the proxy drops a removed row before the source does.
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.model.rowsInserted,
            self.model.rowsRemoved,
        ):
            signal.connect(self._update_count)
        self._update_count()

    # -- Area ----------------------------------------------------------------------------------

    settings: QSettings | None = None

    def use_settings(self, settings: QSettings) -> None:
        """Where plans opened here remember their layout (the main window passes its own)."""
        self.settings = settings

    def _open_plan(self) -> QWidget | None:
        """The project plan showing in place of the list, when it makes its own new items."""
        detail = self.host.detail if self.host.showing_detail() else None
        return detail if detail is not None and hasattr(detail, "new_item") else None

    @property
    def new_text(self) -> str:
        plan = self._open_plan()
        return str(getattr(plan, "new_text", "New Project")) if plan else "New Project"

    def new_item(self) -> None:
        """New Project on the list; in an open plan, New Task (the plan's own New)."""
        plan = self._open_plan()
        if plan is not None:
            plan.new_item()  # type: ignore[attr-defined]  # _open_plan checked it has one
            return
        self.host.show_list()
        client_id = self._client_for_new_project()
        if client_id is None:
            self.workspace.failed.emit("New project: add a client first; a project belongs to one")
            return
        op = Create(Project, {"client_id": client_id, "name": "New project"}, label="New project")
        if not self.workspace.run(op):
            return
        self.header.filter.clear()
        index = self.proxy.mapFromSource(self.model.project_index(op.id))
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
            self.tree.edit(index)

    def deletion(self) -> Deletion | None:
        """Edit > Delete on the tree: the selected project (with its plan) or task."""
        rows = self.tree.selectionModel().selectedRows(COL_NAME)
        if len(rows) != 1:
            return None
        index = rows[0]
        is_project = index.data(ENTITY_ROLE) == "Project"
        parent, at = QPersistentModelIndex(index.parent()), index.row()
        return Deletion(
            Project if is_project else Task,
            [index.data(ID_ROLE)],
            ("project", "projects") if is_project else ("task", "tasks"),
            str(index.data() or ""),
            after=lambda: self._select_after_delete(parent, at),
            whole_tree=is_project,
        )

    def _select_after_delete(self, parent: QPersistentModelIndex, row: int) -> None:
        """The row that took the deleted one's place, else the one above, else its parent."""
        # Rebuilt from its parts: QModelIndex(persistent) works but is missing from the stubs.
        parent_index = (
            self.proxy.index(parent.row(), parent.column(), parent.parent())
            if parent.isValid()
            else QModelIndex()
        )
        count = self.proxy.rowCount(parent_index)
        index = (
            self.proxy.index(min(row, count - 1), COL_NAME, parent_index) if count else parent_index
        )
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def print_target(self) -> PrintTarget | None:
        """The open plan's timeline, else the portfolio timeline (`Printable`)."""
        return self.host.print_target() or PrintTarget("portfolio")

    def focus_filter(self) -> None:
        self.host.show_list()
        self.header.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.header.filter.selectAll()

    def open_project(self, project_id: str, task_id: str | None = None) -> None:
        """Show the project's plan in place of the list (when this area has one)."""
        self.project_activated.emit(project_id)
        node = self.model.node(self.model.project_index(project_id))
        if self.detail_factory is None or node is None:
            return
        widget = self.detail_factory(self.workspace, project_id)
        use_settings = getattr(widget, "use_settings", None)
        if self.settings is not None and use_settings is not None:
            use_settings(self.settings)  # the plan's splitter and toggles
        gone = getattr(widget, "closed_by_deletion", None)
        if gone is not None:
            gone.connect(self.host.show_list)
        select_task = getattr(widget, "select_task", None)
        if task_id and select_task is not None:
            select_task(task_id)
        row = node.row
        title = f"{row.client} — {row.name}" if isinstance(row, ProjectRow) else row.name
        self.host.show_detail(widget, title)
        self.actions_changed.emit()

    def open_first_item(self) -> bool:
        """Open the first project shown (the self-test's look at the plan view)."""
        if self.detail_factory is None or self.proxy.rowCount() == 0:
            return False
        self.open_project(self.proxy.index(0, COL_NAME).data(ID_ROLE))
        return True

    def _activated(self, index: QModelIndex) -> None:
        node = self.model.node(self.proxy.mapToSource(index))
        if node is None or node.project is None:
            return
        self.open_project(node.project.id, node.id if node.entity == "Task" else None)

    # -- helpers -------------------------------------------------------------------------------

    def project_index(self, project_id: str, column: int = COL_NAME) -> QModelIndex:
        source = self.model.project_index(project_id)
        return self.proxy.mapFromSource(
            source.siblingAtColumn(column) if source.isValid() else source
        )

    def _client_for_new_project(self) -> str | None:
        current = self.proxy.mapToSource(self.tree.currentIndex())
        node = self.model.node(current)
        if node is not None and node.project is not None:
            row = node.project.row
            if isinstance(row, ProjectRow):
                return row.client_id
        return first_client_id(self.workspace.session)

    def _client_choices(self) -> list[tuple[str, str]]:
        return clients_by_name(self.workspace.session)

    def _filter(self, text: str) -> None:
        self.proxy.setFilterRegularExpression(
            QRegularExpression(
                QRegularExpression.escape(text),
                QRegularExpression.PatternOption.CaseInsensitiveOption,
            )
        )
        self._update_count()

    def _update_count(self, *_args: object) -> None:
        self.header.set_count(self.proxy.rowCount(), self.model.rowCount(), "project")
