"""`agency-desk print-agenda [--client NAME] [--days N] --db PATH -o FILE.pdf`: a meeting
agenda for one client, or for the weekly team meeting when no client is given."""

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

NAME = "print-agenda"
HELP = "print a meeting agenda (a client's, or the weekly team meeting's) to a PDF file"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Print a meeting agenda to PDF: open follow-ups, milestones and deliverables due in "
        "the next N days, change requests pending and people over-allocated. Without "
        "--client it is the weekly team meeting's agenda."
    )
    parser.add_argument("--client", metavar="NAME", help="the client's name (or part) or id")
    parser.add_argument(
        "--days", type=positive_int, default=7, metavar="N", help="how far ahead (default 7)"
    )
    parser.add_argument("--db", type=Path, required=True, metavar="PATH", help="the database")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE.pdf", help="the PDF to write"
    )
    parser.add_argument(
        "--paper", choices=("a4", "letter"), help="paper size (default: your locale's)"
    )
    parser.add_argument(
        "--today", type=iso_date, metavar="YYYY-MM-DD", help="the date of the meeting"
    )


def run(args: argparse.Namespace) -> int:
    from desktop.printing.command_line import checked_database, checked_output, gui_application

    db_path = checked_database(args.db)
    output = checked_output(args.output)
    engine = open_database_or_refuse(db_path)

    from db.reports.lookup import NoMatch, find_client
    from db.store import Store

    store = Store(engine)
    try:
        client_id = None
        if args.client is not None:
            try:
                client_id = find_client(store.session, args.client)
            except NoMatch as exc:
                raise UsageError(str(exc)) from exc
        gui_application()
        from desktop.printing.reports import write_agenda_pdf

        try:
            write_agenda_pdf(
                store.session,
                output,
                client_id=client_id,
                days=args.days,
                today=args.today or date.today(),
                paper=args.paper,
            )
        except OSError as exc:
            raise UsageError(f"{output}: cannot be written ({exc})") from exc
    finally:
        store.close()
    print(f"{output}: agenda written", file=sys.stderr)
    return 0
