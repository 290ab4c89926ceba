"""`agency-desk print-gantt [--project NAME] --db PATH -o FILE.pdf [--from DATE --to DATE]
[--zoom day|week|month|quarter] [--fit-pages N]`: a project's timeline, or the portfolio,
tiled across landscape pages with the task names and the dates repeated on each."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from desktop.cli_commands.command import (
    UsageError,
    iso_date,
    open_database_or_refuse,
    positive_int,
)

NAME = "print-gantt"
HELP = "print a project's timeline (or the portfolio) across as many pages as it needs"
ZOOM_NAMES = ("day", "week", "month", "quarter")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Print a Gantt chart to PDF, tiled across landscape pages with the task names and "
        "the date header on every page and pages numbered row/column. Without --project, "
        "prints the portfolio of open projects."
    )
    parser.add_argument("--project", metavar="NAME", help="the project's name or id")
    parser.add_argument("--db", type=Path, required=True, metavar="PATH", help="the database")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE.pdf", help="the PDF to write"
    )
    parser.add_argument(
        "--from", dest="first", type=iso_date, metavar="YYYY-MM-DD", help="first day shown"
    )
    parser.add_argument(
        "--to", dest="last", type=iso_date, metavar="YYYY-MM-DD", help="last day shown"
    )
    parser.add_argument("--zoom", choices=ZOOM_NAMES, default="week", help="default: week")
    parser.add_argument(
        "--fit-pages", type=positive_int, metavar="N", help="shrink to fit on at most N pages"
    )
    parser.add_argument("--critical", action="store_true", help="highlight the critical path")
    parser.add_argument(
        "--paper", choices=("a4", "letter"), help="paper size (default: your locale's)"
    )
    parser.add_argument(
        "--today", type=iso_date, metavar="YYYY-MM-DD", help="the date of the today line"
    )


def run(args: argparse.Namespace) -> int:
    from desktop.printing.command_line import checked_database, checked_output, gui_application

    if args.first and args.last and args.last < args.first:
        raise UsageError(f"--to {args.last} is before --from {args.first}")
    db_path = checked_database(args.db)
    output = checked_output(args.output)
    engine = open_database_or_refuse(db_path)

    from db.reports.lookup import NoMatch, find_project
    from db.store import Store

    store = Store(engine)
    try:
        project_id = None
        if args.project is not None:
            try:
                project_id = find_project(store.session, args.project)
            except NoMatch as exc:
                raise UsageError(str(exc)) from exc
        gui_application()
        from desktop.printing.gantt_pages import GanttPrintOptions
        from desktop.printing.reports import write_gantt_pdf

        options = GanttPrintOptions(
            zoom=args.zoom,
            first=args.first,
            last=args.last,
            fit_pages=args.fit_pages,
            show_critical=args.critical,
        )
        try:
            tiling = write_gantt_pdf(
                store.session,
                project_id,
                output,
                options,
                paper=args.paper,
                today=args.today or date.today(),
            )
        except OSError as exc:
            raise UsageError(f"{output}: cannot be written ({exc})") from exc
    finally:
        store.close()
    shape = f"{tiling.page_rows} x {tiling.page_columns}"
    note = ""
    if args.fit_pages and tiling.pages > args.fit_pages:
        note = f"; fewer than {tiling.pages} would be too small to read"
    pages = f"{tiling.pages} page{'s' if tiling.pages != 1 else ''}"
    print(f"{output}: timeline written on {pages} ({shape}){note}", file=sys.stderr)
    return 0
