"""`agency-desk print-gantt [--project NAME] --db PATH -o FILE.pdf [--from DATE --to DATE]
[--zoom day|week|month|quarter] [--fit-pages N]`: a project's timeline tiled across landscape
pages with the task names and the dates repeated on each; or, without --project, the
portfolio as the app's Portfolio area prints it (the same painter): client groups with their
health, a bar per open project, its dates fitted to the page width, pages going down."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

from desktop.cli_commands.command import UsageError, iso_date, positive_int

if TYPE_CHECKING:
    from db.store import Store

NAME = "print-gantt"
HELP = "print a project's timeline (or the portfolio) across as many pages as it needs"
ZOOM_NAMES = ("day", "week", "month", "quarter")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from desktop.printing.command_line import add_pdf_arguments

    parser.description = (
        "Print a Gantt chart to PDF, tiled across landscape pages with the task names and "
        "the date header on every page and pages numbered row/column. Without --project, "
        "prints the portfolio of open projects as the Portfolio area does, its dates "
        "(--from/--to) fitted to the page width."
    )
    parser.add_argument("--project", metavar="NAME", help="the project's name or id")
    parser.add_argument(
        "--from", dest="first", type=iso_date, metavar="YYYY-MM-DD", help="first day shown"
    )
    parser.add_argument(
        "--to", dest="last", type=iso_date, metavar="YYYY-MM-DD", help="last day shown"
    )
    parser.add_argument("--zoom", choices=ZOOM_NAMES, help="a project's scale (default: week)")
    parser.add_argument(
        "--fit-pages",
        type=positive_int,
        metavar="N",
        help="shrink a project's plan to fit on at most N pages",
    )
    parser.add_argument(
        "--critical", action="store_true", help="highlight a project's critical path"
    )
    add_pdf_arguments(parser, today_help="the date of the today line")


def run(args: argparse.Namespace) -> int:
    from db.reports.lookup import find_project
    from desktop.printing.command_line import gui_application, looked_up, printing_store

    if args.first and args.last and args.last < args.first:
        raise UsageError(f"--to {args.last} is before --from {args.first}")
    output = args.output.expanduser()
    with printing_store(args) as store:
        project_id = looked_up(find_project, store, args.project)
        gui_application()
        if project_id is None:
            return _print_portfolio(args, store)
        from desktop.printing.gantt_pages import GanttPrintOptions
        from desktop.printing.reports import write_gantt_pdf

        options = GanttPrintOptions(
            zoom=args.zoom or "week",
            first=args.first,
            last=args.last,
            fit_pages=args.fit_pages,
            show_critical=args.critical,
        )
        tiling = write_gantt_pdf(
            store.session,
            project_id,
            output,
            options,
            paper=args.paper,
            today=args.today or date.today(),
        )
    shape = f"{tiling.page_rows} x {tiling.page_columns}"
    note = ""
    if args.fit_pages and tiling.pages > args.fit_pages:
        note = f"; fewer than {tiling.pages} would be too small to read"
    pages = f"{tiling.pages} page{'s' if tiling.pages != 1 else ''}"
    print(f"{output}: timeline written on {pages} ({shape}){note}", file=sys.stderr)
    return 0


def _print_portfolio(args: argparse.Namespace, store: Store) -> int:
    from desktop.portfolio.printing import write_portfolio_pdf

    today = args.today or date.today()
    span = (args.first, args.last) if args.first or args.last else None
    output = args.output.expanduser()
    pages = write_portfolio_pdf(store.session, output, today=today, span=span, paper=args.paper)
    ignored = [
        flag
        for flag, given in (
            ("--zoom", args.zoom),
            ("--fit-pages", args.fit_pages),
            ("--critical", args.critical),
        )
        if given
    ]
    verb = "applies" if len(ignored) == 1 else "apply"
    note = f"; {' and '.join(ignored)} {verb} to a project's plan only" if ignored else ""
    written = f"{pages} page{'s' if pages != 1 else ''}"
    print(f"{output}: portfolio written on {written}{note}", file=sys.stderr)
    return 0
