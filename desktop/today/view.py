"""The Today page: an account manager's start page. What to do today — overdue and due
follow-ups (tick to complete, one undo step), contacts due a touch, birthdays, anniversaries
and project completions in the next 14 days with their gift state, and clients whose health
dropped this week. Each item opens its client's page.

The page is for the station's team member (`desktop.station_member`), picked in the "I am"
box; "Everyone" shows the whole agency. It reloads only when a change touches what it shows,
and only while showing (a change while hidden marks it stale for the next show).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, QSettings, Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from db.am.today import TodayData
from db.changes import ChangeSet
from desktop.station_member import member_choices, set_station_member, station_member
from desktop.today.loader import TodayLoader
from desktop.today.model import CLIENT_ROLE, COL_CLIENT, COL_ITEM, COL_WHEN, TodayModel, sections_of
from desktop.workspace import Workspace

# What the page shows depends on these; other changes (a baseline, an opportunity) leave it be.
TODAY_ENTITIES = (
    "Client",
    "Contact",
    "ImportantDate",
    "Interaction",
    "InteractionContact",
    "FollowUp",
    "Gift",
    "Project",
    "Task",
    "CostEntry",
    "SatisfactionRating",
    "TeamMember",
    "AgencySetting",
)
EVERYONE = ""


class TodayView(QWidget):
    """Signals:
    client_activated(str): an item was opened (Return or a double-click): show its client.
    loaded(): the lists were read afresh and shown.
    """

    client_activated = Signal(str)
    loaded = Signal()

    def __init__(
        self,
        workspace: Workspace,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.settings = settings
        self.model = TodayModel(workspace)
        self._stale = True
        self._today = date.today()
        self.loader = TodayLoader(workspace.store.engine)
        self.loader.loaded.connect(self._loaded)
        self.loader.failed.connect(workspace.failed)

        title = QLabel("Today")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setWeight(QFont.Weight.DemiBold)
        title.setFont(font)
        self.date_label = QLabel()
        self.date_label.setEnabled(False)  # the palette's quiet secondary colour
        self.member = QComboBox()
        self.member.setAccessibleName("I am")
        self.member.setToolTip("Whose day this is (kept on this computer)")
        self.member.currentIndexChanged.connect(self._member_picked)
        header = QHBoxLayout()
        header.setContentsMargins(16, 12, 16, 8)
        header.setSpacing(12)
        header.addWidget(title)
        header.addWidget(self.date_label)
        header.addStretch(1)
        header.addWidget(QLabel("I am"))
        header.addWidget(self.member)

        self.tree = QTreeView()
        self.item_view = self.tree
        self.tree.setObjectName("todayTree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(False)
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.setIndentation(14)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setFrameShape(QTreeView.Shape.NoFrame)
        # The check box drawn from palette roles, so it shows on the dark palette too.
        self.tree.setStyleSheet(
            "QTreeView#todayTree::item { padding: 5px 2px; }"
            "QTreeView#todayTree::indicator { width: 13px; height: 13px; border-radius: 3px;"
            " border: 1px solid palette(mid); background: palette(base); }"
            "QTreeView#todayTree::indicator:hover { border-color: palette(highlight); }"
        )
        head = self.tree.header()
        head.setStretchLastSection(False)
        head.setSectionResizeMode(COL_ITEM, QHeaderView.ResizeMode.Stretch)
        em = self.fontMetrics().averageCharWidth()
        head.resizeSection(COL_CLIENT, 22 * em)
        head.resizeSection(COL_WHEN, 30 * em)
        self.tree.activated.connect(self._activated)
        self.model.modelReset.connect(self._expand)

        self.empty = QLabel("Nothing due today. Enjoy the quiet.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setEnabled(False)
        self.empty.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty, 1)

        self._fill_members()
        workspace.changed.connect(self._changed)
        self.destroyed.connect(self.loader.shutdown)

    # -- who --------------------------------------------------------------------------------

    def use_settings(self, settings: QSettings) -> None:
        """The main window hands over its settings (where the station's member is kept)."""
        self.settings = settings
        self._fill_members()
        self._mark_stale()

    def member_id(self) -> str | None:
        return self.member.currentData() or None

    def _fill_members(self) -> None:
        me = station_member(self.settings, self.workspace.session) or EVERYONE
        self.member.blockSignals(True)
        self.member.clear()
        self.member.addItem("Everyone", EVERYONE)
        for id_, name in member_choices(self.workspace.session):
            self.member.addItem(name, id_)
        self.member.setCurrentIndex(max(self.member.findData(me), 0))
        self.member.blockSignals(False)

    def _member_picked(self, _index: int) -> None:
        set_station_member(self.settings, self.member_id())
        self._mark_stale()

    # -- loading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the day's lists again (in the background)."""
        self._stale = False
        self._today = date.today()
        self.date_label.setText(self._today.strftime("%A %d %B %Y"))
        self.loader.request(self._today, self.member_id())

    @property
    def loading(self) -> bool:
        return self.loader.busy

    def _mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def _changed(self, changes: ChangeSet) -> None:
        if changes.touches("TeamMember"):
            self._fill_members()
        if changes.touches(*TODAY_ENTITIES):
            self._mark_stale()

    def _loaded(self, data: TodayData, today: date) -> None:
        self.model.set_sections(sections_of(data, today))
        empty = self.model.rowCount() == 0
        self.tree.setVisible(not empty)
        self.empty.setVisible(empty)
        self.loaded.emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale or date.today() != self._today:
            self.refresh()

    # -- opening ------------------------------------------------------------------------------

    def _expand(self) -> None:
        self.tree.expandAll()
        for row in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)

    def _activated(self, index: QModelIndex) -> None:
        client_id = index.data(CLIENT_ROLE)
        if client_id:
            self.client_activated.emit(client_id)
