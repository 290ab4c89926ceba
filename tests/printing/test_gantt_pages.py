"""The Gantt across pages: tiles with the task names and the date header on every page,
"row/column" page numbers, fit-to-N-pages, and the same painter as the screen."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import Closure, Project
from db.operations import Create
from db.store import Store
from desktop.formatting import Formats
from desktop.gantt.document import GanttDocument
from desktop.gantt.painter import ChartPainter
from desktop.printing.gantt_pages import GanttPages, GanttPrintOptions
from desktop.printing.reports import write_gantt_pdf
from desktop.workspace import Workspace
from tests.printing.conftest import (
    TODAY,
    pdf_page_size,
    pdf_pages,
    pdf_text,
    render_png,
    requires_poppler,
)

pytestmark = pytest.mark.usefixtures("qapp")


def _project(store: Store) -> tuple[str, str]:
    row = store.session.execute(select(Project.id, Project.name).order_by(Project.name)).first()
    assert row is not None
    return row.id, row.name


def test_tiling_covers_every_row_and_day(printing_store: Store) -> None:
    project_id, name = _project(printing_store)
    doc = GanttDocument(printing_store.session, project_id)
    pages = GanttPages(doc, name, GanttPrintOptions(zoom="day"), Formats(), TODAY)
    t = pages.tiling(760, 510)
    assert t.rows_per_page * t.page_rows >= len(doc.rows)
    assert t.days_per_page * t.page_columns >= pages.end_o - pages.first_o
    assert t.page_columns > 1  # a day zoom of a whole project needs several columns
    fitted = GanttPages(doc, name, GanttPrintOptions(zoom="day", fit_pages=2), Formats(), TODAY)
    assert fitted.tiling(760, 510).pages <= 2


@requires_poppler
def test_every_page_repeats_names_and_dates_and_is_numbered(
    printing_store: Store, tmp_path: Path
) -> None:
    project_id, _name = _project(printing_store)
    out = tmp_path / "gantt.pdf"
    write_gantt_pdf(
        printing_store.session, project_id, out, GanttPrintOptions(zoom="day"), today=TODAY
    )
    doc = GanttDocument(printing_store.session, project_id)
    first_task = doc.scheduler.specs[doc.rows[0]].name
    count = pdf_pages(out)
    assert count > 1
    width, height = (float(v) for v in pdf_page_size(out).split(" pts")[0].split(" x "))
    assert width > height  # landscape by default
    for page in range(1, count + 1):
        text = pdf_text(out, page)
        assert "Task" in text
        assert first_task in text  # the name column is on every page of the first row band
        assert f"Page 1/{page} (row/column)" in text
    render_png(out, tmp_path, page=2)


@requires_poppler
def test_fit_pages_and_date_range(printing_store: Store, tmp_path: Path) -> None:
    project_id, _name = _project(printing_store)
    out = tmp_path / "fit.pdf"
    options = GanttPrintOptions(zoom="week", fit_pages=1)
    tiling = write_gantt_pdf(printing_store.session, project_id, out, options, today=TODAY)
    assert pdf_pages(out) == 1 == tiling.pages
    assert tiling.scale < 0.75  # shrunk from the screen's size to fit
    ranged = tmp_path / "range.pdf"
    options = GanttPrintOptions(zoom="week", first=date(2026, 3, 2), last=date(2026, 3, 29))
    write_gantt_pdf(printing_store.session, project_id, ranged, options, today=TODAY)
    assert "Mar 2026" in pdf_text(ranged) or "2 Mar 2026" in pdf_text(ranged)


def test_screen_and_print_share_the_painter(printing_store: Store) -> None:
    """One scene, two outputs: the chart widget paints through ChartPainter too."""
    from desktop.gantt.chart import GanttChart

    project_id, _name = _project(printing_store)
    doc = GanttDocument(printing_store.session, project_id)
    chart = GanttChart(doc, lambda _op: True)
    painter = chart.chart_painter()
    assert isinstance(painter, ChartPainter)
    node = doc.rows[1]
    assert painter.bar_rect(node) == chart.bar_rect(node)


def test_the_printout_counts_the_working_days_the_screen_does(
    printing_store: Store, qtbot: QtBot
) -> None:
    from desktop.gantt.view import GanttView
    from desktop.printing.reports import gantt_document

    project_id, _name = _project(printing_store)
    workspace = Workspace(printing_store)
    view = GanttView(workspace, project_id)
    qtbot.addWidget(view)
    screen = view.document
    first = min(screen.scheduler.ids, key=screen.scheduler.start)
    holiday = screen.scheduler.start(first)
    # The agency closes on the day the plan starts: both outputs move the work past it.
    workspace.store.apply(
        Create(Closure, {"name": "Founders' day", "start_date": holiday, "end_date": holiday})
    )
    printed, _ = gantt_document(printing_store.session, project_id)
    screen = view.document
    assert printed.scheduler.calendar is screen.scheduler.calendar  # one shared calendar
    assert not printed.scheduler.calendar.is_working_day(holiday)
    assert {t: printed.scheduler.start(t) for t in printed.scheduler.ids} == {
        t: screen.scheduler.start(t) for t in screen.scheduler.ids
    }
    assert printed.scheduler.start(first) > holiday
