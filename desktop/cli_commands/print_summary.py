"""`agency-desk print-summary CLIENT --db PATH -o FILE.pdf [--audience client|internal]`:
a client summary as a PDF. Client-facing is the default, so the safe choice is the easy one."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from desktop.cli_commands.command import UsageError, iso_date, open_database_or_refuse

NAME = "print-summary"
HELP = "print a client summary (one or two pages) to a PDF file"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Print a client summary to PDF: brief, contacts, communication, follow-ups, projects, "
        "money and satisfaction. The client-facing version (the default) leaves out rapport "
        "notes, personal dates, gifts, health and internal notes."
    )
    parser.add_argument("client", metavar="CLIENT", help="the client's name (or part of it) or id")
    parser.add_argument("--db", type=Path, required=True, metavar="PATH", help="the database")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE.pdf", help="the PDF to write"
    )
    parser.add_argument(
        "--audience",
        choices=("client", "internal"),
        default="client",
        help="who the summary is for (default: client, which leaves out everything private)",
    )
    parser.add_argument(
        "--paper", choices=("a4", "letter"), help="paper size (default: your locale's)"
    )
    parser.add_argument(
        "--today", type=iso_date, metavar="YYYY-MM-DD", help="the date to report as of"
    )


def run(args: argparse.Namespace) -> int:
    from desktop.printing.command_line import checked_database, checked_output, gui_application

    db_path = checked_database(args.db)
    output = checked_output(args.output)
    engine = open_database_or_refuse(db_path)

    from db.reports.client_summary import Audience
    from db.reports.lookup import NoMatch, find_client
    from db.store import Store

    store = Store(engine)
    try:
        try:
            client_id = find_client(store.session, args.client)
        except NoMatch as exc:
            raise UsageError(str(exc)) from exc
        gui_application()
        from desktop.printing.reports import write_summary_pdf

        try:
            write_summary_pdf(
                store.session,
                client_id,
                output,
                audience=Audience(args.audience),
                today=args.today or date.today(),
                paper=args.paper,
            )
        except OSError as exc:
            raise UsageError(f"{output}: cannot be written ({exc})") from exc
    finally:
        store.close()
    print(f"{output}: {args.audience} summary written", file=sys.stderr)
    return 0
