"""`agency-desk person export NAME_OR_EMAIL --db PATH -o DIR` and
`agency-desk person erase NAME_OR_EMAIL --db PATH --yes [--redact] [--by NAME]`: a person's
GDPR requests from the command line (issue 18).

Export writes `personal-data-<name>.json` and `.pdf` into DIR. Erase removes the person's
data for good (the erase reaches other stations with the next sync) and lists the texts that
still name them; `--redact` replaces their name and email in those texts instead. A name that
matches nobody or several people ends with exit code 2 and a line listing the candidates.

Both find contacts deleted the ordinary way too ("(deleted)" in a candidate list): such a
contact's data stays in this station's sync history (tombstones, outbox, audit trail) until
an erase removes it, here and, with the next sync, on every station.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from desktop.cli_commands.command import UsageError, open_database_or_refuse

NAME = "person"
HELP = "export what the agency holds about a person, or erase it (GDPR requests)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "A person's requests about their data: 'export' writes everything the agency holds "
        "about one contact as a PDF and a JSON file; 'erase' removes their personal data on "
        "this station and, with the next sync, on every station (it cannot be undone). "
        "NAME_OR_EMAIL is the contact's email address, whole name, or a unique part of it."
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export", help="write the person's data as PDF and JSON into a folder"
    )
    export.add_argument("person", metavar="NAME_OR_EMAIL", help="the contact's email or name")
    export.add_argument("--db", type=Path, required=True, metavar="PATH", help="the database")
    export.add_argument(
        "-o", "--output", type=Path, required=True, metavar="DIR", help="the folder to write to"
    )
    export.add_argument(
        "--paper", choices=("a4", "letter"), help="paper size (default: your locale's)"
    )
    erase = actions.add_parser(
        "erase", help="erase the person's personal data everywhere (cannot be undone)"
    )
    erase.add_argument("person", metavar="NAME_OR_EMAIL", help="the contact's email or name")
    erase.add_argument("--db", type=Path, required=True, metavar="PATH", help="the database")
    erase.add_argument("--yes", action="store_true", help="confirm: the erase cannot be undone")
    erase.add_argument(
        "--redact",
        action="store_true",
        help="also replace the person's name and email with 'erased contact' in the texts "
        "that still name them (summaries, follow-ups, comments)",
    )
    erase.add_argument(
        "--by", metavar="NAME", default="", help="who erases, for the record (default: unnamed)"
    )


def run(args: argparse.Namespace) -> int:
    db_path = args.db.expanduser()
    if not db_path.exists():
        raise UsageError(f"{db_path}: no such database file")
    if args.action == "export":
        return _export(args, db_path)
    return _erase(args, db_path)


def _export(args: argparse.Namespace, db_path: Path) -> int:
    folder = args.output.expanduser()
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder (-o takes a folder for the two files)")
    from db.store import Store
    from desktop.printing.command_line import gui_application, looked_up

    store = Store(open_database_or_refuse(db_path))
    try:
        from db.privacy.lookup import find_person
        from db.privacy.person import DELETED, person

        contact_id = looked_up(find_person, store, args.person)
        assert contact_id is not None
        found = person(store.session.connection().exec_driver_sql, contact_id)
        if found is not None and found.deleted:
            raise UsageError(
                f"{found.name} {DELETED}: the contact was deleted, so there is no record "
                "to export; 'person erase' removes what this station still holds of them "
                "(its sync and audit history), here and at the next sync everywhere"
            )
        gui_application()
        from desktop.printing.personal_data import export_person

        try:
            files = export_person(store.session, contact_id, folder, paper=args.paper)
        except OSError as exc:
            raise UsageError(f"{folder}: cannot be written ({exc})") from exc
    finally:
        store.close()
    print(files.pdf)
    print(files.json)
    return 0


def _erase(args: argparse.Namespace, db_path: Path) -> int:
    if not args.yes:
        raise UsageError(
            f"erasing {args.person!r} cannot be undone; add --yes to confirm "
            "(export the data first with 'person export' if it was asked for)"
        )
    from db.privacy.erase import ErasePerson, vacuum
    from db.privacy.lookup import find_person
    from db.privacy.mentions import mentions, needles
    from db.privacy.person import DELETED, person
    from db.store import Store
    from desktop.printing.command_line import looked_up

    store = Store(open_database_or_refuse(db_path))
    try:
        contact_id = looked_up(find_person, store, args.person)
        assert contact_id is not None
        contact = person(store.session.connection().exec_driver_sql, contact_id)
        assert contact is not None
        name = f"{contact.name} {DELETED}" if contact.deleted else contact.name
        words = needles(contact.name, contact.email)
        named = mentions(store.session, contact_id)
        edits: dict[tuple[str, str, str], str] = {}
        if args.redact:
            pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
            edits = {m.key: pattern.sub("erased contact", m.text) for m in named}
        store.apply(ErasePerson(contact_id, erased_by=args.by, edits=edits))
    finally:
        store.close()
    vacuum(db_path)
    print(
        f"{name}: personal data erased; other stations erase it at their next sync", file=sys.stderr
    )
    if named and not args.redact:
        print(
            f"{len(named)} text(s) still name them; edit them in the app "
            "(--redact would have replaced the name in them):",
            file=sys.stderr,
        )
        for m in named:
            print(f"  {m.what} {m.when}: {m.text}", file=sys.stderr)
    return 0
