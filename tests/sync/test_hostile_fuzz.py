"""Fuzz: hypothesis drops change files onto the share while three stations edit and sync —
valid-looking ones with one thing wrong, malformed ones (bytes, truncations, lying headers)
and hostile ones (deep nesting, huge numbers) — in a stranger's folder, at a real station's
next seq before it gets there, or beside a file already published. Every sync finishes (the
command line exits 0), the stations converge on the valid edits, and nothing of any bad file
reaches any database."""

from __future__ import annotations

import json
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.models import Client
from db.operations import Create, Update
from db.sync.command import main as cli_main
from db.sync.folder import sha256
from db.sync.local import schema_head
from db.sync.validate import HLC_MAX, HLC_MIN
from tests.sync.harness import Bench, Station, dump

MARK = "HOSTILE"
HOSTILE_ID = "dead0000-0000-4000-8000-00000000beef"


def _row() -> dict[str, Any]:
    return {
        "name": MARK,
        "status": "lead",
        "account_manager_id": None,
        "client_since": None,
        "industry": MARK,
        "annual_budget_cents": 0,
        "currency": "EUR",
        "website": "",
        "tags": "[]",
        "yearly_gift_budget_cents": 0,
        "id": HOSTILE_ID,
        "created_at": "2026-01-01 00:00:00",
        "updated_at": "2026-01-01 00:00:00",
    }


def _change() -> dict[str, Any]:
    return {"t": "client", "id": HOSTILE_ID, "op": "I", "h": HLC_MIN + 1, "f": _row(), "b": {}}


junk = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)

# (path into the change, a value that is wrong there whatever it is)
MUTATIONS = st.one_of(
    st.tuples(st.just(("h",)), st.integers(max_value=HLC_MIN - 1)),
    st.tuples(st.just(("h",)), st.integers(min_value=HLC_MAX + 1, max_value=2**80)),
    st.tuples(st.just(("h",)), junk.filter(lambda v: not isinstance(v, int))),
    st.tuples(st.just(("t",)), st.text(max_size=30).filter(lambda t: t != "client")),
    st.tuples(st.just(("op",)), st.text(max_size=3).filter(lambda t: t not in "IUD" or not t)),
    st.tuples(st.just(("f",)), junk.filter(lambda v: not isinstance(v, dict))),
    st.tuples(st.just(("b",)), junk.filter(lambda v: not isinstance(v, dict))),
    st.tuples(st.just(("f", "name")), junk.filter(lambda v: not isinstance(v, str))),
    st.tuples(st.just(("f", "name")), st.text(min_size=201, max_size=400)),
    st.tuples(
        st.just(("f", "status")),
        st.text(max_size=12).filter(
            lambda t: t not in {"lead", "prospect", "active", "paused", "former"}
        ),
    ),
    st.tuples(st.just(("f", "id")), st.uuids().map(str)),
    st.tuples(
        st.just(("f", "annual_budget_cents")),
        st.one_of(st.integers(min_value=10**15 + 1), st.integers(max_value=-(10**15) - 1)),
    ),
    st.tuples(st.just(("f", "created_at")), st.none()),
    st.tuples(st.just(("f", "client_since")), st.text(max_size=12)),
)


def _mutated(path: tuple[str, ...], value: Any) -> str:
    change = _change()
    if len(path) == 1:
        change[path[0]] = value
    else:
        change[path[0]][path[1]] = value
    return json.dumps(change)


def _file(who: str, seq_no: int, lines: list[str], **header: Any) -> bytes:
    head = {"count": len(lines), "format": 1, "schema": schema_head(), "seq": seq_no}
    head["station"] = who
    head.update(header)
    return ("\n".join([json.dumps(head), *lines]) + "\n").encode()


