"""The Clients list's page as it stands on screen, without the data behind it: the area's
header, the filter chips and the table's look (the badges, the rows' height, the columns'
widths, the name taking the room a wide window has).

Built the same way for the Clients area (`desktop.views.clients_view`, which connects it to
the session) and for the plain start's first screen (`desktop.first_screen`), which paints
the list before the data layer has loaded: so the one takes the other's place without a
pixel moving. Nothing here reads the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.models.roles import HEALTH_ROLE
from desktop.views.area_header import AreaHeader
from desktop.views.badge_delegates import CachedStatusDelegate, HealthDelegate
from desktop.views.palette_colors import outline_color

NAME_MIN_CHARS = 30
# The base columns' widths in average characters, in the list's column order
# (`desktop.models.client_columns.BASE_COLUMNS`).
COLUMN_CHARS = (NAME_MIN_CHARS, 12, 18, 9, 14, 15, 13, 13)
COL_NAME, COL_STATUS, COL_HEALTH = 0, 1, 3
ALL_MANAGERS = None
WITHOUT_MANAGER = ""
CHIP_STYLE = (
    "QPushButton#myClientsChip { border: 1px solid %s; border-radius: 11px;"
    " padding: 3px 12px; }"
    "QPushButton#myClientsChip:checked { background: palette(highlight);"
    " color: palette(highlighted-text); border-color: palette(highlight); }"
)


def row_height(widget: QWidget) -> int:
    """The list's row height in `widget`'s font: the text and a margin either side."""
    return widget.fontMetrics().height() + 14


class FreshComboBox(QComboBox):
    """A combo box that refills itself before its list opens when marked stale."""

    def __init__(self, refill: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.stale = False
        self._refill = refill

    def showPopup(self) -> None:
        if self.stale and self._refill is not None:
            self.stale = False
            self._refill()
        super().showPopup()


class ClientsListPage(QWidget):
    """The header ("Clients", the count, Open, the filter box), the chips (My clients,
    status, account manager, tag, Rename tag…) and the table, laid out; `statuses` are the
    status filter's (value, label) pairs."""

    def __init__(
        self,
        statuses: Iterable[tuple[str, str]],
        *,
        with_open: bool,
        refill_tags: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        statuses = list(statuses)
        self.header = AreaHeader("Clients", "Filter by name, contact, tag or note")
        self.my_clients = QPushButton("My clients")
        self.my_clients.setObjectName("myClientsChip")
        self.my_clients.setCheckable(True)
        self.style_chip()
        self.my_clients.setToolTip(
            "Only the clients you look after (who you are is kept on this computer)"
        )
        self.status_filter = QComboBox()
        self.status_filter.addItem("All statuses", None)
        for value, label in statuses:
            self.status_filter.addItem(label, value)
        self.manager_filter = QComboBox()
        self.manager_filter.setAccessibleName("Account manager filter")
        self.fill_managers([])
        self.tag_filter = FreshComboBox(refill_tags)
        self.tag_filter.setAccessibleName("Tag filter")
        self.fill_tags([])
        self.rename_tag_button = QPushButton("Rename tag…")
        self.rename_tag_button.setToolTip("Rename the picked tag on every client that has it")
        self.rename_tag_button.setEnabled(False)
        self.open_button = QPushButton("Open")
        self.open_button.setToolTip("Open the selected client's page (Return)")
        self.open_button.setEnabled(False)
        if with_open:
            self.header.extra.addWidget(self.open_button)
        self.table = QTableView()
        self._set_up_table(statuses)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        chips = QHBoxLayout()
        chips.setContentsMargins(16, 0, 16, 8)
        chips.setSpacing(8)
        for widget in (
            self.my_clients,
            self.status_filter,
            self.manager_filter,
            self.tag_filter,
            self.rename_tag_button,
        ):
            chips.addWidget(widget)
        chips.addStretch(1)
        layout.addLayout(chips)
        layout.addWidget(self.table, 1)

    def _set_up_table(self, statuses: list[tuple[str, str]]) -> None:
        table = self.table
        table.setObjectName("clientsTable")
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Double-click opens the client (as Return does); F2 renames, as on every list.
        table.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(row_height(self))
        table.setItemDelegateForColumn(COL_STATUS, CachedStatusDelegate(lambda: statuses, self))
        table.setItemDelegateForColumn(COL_HEALTH, HealthDelegate(HEALTH_ROLE, self))
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # Name takes the room a wide window has (see `fit_name_column`) but never less than
        # its own width: a narrow window scrolls sideways rather than squeezing names.
        header.setMinimumSectionSize(40)
        # The viewport, not this page: its width is only final after the layout has run, and
        # it also changes when the scroll bar comes and goes as a filter narrows.
        table.viewport().installEventFilter(self)

    def size_columns(self) -> None:
        """The base columns' widths; after the model is set (a model resets the header)."""
        header = self.table.horizontalHeader()
        # The model already holds name order, so enabling sorting by name costs nothing.
        header.setSortIndicator(COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        em = self.fontMetrics().averageCharWidth()
        for column, chars in enumerate(COLUMN_CHARS):
            header.resizeSection(column, chars * em)

    def style_chip(self) -> None:
        # The outline follows the palette (light or dark) rather than palette(mid), which is
        # nearly the window colour in dark palettes.
        self.my_clients.setStyleSheet(CHIP_STYLE % outline_color(self.palette()).name())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.style_chip()
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_name_column()
        return super().eventFilter(watched, event)

    def fit_name_column(self) -> None:
        model = self.table.model()
        if model is None:
            return
        header = self.table.horizontalHeader()
        others = sum(header.sectionSize(c) for c in range(1, model.columnCount()))
        room = self.table.viewport().width() - others
        header.resizeSection(
            COL_NAME, max(room, NAME_MIN_CHARS * self.fontMetrics().averageCharWidth())
        )

    def fill_managers(self, people: Iterable[tuple[str, str]]) -> None:
        """The account manager chip's choices: everyone's, no one's, then these (id, name)
        people; the current choice stays when it is still there."""
        combo = self.manager_filter
        current = combo.currentData() if combo.count() else None
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("All account managers", ALL_MANAGERS)
        combo.addItem("No account manager", WITHOUT_MANAGER)
        for id_, name in people:
            combo.addItem(name, id_)
        combo.setCurrentIndex(max(combo.findData(current), 0))
        combo.blockSignals(False)

    def fill_tags(self, tags: Iterable[str]) -> bool:
        """The tag chip's choices: every tag, then these. False when the tag picked before
        is gone (renamed, or its clients)."""
        combo = self.tag_filter
        current = combo.currentData() if combo.count() else None
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("All tags", None)
        for tag in tags:
            combo.addItem(tag, tag)
        found = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(False)
        return current is None or found >= 0
