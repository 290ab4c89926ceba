"""Projects: the client's projects with status, dates, slip against the due date and the
project manager; each opens in the project view; "New project from request" hands work on."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from db.am.client_detail import ProjectRow, project_managers, projects
from db.am.client_picks import account_manager_of
from db.labels import plural
from desktop.client_page.context import PageContext, buttons_over, list_table, stretch
from desktop.client_page.dialogs import NewProjectDialog
from desktop.client_page.rows_model import Column, RowsModel
from desktop.client_page.section import Section
from desktop.formatting import day, label, money
from desktop.models.roles import ID_ROLE


def _slip(p: ProjectRow) -> str:
    if p.late_days:
        return f"{plural(p.late_days, 'working day')} late"
    return "on time" if p.due_date else ""


def _start(p: ProjectRow) -> date | None:
    """The schedule's start; a project without tasks has only its own start date."""
    return p.planned_start or p.start_date


def _spent(p: ProjectRow) -> str:
    if not p.budget_cents:
        return money(p.spent_cents) if p.spent_cents else ""
    percent = p.spent_cents * 100 // p.budget_cents
    return f"{money(p.spent_cents)} of {money(p.budget_cents)} ({percent}%)"


COLUMNS = (
    Column("Project", lambda p: p.name),
    Column("Status", lambda p: label(p.status)),
    Column("Start", lambda p: day(_start(p)), sort=_start),
    Column("Finish", lambda p: day(p.planned_finish), sort=lambda p: p.planned_finish),
    Column("Due", lambda p: day(p.due_date), sort=lambda p: p.due_date),
    Column("Slip", _slip, sort=lambda p: p.late_days),
    Column("Project manager", lambda p: p.project_manager),
    Column("Spent", _spent),
)


class ProjectsSection(Section):
    """Signals:
    project_activated(str): a project was double-clicked, for the project view to open.
    """

    title = "Projects"
    # Dates come from the schedule, which links, assignments, leave and the calendar move too.
    entities = (
        "Project",
        "Task",
        "CostEntry",
        "TeamMember",
        "Dependency",
        "Assignment",
        "TimeOff",
        "Closure",
        "AgencySetting",
    )
    project_activated = Signal(str)

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.model = RowsModel(COLUMNS)
        self.table = list_table(empty="No projects yet. Hand a request over as a new project")
        self.table.setModel(self.model)
        stretch(self.table, 0)
        self.table.doubleClicked.connect(self._activated)
        self.new_button = QPushButton("&New project from request…")
        self.new_button.clicked.connect(self.open_new_dialog)
        self.dialog: NewProjectDialog | None = None
        buttons_over(self, self.table, self.new_button)

    def refresh(self) -> None:
        self.model.set_rows(
            projects(self.context.session, self.context.client_id, self.context.today())
        )

    def open_new_dialog(self) -> NewProjectDialog:
        session = self.context.session
        am = account_manager_of(session, self.context.client_id)
        self.dialog = NewProjectDialog(
            self.context.client_id, project_managers(session), self.window(), account_manager_id=am
        )
        self.dialog.accepted.connect(lambda: self.context.run(self.dialog.operation()))
        self.dialog.open()
        return self.dialog

    def _activated(self, index: QModelIndex) -> None:
        self.project_activated.emit(index.data(ID_ROLE))
