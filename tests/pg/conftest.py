"""A real PostgreSQL server for the server-sync tests: one throwaway cluster per test session
(`bench.pg_cluster`: initdb in a temp folder, run as an unprivileged account, loopback only),
and a fresh database per test.

Where PostgreSQL's programs or psycopg are missing these tests skip on a developer's machine;
with the CI environment variable set they fail instead, so CI can never pass by skipping them.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

from bench.pg_cluster import Cluster, find_binaries, start_cluster

_names = itertools.count(1)


def _unavailable(why: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the PostgreSQL tests, but {why}", pytrace=False)
    pytest.skip(why)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed")
    bin_dir = find_binaries()
    if bin_dir is None:
        _unavailable("PostgreSQL's initdb/pg_ctl/postgres were not found")
        raise AssertionError("unreachable")
    cluster = start_cluster(bin_dir)
    try:
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def pg_database(pg_cluster: Cluster) -> Iterator[str]:
    """The admin's URL of a new, empty database (dropped after the test)."""
    name = f"agency_{os.getpid()}_{next(_names)}"
    url = pg_cluster.create_database(name)
    try:
        yield url
    finally:
        pg_cluster.drop_database(name)


class AgencyServer:
    """A database with the agency schema (`server init`), and station logins made on demand
    (`server add-station`)."""

    def __init__(self, cluster: Cluster, admin_url: str) -> None:
        from db.sync.server.schema import init_server

        self.cluster = cluster
        self.admin_url = admin_url
        self.database = admin_url.rsplit("/", 1)[1]
        self.init_report = init_server(admin_url)
        self.logins: dict[str, str] = {}

    def station_url(self, name: str) -> str:
        """The URL (password included) of a station login `name`, made on first use."""
        from db.sync.server.schema import add_station

        login = f"{self.database}_{name}"
        if login not in self.logins:
            self.logins[login] = f"pw-{name}-{next(_names)}"
            add_station(self.admin_url, login, self.logins[login])
        return self.cluster.url(self.database, user=login, password=self.logins[login])


@pytest.fixture
def agency_server(pg_cluster: Cluster, pg_database: str) -> AgencyServer:
    return AgencyServer(pg_cluster, pg_database)


class AgencyTemplate:
    """A database with the agency schema and a few station logins, made once per session;
    `fresh()` copies it into a new database in a fraction of a second (CREATE DATABASE …
    TEMPLATE), so property-based tests get a clean server per example."""

    LOGINS = 4

    def __init__(self, cluster: Cluster) -> None:
        from db.sync.server.schema import add_station, init_server

        self.cluster = cluster
        self.name = f"agency_template_{os.getpid()}"
        admin = cluster.create_database(self.name)
        init_server(admin)
        self.logins = [(f"{self.name}_s{i}", f"pw-s{i}") for i in range(self.LOGINS)]
        for login, password in self.logins:
            add_station(admin, login, password)

    def fresh(self) -> tuple[str, list[str]]:
        """A new agency database: its name and one station URL per login."""
        import psycopg

        name = f"agency_{os.getpid()}_{next(_names)}"
        with psycopg.connect(self.cluster.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
        urls = [self.cluster.url(name, user=u, password=p) for u, p in self.logins]
        return name, urls


@pytest.fixture(scope="session")
def agency_template(pg_cluster: Cluster) -> AgencyTemplate:
    return AgencyTemplate(pg_cluster)


class MemoryKeychain:
    """The OS keychain's place in a test: an in-memory keyring backend, so tests never read
    or write the developer's real keychain."""

    def __init__(self) -> None:
        from keyring.backend import KeyringBackend

        items: dict[tuple[str, str], str] = {}
        self.items = items

        class Backend(KeyringBackend):
            priority = 1  # type: ignore[assignment]

            def get_password(self, service: str, username: str) -> str | None:
                return items.get((service, username))

            def set_password(self, service: str, username: str, password: str) -> None:
                items[(service, username)] = password

            def delete_password(self, service: str, username: str) -> None:
                items.pop((service, username), None)

        self.backend = Backend()


@pytest.fixture
def keychain() -> Iterator[MemoryKeychain]:
    import keyring

    memory = MemoryKeychain()
    previous = keyring.get_keyring()
    keyring.set_keyring(memory.backend)
    try:
        yield memory
    finally:
        keyring.set_keyring(previous)
