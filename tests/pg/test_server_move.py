"""Moving an agency from its shared folder onto the server, one station at a time, as the
stations' users would: nothing is lost (not even what a station sent to the folder after
others had switched, or had not sent at all), a station still on the folder is told every
time it syncs, the switched ones are told who has not followed, and a new station joining
the server afterwards gets the whole agency."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.models import Client
from db.operations import Create, Update
from db.sync import sync
from db.sync.server.move import marker_path
from db.sync.server.secrets import store_password
from db.sync.server.sync import sync_server
from desktop.cli import main
from tests.pg.conftest import AgencyTemplate, MemoryKeychain
from tests.sync.harness import Station, dump, lost_edits, new_station_db


def _names(station: Station) -> list[str]:
    return [r[0] for r in station.sql("SELECT name FROM client ORDER BY name")]


def test_an_agency_moves_station_by_station_and_loses_nothing(
    tmp_path: Path,
    agency_template: AgencyTemplate,
    capsys: pytest.CaptureFixture[str],
    keychain: MemoryKeychain,
) -> None:
    name, urls = agency_template.fresh()
    for url in urls:  # each station's password in its keychain, as `server login` keeps it
        _login, password = url.split("//", 1)[1].split("@", 1)[0].split(":")
        store_password(url.replace(f":{password}@", "@"), password)
    share = tmp_path / "share"
    share.mkdir()
    a, b, c = (Station(n, tmp_path / f"{n}.sqlite") for n in ("a", "b", "c"))
    try:
        for s in (a, b, c):
            new_station_db(s.path)
        op = Create(Client, {"name": "from a on the folder"})
        a.apply(op)
        b.apply(Create(Client, {"name": "from b on the folder"}))
        c.apply(Create(Client, {"name": "from c on the folder"}))
        for s in (a, b, c):
            s.close()
            sync(s.path, share, station_name=s.name)
        c.apply(Create(Client, {"name": "c, never sent to the folder"}))
        c.close()

        # Ana switches first.
        assert main(["server", "move", "--db", str(a.path), "--share", str(share),
                     "--server", urls[0]]) == 0  # fmt: skip
        out = capsys.readouterr().out
        assert "this station now syncs with the agency server" in out
        assert "tells every station still using it that the agency moved" in out
        assert "2 stations have not switched yet" in out
        assert marker_path(share).is_file()

        # Ben, still on the folder, keeps working there and is told each time.
        b.apply(Update(Client, op.id, {"industry": "b, after a switched"}))
        b.close()
        assert main(["sync", "--db", str(b.path), "--share", str(share)]) == 0
        out = capsys.readouterr().out
        assert "this agency moved to the agency server postgresql://" in out
        assert "agency-desk server move" in out
        a.apply(Create(Client, {"name": "a, on the server"}))
        a.close()
        assert main(["sync", "--db", str(a.path), "--server", urls[0]]) == 0

        # Ben and Cleo follow, one after the other.
        assert main(["server", "move", "--db", str(b.path), "--share", str(share),
                     "--server", urls[1]]) == 0  # fmt: skip
        assert "1 station has not switched yet" in capsys.readouterr().out
        assert main(["server", "move", "--db", str(c.path), "--share", str(share),
                     "--server", urls[2]]) == 0  # fmt: skip
        assert "every station known to the agency has switched" in capsys.readouterr().out

        # Plain syncs now go to the server, which each database remembers.
        for _ in range(2):
            for s in (a, b, c):
                assert main(["sync", "--db", str(s.path)]) == 0
        capsys.readouterr()
        assert dump(a.path) == dump(b.path) == dump(c.path)
        assert lost_edits([a.path, b.path, c.path]) == []
        expected = [
            "a, on the server",
            "c, never sent to the folder",
            "from a on the folder",
            "from b on the folder",
            "from c on the folder",
        ]
        assert _names(c) == expected
        assert c.sql("SELECT industry FROM client WHERE id = ?", (op.id,)) == [
            ("b, after a switched",)
        ]
        # A new station joining the server gets the whole agency.
        new = tmp_path / "new.sqlite"
        result = sync_server(new, urls[3])
        assert result.joined
        assert dump(new) == dump(a.path)
    finally:
        for s in (a, b, c):
            s.close()
        agency_template.cluster.drop_database(name)
