"""Money: annual budget, revenue (won opportunities and project budgets), spend to date from
the projects' cost entries, and the opportunity pipeline by stage."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db.am.client_detail import opportunities
from db.am.money import client_money
from db.models import Opportunity, OpportunityStage
from db.operations import Create, Update
from db.validation import check_field
from desktop.client_page.context import PageContext, list_table, stretch
from desktop.client_page.fields import error_label
from desktop.client_page.formatting import day, label, money
from desktop.client_page.rows_model import Column, RowsModel
from desktop.client_page.section import Section
from desktop.views.text_limits import cap_field


class MoneySection(Section):
    title = "Money"
    entities = ("Client", "Opportunity", "Project", "CostEntry")

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
        ):
            self.figures[key] = QLabel()
            self.figures[key].setObjectName(f"money_{key}")
            form.addRow(title, self.figures[key])
        self.stages = QLabel()
        self.stages.setObjectName("money_stages")
        form.addRow("By stage", self.stages)

        columns = (
            Column("Opportunity", lambda o: o.title),
            Column("Stage", lambda o: label(o.stage)),
            Column(
                "Value",
                lambda o: money(o.value_cents, self.currency),
                sort=lambda o: o.value_cents,
                right=True,
            ),
            Column("Expected close", lambda o: day(o.expected_close)),
        )
        self.model = RowsModel(
            columns, quiet=lambda o: o.stage in (OpportunityStage.WON, OpportunityStage.LOST)
        )
        self.table = list_table()
        self.table.setModel(self.model)
        stretch(self.table, 0)
        self.stage_picker = QComboBox()
        for stage in OpportunityStage:
            self.stage_picker.addItem(f"Move to {label(stage).lower()}", stage)
        self.move_button = QPushButton("Move")
        self.move_button.clicked.connect(self.move_selected)
        self.new_title = cap_field(QLineEdit(), "Opportunity", "title")
        self.new_title.setPlaceholderText("New opportunity…")
        self.new_value = QSpinBox()
        self.new_value.setRange(0, 100_000_000)
        self.new_value.setSingleStep(500)
        self.new_value.setPrefix("value ")
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(self.add)
        self.error = error_label()
        adder = QHBoxLayout()
        adder.addWidget(self.new_title, 1)
        adder.addWidget(self.new_value)
        adder.addWidget(self.add_button)
        adder.addSpacing(16)
        adder.addWidget(self.stage_picker)
        adder.addWidget(self.move_button)
        pipeline = QGroupBox("Pipeline")
        pipeline_layout = QVBoxLayout(pipeline)
        pipeline_layout.addWidget(self.table, 1)
        pipeline_layout.addLayout(adder)
        pipeline_layout.addWidget(self.error)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(summary)
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
        self.stages.setText(
            "  →  ".join(
                f"{label(stage)} {figures.pipeline[stage].count} · "
                f"{money(figures.pipeline[stage].value_cents, c)}"
                for stage in OpportunityStage
                if stage in figures.pipeline
            )
            or "No opportunities yet"
        )
        self.model.set_rows(opportunities(session, client_id))

    def add(self) -> None:
        title = self.new_title.text().strip()
        message = check_field("Opportunity", "title", title)
        if message:
            self.error.setText(f"Opportunity title {message}")
            self.error.show()
            return
        self.error.hide()
        values = {
            "client_id": self.context.client_id,
            "title": title,
            "value_cents": self.new_value.value() * 100,
        }
        if self.context.run(Create(Opportunity, values, label=f"New opportunity {title!r}")):
            self.new_title.clear()
            self.new_value.setValue(0)

    def move_selected(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        row = self.model.rows[index.row()]
        stage = OpportunityStage(self.stage_picker.currentData())
        if stage != row.stage:
            self.context.run(
                Update(Opportunity, row.id, {"stage": stage}, label=f"Move to {stage.value}")
            )
