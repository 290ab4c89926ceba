"""A row deleted by two stations at once and restored by a third that had seen only one of
the deletes: the restore answers the delete it saw, outranks the one it never saw, and a
date added to the row by a fourth station that had seen neither delete is judged the same
way on every station, whatever order the files arrive in (issue 10 §2: seen in the soak).

Four authors are needed: two deletes, a restore that saw one of them, and a child made
without seeing either. Stations A-D have ids that sort in that order, so a pull applies
their files in that order; a file that has not arrived yet is moved aside for one sync.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.models import Client, Contact, ImportantDate
from db.operations import Create, Delete
from tests.sync.harness import Bench, Station, conflicts, dump, listed, lost_edits
from tests.sync.test_causal import not_arrived

IDS = {"A": "a" * 16, "B": "b" * 16, "C": "c" * 16, "D": "d" * 16}


def _bench(root: Path) -> Bench:
    bench = Bench(root, 4)
    for station, (name, sid) in zip(bench.stations, IDS.items(), strict=True):
        station.close()
        station.sql("UPDATE sync_ctl SET station_id = ?", (sid,))
        station.name = name
    return bench


@pytest.fixture
def abcd(tmp_path: Path) -> Iterator[Bench]:
    bench = _bench(tmp_path)
    yield bench
    bench.close()


def _files(bench: Bench, station: Station) -> list[Path]:
    folder = bench.share / "AgencyDesk" / "changes" / station.station_id
    return sorted(folder.glob("*.jsonl"))


def _restore_from_tomb(station: Station, entity: type, row_id: str) -> None:
    """Put a deleted row back as it was, as a user restoring it would."""
    (data,) = station.sql("SELECT data FROM sync_tomb WHERE row_id = ?", (row_id,))[0]
    values = {k: v for k, v in json.loads(data).items() if k not in ("created_at", "updated_at")}
    station.apply(Create(entity, values))


def _two_deletes_a_restore_and_a_date(bench: Bench) -> tuple[str, str]:
    """A deletes the contact; C deletes it too, later, without having seen A's delete; B
    sees A's delete only and restores the contact, later still (so its restore outranks
    C's delete); D, having seen neither delete, adds a birthday to the contact. Every file
    is on the share at the end except C's and D's own, which their next sync pushes.
    Returns (contact id, date id)."""
    a, b, c, d = bench.stations
    client = Create(Client, {"name": "Acme"})
    a.apply(client)
    contact = Create(Contact, {"client_id": client.id, "name": "Dana"})
    a.apply(contact)
    bench.settle(1)
    a.apply(Delete(Contact, contact.id))
    bench.sync(a)
    time.sleep(0.005)
    c.apply(Delete(Contact, contact.id))
    birthday = {"contact_id": contact.id, "label": "birthday", "day": 3, "month": 4}
    date = Create(ImportantDate, birthday)
    d.apply(date)
    time.sleep(0.005)
    b.close()
    bench.sync(b)  # A's delete arrives; C's has not been pushed
    _restore_from_tomb(b, Contact, contact.id)
    bench.sync(b)
    return contact.id, date.id


def _converged(bench: Bench) -> None:
    for s in bench.stations:
        s.close()
    bench.settle(2)
    first = dump(bench.stations[0].path)
    for s in bench.stations[1:]:
        assert dump(s.path) == first, f"{s.name} differs from {bench.stations[0].name}"
    assert lost_edits([s.path for s in bench.stations]) == []
    assert all(not s.results[-1].waiting for s in bench.stations)


def _dates(station: Station) -> int:
    return station.sql("SELECT count(*) FROM important_date")[0][0]


def _date_listed(station: Station, date_id: str) -> bool:
    return any(c["row_id"] == date_id and c["row_data"] for c in conflicts(station.path))


@pytest.mark.parametrize("first", ["restore", "date"])
def test_a_date_added_before_a_delete_a_restore_answered_goes_everywhere(
    abcd: Bench, first: str
) -> None:
    """At C the contact is deleted by C's own, higher delete when A's arrives (so A's is
    not the tombstone there); B's restore then brings it back. D's birthday, made before
    A's delete, meets a deleted contact on every station: it is listed, never kept on C
    alone, whether it reaches C before the restore or after it."""
    _a, b, c, d = abcd.stations
    contact_id, date_id = _two_deletes_a_restore_and_a_date(abcd)
    c.close()
    d.close()
    abcd.sync(d)  # D's birthday goes out; D receives both deletes and the restore
    if first == "restore":
        with not_arrived(*_files(abcd, d)[-1:]):
            abcd.sync(c)
        assert c.sql("SELECT count(*) FROM contact WHERE id = ?", (contact_id,)) == [(1,)]
    else:
        with not_arrived(*_files(abcd, b)[-1:]):
            abcd.sync(c)
        assert c.sql("SELECT count(*) FROM contact WHERE id = ?", (contact_id,)) == [(0,)]
    abcd.sync(c)
    assert _dates(c) == 0 and _date_listed(c, date_id)
    _converged(abcd)
    for s in abcd.stations:
        assert s.sql("SELECT name FROM contact WHERE id = ?", (contact_id,)) == [("Dana",)]
        assert _dates(s) == 0 and _date_listed(s, date_id), s.name


# Which station syncs next, and which other stations' newest file it does not see yet.
arrival = st.tuples(st.integers(0, 3), st.frozensets(st.integers(0, 3), max_size=2))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(arrival, min_size=1, max_size=8))
def test_two_deletes_a_restore_and_a_date_converge_in_any_arrival_order(
    syncs: list[tuple[int, frozenset[int]]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bench = _bench(Path(tmp))
        try:
            _two_deletes_a_restore_and_a_date(bench)
            for who, late in syncs:
                station = bench.stations[who]
                station.close()
                with ExitStack() as stack:
                    for other in sorted(late - {who}):
                        newest = _files(bench, bench.stations[other])[-1:]
                        stack.enter_context(not_arrived(*newest))
                    bench.sync(station)
            _converged(bench)
            lists = [listed(s.path) for s in bench.stations]
            assert all(other == lists[0] for other in lists[1:])
            assert all(_dates(s) == 0 for s in bench.stations)
            assert all(s.sql("SELECT count(*) FROM contact")[0][0] == 1 for s in bench.stations)
        finally:
            bench.close()
