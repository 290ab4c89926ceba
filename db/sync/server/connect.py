"""Opening a connection to an agency server, and saying in one line why one could not be had.

A server is named by a libpq URL, `postgresql://user@host:port/database?sslmode=verify-full`.
The password comes from the caller (the OS keychain, `db.sync.server.secrets`), else from the
URL, else from libpq's own sources (PGPASSWORD, ~/.pgpass); it is never printed: `describe`
shows a URL without it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

import psycopg
from psycopg import errors as pg_errors
from psycopg.conninfo import conninfo_to_dict

from db.sync.server.errors import (
    NotAServerError,
    ServerLoginError,
    ServerRefusedError,
    ServerUnreachableError,
)

CONNECT_TIMEOUT_S = 5
# A statement that takes longer than this is stuck (a lock, a dying server): give up, retry later.
STATEMENT_TIMEOUT_MS = 60_000
SCHEMES = ("postgresql://", "postgres://")
T = TypeVar("T")

_LOGIN_REFUSED = (
    "password authentication failed",
    "no password supplied",
    "authentication failed",
    "role",  # "role "x" does not exist"
    "pg_hba.conf",
)


def is_server_url(text: str) -> bool:
    return text.strip().lower().startswith(SCHEMES)


def parts(url: str) -> dict[str, Any]:
    """The URL's fields (host, port, user, dbname, ...); raises ValueError when it is not
    one."""
    if not is_server_url(url):
        raise ValueError(f"{url!r} is not a server URL (postgresql://user@host/database)")
    try:
        return conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise ValueError(f"not a valid server URL: {exc}") from None


def server_address(text: str, user: str = "") -> tuple[str, str | None]:
    """(the server's URL with `user` as its login (else the text's) and no password, the
    password the text carried) for a URL (`postgresql://host/agency`) or a libpq key=value
    string (`host=... dbname=agency`) as someone pastes it. Raises ValueError saying what
    is wrong."""
    text = text.strip()
    if not text:
        raise ValueError("give the server's address, postgresql://host/database")
    if "://" in text and not is_server_url(text):
        raise ValueError("a server address starts with postgresql://")
    if "://" not in text and "=" not in text:
        raise ValueError(
            "give the server's address as postgresql://host/database (or host=... dbname=...)"
        )
    try:
        fields = {k: str(v) for k, v in conninfo_to_dict(text).items()}
    except psycopg.ProgrammingError as exc:
        raise ValueError(f"not a server address: {' '.join(str(exc).split())}") from None
    password = fields.pop("password", None) or None
    login = user.strip() or fields.get("user", "")
    fields.pop("user", None)
    dbname = fields.pop("dbname", "")
    if not dbname:
        raise ValueError("the address names no database: postgresql://host/database")
    host = fields.pop("host", "") or "localhost"
    port = fields.pop("port", "")
    where = f"[{host}]" if ":" in host else host
    at = f"{quote(login, safe='')}@" if login else ""  # no login: libpq's default user
    url = f"postgresql://{at}{where}{':' + port if port else ''}"
    url += f"/{quote(dbname, safe='')}"
    if fields:
        url += "?" + urlencode(sorted(fields.items()))
    return url, password


def describe(url: str) -> str:
    """The URL as it may be shown or stored: everything but the password."""
    fields = parts(url)
    user = fields.get("user")
    host = fields.get("host") or "localhost"
    port = fields.get("port")
    where = f"{host}:{port}" if port else str(host)
    query = "&".join(
        f"{k}={v}" for k, v in sorted(fields.items()) if k in ("sslmode", "sslrootcert")
    )
    text = f"postgresql://{user + '@' if user else ''}{where}/{fields.get('dbname', '')}"
    return text + (f"?{query}" if query else "")


def user_of(url: str) -> str:
    return str(parts(url).get("user") or "")


def connect(
    url: str, password: str | None = None, *, autocommit: bool = True
) -> psycopg.Connection[Any]:
    """A connection, or a one-line `SyncError` saying whether the server is unreachable,
    refused the login or has no such database."""
    where = describe(url)
    extra: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT_S}
    if password:
        extra["password"] = password
    fields = parts(url)
    if "application_name" not in fields:
        extra["application_name"] = "agency-desk"
    try:
        conn = psycopg.connect(url, autocommit=autocommit, **extra)
    except psycopg.OperationalError as exc:
        raise _connect_error(where, fields, exc) from None
    conn.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
    return conn


def _connect_error(where: str, fields: dict[str, Any], exc: psycopg.Error) -> Exception:
    text = str(exc)
    detail = text.rsplit("FATAL:", 1)[-1].strip().splitlines()[0] if text else "no answer"
    if "database" in text and "does not exist" in text:
        return NotAServerError(
            f"agency server {where}: the database {fields.get('dbname')!r} does not exist"
        )
    if "no password supplied" in text:
        return ServerLoginError(
            f"agency server {where} asks for a password for {fields.get('user') or 'this user'} "
            "and none is kept on this computer; keep it with 'agency-desk server login URL' "
            "(or in Preferences > Sync)"
        )
    if any(mark in text for mark in _LOGIN_REFUSED) and "FATAL" in text:
        return ServerLoginError(
            f"agency server {where} refused the login for {fields.get('user') or 'this user'} "
            f"({detail}); check the user name and password"
        )
    reason = " ".join(text.split("failed:", 1)[-1].split()) or "no answer"
    return ServerUnreachableError(
        f"agency server {where} is not reachable ({reason[:200]}); working locally"
    )


def translate(where: str, exc: psycopg.Error) -> Exception:
    """A `SyncError` for an error while talking to the server."""
    if isinstance(exc, pg_errors.InsufficientPrivilege):
        return ServerRefusedError(f"agency server {where} refused: {_first_line(exc)}")
    if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        return ServerUnreachableError(
            f"agency server {where}: connection lost ({_first_line(exc)}); working locally"
        )
    return ServerRefusedError(f"agency server {where}: {_first_line(exc)}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


def guarded(where: str, action: Callable[[], T]) -> T:
    try:
        return action()
    except psycopg.Error as exc:
        raise translate(where, exc) from None
