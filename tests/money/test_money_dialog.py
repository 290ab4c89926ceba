"""A project manager records costs, sets the budget and handles a client's change request
from the plan; the plan's status line shows the burn."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QTableView
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import ChangeRequest, Contact, CostEntry, Interaction, Project
from db.operations import Create
from db.portfolio.budgets import agency_budgets
from db.project_money import AddCost, SetBudget
from db.scheduling.operations import SetProgress
from db.store import Store
from desktop.budget_text import money_line
from desktop.client_page.budget_rollup import AHEAD
from desktop.client_page.page import ClientPage
from desktop.gantt import GanttView
from desktop.gantt.money_dialog import ProjectMoneyDialog, TaskChooser
from desktop.workspace import Workspace
from tests.gantt.conftest import dates

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def type_in_editor(table: QTableView, text: str) -> None:
    editors = table.viewport().findChildren(QLineEdit)
    assert len(editors) == 1, "the new row's cell opens for typing"
    editor = editors[0]
    editor.selectAll()
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()


def open_dialog(view: GanttView) -> ProjectMoneyDialog:
    view.act_money.trigger()
    dialog = view.money
    assert isinstance(dialog, ProjectMoneyDialog) and dialog.isVisible()
    return dialog


def test_costs_and_budget_show_the_burn(
    view: GanttView, store: Store, project: str, qtbot: QtBot
) -> None:
    assert view.burn.text().startswith("No budget")
    dialog = open_dialog(view)
    dialog.budget.setText("10,000")
    dialog.budget.editingFinished.emit()
    assert store.get(Project, project).budget_cents == 10_000_00  # type: ignore[union-attr]
    dialog.add_cost_button.click()
    type_in_editor(dialog.costs_table, "2,500.50")
    cost = store.session.scalars(select(CostEntry)).one()
    assert cost.amount_cents == 2_500_50 and cost.spent_on == date.today()
    qtbot.waitUntil(lambda: "spent €2,500.50 (25%)" in view.burn.text())
    assert dialog.burn.text() == view.burn.text()
    row = dialog.costs.row_of(cost.id)
    assert not dialog.costs.setData(dialog.costs.index(row, 1), "lots")
    assert "Amount: 'lots' is not an amount" in dialog.error.text()
    assert dialog.costs.setData(dialog.costs.index(row, 3), "design")
    assert cost.task_id == "design"
    assert dialog.costs.index(row, 3).data() == "Design"
    for _ in range(3):  # the task, the amount, the new cost
        view.workspace.undo_stack.undo()
    assert store.session.scalars(select(CostEntry)).all() == []
    assert dialog.costs.rowCount() == 0
    dialog.close()


def test_accepting_a_change_request_slips_the_plan_and_tells_the_am(
    view: GanttView, store: Store, project: str
) -> None:
    client_id = store.get(Project, project).client_id  # type: ignore[union-attr]
    store.apply(Create(Contact, {"id": "eva", "client_id": client_id, "name": "Eva Marsh"}))
    before = dates(store, project)
    dialog = open_dialog(view)
    dialog.tabs.setCurrentIndex(1)
    dialog.add_request_button.click()
    type_in_editor(dialog.requests_table, "Add a configurator")
    request = store.session.scalars(select(ChangeRequest)).one()
    row = dialog.requests.row_of(request.id)
    assert dialog.requests.setData(dialog.requests.index(row, 1), "eva")
    assert dialog.requests.setData(dialog.requests.index(row, 3), 2)
    assert dialog.requests.setData(dialog.requests.index(row, 5), "1500")
    chooser = TaskChooser(dialog._task_choices()[1:], [], dialog)
    chooser.model.item(1).setCheckState(Qt.CheckState.Checked)  # Review
    assert chooser.chosen() == ["review"]
    from db.project_money import EditChangeRequest

    view.workspace.run(EditChangeRequest(request.id, task_ids=chooser.chosen()))
    assert dialog.requests.index(row, 4).data() == "Review"
    assert dialog.requests.index(row, 1).data() == "Eva Marsh"
    dialog.requests_table.setCurrentIndex(dialog.requests.index(row, 0))
    assert dialog.accept_button.isEnabled()
    steps = view.workspace.undo_stack.count()
    dialog.accept_button.click()
    assert view.workspace.undo_stack.count() == steps + 1  # one edit
    assert dialog.requests.index(row, 6).data() == "Accepted"
    assert not dialog.accept_button.isEnabled()
    after = dates(store, project)
    assert after["review"][1] > before["review"][1]
    assert after["build"][0] == date(2026, 3, 10)  # two working days after Fri 6 Mar
    assert store.get(Project, project).budget_cents == 1_500_00  # type: ignore[union-attr]
    note = store.session.scalars(select(Interaction)).one()
    assert note.client_id == client_id and "Add a configurator" in note.summary
    view.workspace.undo_stack.undo()
    assert dates(store, project) == before
    assert dialog.requests.index(row, 6).data() == "Pending"
    dialog.close()


def test_the_clients_money_tab_shows_each_projects_burn(
    view: GanttView, workspace: Workspace, project: str, qtbot: QtBot
) -> None:
    """The account manager sees what the project manager sees: spent against budget and
    against the work done, on the client's Money tab, following edits in the plan, with the
    figures the portfolio shows."""
    client_id = workspace.store.get(Project, project).client_id  # type: ignore[union-attr]
    page = ClientPage(workspace, client_id)
    qtbot.addWidget(page)
    page.show_section(page.money)
    page.money.ensure_loaded()
    rollup = page.money.budgets
    model = rollup.model

    def cells() -> list[str]:
        return [model.index(0, c).data() for c in range(model.columnCount())]

    assert model.rowCount() == 1
    assert cells() == ["Relaunch", "\N{EN DASH}", "€0", "€0", "\N{EN DASH}", "0 %"]
    assert rollup.total.text() == "No budget · planned €0 · spent €0 across 1 open project"
    workspace.run(SetBudget(project, 1_000_00))
    workspace.run(AddCost(project, date.today(), 600_00, "Photos"))
    workspace.run(SetProgress("design", 100))  # 3 of 14 working days done
    page.money.ensure_loaded()
    assert cells() == ["Relaunch", "€1,000", "€0", "€600", "60% ⚠", "21 %"]
    assert model.index(0, 4).data(Qt.ItemDataRole.ToolTipRole) == AHEAD
    figures = agency_budgets(workspace.session).clients[client_id]  # the portfolio's
    assert rollup.total.text() == f"{money_line(figures)} across 1 open project"
    assert rollup.total.text().startswith(
        "Budget €1,000 · planned €0 · spent €600 (60%, 21 % done)"
    )
    assert rollup.left.text() == "€400 left after the planned work"
