"""The three reports from data to output, for the command line and the GUI alike: each builds
its content with `db.reports`, picks the paper and renders to a PDF or a preview."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QLocale
from sqlalchemy.orm import Session

from db.reports.client_summary import Audience, client_summary
from desktop.formatting import Formats
from desktop.gantt.document import GanttDocument
from desktop.printing.gantt_pages import GanttPages, GanttPrintOptions, Tiling, print_title
from desktop.printing.output import Render, write_pdf
from desktop.printing.paper import page_layout
from desktop.printing.summary import render_summary


def summary_render(
    session: Session,
    client_id: str,
    audience: Audience,
    today: date,
    locale: QLocale | None = None,
) -> tuple[Render, str]:
    summary = client_summary(session, client_id, today, audience)
    title = f"{summary.client_name}: {'internal briefing' if summary.internal else 'summary'}"
    return render_summary(summary, Formats(locale)), title


def write_summary_pdf(
    session: Session,
    client_id: str,
    path: Path,
    *,
    audience: Audience = Audience.CLIENT,
    today: date | None = None,
    locale: QLocale | None = None,
    paper: str | None = None,
) -> None:
    render, title = summary_render(session, client_id, audience, today or date.today(), locale)
    write_pdf(path, render, page_layout(locale=locale, paper=paper), title)


def gantt_document(session: Session, project_id: str) -> tuple[GanttDocument, str]:
    """The document to print and its name: a project's plan. (The portfolio prints with its
    own painter: `desktop.portfolio.printing`.) Scheduled over the session's shared working-day
    calendars, as the on-screen Gantt is (`desktop.gantt.view`): the printout counts the same
    working days, holidays and leave, and builds no calendar the screen has built already."""
    from db.models import Project
    from db.scheduling.schedules import schedules_for

    project = session.get(Project, project_id)
    if project is None:
        raise KeyError(project_id)
    return GanttDocument(session, project_id, schedules_for(session).calendars), project.name


def gantt_pages(
    document: GanttDocument,
    name: str,
    options: GanttPrintOptions,
    locale: QLocale | None = None,
    today: date | None = None,
) -> GanttPages:
    return GanttPages(document, print_title(name, options.zoom), options, Formats(locale), today)


def gantt_render(
    document: GanttDocument,
    name: str,
    options: GanttPrintOptions,
    locale: QLocale | None = None,
    today: date | None = None,
) -> tuple[Render, str]:
    pages = gantt_pages(document, name, options, locale, today)
    return pages.render, pages.title


def write_gantt_pdf(
    session: Session,
    project_id: str,
    path: Path,
    options: GanttPrintOptions,
    *,
    locale: QLocale | None = None,
    paper: str | None = None,
    today: date | None = None,
) -> Tiling:
    """Write the PDF; returns how the chart was cut (pages may exceed `fit_pages` when the
    smallest legible scale still needs more)."""
    document, name = gantt_document(session, project_id)
    pages = gantt_pages(document, name, options, locale, today)
    write_pdf(
        path, pages.render, page_layout(landscape=True, locale=locale, paper=paper), pages.title
    )
    assert pages.printed is not None
    return pages.printed


def agenda_render(
    session: Session,
    today: date,
    days: int,
    client_id: str | None = None,
    audience: Audience | None = None,
    locale: QLocale | None = None,
) -> tuple[Render, str]:
    """A client's agenda is for the client unless `audience` says otherwise; the team's is
    internal (see `db.reports.agenda`)."""
    from db.reports.agenda import agenda
    from desktop.printing.agenda_pages import render_agenda

    content = agenda(session, today, days, client_id, audience)
    return render_agenda(content, Formats(locale)), f"{content.title}: agenda"


def write_agenda_pdf(
    session: Session,
    path: Path,
    *,
    client_id: str | None = None,
    audience: Audience | None = None,
    days: int = 7,
    today: date | None = None,
    locale: QLocale | None = None,
    paper: str | None = None,
) -> None:
    render, title = agenda_render(session, today or date.today(), days, client_id, audience, locale)
    write_pdf(path, render, page_layout(locale=locale, paper=paper), title)
