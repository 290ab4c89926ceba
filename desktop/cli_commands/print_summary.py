"""`agency-desk print-summary CLIENT --db PATH -o FILE.pdf [--audience client|internal]`:
a client summary as a PDF. Client-facing is the default, so the safe choice is the easy one."""

from __future__ import annotations

import argparse
import sys
from datetime import date

NAME = "print-summary"
HELP = "print a client summary (one or two pages) to a PDF file"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from desktop.printing.command_line import add_pdf_arguments

    parser.description = (
        "Print a client summary to PDF: brief, contacts, communication, follow-ups, projects, "
        "money and satisfaction. The client-facing version (the default) leaves out rapport "
        "notes, personal dates, gifts, health and internal notes."
    )
    parser.add_argument("client", metavar="CLIENT", help="the client's name (or part of it) or id")
    parser.add_argument(
        "--audience",
        choices=("client", "internal"),
        default="client",
        help="who the summary is for (default: client, which leaves out everything private)",
    )
    add_pdf_arguments(parser, today_help="the date to report as of")


def run(args: argparse.Namespace) -> int:
    from db.reports.client_summary import Audience
    from db.reports.lookup import find_client
    from desktop.printing.command_line import gui_application, looked_up, printing_store

    with printing_store(args) as store:
        client_id = looked_up(find_client, store, args.client)
        assert client_id is not None  # CLIENT is a required argument
        gui_application()
        from desktop.printing.reports import write_summary_pdf

        write_summary_pdf(
            store.session,
            client_id,
            args.output.expanduser(),
            audience=Audience(args.audience),
            today=args.today or date.today(),
            paper=args.paper,
        )
    print(f"{args.output.expanduser()}: {args.audience} summary written", file=sys.stderr)
    return 0
