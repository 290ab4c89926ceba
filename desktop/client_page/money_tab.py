"""Money: annual budget, revenue (won opportunities and project budgets), spend to date from
the projects' cost entries, and the opportunity pipeline by stage, plain and weighted by each
opportunity's chance of winning. Under them, the budgets of the client's open projects rolled
up against planned cost and spending, as the portfolio counts them (`BudgetRollup`).

Return opens an opportunity with every field (stage, value, currency, probability, expected
close), F2 renames it, Delete deletes it. The Board view groups opportunities by stage;
dragging a card to another stage is one undoable edit."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db.am.client_detail import OpportunityRow, opportunities
from db.am.money import client_money, probability_of
from db.am.operations import delete_record, edit_record
from db.labels import quoted
from db.models import Opportunity, OpportunityStage
from db.operations import Create, Update
from db.portfolio.budgets import client_budget
from db.validation import check_field, max_length
from desktop.client_page.budget_rollup import BudgetRollup
from desktop.client_page.context import PageContext, list_table, stretch
from desktop.client_page.fields import error_label
from desktop.client_page.money_edit import MoneyEdit
from desktop.client_page.opportunity_board import OpportunityBoard
from desktop.client_page.record_actions import RecordActions
from desktop.client_page.record_dialogs import OpportunityDialog
from desktop.client_page.rows_model import Column, RowsModel
from desktop.client_page.section import Section
from desktop.formatting import day, label, money
from desktop.views.text_limits import cap_field


def _named(what: str, message: str | None) -> str | None:
    return f"{what} {message}" if message else None


class MoneySection(Section):
    title = "Money"
    # Task: % done and dates; the rest: planned cost (hours, day rates, working days).
    entities = (
        "Client",
        "Opportunity",
        "Project",
        "CostEntry",
        "Task",
        "Assignment",
        "TeamMember",
        "TimeOff",
        "Closure",
        "AgencySetting",
    )

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.currency = "EUR"
        self.figures: dict[str, QLabel] = {}
        summary = QGroupBox("This client")
        form = QFormLayout(summary)
        for key, title in (
            ("budget", "Annual budget"),
            ("revenue", "Revenue"),
            ("spend", "Spend to date"),
            ("pipeline", "Open pipeline"),
            ("weighted", "Weighted pipeline"),
        ):
            self.figures[key] = QLabel()
            self.figures[key].setObjectName(f"money_{key}")
            form.addRow(title, self.figures[key])
        self.stages = QLabel()
        self.stages.setObjectName("money_stages")
        form.addRow("By stage", self.stages)
        self.budgets = BudgetRollup()
        budgets = QGroupBox("Projects' budgets")
        budgets.setToolTip(
            "The open projects' budgets against planned cost (hours assigned times day rates) "
            "and spending, with the work done: the figures the portfolio shows"
        )
        QVBoxLayout(budgets).addWidget(self.budgets)

        columns = (
            Column(
                "Opportunity",
                lambda o: o.title,
                edit=lambda o, v: edit_record(
                    Opportunity, o.id, {"title": str(v).strip()}, "opportunity", o.title
                ),
                max_length=max_length("Opportunity", "title"),
            ),
            Column("Stage", lambda o: label(o.stage)),
            Column(
                "Value",
                lambda o: money(o.value_cents, o.currency or self.currency),
                sort=lambda o: o.value_cents,
                right=True,
            ),
            Column(
                "Chance",
                lambda o: f"{probability_of(o.stage, o.probability)} %",
                sort=lambda o: probability_of(o.stage, o.probability),
                right=True,
                tooltip=lambda o: "The stage's usual chance" if o.probability is None else "",
            ),
            Column("Expected close", lambda o: day(o.expected_close)),
        )
        self.model = RowsModel(
            columns,
            context.run,
            quiet=lambda o: o.stage in (OpportunityStage.WON, OpportunityStage.LOST),
        )
        self.table = list_table(empty="No opportunities yet. Add one below")
        self.table.setModel(self.model)
        stretch(self.table, 0)
        self.record_actions = RecordActions(
            self.table,
            self.model,
            context.workspace,
            what="opportunity",
            name=lambda o: o.title,
            open_record=self.open_opportunity,
            rename_column=0,
            entity=Opportunity,
            plural="opportunities",
        )
        self.dialog: OpportunityDialog | None = None
        self.stage_picker = QComboBox()
        for stage in OpportunityStage:
            self.stage_picker.addItem(f"Move to {label(stage).lower()}", stage)
        self.move_button = QPushButton("Move")
        self.move_button.clicked.connect(self.move_selected)
        self.new_title = cap_field(QLineEdit(), "Opportunity", "title")
        self.new_title.setPlaceholderText("New opportunity…")
        self.new_title.setPlaceholderText("New opportunity…  (Enter)")
        self.new_title.returnPressed.connect(self.add)
        self.new_value = MoneyEdit()
        self.new_value.setPlaceholderText("value")
        self.new_value.setMaximumWidth(self.fontMetrics().averageCharWidth() * 16)
        self.new_value.returnPressed.connect(self.add)
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(self.add)
        self.more_button = QPushButton("New with details…")
        self.more_button.clicked.connect(self.open_new_dialog)
        self.error = error_label()
        adder = QHBoxLayout()
        adder.addWidget(self.new_title, 1)
        adder.addWidget(self.new_value)
        adder.addWidget(self.add_button)
        adder.addWidget(self.more_button)
        adder.addSpacing(16)
        adder.addWidget(self.stage_picker)
        adder.addWidget(self.move_button)
        self.board = OpportunityBoard()
        self.board.moved.connect(self.move_to)
        self.board.opened.connect(lambda id_: self._open_id(id_))
        self.board.delete_requested.connect(self._delete_id)
        self.views = QStackedWidget()
        self.views.addWidget(self.table)
        self.views.addWidget(self.board)
        self.list_button = QPushButton("List")
        self.board_button = QPushButton("Board")
        switch = QButtonGroup(self)
        for i, button in enumerate((self.list_button, self.board_button)):
            button.setCheckable(True)
            switch.addButton(button, i)
        self.list_button.setChecked(True)
        switch.idClicked.connect(self.views.setCurrentIndex)
        switcher = QHBoxLayout()
        switcher.addStretch(1)
        switcher.addWidget(self.list_button)
        switcher.addWidget(self.board_button)
        pipeline = QGroupBox("Pipeline")
        pipeline_layout = QVBoxLayout(pipeline)
        pipeline_layout.addLayout(switcher)
        pipeline_layout.addWidget(self.views, 1)
        pipeline_layout.addLayout(adder)
        pipeline_layout.addWidget(self.error)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(summary)
        layout.addWidget(budgets)
        layout.addWidget(pipeline, 1)

    def refresh(self) -> None:
        session, client_id = self.context.session, self.context.client_id
        figures = client_money(session, client_id, self.context.today())
        self.currency = c = figures.currency
        self.figures["budget"].setText(money(figures.annual_budget_cents, c))
        used = figures.budget_used_percent
        self.figures["revenue"].setText(
            f"{money(figures.revenue_cents, c)}  "
            f"(won {money(figures.won_cents, c)} + projects "
            f"{money(figures.project_budgets_cents, c)})"
            + (f" · {used}% of budget" if used is not None else "")
        )
        self.figures["spend"].setText(money(figures.spend_cents, c))
        self.figures["pipeline"].setText(money(figures.open_pipeline_cents, c))
        self.figures["weighted"].setText(
            f"{money(figures.weighted_pipeline_cents, c)}  (each open opportunity at its chance)"
        )
        self.stages.setText(
            "  →  ".join(
                f"{label(stage)} {figures.pipeline[stage].count} · "
                f"{money(figures.pipeline[stage].value_cents, c)}"
                for stage in OpportunityStage
                if stage in figures.pipeline
            )
            or "No opportunities yet"
        )
        self.budgets.set_budget(
            client_budget(
                session,
                client_id,
                today=self.context.today(),
                schedules=self.context.workspace.store.schedules,
            )
        )
        rows = opportunities(session, client_id)
        self.model.set_rows(rows)
        self.board.set_rows(rows, c)

    def add(self) -> None:
        title = self.new_title.text().strip()
        message = _named("Opportunity title", check_field("Opportunity", "title", title))
        message = message or self.new_value.problem("Opportunity value")
        if message:
            self.error.setText(message)
            self.error.show()
            return
        self.error.hide()
        values = {
            "client_id": self.context.client_id,
            "title": title,
            "value_cents": self.new_value.cents("Opportunity value"),
        }
        if self.context.run(Create(Opportunity, values, label=f"New opportunity {quoted(title)}")):
            self.new_title.clear()
            self.new_value.clear()

    def _dialog(self, record: OpportunityRow | None) -> OpportunityDialog:
        self.dialog = OpportunityDialog(
            self.context.client_id,
            self.currency,
            self.context.today(),
            self,
            opportunity=record,
            submit=self.context.submit,
        )
        self.dialog.open()
        return self.dialog

    def open_new_dialog(self) -> OpportunityDialog:
        return self._dialog(None)

    def open_opportunity(self, record: OpportunityRow) -> OpportunityDialog:
        return self._dialog(record)

    def show_board(self) -> None:
        self.board_button.click()

    def move_to(self, opportunity_id: str, stage: OpportunityStage) -> bool:
        """A card dropped on another stage's column: one undoable edit."""
        row = self.model.row_of(opportunity_id)
        if row < 0:
            return False
        title = self.model.rows[row].title
        return self.context.run(
            Update(
                Opportunity,
                opportunity_id,
                {"stage": stage},
                label=f"Move {quoted(title)} to {label(stage).lower()}",
            )
        )

    def _open_id(self, opportunity_id: str) -> None:
        row = self.model.row_of(opportunity_id)
        if row >= 0:
            self.open_opportunity(self.model.rows[row])

    def _delete_id(self, opportunity_id: str) -> None:
        row = self.model.row_of(opportunity_id)
        if row >= 0:
            title = self.model.rows[row].title
            self.context.run(delete_record(Opportunity, opportunity_id, "opportunity", title))

    def move_selected(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        row = self.model.rows[index.row()]
        stage = OpportunityStage(self.stage_picker.currentData())
        if stage != row.stage:
            self.context.run(
                Update(
                    Opportunity,
                    row.id,
                    {"stage": stage},
                    label=f"Move {quoted(row.title)} to {label(stage).lower()}",
                )
            )
