"""Satisfaction: the client's ratings (0 to 10) over time with a trend chart, and adding one
(Return in the score or comment adds it). Return on a rating opens it, Delete deletes it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db.am.client_detail import RatingRow, ratings
from db.models import SatisfactionRating
from db.operations import Create
from db.validation import check_field
from desktop.client_page.context import PageContext, list_table, stretch
from desktop.client_page.dialogs import date_edit, py_date
from desktop.client_page.fields import error_label
from desktop.client_page.formatting import day
from desktop.client_page.record_actions import RecordActions
from desktop.client_page.record_dialogs import RatingDialog
from desktop.client_page.rows_model import Column, RowsModel
from desktop.client_page.section import Section
from desktop.client_page.trend_chart import TrendChart
from desktop.views.text_limits import cap_field

DEFAULT_SCORE = 8


def _name(r: RatingRow) -> str:
    return f"{r.score}/10 of {day(r.rated_on)}"


COLUMNS = (
    Column("Rated", lambda r: day(r.rated_on), sort=lambda r: r.rated_on),
    Column("Score", lambda r: f"{r.score} / 10", sort=lambda r: r.score),
    Column("Comment", lambda r: r.comment, tooltip=lambda r: r.comment),
)


class SatisfactionSection(Section):
    title = "Satisfaction"
    entities = ("SatisfactionRating",)

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.chart = TrendChart()
        self.model = RowsModel(COLUMNS, context.run)
        self.table = list_table(empty="No ratings yet. Pick a score below and press Enter")
        self.table.setModel(self.model)
        stretch(self.table, 2)
        self.record_actions = RecordActions(
            self.table,
            self.model,
            context.workspace,
            what="rating",
            name=_name,
            open_record=self.open_rating,
            entity=SatisfactionRating,
        )
        self.dialog: RatingDialog | None = None
        self.score = QSpinBox()
        self.score.setRange(0, 10)
        self.score.setValue(DEFAULT_SCORE)
        self.score.lineEdit().returnPressed.connect(self.add)
        self.score.setSuffix(" / 10")
        self.rated_on = date_edit(context.today())
        self.comment = cap_field(QLineEdit(), "SatisfactionRating", "comment")
        self.comment.setPlaceholderText("What they said")
        self.add_button = QPushButton("Add rating")
        self.add_button.clicked.connect(self.add)
        self.comment.returnPressed.connect(self.add)
        self.error = error_label()
        adder = QHBoxLayout()
        adder.addWidget(QLabel("Score"))
        adder.addWidget(self.score)
        adder.addWidget(self.rated_on)
        adder.addWidget(self.comment, 1)
        adder.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.chart)
        layout.addWidget(self.table, 1)
        layout.addLayout(adder)
        layout.addWidget(self.error)

    def refresh(self) -> None:
        rows = ratings(self.context.session, self.context.client_id)
        self.chart.set_points([(r.rated_on, r.score) for r in rows])
        self.model.set_rows(list(reversed(rows)))

    def add(self) -> None:
        message = check_field("SatisfactionRating", "score", self.score.value())
        if message:
            self.error.setText(f"Score {message}")
            self.error.show()
            return
        self.error.hide()
        values = {
            "client_id": self.context.client_id,
            "score": self.score.value(),
            "rated_on": py_date(self.rated_on),
            "comment": self.comment.text().strip(),
        }
        label = f"New rating {values['score']}/10"
        if self.context.run(Create(SatisfactionRating, values, label=label)):
            self.comment.clear()
            self.score.setValue(DEFAULT_SCORE)  # the next rating starts afresh

    def open_rating(self, rating: RatingRow) -> RatingDialog:
        self.dialog = RatingDialog(rating, self, submit=self.context.submit)
        self.dialog.open()
        return self.dialog
