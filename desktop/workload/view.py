"""The Team workload area: the workload chart with its zoom (days, weeks, months), a filter on
people, "Who is free?" and "Suggest fixes" for the selected person.

It keeps one `Workload` snapshot and brings it up to date from each change the workspace
reports (only the projects the change touched are rebuilt); while the area is hidden it only
notes that it must catch up when shown.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPoint, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db.changes import ChangeSet
from db.directory import project_of_task
from db.models import MemberRole
from db.team import AddMember
from db.workload.buckets import Zoom
from db.workload.load import UNASSIGNED, Workload
from desktop.views.area_header import AreaHeader
from desktop.workload.chart import WorkloadChart
from desktop.workload.fixes_dialog import FixesDialog
from desktop.workload.free_dialog import WhoIsFreeDialog
from desktop.workspace import Workspace

SETTINGS_ZOOM = "workload/zoom"


class WorkloadView(QWidget):
    """Signals:
    project_activated(str): a task bar was double-clicked; its project's plan should open.
    """

    project_activated = Signal(str)
    new_text = "New Role to Fill"

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workloadView")
        self.workspace = workspace
        self.workload = Workload(workspace.session, workspace.store.schedules)
        self._settings: QSettings | None = None
        self._pending: ChangeSet | None = None  # changes seen while hidden

        self.header = AreaHeader("Workload", "Filter people")
        self.header.filter_changed.connect(self._filter)
        self.zoom_buttons = QButtonGroup(self)
        for zoom, text, tip in (
            (Zoom.DAY, "Days", "One column a day"),
            (Zoom.WEEK, "Weeks", "One column a week"),
            (Zoom.MONTH, "Months", "One column a month"),
        ):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setCheckable(True)
            button.setProperty("zoom", zoom.value)
            self.zoom_buttons.addButton(button)
            self.header.extra.addWidget(button)
            if zoom == Zoom.WEEK:
                button.setChecked(True)
        self.zoom_buttons.buttonClicked.connect(
            lambda button: self.set_zoom(Zoom(button.property("zoom")))
        )
        # A tool button like the zoom's beside it, and a narrower filter than other areas':
        # the header then fits a 1024-pixel window.
        self.today_button = QToolButton()
        self.today_button.setText("Today")
        self.today_button.setToolTip("Scroll to today")
        self.today_button.clicked.connect(self._scroll_to_today)
        self.header.filter.setMinimumWidth(140)
        self.free_button = QPushButton("Who Is Free?…")
        self.free_button.clicked.connect(self.who_is_free)
        self.fixes_button = QPushButton("Suggest Fixes…")
        self.fixes_button.setToolTip("Ways to relieve the selected person, to pick from")
        self.fixes_button.clicked.connect(self.suggest_fixes)
        for action_button in (self.today_button, self.free_button, self.fixes_button):
            self.header.extra.addWidget(action_button)

        self.chart = WorkloadChart(workspace, self.workload)
        self.chart.refused.connect(self.show_refusal)
        self.chart.person_selected.connect(self._person_changed)
        self.chart.task_activated.connect(self._open_task)
        self.chart.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.chart.customContextMenuRequested.connect(self._menu)
        self.refusal = QLabel()
        self.refusal.setObjectName("workloadRefusal")
        self.refusal.setWordWrap(True)
        self.refusal.setContentsMargins(16, 2, 16, 4)
        self.refusal.hide()
        self.legend = QLabel(
            "Each cell: hours booked / capacity. Red: over capacity (hover for the tasks). "
            "Click ▸ to see a person's tasks; drag a bar sideways to move it, onto another "
            "person to give it to them."
        )
        self.legend.setEnabled(False)
        self.legend.setWordWrap(True)
        self.legend.setContentsMargins(16, 0, 16, 6)

        self.fixes_action = QAction("Suggest Fixes…", self)
        self.fixes_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.fixes_action.triggered.connect(self.suggest_fixes)
        self.free_action = QAction("Who Is Free?…", self)
        self.free_action.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.free_action.triggered.connect(self.who_is_free)
        for action in (self.fixes_action, self.free_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.legend)
        layout.addWidget(self.refusal)
        layout.addWidget(self.chart, 1)
        workspace.changed.connect(self._changed)
        self._update_count()
        self._person_changed(self.chart.current)
        self.chart.scroll_to_day(date.today())

    # -- Area ---------------------------------------------------------------------------------

    def new_item(self) -> None:
        """A placeholder to plan work on ("Designer (to hire)"); the Team area names it."""
        op = AddMember("Designer (to hire)", MemberRole.DESIGNER, placeholder=True)
        if self.workspace.run(op):
            self.refresh_now()
            self.chart.select(op.id)

    def focus_filter(self) -> None:
        self.header.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.header.filter.selectAll()

    def use_settings(self, settings: QSettings) -> None:
        self._settings = settings
        zoom = str(settings.value(SETTINGS_ZOOM, Zoom.WEEK.value))
        if zoom in {z.value for z in Zoom}:
            self.set_zoom(Zoom(zoom))

    # -- actions ------------------------------------------------------------------------------

    def set_zoom(self, zoom: Zoom) -> None:
        self.chart.set_zoom(zoom)
        for button in self.zoom_buttons.buttons():
            button.setChecked(button.property("zoom") == zoom.value)
        if self._settings is not None:
            self._settings.setValue(SETTINGS_ZOOM, zoom.value)

    def who_is_free(self) -> WhoIsFreeDialog:
        self.refresh_now()
        dialog = WhoIsFreeDialog(self.workload, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def suggest_fixes(self) -> FixesDialog | None:
        member = self.chart.current
        if not member or member == UNASSIGNED:
            self.show_refusal("Select a person to suggest fixes for")
            return None
        self.refresh_now()
        dialog = FixesDialog(self.workspace, self.workload, member, self.refresh_now, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_refusal(self, text: str) -> None:
        self.refusal.setText(f"⚠ {text}")
        self.refusal.show()

    def _scroll_to_today(self) -> None:
        self.chart.scroll_to_day(date.today())

    def _menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction(self.fixes_action)
        menu.addAction(self.free_action)
        menu.exec(self.chart.mapToGlobal(pos))

    def _filter(self, text: str) -> None:
        self.chart.set_filter(text)
        self._update_count()

    def _person_changed(self, member_id: str) -> None:
        self.fixes_button.setEnabled(bool(member_id) and member_id != UNASSIGNED)

    def _open_task(self, task_id: str) -> None:
        project_id = project_of_task(self.workspace.session, task_id)
        if project_id is not None:
            self.project_activated.emit(project_id)

    def _update_count(self) -> None:
        shown = sum(1 for r in self.chart.layout_.rows if r.lane < 0 and r.person.id != UNASSIGNED)
        self.header.set_count(shown, len(self.workload.people), "member")

    # -- keeping current ----------------------------------------------------------------------

    def _changed(self, changes: ChangeSet) -> None:
        if not self.isVisible():
            if self._pending is None:
                self._pending = ChangeSet()
            self._pending.merge(changes)
            return
        self.refusal.hide()
        if self.workload.refresh(changes):
            self.chart.workload_changed()
            self._update_count()

    def refresh_now(self) -> None:
        """Catch up with everything noted while hidden (and anything else)."""
        pending, self._pending = self._pending, None
        if (
            self.workload.refresh(pending)
            if pending is not None
            else self.workload.refresh(ChangeSet())
        ):
            self.chart.workload_changed()
            self._update_count()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._pending is not None:
            self.refresh_now()
