"""Dialogs that open one record of a client page to edit it (or create it with every field):
follow-ups, opportunities, gifts, satisfaction ratings and the client's own details.

Each checks its fields as they are typed (`db.validation` rules, messages at the field),
hands back one `db` operation (one undo step) and, with `submit`, stays open with the typing
intact when the database refuses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)
from sqlalchemy.orm import Session

from db.am.client_detail import FollowUpRow, GiftRow, OpportunityRow, RatingRow
from db.am.gifts import NO_DESCRIPTION, add_gift, edit_gift
from db.am.money import STAGE_PROBABILITY
from db.am.operations import FollowUpDraft, add_follow_up, edit_record
from db.am.tags import tags_from_text, tags_text
from db.am.when import parse_when
from db.errors import ValidationError
from db.labels import quoted
from db.models import (
    Client,
    ClientStatus,
    CustomFieldTarget,
    FollowUp,
    GiftState,
    Opportunity,
    OpportunityStage,
    SatisfactionRating,
)
from db.operations import Create, Operation, composite
from db.validation import check_field
from desktop.client_page.dialogs import FormDialog, Submit, date_edit, py_date, qdate
from desktop.client_page.money_edit import MoneyEdit
from desktop.custom_fields.editors import CustomFieldRows
from desktop.formatting import day, label
from desktop.views.text_limits import cap_field

Choices = Sequence[tuple[str, str]]  # (id, name)


def _named(what: str, message: str | None) -> str | None:
    return f"{what} {message}" if message else None


def _choice_combo(choices: Choices, current: str | None, nobody: str) -> QComboBox:
    combo = QComboBox()
    combo.addItem(nobody, None)
    for id_, name in choices:
        combo.addItem(name, id_)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    return combo


class OptionalDate(QWidget):
    """A check box and a date: a date that may also be "none"."""

    def __init__(self, text: str, value: date | None, default: date) -> None:
        super().__init__()
        self.check = QCheckBox(text)
        self.edit = date_edit(value or default)
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.check.toggled.connect(self.edit.setEnabled)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.check)
        row.addWidget(self.edit, 1)

    def value(self) -> date | None:
        return py_date(self.edit) if self.check.isChecked() else None


class FollowUpDialog(FormDialog):
    """A follow-up's title, due date (pick it, or type "+3d", "next mon"), owner, the project
    it is about, and notes."""

    def __init__(
        self,
        client_id: str,
        today: date,
        members: Choices,
        projects: Choices,
        parent: QWidget | None = None,
        *,
        follow_up: FollowUpRow | None = None,
        owner_id: str | None = None,
        submit: Submit | None = None,
    ) -> None:
        title = "Follow-up" if follow_up else "New follow-up"
        super().__init__(title, parent, submit=submit)
        self.client_id, self.today, self.record = client_id, today, follow_up
        self.title_edit = cap_field(
            QLineEdit(follow_up.title if follow_up else ""), "FollowUp", "title"
        )
        self.due = date_edit(follow_up.due_date if follow_up else today)
        self.quick_due = QLineEdit()
        self.quick_due.setPlaceholderText("or type +3d, +2w, tomorrow, next mon")
        due_row = QWidget()
        due_layout = QHBoxLayout(due_row)
        due_layout.setContentsMargins(0, 0, 0, 0)
        due_layout.addWidget(self.due)
        due_layout.addWidget(self.quick_due, 1)
        self.owner = _choice_combo(members, follow_up.owner_id if follow_up else owner_id, "Nobody")
        self.project = _choice_combo(
            projects, follow_up.project_id if follow_up else None, "No project"
        )
        self.notes = QPlainTextEdit(follow_up.notes if follow_up else "")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(80)
        self.errors.add_row("&Title", self.title_edit, "title", self._check_title)
        self.errors.add_row("&Due", due_row, "due", self._check_due)
        self.errors.add_row("&Owner", self.owner, "owner")
        self.errors.add_row("&Project", self.project, "project")
        self.errors.add_row("&Notes", self.notes, "notes", self._check_notes)
        self.shared = QCheckBox("&Share with client")
        self.shared.setToolTip("Shown to the client in their summary and meeting agenda")
        self.shared.setChecked(bool(follow_up and follow_up.shared))
        self.errors.add_row("", self.shared, "shared")
        self.title_edit.textChanged.connect(lambda _t: self.errors.check("title"))
        self.quick_due.textChanged.connect(lambda _t: self.errors.check("due"))
        self.quick_due.editingFinished.connect(self._apply_quick_due)
        self.notes.textChanged.connect(lambda: self.errors.check("notes"))
        self.ok_button().setEnabled(bool(self.title_edit.text().strip()))
        self.resize(480, 0)

    def _check_title(self) -> str | None:
        return _named("Title", check_field("FollowUp", "title", self.title_edit.text().strip()))

    def _check_due(self) -> str | None:
        if not self.quick_due.text().strip():
            return None
        try:
            parse_when(self.quick_due.text(), self.today)
        except ValidationError as exc:
            return str(exc)
        return None

    def _check_notes(self) -> str | None:
        return _named("Notes", check_field("FollowUp", "notes", self.notes.toPlainText().strip()))

    def _apply_quick_due(self) -> None:
        if self.quick_due.text().strip() and self._check_due() is None:
            self.due.setDate(qdate(parse_when(self.quick_due.text(), self.today)))
            self.quick_due.clear()

    def due_date(self) -> date:
        text = self.quick_due.text().strip()
        return parse_when(text, self.today) if text else py_date(self.due)

    def operation(self) -> Operation:
        title = self.title_edit.text().strip()
        values = {
            "title": title,
            "due_date": self.due_date(),
            "owner_id": self.owner.currentData(),
            "project_id": self.project.currentData(),
            "notes": self.notes.toPlainText().strip(),
            "share_with_client": self.shared.isChecked(),
        }
        if self.record is None:
            draft = FollowUpDraft(
                title,
                values["due_date"],
                values["owner_id"],
                values["notes"],
                share_with_client=values["share_with_client"],
            )
            op = add_follow_up(self.client_id, draft)
            op.values["project_id"] = values["project_id"]
            return op
        return edit_record(FollowUp, self.record.id, values, "follow-up", title)


class OpportunityDialog(FormDialog):
    """An opportunity's title, stage, value and currency, chance of winning and expected
    close."""

    def __init__(
        self,
        client_id: str,
        client_currency: str,
        today: date,
        parent: QWidget | None = None,
        *,
        opportunity: OpportunityRow | None = None,
        submit: Submit | None = None,
    ) -> None:
        super().__init__("Opportunity" if opportunity else "New opportunity", parent, submit=submit)
        o = opportunity
        self.client_id, self.record = client_id, o
        self.title_edit = cap_field(QLineEdit(o.title if o else ""), "Opportunity", "title")
        self.stage = QComboBox()
        for stage in OpportunityStage:
            self.stage.addItem(label(stage), stage)
        self.stage.setCurrentIndex(max(self.stage.findData(o.stage if o else None), 0))
        self.value = MoneyEdit(o.value_cents if o else 0)
        self.value.setPlaceholderText("0")
        self.currency = QLineEdit(o.currency or "" if o else "")
        self.currency.setPlaceholderText(client_currency)
        self.currency.setMaxLength(3)
        self.currency.setMaximumWidth(self.fontMetrics().averageCharWidth() * 9)
        value_row = QWidget()
        value_layout = QHBoxLayout(value_row)
        value_layout.setContentsMargins(0, 0, 0, 0)
        value_layout.addWidget(self.value, 1)
        value_layout.addWidget(self.currency)
        self.probability = QSpinBox()
        self.probability.setRange(-1, 100)
        self.probability.setSuffix(" %")
        self.probability.setSpecialValueText("Stage's usual chance")
        self.probability.setValue(o.probability if o and o.probability is not None else -1)
        self.close_date = OptionalDate("Expected", o.expected_close if o else None, today)
        self.errors.add_row("&Title", self.title_edit, "title", self._check_title)
        self.errors.add_row("&Stage", self.stage, "stage")
        self.errors.add_row("&Value", value_row, "value", self._check_value)
        self.errors.add_row("&Probability", self.probability, "probability")
        self.errors.add_row("&Close", self.close_date, "close")
        self.title_edit.textChanged.connect(lambda _t: self.errors.check("title"))
        self.value.textChanged.connect(lambda _t: self.errors.check("value"))
        self.currency.textChanged.connect(lambda _t: self.errors.check("value"))
        self.stage.currentIndexChanged.connect(self._stage_changed)
        self._stage_changed()
        self.ok_button().setEnabled(bool(self.title_edit.text().strip()))
        self.resize(460, 0)

    def _stage_changed(self, *_args: Any) -> None:
        usual = STAGE_PROBABILITY[OpportunityStage(self.stage.currentData())]
        self.probability.setSpecialValueText(f"Stage's usual chance ({usual} %)")

    def _check_title(self) -> str | None:
        return _named("Title", check_field("Opportunity", "title", self.title_edit.text().strip()))

    def _check_value(self) -> str | None:
        code = self.currency.text().strip().upper()
        return self.value.problem("Value") or _named(
            "Currency", check_field("Opportunity", "currency", code or None)
        )

    def operation(self) -> Operation:
        title = self.title_edit.text().strip()
        probability = self.probability.value()
        values = {
            "title": title,
            "stage": OpportunityStage(self.stage.currentData()),
            "value_cents": self.value.cents("Value"),
            "currency": self.currency.text().strip().upper() or None,
            "probability": None if probability < 0 else probability,
            "expected_close": self.close_date.value(),
        }
        if self.record is None:
            return Create(
                Opportunity,
                {**values, "client_id": self.client_id},
                label=f"New opportunity {quoted(title)}",
            )
        return edit_record(Opportunity, self.record.id, values, "opportunity", title)


class GiftDialog(FormDialog):
    """A gift: what, for whom (a contact or the whole client), for which occasion (one of the
    recipient's important dates, or free text), its state, cost and date."""

    def __init__(
        self,
        context: Any,  # PageContext: the session for the rules, the client, today
        contacts: Choices,
        dates: dict[str, list[tuple[str, str, str]]],  # contact -> (date id, label, shown)
        parent: QWidget | None = None,
        *,
        gift: GiftRow | None = None,
        submit: Submit | None = None,
    ) -> None:
        super().__init__("Gift" if gift else "New gift", parent, submit=submit)
        self.context, self.record, self.dates = context, gift, dates
        self._labels: dict[str, str] = {}
        self.description = cap_field(
            QLineEdit(gift.description if gift else ""), "Gift", "description"
        )
        self.recipient = _choice_combo(
            contacts, gift.contact_id if gift else None, "The whole client"
        )
        self.occasion = QComboBox()
        self.occasion.setEditable(True)
        self.occasion.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = self.occasion.lineEdit()
        assert line is not None
        cap_field(line, "Gift", "occasion")
        line.setPlaceholderText("Christmas, a thank-you, …")
        self.state = QComboBox()
        for state in GiftState:
            self.state.addItem(label(state), state)
        self.state.setCurrentIndex(max(self.state.findData(gift.state if gift else None), 0))
        self.cost = MoneyEdit(gift.cost_cents if gift else 0)
        self.cost.setPlaceholderText("0")
        self.when = OptionalDate("On", gift.gift_date if gift else None, context.today())
        self.errors.add_row("&Gift", self.description, "description", self._check_description)
        self.errors.add_row("&For", self.recipient, "recipient")
        self.errors.add_row("&Occasion", self.occasion, "occasion")
        self.errors.add_row("&State", self.state, "state")
        self.errors.add_row("&Cost", self.cost, "cost", lambda: self.cost.problem("Cost"))
        self.errors.add_row("&Date", self.when, "when")
        self.recipient.currentIndexChanged.connect(lambda _i: self._fill_occasions())
        self.description.textChanged.connect(lambda _t: self.errors.check("description"))
        self.cost.textChanged.connect(lambda _t: self.errors.check("cost"))
        self._fill_occasions(
            gift.important_date_id if gift else None, gift.occasion if gift else ""
        )
        self.ok_button().setEnabled(bool(self.description.text().strip()))
        self.resize(460, 0)

    def _fill_occasions(self, date_id: str | None = None, text: str = "") -> None:
        typed = text or (self.occasion.currentText() if self.occasion.currentData() is None else "")
        self.occasion.clear()
        for id_, date_label, shown in self.dates.get(self.recipient.currentData() or "", []):
            self.occasion.addItem(shown, id_)
            self._labels[id_] = date_label
        found = self.occasion.findData(date_id) if date_id else -1
        if found >= 0:
            self.occasion.setCurrentIndex(found)
        else:
            self.occasion.setCurrentIndex(-1)
            self.occasion.setEditText(typed)

    def _check_description(self) -> str | None:
        text = self.description.text().strip()
        if not text:
            return f"Gift: {NO_DESCRIPTION}"  # the rule's own words (db.am.gifts)
        return _named("Gift", check_field("Gift", "description", text))

    def occasion_values(self) -> dict[str, Any]:
        """The picked important date (its label as the occasion), or the typed occasion."""
        index = self.occasion.currentIndex()
        text = self.occasion.currentText().strip()
        if index >= 0 and text == self.occasion.itemText(index):
            date_id = self.occasion.itemData(index)
            return {"important_date_id": date_id, "occasion": self._labels[date_id]}
        return {"important_date_id": None, "occasion": text}

    def operation(self) -> Operation:
        values = {
            "description": self.description.text().strip(),
            "contact_id": self.recipient.currentData(),
            **self.occasion_values(),
            "state": GiftState(self.state.currentData()),
            "cost_cents": self.cost.cents("Cost"),
            "gift_date": self.when.value(),
        }
        session, today = self.context.session, self.context.today()
        if self.record is None:
            return add_gift(session, self.context.client_id, values, today)
        return edit_gift(session, self.record.id, values, today)


class RatingDialog(FormDialog):
    def __init__(
        self,
        rating: RatingRow,
        parent: QWidget | None = None,
        *,
        submit: Submit | None = None,
    ) -> None:
        super().__init__("Satisfaction rating", parent, submit=submit)
        self.record = rating
        self.score = QSpinBox()
        self.score.setRange(0, 10)
        self.score.setSuffix(" / 10")
        self.score.setValue(rating.score)
        self.rated_on = date_edit(rating.rated_on)
        self.comment = cap_field(QLineEdit(rating.comment), "SatisfactionRating", "comment")
        self.errors.add_row("&Score", self.score, "score")
        self.errors.add_row("&Rated on", self.rated_on, "rated_on")
        self.errors.add_row("&Comment", self.comment, "comment")
        self.resize(420, 0)

    def operation(self) -> Operation:
        values = {
            "score": self.score.value(),
            "rated_on": py_date(self.rated_on),
            "comment": self.comment.text().strip(),
        }
        name = f"{self.record.score}/10 of {day(self.record.rated_on)}"
        return edit_record(SatisfactionRating, self.record.id, values, "rating", name)


class TagCompleter(QCompleter):
    """Completes the tag being typed after the last comma from the agency's tags, keeping
    the tags before it: "vip, ho" offers "hospitality" and becomes "vip, hospitality"."""

    def __init__(self, tags: Sequence[str], line: QLineEdit) -> None:
        super().__init__(list(tags), line)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.line = line

    def splitPath(self, path: str) -> list[str]:
        return [path.rsplit(",", 1)[-1].strip()]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        tag = super().pathFromIndex(index)
        text = self.line.text()
        done = text.rsplit(",", 1)[0].strip() if "," in text else ""
        return f"{done}, {tag}" if done else tag


class ClientDetailsDialog(FormDialog):
    """The client's own record: name, status, account manager, client since, industry,
    website, annual budget and currency, yearly gift budget and tags."""

    def __init__(
        self,
        client: Client,
        members: Choices,
        known_tags: Sequence[str],
        today: date,
        parent: QWidget | None = None,
        *,
        submit: Submit | None = None,
        session: Session | None = None,
    ) -> None:
        super().__init__("Client details", parent, submit=submit)
        self.client_id = client.id
        self.session = session
        self.name = cap_field(QLineEdit(client.name), "Client", "name")
        self.status = QComboBox()
        for status in ClientStatus:
            self.status.addItem(label(status), status)
        self.status.setCurrentIndex(max(self.status.findData(client.status), 0))
        self.manager = _choice_combo(members, client.account_manager_id, "No account manager")
        self.since = OptionalDate("Since", client.client_since, today)
        self.industry = cap_field(QLineEdit(client.industry), "Client", "industry")
        self.website = cap_field(QLineEdit(client.website), "Client", "website")
        self.website.setPlaceholderText("https://")
        self.budget = MoneyEdit(client.annual_budget_cents)
        self.budget.setPlaceholderText("0")
        self.currency = QLineEdit(client.currency)
        self.currency.setMaxLength(3)
        self.currency.setMaximumWidth(self.fontMetrics().averageCharWidth() * 9)
        budget_row = QWidget()
        budget_layout = QHBoxLayout(budget_row)
        budget_layout.setContentsMargins(0, 0, 0, 0)
        budget_layout.addWidget(self.budget, 1)
        budget_layout.addWidget(self.currency)
        self.gift_budget = MoneyEdit(client.yearly_gift_budget_cents)
        self.gift_budget.setPlaceholderText("0")
        self.tags = QLineEdit(tags_text(client.tags or []))
        self.tags.setPlaceholderText("vip, retail, …  (comma between tags)")
        self.tags.setCompleter(TagCompleter(known_tags, self.tags))
        self.errors.add_row("&Name", self.name, "name", self._check_name)
        self.errors.add_row("S&tatus", self.status, "status")
        self.errors.add_row("&Account manager", self.manager, "manager")
        self.errors.add_row("Client s&ince", self.since, "since")
        self.errors.add_row("&Industry", self.industry, "industry")
        self.errors.add_row("&Website", self.website, "website")
        self.errors.add_row("Annual &budget", budget_row, "budget", self._check_budget)
        self.errors.add_row(
            "&Gift budget / year", self.gift_budget, "gift_budget", self._check_gifts
        )
        self.errors.add_row("Ta&gs", self.tags, "tags")
        # The agency's own fields (Preferences > Custom fields), saved in the same step.
        self.custom = (
            CustomFieldRows(self, session, CustomFieldTarget.CLIENT, client.id, today)
            if session is not None
            else None
        )
        self.name.textChanged.connect(lambda _t: self.errors.check("name"))
        self.budget.textChanged.connect(lambda _t: self.errors.check("budget"))
        self.currency.textChanged.connect(lambda _t: self.errors.check("budget"))
        self.gift_budget.textChanged.connect(lambda _t: self.errors.check("gift_budget"))
        self.resize(500, 0)

    def _check_name(self) -> str | None:
        return _named("Name", check_field("Client", "name", self.name.text().strip()))

    def _check_budget(self) -> str | None:
        code = self.currency.text().strip().upper()
        return self.budget.problem("Annual budget") or _named(
            "Currency", check_field("Client", "currency", code)
        )

    def _check_gifts(self) -> str | None:
        return self.gift_budget.problem("Gift budget")

    def operation(self) -> Operation:
        name = self.name.text().strip()
        values = {
            "name": name,
            "status": ClientStatus(self.status.currentData()),
            "account_manager_id": self.manager.currentData(),
            "client_since": self.since.value(),
            "industry": self.industry.text().strip(),
            "website": self.website.text().strip(),
            "annual_budget_cents": self.budget.cents("Annual budget"),
            "currency": self.currency.text().strip().upper(),
            "yearly_gift_budget_cents": self.gift_budget.cents("Gift budget"),
            "tags": tags_from_text(self.tags.text()),
        }
        details = edit_record(Client, self.client_id, values, "client", name)
        if self.custom is None or self.session is None:
            return details
        fields = self.custom.steps(self.session, self.client_id)
        if not fields:
            return details
        return composite([details, *fields], f"Edit client {quoted(name)}")
