"""`agency-desk print-agenda [--client NAME [--audience client|internal]] [--days N] --db PATH
-o FILE.pdf`: a meeting agenda for one client, or for the weekly team meeting when no client is
given.

A client's agenda is for the client by default, like the client summary: only follow-ups
marked "share with client", and no staffing. `--audience internal` is the account manager's
own preparation for that meeting. The team meeting's agenda is always internal."""

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
        "--client it is the weekly team meeting's agenda. A client's agenda is for the "
        "client unless --audience internal: it lists only the follow-ups shared with them "
        "and leaves out who is over-allocated."
    )
    parser.add_argument("--client", metavar="NAME", help="the client's name (or part) or id")
    parser.add_argument(
        "--audience",
        choices=("client", "internal"),
        default=None,
        help="who a client's agenda is for (default: client, which leaves out everything "
        "internal); the team agenda is always internal",
    )
    parser.add_argument(
        "--days", type=positive_int, default=7, metavar="N", help="how far ahead (default 7)"
    )
    add_pdf_arguments(parser, today_help="the date of the meeting")


def run(args: argparse.Namespace) -> int:
    from db.reports.client_summary import Audience
    from db.reports.lookup import find_client
    from desktop.cli_commands.command import UsageError
    from desktop.printing.command_line import gui_application, looked_up, printing_store

    if args.audience == "client" and not args.client:
        raise UsageError("--audience client: a copy for the client needs --client NAME")
    audience = Audience(args.audience) if args.audience else None
    with printing_store(args) as store:
        client_id = looked_up(find_client, store, args.client)
        gui_application()
        from desktop.printing.reports import write_agenda_pdf

        write_agenda_pdf(
            store.session,
            args.output.expanduser(),
            client_id=client_id,
            audience=audience,
            days=args.days,
            today=args.today or date.today(),
            paper=args.paper,
        )
    print(f"{args.output.expanduser()}: agenda written", file=sys.stderr)
    return 0
