"""Surprise and delight: occasions coming up for this client (contacts' important dates,
client-since anniversaries, project completions) with their gift state, the gifts given or
planned, and the yearly gift budget. A gift has a recipient (a contact or the whole client)
and may be linked to one of the contact's important dates, whose occasion then shows the
gift's state. Return opens a gift (or plans one for an occasion), F2 renames, Delete deletes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.am.client_detail import GiftRow, contacts, gifts
from db.am.client_picks import contacts_by_name
from db.am.gifts import add_gift, edit_gift, mark_given
from db.am.occasions import Occasion, gift_budget_use, upcoming_occasions
from db.models import Gift, GiftState
from db.operations import Operation
from db.validation import max_length
from desktop.client_page.context import PageContext, list_table, stretch
from desktop.client_page.dialogs import qdate
from desktop.client_page.fields import error_label
from desktop.client_page.money_edit import MoneyEdit
from desktop.client_page.record_actions import RecordActions
from desktop.client_page.record_dialogs import GiftDialog
from desktop.client_page.rows_model import Column, RowsModel
from desktop.client_page.section import Section
from desktop.formatting import day, label, money
from desktop.views.text_limits import cap_field

HORIZON_DAYS = 90


@dataclass(frozen=True)
class OccasionRow:
    id: str
    occasion: Occasion


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
        self.occasions_table = occasions_table = list_table(
            empty="No birthdays, anniversaries or project launches in the next 90 days"
        )
        occasions_table.setModel(self.occasions)
        stretch(occasions_table, 1)
        occasions_table.setToolTip("Return or double-click: plan a gift for the occasion")
        self.occasion_actions = RecordActions(
            occasions_table,
            self.occasions,
            context.workspace,
            what="occasion",
            name=lambda r: r.occasion.title,
            open_record=self.plan_gift,
        )
        gift_columns = (
            Column(
                "Given", lambda g: "", check=lambda g: g.state == GiftState.GIVEN, edit=self._given
            ),
            Column(
                "Gift",
                lambda g: g.description,
                edit=lambda g, v: self._edit(g, {"description": str(v).strip()}),
                max_length=max_length("Gift", "description"),
            ),
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
        self.gifts_table = gifts_table = list_table(
            empty="No gifts yet. Type an idea below, or open an occasion to plan one"
        )
        gifts_table.setModel(self.gifts)
        stretch(gifts_table, 1)
        self.record_actions = RecordActions(
            gifts_table,
            self.gifts,
            context.workspace,
            what="gift",
            name=lambda g: g.description,
            open_record=self.open_gift,
            rename_column=1,
            entity=Gift,
        )
        self.dialog: GiftDialog | None = None
        self.idea = cap_field(QLineEdit(), "Gift", "description")
        self.idea.setPlaceholderText("Gift idea…")
        self.occasion = cap_field(QLineEdit(), "Gift", "occasion")
        self.occasion.setPlaceholderText("occasion")
        self.cost = MoneyEdit()
        self.cost.setPlaceholderText("cost")
        self.cost.setMaximumWidth(self.fontMetrics().averageCharWidth() * 14)
        self.cost.returnPressed.connect(self.add)
        self.add_button = QPushButton("Add idea")
        self.add_button.clicked.connect(self.add)
        self.idea.returnPressed.connect(self.add)
        self.more_button = QPushButton("New gift…")
        self.more_button.clicked.connect(lambda: self._dialog(None))
        self.error = error_label()
        adder = QHBoxLayout()
        adder.addWidget(self.idea, 2)
        adder.addWidget(self.occasion, 1)
        adder.addWidget(self.cost)
        adder.addWidget(self.add_button)
        adder.addWidget(self.more_button)

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
            [
                OccasionRow(f"{o.kind}:{o.date_id or o.label}:{o.contact_id}:{o.when}", o)
                for o in found
            ]
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
        message = self.cost.problem("Gift cost")
        if message:
            self._show_refusal(message)
            return
        values = {
            "description": self.idea.text(),
            "occasion": self.occasion.text().strip(),
            "cost_cents": self.cost.cents("Gift cost"),
            "state": GiftState.IDEA,
        }
        session, today = self.context.session, self.context.today()
        message = self.context.submit(add_gift(session, self.context.client_id, values, today))
        if message:  # the gift's rules (db.am.gifts) said no: typing stays for a fix
            self._show_refusal(message)
            return
        self.error.hide()
        self.idea.clear()
        self.occasion.clear()
        self.cost.clear()

    def _show_refusal(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    # -- one gift --------------------------------------------------------------------------

    def _edit(self, gift: GiftRow, values: dict[str, Any]) -> Operation:
        return edit_gift(self.context.session, gift.id, values, self.context.today())

    def _given(self, gift: GiftRow, given: Any) -> Operation:
        return mark_given(self.context.session, gift.id, bool(given), self.context.today())

    def _dates(self) -> dict[str, list[tuple[str, str, str]]]:
        """Each contact's important dates: (id, label, "Birthday 26 Jun")."""
        found: dict[str, list[tuple[str, str, str]]] = {}
        for c in contacts(self.context.session, self.context.client_id, self.context.today()):
            found[c.id] = [(d.id, d.label, d.text) for d in c.dates]
        return found

    def _dialog(self, gift: GiftRow | None) -> GiftDialog:
        people = contacts_by_name(self.context.session, self.context.client_id)
        self.dialog = GiftDialog(
            self.context, people, self._dates(), self, gift=gift, submit=self.context.submit
        )
        self.dialog.open()
        return self.dialog

    def open_gift(self, gift: GiftRow) -> GiftDialog:
        return self._dialog(gift)

    def plan_gift(self, row: OccasionRow) -> GiftDialog:
        """A new gift for this occasion: its contact, its date (or its name) filled in."""
        dialog = self._dialog(None)
        o = row.occasion
        dialog.recipient.setCurrentIndex(max(dialog.recipient.findData(o.contact_id), 0))
        if o.date_id is not None:
            dialog.occasion.setCurrentIndex(max(dialog.occasion.findData(o.date_id), 0))
        else:
            dialog.occasion.setEditText(o.title.split(": ", 1)[-1])
        dialog.when.check.setChecked(True)
        dialog.when.edit.setDate(qdate(o.when))
        return dialog
