"""What the main window wires to its menus: print preview and PDF export of the three reports.

Each `preview_*` opens a `QPrintPreviewDialog` (window-modal, not blocking) and returns it;
each `export_*_pdf` asks for a file name and writes the PDF. Both draw with the same render
function as the command line. `install_print_shortcut` gives a client page Ctrl+P
(QKeySequence.Print).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from db.reports.client_summary import Audience
from desktop import file_dialogs
from desktop.gantt.document import GanttDocument
from desktop.printing.gantt_pages import GanttPrintOptions
from desktop.printing.output import Render, preview_dialog, write_pdf
from desktop.printing.paper import page_layout
from desktop.printing.reports import (
    agenda_render,
    gantt_document,
    gantt_render,
    summary_render,
)
from desktop.workspace import Workspace

AUDIENCES = {
    # Unshared follow-ups, private notes, gifts, health and staffing stay out.
    "For the client (only what is shared with them)": Audience.CLIENT,
    "Internal (everything)": Audience.INTERNAL,
}


def ask_audience(parent: QWidget | None, what: str = "summary") -> Audience | None:
    """Who the summary (or agenda) is for; client-facing is offered first, so it is the easy
    choice."""
    names = list(AUDIENCES)
    choice, ok = QInputDialog.getItem(
        parent, f"Print client {what}", f"Who is this {what} for?", names, 0, False
    )
    return AUDIENCES[choice] if ok else None


def _open(
    parent: QWidget | None, render: Render, title: str, landscape: bool
) -> QPrintPreviewDialog:
    dialog = preview_dialog(parent, render, page_layout(landscape=landscape), title)
    dialog.open()
    return dialog


def _save(parent: QWidget | None, render: Render, title: str, landscape: bool) -> Path | None:
    name = file_dialogs.save_file_name(
        parent, f"Export {title} as PDF", f"{title}.pdf", "PDF files (*.pdf)"
    )
    if not name:
        return None
    path = Path(name) if name.lower().endswith(".pdf") else Path(f"{name}.pdf")
    try:
        write_pdf(path, render, page_layout(landscape=landscape), title)
    except OSError as exc:
        QMessageBox.warning(parent, "Export PDF", f"{path}: could not be written ({exc}).")
        return None
    return path


# -- client summary ---------------------------------------------------------------------------


def preview_client_summary(
    parent: QWidget | None,
    workspace: Workspace,
    client_id: str,
    audience: Audience | None = None,
) -> QPrintPreviewDialog | None:
    """Ctrl+P on a client page: ask the audience (unless given), then preview."""
    audience = audience or ask_audience(parent)
    if audience is None:
        return None
    render, title = summary_render(workspace.session, client_id, audience, date.today())
    return _open(parent, render, title, landscape=False)


def export_client_summary_pdf(
    parent: QWidget | None,
    workspace: Workspace,
    client_id: str,
    audience: Audience | None = None,
) -> Path | None:
    audience = audience or ask_audience(parent)
    if audience is None:
        return None
    render, title = summary_render(workspace.session, client_id, audience, date.today())
    return _save(parent, render, title, landscape=False)


# -- Gantt ------------------------------------------------------------------------------------


def preview_gantt(
    parent: QWidget | None,
    workspace: Workspace,
    project_id: str | None,
    options: GanttPrintOptions | None = None,
    document: GanttDocument | None = None,
) -> QPrintPreviewDialog:
    """The open project (pass the view's `document` to print its collapsed rows as shown)
    or, with `project_id=None`, the portfolio as its own area draws it."""
    if project_id is None and document is None:
        from desktop.portfolio.printing import preview_portfolio

        return preview_portfolio(parent, workspace.session)
    doc, name = _plan(workspace, project_id, document)
    render, title = gantt_render(doc, name, options or GanttPrintOptions())
    return _open(parent, render, title, landscape=True)


def export_gantt_pdf(
    parent: QWidget | None,
    workspace: Workspace,
    project_id: str | None,
    options: GanttPrintOptions | None = None,
    document: GanttDocument | None = None,
) -> Path | None:
    if project_id is None and document is None:
        from desktop.portfolio.printing import export_portfolio_pdf

        return export_portfolio_pdf(parent, workspace.session)
    doc, name = _plan(workspace, project_id, document)
    render, title = gantt_render(doc, name, options or GanttPrintOptions())
    return _save(parent, render, title, landscape=True)


def _plan(
    workspace: Workspace, project_id: str | None, document: GanttDocument | None
) -> tuple[GanttDocument, str]:
    """The plan to print: the view's own document (its collapsed rows as shown), or the
    project's read afresh. Callers send the portfolio to its own painter first."""
    if document is not None:
        return document, _project_name(workspace, project_id)
    assert project_id is not None
    return gantt_document(workspace.session, project_id)


def _project_name(workspace: Workspace, project_id: str | None) -> str:
    from db.models import Project

    project = workspace.session.get(Project, project_id) if project_id else None
    return project.name if project is not None else "Portfolio"


# -- agenda -----------------------------------------------------------------------------------


def _agenda_audience(
    parent: QWidget | None, client_id: str | None, audience: Audience | None
) -> Audience | None:
    """A client's agenda asks who it is for, as the summary does; the team's is internal."""
    if client_id is None:
        return Audience.INTERNAL
    return audience or ask_audience(parent, "agenda")


def preview_agenda(
    parent: QWidget | None,
    workspace: Workspace,
    client_id: str | None = None,
    days: int = 7,
    audience: Audience | None = None,
) -> QPrintPreviewDialog | None:
    """A client's meeting agenda, or the weekly team meeting's with `client_id=None`."""
    audience = _agenda_audience(parent, client_id, audience)
    if audience is None:
        return None
    render, title = agenda_render(workspace.session, date.today(), days, client_id, audience)
    return _open(parent, render, title, landscape=False)


def export_agenda_pdf(
    parent: QWidget | None,
    workspace: Workspace,
    client_id: str | None = None,
    days: int = 7,
    audience: Audience | None = None,
) -> Path | None:
    audience = _agenda_audience(parent, client_id, audience)
    if audience is None:
        return None
    render, title = agenda_render(workspace.session, date.today(), days, client_id, audience)
    return _save(parent, render, title, landscape=False)
