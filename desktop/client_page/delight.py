"""Surprise and delight: occasions coming up for this client (contacts' important dates,
client-since anniversaries, project completions) with their gift state, the gifts given or
planned, and the yearly gift budget."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db.am.client_detail import GiftRow, gifts
from db.am.occasions import Occasion, gift_budget_use, upcoming_occasions
from db.models import Gift, GiftState
from db.operations import Create, Operation, Update
from db.validation import check_field
from desktop.client_page.context import PageContext, list_table, stretch
from desktop.client_page.fields import error_label
from desktop.client_page.formatting import day, label, money
from desktop.client_page.rows_model import Column, RowsModel
from desktop.client_page.section import Section
from desktop.views.text_limits import cap_field

HORIZON_DAYS = 90


@dataclass(frozen=True)
class OccasionRow:
    id: str
    occasion: Occasion


def _given(row: GiftRow, given: Any) -> Operation:
    values: dict[str, Any] = {"state": GiftState.GIVEN if given else GiftState.BOUGHT}
    if given and row.gift_date is None:
        values["gift_date"] = date.today()
    return Update(Gift, row.id, values, label="Gift given" if given else "Gift not given")


class DelightSection(Section):
    title = "Surprise && delight"
    entities = ("Gift", "Contact", "ImportantDate", "Client", "Project")

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.currency = "EUR"
        self.budget = QLabel()
        self.budget.setObjectName("gift_budget")
        occasion_columns = (
            Column("When", lambda r: day(r.occasion.when), sort=lambda r: r.occasion.when),
            Column("Occasion", lambda r: r.occasion.title),
            Column(
                "Gift",
                lambda r: label(r.occasion.gift_state) if r.occasion.gift_state else "none yet",
            ),
        )
        self.occasions = RowsModel(occasion_columns)
        occasions_table = list_table()
        occasions_table.setModel(self.occasions)
        stretch(occasions_table, 1)
        gift_columns = (
            Column("Given", lambda g: "", check=lambda g: g.state == GiftState.GIVEN, edit=_given),
            Column("Gift", lambda g: g.description),
            Column("For", lambda g: g.contact),
            Column("Occasion", lambda g: g.occasion),
            Column("State", lambda g: label(g.state)),
            Column(
                "Cost",
                lambda g: money(g.cost_cents, self.currency),
                sort=lambda g: g.cost_cents,
                right=True,
            ),
            Column("Date", lambda g: day(g.gift_date)),
        )
        self.gifts = RowsModel(gift_columns, context.run)
        gifts_table = list_table()
        gifts_table.setModel(self.gifts)
        stretch(gifts_table, 1)
        self.idea = cap_field(QLineEdit(), "Gift", "description")
        self.idea.setPlaceholderText("Gift idea…")
        self.occasion = cap_field(QLineEdit(), "Gift", "occasion")
        self.occasion.setPlaceholderText("occasion")
        self.cost = QSpinBox()
        self.cost.setRange(0, 1_000_000)
        self.cost.setPrefix("cost ")
        self.add_button = QPushButton("Add idea")
        self.add_button.clicked.connect(self.add)
        self.error = error_label()
        adder = QHBoxLayout()
        adder.addWidget(self.idea, 2)
        adder.addWidget(self.occasion, 1)
        adder.addWidget(self.cost)
        adder.addWidget(self.add_button)

        upcoming = QGroupBox(f"Coming up in the next {HORIZON_DAYS} days")
        QVBoxLayout(upcoming).addWidget(occasions_table)
        given = QGroupBox("Gifts")
        given_layout = QVBoxLayout(given)
        given_layout.addWidget(self.budget)
        given_layout.addWidget(gifts_table, 1)
        given_layout.addLayout(adder)
        given_layout.addWidget(self.error)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(upcoming, 1)
        layout.addWidget(given, 1)

    def refresh(self) -> None:
        session, client_id, today = (
            self.context.session,
            self.context.client_id,
            self.context.today(),
        )
        found = upcoming_occasions(session, today, HORIZON_DAYS, client_id)
        self.occasions.set_rows(
            [OccasionRow(f"{o.kind}:{o.label}:{o.contact_id}:{o.when}", o) for o in found]
        )
        rows = gifts(session, client_id)
        self.gifts.set_rows(rows)
        use = gift_budget_use(session, client_id, today.year)
        if use.budget_cents:
            self.budget.setText(
                f"Gift budget {today.year}: {money(use.spent_cents)} of {money(use.budget_cents)}"
                f" spent, {money(use.left_cents)} left"
                + (f" · {money(use.planned_cents)} in ideas" if use.planned_cents else "")
            )
        else:
            self.budget.setText(
                f"No gift budget set · {money(use.spent_cents)} spent in {today.year}"
            )

    def add(self) -> None:
        idea = self.idea.text().strip()
        message = check_field("Gift", "cost_cents", self.cost.value() * 100)
        if not idea or message:
            self.error.setText((message and f"Gift cost {message}") or "Describe the gift idea")
            self.error.show()
            return
        self.error.hide()
        values = {
            "client_id": self.context.client_id,
            "description": idea,
            "occasion": self.occasion.text().strip(),
            "cost_cents": self.cost.value() * 100,
            "state": GiftState.IDEA,
        }
        if self.context.run(Create(Gift, values, label="New gift idea")):
            self.idea.clear()
            self.occasion.clear()
            self.cost.setValue(0)
