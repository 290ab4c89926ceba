"""The Sync panel: where this station syncs to and how the last sync went (including a station
whose files wait for a damaged one: "waiting for a damaged file from Katja's station"), the
files it passed over or quarantined on the share and why, and the conflict list — every value
that lost a merge, with Restore (put the lost value back, on every station after the next
sync) and Dismiss (agree with what was kept).

Restore and Dismiss are not on the undo stack: they act on the conflict list, which is this
station's own record, and a restore is an ordinary edit that sync sends on, so reverting it is
another edit of the same field.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from db.errors import AgencyDeskError
from desktop.sync.conflicts_model import COL_LOST, ConflictsModel
from desktop.sync.controller import SyncController
from desktop.sync.skipped_model import SkippedModel
from desktop.sync.status import COLORS, ERROR_TEXT, NEEDS_USER, SERVER_ERROR_TEXT

NOTE_COLOR = "#d0453b"


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.1)
    label.setFont(font)
    return label


def _table(model: QAbstractItemModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class SyncPanel(QDialog):
    """Signals:
    join_requested(): the user asked to join the folder's agency (shown when the folder
        belongs to another agency than this database).
    passphrase_requested(): the user asked to type the agency passphrase (shown when the
        sync is encrypted with a key this station does not hold).
    """

    join_requested = Signal()
    passphrase_requested = Signal()

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.store = controller.workspace.store
        self.setWindowTitle("Sync")
        self.setObjectName("syncPanel")
        self.resize(1000, 580)

        self.where = QLabel()
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.sync_button = QPushButton("Sync now")
        self.sync_button.clicked.connect(controller.sync_now)
        self.join_button = QPushButton("Join a Shared Agency…")
        self.join_button.setToolTip(
            "Make a new database from this folder's agency; this database stays as it is"
        )
        self.join_button.clicked.connect(self.join_requested)
        self.join_button.hide()
        self.passphrase_button = QPushButton("Enter passphrase…")
        self.passphrase_button.setToolTip(
            "Unlock the agency key with the agency passphrase; it is kept in this computer's "
            "keychain"
        )
        self.passphrase_button.clicked.connect(self.passphrase_requested)
        self.passphrase_button.hide()
        top = QHBoxLayout()
        facts = QVBoxLayout()
        facts.setSpacing(2)
        facts.addWidget(self.where)
        facts.addWidget(self.state)
        top.addLayout(facts, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.join_button)
        buttons.addWidget(self.passphrase_button)
        buttons.addStretch(1)
        top.addLayout(buttons)

        self.conflicts = ConflictsModel(self)
        self.conflict_view = _table(self.conflicts)
        # Every column as wide as its text, except the lost value, which takes what is left
        # and elides: the table fits the panel without a sideways scroll.
        header = self.conflict_view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_LOST, QHeaderView.ResizeMode.Stretch)
        self.conflict_view.setMinimumHeight(180)
        self.conflicts_heading = _heading("Conflicts to review")
        explain = QLabel(
            "When two stations changed the same thing, the same edit was kept on every station "
            "and the other is listed here. Restore puts the lost value back (other stations get "
            "it with their next sync); Dismiss keeps what is there."
        )
        explain.setWordWrap(True)
        explain.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.restore_button = QPushButton("Restore lost value")
        self.restore_button.clicked.connect(self.restore_selected)
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        self.message = QLabel()
        self.message.setWordWrap(True)
        palette = self.message.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(NOTE_COLOR))
        self.message.setPalette(palette)
        self.message.hide()
        actions = QHBoxLayout()
        actions.addWidget(self.message, 1)
        actions.addStretch(0)
        actions.addWidget(self.dismiss_button)
        actions.addWidget(self.restore_button)

        self.skipped = SkippedModel(self)
        self._quarantined_names: set[str] = set()
        self.skipped_view = _table(self.skipped)
        self.skipped_view.setMaximumHeight(130)
        skipped_header = self.skipped_view.horizontalHeader()
        skipped_header.setStretchLastSection(False)
        # A quarantined file's short name whole (a foreign one up to a cap); the reason (a
        # sentence, "tampered or corrupt: …") takes what is left; each whole in its tooltip.
        skipped_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        skipped_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        skipped_header.setMaximumSectionSize(420)
        self.skipped_view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.skipped_heading = _heading("Files skipped or quarantined")
        self.no_skipped = QLabel("None: every file on the share was whole and readable.")
        self.no_skipped.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addSpacing(8)
        layout.addWidget(self.conflicts_heading)
        layout.addWidget(explain)
        layout.addWidget(self.conflict_view, 1)
        layout.addLayout(actions)
        layout.addSpacing(8)
        layout.addWidget(self.skipped_heading)
        layout.addWidget(self.skipped_view)
        layout.addWidget(self.no_skipped)
        layout.addWidget(close)

        self.conflict_view.selectionModel().selectionChanged.connect(self._update_buttons)
        controller.state_changed.connect(self._show_state)
        controller.finished.connect(self.reload)
        self.reload()

    # -- showing -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the conflict list and the last result again."""
        from db.sync import list_conflicts

        c = self.controller
        names = dict(c.station_names)
        station_id = self._own_station_id()
        if station_id:
            names[station_id] = "this station"
        self.conflicts.set_conflicts(self.store, list_conflicts(self.store), names)
        count = self.conflicts.rowCount()
        self.conflicts_heading.setText(
            f"Conflicts to review ({count})" if count else "Conflicts to review: none"
        )
        result = c.last_result
        skipped = [(s.name, s.reason) for s in result.skipped] if result is not None else []
        skipped = self._with_quarantined(skipped, names)
        self.skipped.set_skipped(skipped)
        self.skipped_view.setVisible(bool(skipped))
        self.no_skipped.setVisible(not skipped)
        if result is None:
            self.no_skipped.setText("No sync has run since Agency Desk started.")
        self._show_state()
        self._update_buttons()

    def _with_quarantined(
        self, skipped: list[tuple[str, str]], names: dict[str, str]
    ) -> list[tuple[str, str]]:
        """The last sync's skipped files, then every file still quarantined (each once, even
        when a later sync met it again), named by the station it came from."""
        from db.sync.quarantine import list_quarantined

        rows = [(n, r) for n, r in skipped if n not in self._quarantined_names]
        self._quarantined_names = set()
        for entry in list_quarantined(self.store):
            self._quarantined_names.add(entry.name)
            station = names.get(entry.station) or entry.station
            rows = [(n, r) for n, r in rows if n != entry.name]
            seq, digest = entry.name.split("/", 1)[1].split("-", 1)
            rows.append((f"{station}: {seq}-{digest[:12]}….jsonl", entry.reason))
        return rows

    def _own_station_id(self) -> str:
        session = self.store.session
        try:
            row = session.connection().exec_driver_sql("SELECT station_id FROM sync_ctl").first()
        finally:
            session.commit()
        return str(row[0]) if row is not None else ""

    def _show_state(self) -> None:
        c = self.controller
        if not c.enabled:
            self.where.setText(
                "Sync is off: choose a shared folder or an agency server in Preferences to sync."
            )
        else:
            place = c.config.server if c.config.server is not None else str(c.config.share)
            self.where.setText(
                f"<b>{html.escape(c.config.station_name)}</b> syncs through "
                f"<b>{html.escape(place)}</b>"
            )
        if c.busy:
            text, color = "Syncing now…", COLORS["busy"]
        elif c.last_error is not None:
            errors = SERVER_ERROR_TEXT if c.config.server is not None else ERROR_TEXT
            headline = errors.get(c.last_error_kind, "Sync failed — working locally")
            tone = "error" if c.last_error_kind in NEEDS_USER else "warn"
            detail = html.escape(c.last_error)
            if c.last_error_kind == "needs-key":  # the command-line hints are for the CLI
                detail = (
                    "It is encrypted with a key this station does not hold yet (new here, or "
                    "the key was changed). Click <i>Enter passphrase…</i> and type the agency "
                    "passphrase; whoever set up encryption can tell it to you. Nothing was "
                    "sent or received."
                )
            text, color = f"{headline}.<br>{detail}", COLORS[tone]
        elif c.last_result is not None and c.last_synced is not None:
            summary = c.last_result.summary().removeprefix("sync: ")
            text = f"Last sync at {c.last_synced:%H:%M}: {summary}."
            # A station held up by a damaged file, or changes waiting for an earlier file
            # that is not on the share yet, is not "all well", though nothing failed.
            held_up = c.last_result.waiting_on or c.last_result.held
            color = COLORS["warn"] if held_up else COLORS["ok"]
        else:
            text, color = "No sync yet since Agency Desk started.", ""
        dot = f'<span style="color:{color}">●</span> ' if color else ""
        self.state.setText(dot + text)
        self.sync_button.setEnabled(c.enabled and not c.busy)
        self.join_button.setVisible(c.last_error is not None and c.last_error_kind == "agency")
        self.passphrase_button.setVisible(
            c.last_error is not None and c.last_error_kind == "needs-key"
        )

    def _update_buttons(self) -> None:
        rows = self._selected_rows()
        self.dismiss_button.setEnabled(bool(rows))
        self.restore_button.setEnabled(any(self.conflicts.is_restorable(r) for r in rows))

    def _selected_rows(self) -> list[int]:
        model = self.conflict_view.selectionModel()
        return sorted({index.row() for index in model.selectedRows()})

    def select_row(self, row: int) -> None:
        self.conflict_view.selectionModel().select(
            self.conflicts.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    # -- acting --------------------------------------------------------------------------------

    def restore_selected(self) -> None:
        from db.sync import restore_conflict

        problems: list[str] = []
        restored = 0
        for row in self._selected_rows():
            if not self.conflicts.is_restorable(row):
                continue
            try:
                restore_conflict(self.store, self.conflicts.conflict_id(row))
                restored += 1
            except (AgencyDeskError, SQLAlchemyError) as exc:
                problems.append(str(exc).splitlines()[0])
        self._after_action(problems)
        if restored and not problems:
            self.controller.workspace.done.emit(
                f"Restored {restored} lost value{'s' if restored != 1 else ''}"
            )

    def dismiss_selected(self) -> None:
        from db.sync import dismiss_conflict

        for row in self._selected_rows():
            dismiss_conflict(self.store, self.conflicts.conflict_id(row))
        self._after_action([])

    def _after_action(self, problems: list[str]) -> None:
        self.message.setText("Not restored: " + "; ".join(problems) if problems else "")
        self.message.setVisible(bool(problems))
        self.controller.count_open_conflicts()
        self.reload()
