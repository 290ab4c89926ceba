"""A project's costs and change requests, opened from its plan ("Costs & changes"): cost
entries (date, amount, note, optional task) and the budget, with the burn figure; change
requests (raised on, by which contact, description, working days on named tasks, cost) that
are accepted or rejected with a button.

Every cell edit and button is one undoable step on the workspace's stack, like everywhere
else; the dialog follows the workspace's changes, so an undo shows at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.changes import ChangeSet
from db.models import ChangeRequest, ChangeRequestStatus, CostEntry, Project
from db.operations import Delete, Operation
from db.project_money import (
    AddChangeRequest,
    AddCost,
    DecideChangeRequest,
    EditChangeRequest,
    EditCost,
    SetBudget,
    change_requests,
    client_contacts,
    cost_entries,
    project_currency,
    task_names,
)
from desktop.formatting import money
from desktop.gantt.burn_line import burn_text
from desktop.models.records import Column, RecordsModel, parse_cents
from desktop.models.roles import ID_ROLE
from desktop.views.record_tables import (
    fit_columns,
    record_table,
    set_delegates,
    table_with_buttons,
)
from desktop.workspace import Workspace

STATUS_LABELS = {
    ChangeRequestStatus.PENDING.value: "Pending",
    ChangeRequestStatus.APPROVED.value: "Accepted",
    ChangeRequestStatus.REJECTED.value: "Rejected",
}


def _currency(workspace: Workspace, project_id: str) -> str:
    return project_currency(workspace.session, project_id)


class _RequestRow:
    """A change request as the table shows it, with its tasks' names."""

    def __init__(self, request: ChangeRequest, tasks_text: str) -> None:
        self.id = request.id
        self.raised_on = request.raised_on
        self.description = request.description
        self.contact_id = request.contact_id
        self.schedule_impact_days = request.schedule_impact_days
        self.cost_impact_cents = request.cost_impact_cents
        self.status = request.status.value
        self.tasks = tasks_text
        self.task_ids = [link.task_id for link in request.tasks]


