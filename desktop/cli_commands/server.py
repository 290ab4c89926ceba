"""`agency-desk server …`: set up and use an agency server (PostgreSQL).

    server init URL                 create the schema and the stations' role (or upgrade them);
                                    prints what it did. URL: an administrator's login.
    server add-station URL LOGIN    make one station's login; prints its password once
    server login URL                keep a station's password in this computer's keychain
    server move --db PATH --share DIR --server URL
                                    switch one station from the shared folder to the server

Every refusal (unreachable, login refused, a newer schema, a login that exists) is one line
on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys
from pathlib import Path

from desktop.cli_commands.command import UsageError

NAME = "server"
HELP = "set up an agency server (PostgreSQL) that stations sync through"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Set up an agency server: a PostgreSQL database that every station syncs through "
        "instead of a shared folder. Stations then run 'agency-desk sync --server URL'."
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init",
        help="create the schema and roles in a database (an administrator's login)",
        description="Create the agency schema, its tables, row-level security and the "
        "stations' role in the database named by URL, or upgrade an older schema; prints what "
        "it did. URL is postgresql://ADMIN@HOST[:PORT]/DATABASE; the password comes from "
        "PGPASSWORD, ~/.pgpass or the keychain.",
    )
    init.add_argument("url", metavar="URL", help="an administrator's URL of the database")
    add = actions.add_parser(
        "add-station",
        help="make a login for one station; prints its password once",
        description="Create a login for one station, a member of the agency's stations role: "
        "it may read everything and add only its own changes.",
    )
    add.add_argument("url", metavar="URL", help="an administrator's URL of the database")
    add.add_argument("login", metavar="LOGIN", help="the new login (lower case, digits, _)")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the new login's password from stdin instead of making one",
    )
    login = actions.add_parser(
        "login",
        help="keep a station's server password in this computer's keychain",
        description="Ask for the password of the login in URL and keep it in the operating "
        "system's keychain, where 'agency-desk sync --server URL' and the app find it.",
    )
    login.add_argument("url", metavar="URL", help="the station's URL (postgresql://LOGIN@…)")
    login.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    move = actions.add_parser(
        "move",
        help="switch this station from the shared folder to the agency server",
        description="Move an agency from its shared folder onto the agency server, one station "
        "at a time, losing nothing: a last sync with the folder, a note on the folder telling "
        "every station still using it that the agency moved, then a sync with the server that "
        "publishes this station's changes and a snapshot there. Run it once on every station "
        "(each with its own login); the folder keeps working for those not switched yet.",
    )
    move.add_argument(
        "--db", type=Path, required=True, metavar="PATH", help="this station's database"
    )
    move.add_argument("--share", type=Path, required=True, metavar="DIR", help="the shared folder")
    move.add_argument("--server", required=True, metavar="URL", help="this station's server URL")
    move.add_argument("--station-name", metavar="NAME", help="how other stations see this one")


def _url(text: str) -> str:
    from db.sync.server.connect import parts

    try:
        parts(text)
    except ValueError as exc:
        raise UsageError(f"{NAME}: URL: {exc}") from None
    return text


def _password_from_stdin() -> str:
    value = sys.stdin.readline().rstrip("\r\n")
    if not value:
        raise UsageError(f"{NAME}: --password-stdin: no password on stdin")
    return value


def run(args: argparse.Namespace) -> int:
    from db.sync.errors import SyncError

    if args.action == "move":
        return _move(args)
    url = _url(args.url)
    try:
        if args.action == "init":
            return _init(url)
        if args.action == "add-station":
            return _add_station(url, args.login, args.password_stdin)
        return _login(url, args.password_stdin)
    except SyncError as exc:
        raise UsageError(f"{NAME} {args.action}: {exc}") from exc


def _admin_password(url: str) -> str | None:
    from db.sync.server.secrets import stored_password

    return stored_password(url)


def _init(url: str) -> int:
    from db.sync.server.schema import init_server

    report = init_server(url, _admin_password(url))
    for line in report.done:
        print(line)
    print(f"next: agency-desk server add-station {_public(url)} LOGIN, once per station")
    return 0


def _public(url: str) -> str:
    from db.sync.server.connect import describe

    return describe(url)


def _add_station(url: str, login: str, from_stdin: bool) -> int:
    from db.sync.server.connect import describe, parts
    from db.sync.server.schema import add_station

    password = _password_from_stdin() if from_stdin else secrets.token_urlsafe(18)
    try:
        role = add_station(url, login, password, _admin_password(url))
    except ValueError as exc:
        raise UsageError(f"{NAME} add-station: LOGIN: {exc}") from exc
    fields = parts(url)
    station_url = describe(url).replace(f"//{fields.get('user')}@", f"//{login}@", 1)
    if "@" not in station_url:
        station_url = station_url.replace("//", f"//{login}@", 1)
    print(f"created the login {login}, a member of {role}")
    if not from_stdin:
        print(f"its password (shown once, give it to the station's user): {password}")
    print(f"on that station: agency-desk server login {station_url}")
    return 0


def _login(url: str, from_stdin: bool) -> int:
    from db.sync.server.connect import connect, describe
    from db.sync.server.secrets import store_password

    if from_stdin:
        password = _password_from_stdin()
    else:
        password = getpass.getpass(f"password for {describe(url)}: ")
    connect(url, password).close()  # a wrong password is refused here, not kept
    store_password(url, password)
    print(f"the password for {describe(url)} is kept in this computer's keychain")
    return 0


def _move(args: argparse.Namespace) -> int:
    from db.errors import DatabaseOpenError
    from db.sync.errors import SyncError
    from db.sync.server.connect import describe
    from db.sync.server.move import move

    url = _url(args.server)
    db_path: Path = args.db.expanduser()
    if not db_path.is_file():
        raise UsageError(f"{db_path}: no such database (move switches an existing station)")
    try:
        report = move(db_path, args.share.expanduser(), url, station_name=args.station_name)
    except (SyncError, DatabaseOpenError) as exc:
        raise UsageError(f"{NAME} move: {exc}") from exc
    print(f"shared folder: {report.folder.summary()}")
    print(f"agency server: {report.server.summary()}")
    if report.republished:
        n = report.republished
        print(f"sent {n} earlier batch{'es' if n > 1 else ''} of this station to the server")
    print(f"this station now syncs with the agency server {describe(url)}")
    if report.encrypted:
        print(
            "the agency server is encrypted with the agency's key, as the shared folder is "
            "(the same passphrase)"
        )
    if report.marked:
        print("the shared folder now tells every station still using it that the agency moved")
    if report.not_switched:
        count = len(report.not_switched)
        print(
            f"{count} station{'s have' if count > 1 else ' has'} not switched yet (their "
            f"latest changes arrive when they do): {', '.join(report.not_switched)}"
        )
    else:
        print("every station known to the agency has switched")
    return 0
