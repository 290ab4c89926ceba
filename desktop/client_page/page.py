"""The client page: a header with the client's name, status, account manager and health
badge (with the reasons spelled out), and one tab per part of the relationship.

Everything shown comes from `db.am` queries for this one client; every edit is a `db`
operation run through `Workspace.run` (so it is one step on the shared undo stack), and the
page refreshes only from the workspace's change sets: each section re-reads itself when a
change names an entity it shows, immediately if it is visible, else when next shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.am.client_picks import client_header
from db.am.custom_fields import display_value, fields_of, values_of
from db.am.health import Health
from db.am.health_facts import health_at
from db.am.ownership import concerns
from db.am.tags import agency_tags
from db.changes import ChangeSet
from db.models import Client, CustomFieldTarget
from desktop.client_page.brief import BriefSection
from desktop.client_page.context import PageContext
from desktop.client_page.delight import DelightSection
from desktop.client_page.dialogs import LogInteractionDialog
from desktop.client_page.fields import error_label
from desktop.client_page.follow_ups import FollowUpsSection
from desktop.client_page.history_tab import HistorySection
from desktop.client_page.money_tab import MoneySection
from desktop.client_page.people import PeopleSection
from desktop.client_page.projects_tab import ProjectsSection
from desktop.client_page.record_dialogs import ClientDetailsDialog
from desktop.client_page.satisfaction import SatisfactionSection
from desktop.client_page.section import Section
from desktop.client_page.timeline import TimelineSection
from desktop.formatting import day, label
from desktop.printing.printable import PrintTarget
from desktop.station_member import member_choices, station_member
from desktop.views.elided_label import ElidedLabel
from desktop.widgets.health_badge import HealthBadge
from desktop.workspace import Workspace

LOG_SHORTCUT = QKeySequence("Ctrl+L")

S = TypeVar("S", bound=Section)

SECTIONS: tuple[type[Section], ...] = (
    BriefSection,
    PeopleSection,
    TimelineSection,
    FollowUpsSection,
    MoneySection,
    DelightSection,
    ProjectsSection,
    SatisfactionSection,
    HistorySection,
)

# Entities whose change alters the header's facts (custom fields show there too).
HEADER_ENTITIES = ("Client", "TeamMember", "CustomField", "CustomValue")
# Entities whose change can move a client's health score.
HEALTH_ENTITIES = (
    "Client",
    "Interaction",
    "FollowUp",
    "Project",
    "Task",
    "CostEntry",
    "SatisfactionRating",
    "AgencySetting",
)


class ClientPage(QWidget):
    """Signals:
    project_activated(str): a project was opened from the Projects tab.
    closed_by_deletion(): the client was deleted (elsewhere, or by an undo).
    """

    project_activated = Signal(str)
    closed_by_deletion = Signal()

    def __init__(
        self,
        workspace: Workspace,
        client_id: str,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.client_id = client_id
        self.context = PageContext(workspace, client_id, today)
        self.health: Health | None = None

        self.name = ElidedLabel()
        self.name.setObjectName("clientName")
        font = QFont(self.name.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setWeight(QFont.Weight.DemiBold)
        self.name.setFont(font)
        self.details = ElidedLabel()
        self.details.setEnabled(False)  # the palette's quiet secondary text
        self.badge = HealthBadge()
        self.reasons = QLabel()
        self.reasons.setObjectName("healthReasons")
        self.reasons.setWordWrap(True)
        # Reasons may name a project; a long name wraps or clips, it never widens the page.
        self.reasons.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.reasons.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # Sections are built when first shown or asked for: opening a page builds one tab.
        self._built: dict[type[Section], Section] = {}
        self._holders: dict[type[Section], QWidget] = {}
        self._holder_layouts: dict[type[Section], QVBoxLayout] = {}
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for kind in SECTIONS:
            holder = QWidget()
            holder_layout = QVBoxLayout(holder)
            holder_layout.setContentsMargins(0, 8, 0, 0)
            self._holders[kind] = holder
            self._holder_layouts[kind] = holder_layout
            self.tabs.addTab(holder, kind.title)
        self.tabs.currentChanged.connect(lambda i: self.section(SECTIONS[i]))

        title_row = QHBoxLayout()
        title_row.setSpacing(12)
        title_row.addWidget(self.name)
        title_row.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addStretch(1)
        self.details_button = QPushButton("Edit &details…")
        self.details_button.setToolTip(
            "Name, status, account manager, industry, website, budgets and tags"
        )
        self.details_button.clicked.connect(self.open_details)
        self.details_dialog: ClientDetailsDialog | None = None
        title_row.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignVCenter)
        header = QVBoxLayout()
        header.setContentsMargins(16, 12, 16, 4)
        header.setSpacing(4)
        header.addLayout(title_row)
        header.addWidget(self.details)
        header.addWidget(self.reasons)
        # An edit refused in a table cell (a bad email, an empty name) says why here.
        self.message = error_label()
        self.message.setObjectName("editMessage")
        header.addWidget(self.message)
        body = QVBoxLayout()
        body.setContentsMargins(12, 4, 12, 12)
        body.addWidget(self.tabs)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addLayout(body, 1)

        self.log_shortcut = QShortcut(LOG_SHORTCUT, self)
        self.log_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.log_shortcut.activated.connect(self.open_log_dialog)

        self.refresh_header()
        self.section(SECTIONS[0])
        workspace.changed.connect(self.apply_changes)
        workspace.failed.connect(self._show_failure)
        workspace.done.connect(self._clear_failure)

    # -- sections --------------------------------------------------------------------------

    def section(self, kind: type[S]) -> S:
        """The page's section of this kind, built on first use."""
        found = self._built.get(kind)
        if found is None:
            found = kind(self.context)
            self._built[kind] = found
            self._holder_layouts[kind].addWidget(found)
            if isinstance(found, ProjectsSection):
                found.project_activated.connect(self.project_activated)
        return found  # type: ignore[return-value]  # _built maps each kind to one of its own

    @property
    def sections(self) -> list[Section]:
        return list(self._built.values())

    @property
    def brief(self) -> BriefSection:
        return self.section(BriefSection)

    @property
    def people(self) -> PeopleSection:
        return self.section(PeopleSection)

    @property
    def timeline(self) -> TimelineSection:
        return self.section(TimelineSection)

    @property
    def follow_ups(self) -> FollowUpsSection:
        return self.section(FollowUpsSection)

    @property
    def money(self) -> MoneySection:
        return self.section(MoneySection)

    @property
    def delight(self) -> DelightSection:
        return self.section(DelightSection)

    @property
    def projects(self) -> ProjectsSection:
        return self.section(ProjectsSection)

    @property
    def satisfaction(self) -> SatisfactionSection:
        return self.section(SatisfactionSection)

    # -- reading ---------------------------------------------------------------------------

    def refresh_header(self) -> None:
        header = client_header(self.workspace.session, self.client_id)
        if header is None:
            return
        self.name.setText(header.name)
        parts = [label(header.status)]
        manager = header.manager
        parts.append(f"Account manager {manager}" if manager else "No account manager")
        if header.since:
            parts.append(f"Client since {day(header.since)}")
        if header.industry:
            parts.append(header.industry)
        if header.tags:
            parts.append("Tags: " + ", ".join(header.tags))
        parts += self._custom_parts()
        self.details.setText("  ·  ".join(parts))
        self.refresh_health()

    def _custom_parts(self) -> list[str]:
        """The agency's own client fields that are filled in: "Region: North"."""
        session = self.workspace.session
        values = values_of(session, CustomFieldTarget.CLIENT, [self.client_id]).get(
            self.client_id, {}
        )
        decimal = self.locale().decimalPoint()
        return [
            f"{f.name}: {display_value(f, values[f.id], decimal=decimal)}"
            for f in fields_of(session, CustomFieldTarget.CLIENT)
            if values.get(f.id)
        ]

    def refresh_health(self) -> None:
        self.health = health_at(self.workspace.session, self.client_id, self.context.today())
        self.badge.set_health(self.health)
        self.reasons.setText(
            "  ·  ".join(r[:1].upper() + r[1:] for r in self.health.reasons)
            if self.health.reasons
            else "No concerns: in touch, on time, on budget."
        )

    def apply_changes(self, changes: ChangeSet) -> None:
        if self.client_id in changes.removed.get("Client", set()):
            self.closed_by_deletion.emit()
            return
        session = self.workspace.session
        if concerns(session, changes, self.client_id, HEADER_ENTITIES):
            self.refresh_header()
        elif concerns(session, changes, self.client_id, HEALTH_ENTITIES):
            self.refresh_health()
        for section in self.sections:
            section.apply_changes(changes)

    # -- actions ---------------------------------------------------------------------------

    def open_log_dialog(self) -> LogInteractionDialog:
        """Ctrl+L anywhere on the page: log a call, email, meeting or note."""
        return self.timeline.open_log_dialog()

    def show_section(self, section: Section) -> None:
        self.tabs.setCurrentWidget(self._holders[type(section)])

    def show_record(self, kind: str, record_id: str) -> bool:
        """Show the tab that lists this record (a search result) with its row selected."""
        sections: dict[str, type[Section]] = {
            "Contact": PeopleSection,
            "Interaction": TimelineSection,
            "ClientNote": BriefSection,
            "Project": ProjectsSection,
        }
        kind_section = sections.get(kind)
        if kind_section is None:
            return False
        section = self.section(kind_section)
        self.show_section(section)
        section.ensure_loaded()
        for table in section.findChildren(QTableView):
            row_of = getattr(table.model(), "row_of", None)
            row = row_of(record_id) if row_of is not None else -1
            if row >= 0:
                table.selectRow(row)
                table.scrollTo(table.model().index(row, 0))
                table.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return False

    def _show_failure(self, message: str) -> None:
        if self.isVisible():
            self.message.setText(message)
            self.message.show()

    def _clear_failure(self, _label: str) -> None:
        self.message.hide()

    def use_settings(self, settings: QSettings) -> None:
        """The station's settings: who "I am" is, the owner of new follow-ups."""
        self.context.me = lambda: station_member(settings, self.workspace.session)

    def open_details(self) -> ClientDetailsDialog | None:
        """The client's own record (name, status, budget, tags, …) in one dialog."""
        client = self.workspace.session.get(Client, self.client_id)
        if client is None:
            return None
        self.details_dialog = ClientDetailsDialog(
            client,
            member_choices(self.workspace.session),
            agency_tags(self.workspace.session),
            self.context.today(),
            self.window(),
            submit=self.context.submit,
            session=self.workspace.session,
        )
        self.details_dialog.open()
        return self.details_dialog

    def print_target(self) -> PrintTarget:
        """Print makes this client's summary (`Printable`)."""
        return PrintTarget("client", self.client_id)

    def close_page(self) -> None:
        self.workspace.changed.disconnect(self.apply_changes)
        self.workspace.failed.disconnect(self._show_failure)
        self.workspace.done.disconnect(self._clear_failure)