class ProjectMoneyDialog(QDialog):
    def __init__(
        self, workspace: Workspace, project_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.project_id = project_id
        session = workspace.session
        project = session.get(Project, project_id)
        assert project is not None
        self.setWindowTitle(f"Costs and change requests — {project.name}")
        self.resize(760, 460)
        currency = _currency(workspace, project_id)

        def fmt(cents: int) -> str:
            return money(cents, currency)

        self.burn = QLabel()
        self.burn.setObjectName("burnFigure")
        self.budget = QLineEdit()
        self.budget.setObjectName("budget")
        self.budget.setMaximumWidth(140)
        self.budget.setToolTip("The project's budget; an accepted change request adds its cost")
        self.budget.editingFinished.connect(self._budget_edited)
        top = QHBoxLayout()
        budget_label = QLabel("&Budget:")
        budget_label.setBuddy(self.budget)
        top.addWidget(budget_label)
        top.addWidget(self.budget)
        top.addSpacing(12)
        top.addWidget(self.burn, 1)

        # -- costs
        cost_columns = [
            Column("Date", "spent_on", "date"),
            Column("Amount", "amount_cents", "money"),
            Column("Note", "note"),
            Column("Task", "task_id", "choice", choices=self._task_choices),
        ]
        self.costs = RecordsModel(
            workspace,
            cost_columns,
            ("CostEntry", "Task"),
            lambda: cost_entries(session, project_id),
            lambda row, key, value: EditCost(row.id, {key: value}),
            money=fmt,
        )
        self.costs_table = record_table(self.costs, "projectCosts")
        set_delegates(self.costs_table, cost_columns)
        fit_columns(self.costs_table, stretch=2)
        self.add_cost_button = QPushButton("Add cost")
        self.add_cost_button.clicked.connect(self.add_cost)
        self.remove_cost_button = QPushButton("Remove")
        self.remove_cost_button.clicked.connect(
            self._remover(self.costs_table, CostEntry, "Remove cost")
        )
        costs_page = self._page(self.costs_table, self.add_cost_button, self.remove_cost_button)

        # -- change requests
        request_columns = [
            Column("Raised on", "raised_on", "date"),
            Column("Raised by", "contact_id", "choice", choices=self._contact_choices),
            Column("Description", "description"),
            Column("Days", "schedule_impact_days", "number"),
            Column("On tasks", "tasks", editable=False),
            Column("Cost", "cost_impact_cents", "money"),
            Column(
                "Status", "status", "choice", editable=False, choices=list(STATUS_LABELS.items())
            ),
        ]
        self.requests = RecordsModel(
            workspace,
            request_columns,
            ("ChangeRequest", "ChangeRequestTask", "Task"),
            self._load_requests,
            self._edit_request,
            inactive=lambda row: row.status != ChangeRequestStatus.PENDING.value,
            money=fmt,
        )
        self.requests_table = record_table(self.requests, "changeRequests")
        set_delegates(self.requests_table, request_columns)
        fit_columns(self.requests_table, stretch=2)
        self.add_request_button = QPushButton("New change request")
        self.add_request_button.clicked.connect(self.add_request)
        self.tasks_button = QPushButton("Tasks…")
        self.tasks_button.setToolTip("The tasks the extra working days fall on")
        self.tasks_button.clicked.connect(self.choose_tasks)
        self.accept_button = QPushButton("Accept")
        self.accept_button.setToolTip(
            "Apply the schedule and cost impact, and note it in the client's timeline"
        )
        self.accept_button.clicked.connect(lambda: self.decide(True))
        self.reject_button = QPushButton("Reject")
        self.reject_button.clicked.connect(lambda: self.decide(False))
        self.remove_request_button = QPushButton("Remove")
        self.remove_request_button.clicked.connect(
            self._remover(self.requests_table, ChangeRequest, "Remove change request")
        )
        requests_page = self._page(
            self.requests_table,
            self.add_request_button,
            self.tasks_button,
            self.accept_button,
            self.reject_button,
            self.remove_request_button,
        )
        self.requests_table.selectionModel().currentRowChanged.connect(self._request_selected)
        self.requests.modelReset.connect(lambda: self._request_selected(QModelIndex()))
        self.requests.dataChanged.connect(
            lambda *_a: self._request_selected(self.requests_table.currentIndex())
        )

        self.tabs = QTabWidget()
        self.tabs.addTab(costs_page, "Costs")
        self.tabs.addTab(requests_page, "Change requests")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d93025;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        workspace.changed.connect(self._on_changed)
        workspace.failed.connect(self.error.setText)
        workspace.done.connect(self._clear_error)
        self._refresh_figures()
        self._request_selected(QModelIndex())
        self.costs_table.setFocus(Qt.FocusReason.OtherFocusReason)

    @staticmethod
    def _page(table: QWidget, *buttons: QPushButton) -> QWidget:
        page = QWidget()
        page.setLayout(table_with_buttons(table, *buttons))
        return page

    def _remover(self, table: Any, entity: type, label: str) -> Callable[[], None]:
        def remove() -> None:
            index = table.currentIndex()
            if index.isValid():
                self.workspace.run(Delete(entity, index.data(ID_ROLE), label=label))

        return remove

    # -- choices ------------------------------------------------------------------------------

    def _task_choices(self) -> list[tuple[str, str]]:
        return [("", "—"), *task_names(self.workspace.session, self.project_id)]

    def _contact_choices(self) -> list[tuple[str, str]]:
        return [("", "—"), *client_contacts(self.workspace.session, self.project_id)]

    # -- figures ------------------------------------------------------------------------------

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.touches("Project", "CostEntry", "Task"):
            self._refresh_figures()

    def _refresh_figures(self) -> None:
        project = self.workspace.session.get(Project, self.project_id)
        if project is None:
            return
        if not self.budget.hasFocus():
            self.budget.setText(f"{project.budget_cents / 100:.2f}")
        self.burn.setText(burn_text(self.workspace, self.project_id))

    def _budget_edited(self) -> None:
        cents = parse_cents(self.budget.text())
        project = self.workspace.session.get(Project, self.project_id)
        if project is None:
            return
        if cents is None:
            self.error.setText(f"Budget: '{self.budget.text()}' is not an amount")
            return
        if cents != project.budget_cents:
            self.workspace.run(SetBudget(self.project_id, cents))
        self._refresh_figures()

    # -- costs --------------------------------------------------------------------------------

    def add_cost(self) -> None:
        op = AddCost(self.project_id, date.today(), 0)
        if self.workspace.run(op):
            row = self.costs.row_of(op.id)
            index = self.costs.index(row, 1)
            self.costs_table.setCurrentIndex(index)
            self.costs_table.edit(index)

    # -- change requests ----------------------------------------------------------------------

    def _load_requests(self) -> list[_RequestRow]:
        session = self.workspace.session
        names = dict(task_names(session, self.project_id))
        rows = []
        for request in change_requests(session, self.project_id):
            text = ", ".join(names.get(link.task_id, "?") for link in request.tasks)
            rows.append(_RequestRow(request, text))
        return rows

    def _edit_request(self, row: _RequestRow, key: str, value: Any) -> Operation | None:
        return EditChangeRequest(row.id, {key: value})

    def current_request(self) -> _RequestRow | None:
        index = self.requests_table.currentIndex()
        if not index.isValid():
            return None
        row = self.requests.row_of(index.data(ID_ROLE))
        return self.requests.rows[row] if row >= 0 else None

    def _request_selected(self, _current: QModelIndex, _previous: object = None) -> None:
        request = self.current_request()
        pending = request is not None and request.status == ChangeRequestStatus.PENDING.value
        for button in (self.accept_button, self.reject_button, self.tasks_button):
            button.setEnabled(pending)
        self.remove_request_button.setEnabled(request is not None)

    def add_request(self) -> None:
        op = AddChangeRequest(self.project_id, "New change", date.today())
        if self.workspace.run(op):
            index = self.requests.index(self.requests.row_of(op.id), 2)
            self.requests_table.setCurrentIndex(index)
            self.requests_table.edit(index)

    def choose_tasks(self) -> None:
        request = self.current_request()
        if request is None:
            return
        chooser = TaskChooser(self._task_choices()[1:], request.task_ids, self)
        if chooser.exec() == QDialog.DialogCode.Accepted:
            chosen = chooser.chosen()
            if chosen != request.task_ids:
                self.workspace.run(
                    EditChangeRequest(request.id, task_ids=chosen, label="Change the tasks")
                )

    def decide(self, accept: bool) -> None:
        request = self.current_request()
        if request is not None:
            self.workspace.run(DecideChangeRequest(request.id, accept=accept))

    def _clear_error(self, _text: str) -> None:
        self.error.clear()

    def done(self, result: int) -> None:
        # The workspace outlives the dialog: stop listening before it goes.
        self.workspace.changed.disconnect(self._on_changed)
        self.workspace.failed.disconnect(self.error.setText)
        self.workspace.done.disconnect(self._clear_error)
        super().done(result)


class TaskChooser(QDialog):
    """Tick the tasks a change request's extra working days fall on."""

    def __init__(
        self, tasks: list[tuple[str, str]], chosen: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tasks the change falls on")
        self.model = QStandardItemModel(self)
        for task_id, name in tasks:
            item = QStandardItem(name)
            item.setData(task_id, ID_ROLE)
            item.setCheckable(True)
            item.setEditable(False)
            item.setCheckState(
                Qt.CheckState.Checked if task_id in chosen else Qt.CheckState.Unchecked
            )
            self.model.appendRow(item)
        view = QListView()
        view.setModel(self.model)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(view, 1)
        layout.addWidget(buttons)

    def chosen(self) -> list[str]:
        return [
            str(self.model.item(row).data(ID_ROLE))
            for row in range(self.model.rowCount())
            if self.model.item(row).checkState() == Qt.CheckState.Checked
        ]


def open_money_dialog(
    workspace: Workspace, project_id: str, parent: QWidget | None = None
) -> ProjectMoneyDialog:
    dialog = ProjectMoneyDialog(workspace, project_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
