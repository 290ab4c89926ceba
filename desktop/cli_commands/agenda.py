"""`agency-desk print-agenda [--client NAME] [--days N] --db PATH -o FILE.pdf`: a meeting
agenda for one client, or for the weekly team meeting when no client is given."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from desktop.cli_commands.command import positive_int

NAME = "print-agenda"
HELP = "print a meeting agenda (a client's, or the weekly team meeting's) to a PDF file"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from desktop.printing.command_line import add_pdf_arguments

    parser.description = (
        "Print a meeting agenda to PDF: open follow-ups, milestones and deliverables due in "
        "the next N days, change requests pending and people over-allocated. Without "
        "--client it is the weekly team meeting's agenda."
    )
    parser.add_argument("--client", metavar="NAME", help="the client's name (or part) or id")
    parser.add_argument(
        "--days", type=positive_int, default=7, metavar="N", help="how far ahead (default 7)"
    )
    add_pdf_arguments(parser, today_help="the date of the meeting")


def run(args: argparse.Namespace) -> int:
    from db.reports.lookup import find_client
    from desktop.printing.command_line import gui_application, looked_up, printing_store

    with printing_store(args) as store:
        client_id = looked_up(find_client, store, args.client)
        gui_application()
        from desktop.printing.reports import write_agenda_pdf

        write_agenda_pdf(
            store.session,
            args.output.expanduser(),
            client_id=client_id,
            days=args.days,
            today=args.today or date.today(),
            paper=args.paper,
        )
    print(f"{args.output.expanduser()}: agenda written", file=sys.stderr)
    return 0
