"""The agency server from the command line, as an administrator and a station's user run it:
`server init` prints what it made, `server add-station` a login and its password, and
`sync --server` syncs (a missing database joins). An unreachable server, a refused login and
a newer schema are each exit code 2 with one line saying which."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from bench.pg_cluster import Cluster
from desktop.cli import main
from tests.pg.conftest import AgencyServer


def _one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    _out, err = capsys.readouterr()
    assert err.count("\n") == 1, err
    return err


def test_init_prints_what_it_did_and_a_second_run_changes_nothing(
    pg_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["server", "init", pg_database]) == 0
    out, _ = capsys.readouterr()
    assert "created schema agency_desk (version 1)" in out
    assert "row-level security" in out and "_station (NOLOGIN)" in out
    assert "password" not in out.lower() or "pw" not in out
    assert main(["server", "init", pg_database]) == 0
    out, _ = capsys.readouterr()
    assert "is current; nothing to do" in out


def test_add_station_then_two_stations_sync_from_the_command_line(
    tmp_path: Path, pg_cluster: Cluster, pg_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    database = pg_database.rsplit("/", 1)[1]
    assert main(["server", "init", pg_database]) == 0
    urls = []
    for name in ("ana", "ben"):
        login = f"{database}_{name}"
        assert main(["server", "add-station", pg_database, login]) == 0
        out, _ = capsys.readouterr()
        password = out.split("shown once, give it to the station's user): ")[1].split()[0]
        assert f"agency-desk server login postgresql://{login}@127.0.0.1:" in out
        urls.append(pg_cluster.url(database, user=login, password=password))
    assert main(["demo", "--db", str(tmp_path / "a.sqlite")]) == 0
    capsys.readouterr()
    assert main(["sync", "--db", str(tmp_path / "a.sqlite"), "--server", urls[0]]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("sync: sent ")
    assert main(["sync", "--db", str(tmp_path / "b.sqlite"), "--server", urls[1]]) == 0
    out, _ = capsys.readouterr()
    assert "joined the share" in out
    # The URL is remembered without its password; the password then comes from libpq's
    # environment, as it would from the keychain.
    os.environ["PGPASSWORD"] = urls[1].split(":")[2].split("@")[0]
    try:
        assert main(["sync", "--db", str(tmp_path / "b.sqlite")]) == 0
    finally:
        del os.environ["PGPASSWORD"]
    out, _ = capsys.readouterr()
    assert out.startswith("sync: sent 0 changes, received 0")


def test_an_unreachable_server_is_exit_code_2_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "postgresql://someone:pw@127.0.0.1:9/agency"
    assert main(["sync", "--db", str(tmp_path / "a.sqlite"), "--server", url]) == 2
    assert "is not reachable" in _one_line_error(capsys)
    assert not (tmp_path / "a.sqlite").exists()


def test_a_refused_login_is_exit_code_2_in_one_line(
    tmp_path: Path,
    pg_cluster: Cluster,
    agency_server: AgencyServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = agency_server.station_url("a")
    wrong = url.replace(agency_server.logins[f"{agency_server.database}_a"], "wrong")
    assert main(["sync", "--db", str(tmp_path / "a.sqlite"), "--server", wrong]) == 2
    err = _one_line_error(capsys)
    assert "refused the login" in err and "wrong" not in err.split("refused")[0]


def test_a_newer_server_schema_is_exit_code_2_in_one_line(
    tmp_path: Path, agency_server: AgencyServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = agency_server.station_url("a")
    with psycopg.connect(agency_server.admin_url, autocommit=True) as conn:
        conn.execute("UPDATE agency_desk.agency_schema SET version = 99")
    assert main(["sync", "--db", str(tmp_path / "a.sqlite"), "--server", url]) == 2
    assert "schema version 99, newer than this Agency Desk knows" in _one_line_error(capsys)


def test_init_upgrades_a_version_1_server_which_stations_refuse_until_then(
    pg_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Version 2 adds the function that seals batches sent in the clear when encryption is
    turned on (issue 17): an older server is refused with what to do, and `server init`
    upgrades it in place."""
    from db.sync.server import schema
    from db.sync.server.errors import ServerSchemaError

    with monkeypatch.context() as older:
        older.setattr(schema, "SERVER_SCHEMA", 1)
        assert main(["server", "init", pg_database]) == 0
    capsys.readouterr()
    with psycopg.connect(pg_database) as conn:
        with pytest.raises(ServerSchemaError, match="older than this Agency Desk needs"):
            schema.check_version(conn, "the server")
        assert conn.execute(
            "SELECT to_regprocedure('agency_desk.reseal_change(text,bigint,text,uuid,bytea)')"
        ).fetchone() == (None,)
    assert main(["server", "init", pg_database]) == 0
    out, _ = capsys.readouterr()
    assert "upgraded schema agency_desk (version 2)" in out
    with psycopg.connect(pg_database) as conn:
        assert schema.check_version(conn, "the server") == 2
        assert conn.execute(
            "SELECT to_regprocedure('agency_desk.reseal_change(text,bigint,text,uuid,bytea)') "
            "IS NOT NULL"
        ).fetchone() == (True,)


def test_not_a_url_is_exit_code_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sync", "--db", str(tmp_path / "a.sqlite"), "--server", "db.example"]) == 2
    assert "--server" in _one_line_error(capsys)


def test_the_installed_command_syncs_through_the_server_in_a_real_process(
    tmp_path: Path, agency_server: AgencyServer
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "sync", "--db", str(tmp_path / "a.sqlite"),
         "--server", agency_server.station_url("a")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("sync: sent 0 changes")