@st.composite
def bad_file(draw: st.DrawFn) -> tuple[str, Any]:
    """(kind, builder): the builder makes the bytes once it knows station and seq."""
    kind = draw(st.sampled_from(["mutated", "bytes", "truncated", "header", "deep", "huge-number"]))
    if kind == "mutated":
        path, value = draw(MUTATIONS)
        line = _mutated(path, value)
        return kind, lambda s, n: _file(s, n, [line])
    if kind == "bytes":
        raw = draw(st.binary(max_size=200))
        return kind, lambda s, n: raw
    if kind == "truncated":
        frac = draw(st.floats(0, 1))

        def cut(s: str, n: int) -> bytes:
            whole = _file(s, n, [json.dumps(_change())])
            return whole[: int(frac * (len(whole) - 2))]

        return kind, cut
    if kind == "header":
        lie = draw(
            st.sampled_from(
                [{"count": 2}, {"format": 99}, {"schema": "9999"}, {"station": "0" * 16}]
            )
        )
        return kind, lambda s, n: _file(s, n, [json.dumps(_change())], **lie)
    if kind == "deep":
        depth = draw(st.sampled_from([40, 500, 5000, 100_000]))
        return kind, lambda s, n: _file(s, n, ["[" * depth + "]" * depth])
    number = draw(st.sampled_from(["1e400", str(2**64), str(2**63 - 1), "-1e400"]))
    line = json.dumps(_change()).replace(f'"h": {HLC_MIN + 1}', f'"h": {number}')
    return kind, lambda s, n: _file(s, n, [line])


# Where a file lands: a stranger's folder, the real station's next seq before it publishes
# it, or beside a seq it already published.
PLACES = st.sampled_from(["stranger", "next", "published"])


def _drop(share: Path, station: str, seq: int, data: bytes) -> None:
    folder = share / "AgencyDesk" / "changes" / station
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{seq:012d}-{sha256(data)}.jsonl").write_bytes(data)


def _own_seq(station: Station) -> int:
    return int(station.sql("SELECT seq FROM sync_ctl")[0][0])


def _no_trace(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert (
            conn.execute("SELECT count(*) FROM client WHERE id = ?", (HOSTILE_ID,)).fetchone()[0]
            == 0
        )
        for table in ("sync_version", "sync_tomb", "sync_conflict"):
            column = "row_id"
            found = conn.execute(
                f"SELECT count(*) FROM {table} WHERE {column} = ?", (HOSTILE_ID,)
            ).fetchone()[0]
            assert found == 0, f"{table} holds a trace of a refused file"
        hlc = conn.execute("SELECT hlc FROM sync_ctl").fetchone()[0]
        assert isinstance(hlc, int) and hlc < HLC_MAX
    finally:
        conn.close()


def run(root: Path, drops: list[tuple[tuple[str, Any], str, int]]) -> None:
    bench = Bench(root, 3)
    try:
        a, b, c = bench.stations
        acme = Create(Client, {"name": "Acme"})
        a.apply(acme)
        b.apply(Create(Client, {"name": "Bolt"}))
        bench.settle(1)
        for (_kind, build), place, seq in drops:
            if place == "stranger":
                _drop(bench.share, "5" * 16, seq, build("5" * 16, seq))
            elif place == "next":
                n = _own_seq(a) + 1 + seq % 2
                _drop(bench.share, a.station_id, n, build(a.station_id, n))
            else:
                n = max(1, _own_seq(a) - seq % 2)
                _drop(bench.share, a.station_id, n, build(a.station_id, n))
        a.apply(Update(Client, acme.id, {"industry": "Bakery"}))
        a.apply(Create(Client, {"name": "Acme 2"}))
        c.apply(Create(Client, {"name": "Core"}))
        for s in bench.stations:
            s.close()
        assert cli_main(["--db", str(c.path), "--share", str(bench.share)]) == 0
        bench.settle(3)
        first = dump(a.path)
        assert all(dump(s.path) == first for s in (b, c)), "stations differ"
        assert sorted((r[0], r[1]) for r in a.sql("SELECT name, industry FROM client")) == [
            ("Acme", "Bakery"),
            ("Acme 2", ""),
            ("Bolt", ""),
            ("Core", ""),
        ]
        for s in bench.stations:
            _no_trace(s.path)
            assert s.results and all(r is not None for r in s.results)
    finally:
        bench.close()


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(st.tuples(bad_file(), PLACES, st.integers(1, 3)), min_size=1, max_size=4))
def test_bad_files_never_stop_sync_nor_reach_a_database(drops: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run(Path(tmp), drops)


@pytest.mark.parametrize("seconds", [0])
def test_fuzz_builders_make_valid_files_when_nothing_is_wrong(seconds: int) -> None:
    """The fuzz only means something if its unmutated file would apply."""
    from db.sync.validate import parse_change_file

    data = _file("5" * 16, 1, [json.dumps(_change())])
    _header, changes = parse_change_file(
        data, station="5" * 16, seq=1, schemas=frozenset({schema_head()})
    )
    assert changes[0].fields["name"] == MARK
    time.sleep(seconds)
