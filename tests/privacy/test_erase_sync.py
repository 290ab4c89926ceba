"""An erase with three stations through a shared folder, one of them offline with pending
edits to the person. After the erase and a sync round the person's strings are nowhere:
not in any station's database file (raw bytes, log included), conflict list or outbox, not in
any file on the share; the offline station's edits were dropped, not resurrected; and the
client's interactions are still there on every station."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from db.am.client_detail import timeline
from db.models import Contact, Gift, ImportantDate, Interaction, InteractionKind, PersonErasure
from db.models.privacy import ERASED_CONTACT
from db.operations import Create, Update
from db.privacy.erase import ErasePerson, vacuum
from db.sync.engine import SyncResult
from tests.privacy.people import BUSINESS, NAME, NAMING, PERSONAL, Seeded, naming_edits, seed
from tests.privacy.test_erase import file_bytes, strings_in
from tests.sync.harness import Station, bench, dump

# What the offline station writes about her before it hears of the erase.
OFFLINE = {
    "rapport": "Now also keeps a retired racing snail",
    "date": "Snail derby anniversary",
    "gift": "Tiny saddle for a snail",
    "title": "Grand Lanternwright",
}
CONFLICTING = {"a": "Lantern Marshal", "b": "Lantern Admiral"}


def everything_gone() -> list[str]:
    return [
        *PERSONAL.values(),
        *OFFLINE.values(),
        *CONFLICTING.values(),
        *(n[0] for n in NAMING.values()),
    ]


def share_bytes(share: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(share.rglob("*")) if p.is_file())


Sync = Callable[[Station], SyncResult]


def settle(stations: list[Station], sync: Sync, rounds: int = 2) -> None:
    for _ in range(rounds):
        for st in stations:
            st.results.append(sync(st))


def erase_on_three_stations(
    stations: list[Station],
    sync: Sync,
    history: Callable[[], bytes],
    *,
    offline_first: bool = False,
) -> Seeded:
    """Seed on A, share with B and C; a conflict about her; C edits her offline; A erases
    her; then everyone syncs until settled. `history` reads everything the share holds."""
    a, s_b, c = stations
    s = seed(a.open().session)
    settle(stations, sync)
    # A conflict about her on every station's list: A and B change her role at once.
    a.apply(Update(Contact, s.quilla, {"title": CONFLICTING["a"]}))
    s_b.apply(Update(Contact, s.quilla, {"title": CONFLICTING["b"]}))
    settle(stations, sync)
    assert a.sql("SELECT count(*) FROM sync_conflict")[0][0] >= 1
    # C works offline on her record; nobody hears of it until after the erase.
    c.apply(
        Update(Contact, s.quilla, {"rapport_notes": OFFLINE["rapport"], "title": OFFLINE["title"]})
    )
    date_op = Create(
        ImportantDate, {"contact_id": s.quilla, "label": OFFLINE["date"], "day": 1, "month": 6}
    )
    c.apply(date_op)
    c.apply(Update(ImportantDate, date_op.id, {"year": 2020}))
    c.apply(
        Create(
            Gift,
            {
                "client_id": s.client_id,
                "contact_id": s.quilla,
                "description": OFFLINE["gift"],
                "gift_date": date(2026, 6, 1),
            },
        )
    )
    store = a.open()
    store.apply(ErasePerson(s.quilla, erased_by="Katja", edits=naming_edits(s)))
    store.session.commit()
    vacuum(a.path)
    # Either the erase reaches the share first, or C's edits of her do (then B applies
    # them before it hears of the erase).
    first, then = ([c], [a, s_b]) if offline_first else ([a, s_b], [c])
    settle(first, sync, rounds=1)
    assert strings_in(history(), [PERSONAL["rapport"]]) == [PERSONAL["rapport"]]
    settle(then, sync, rounds=1)
    # Her data is still in the share's history until every station has caught up.
    assert strings_in(history(), [OFFLINE["gift"]]) == [OFFLINE["gift"]]
    settle(stations, sync)
    return s


def check_erased_everywhere(s: Seeded, stations: list[Station], history: bytes) -> None:
    assert any(r.history_retired_s is not None for st in stations for r in st.results)
    for st in stations:
        session = st.open().session
        session.expire_all()
        assert session.get(Contact, s.quilla) is None, st.name
        assert session.query(PersonErasure).one().erased_by == "Katja"
        assert session.query(ImportantDate).filter_by(contact_id=s.quilla).count() == 0
        assert session.query(Gift).filter_by(contact_id=s.quilla).count() == 0
        assert session.query(Interaction).count() == 3
        rows = {r.id: r for r in timeline(session, s.client_id)}
        assert rows[s.quilla_only_interaction].with_names == (ERASED_CONTACT,)
        assert rows[s.shared_interaction].summary == BUSINESS["summary"]
        assert st.sql("SELECT count(*) FROM sync_conflict WHERE row_id = ?", (s.quilla,)) == [(0,)]
        st.close()
    # Every station holds the same data afterwards, whatever order the files came in.
    first = dump(stations[0].path)
    assert all(dump(st.path) == first for st in stations[1:])
    for st in stations:
        data = file_bytes(st.path)
        assert strings_in(data, everything_gone()) == [], st.name
        assert strings_in(data, list(BUSINESS.values())) == list(BUSINESS.values()), st.name
    assert strings_in(history, everything_gone()) == []
    assert strings_in(history, list(BUSINESS.values())) == list(BUSINESS.values())


@pytest.mark.parametrize("offline_first", [False, True], ids=["erase-first", "offline-first"])
def test_an_erase_reaches_every_station_and_leaves_nothing_anywhere(
    tmp_path: Path, offline_first: bool
) -> None:
    with bench(tmp_path, 3) as b:
        s = erase_on_three_stations(
            b.stations, b.sync, lambda: share_bytes(b.share), offline_first=offline_first
        )
        check_erased_everywhere(s, b.stations, share_bytes(b.share))


def test_a_late_gift_for_the_erased_persons_birthday_keeps_the_gift_not_the_date(
    tmp_path: Path,
) -> None:
    """Another person's gift, added offline for the erased person's important date, arrives
    after the erase: the gift stays with no date, and no file waits for the erased date."""
    with bench(tmp_path, 2) as b:
        a, other = b.stations
        s = seed(a.open().session)
        b.settle(2)
        (birthday,) = other.sql("SELECT id FROM important_date WHERE contact_id = ?", (s.quilla,))[
            0
        ]
        gift = Create(
            Gift,
            {
                "client_id": s.client_id,
                "contact_id": s.bram,
                "description": "Card for the team",
                "important_date_id": birthday,
            },
        )
        other.apply(gift)
        a.open().apply(ErasePerson(s.quilla))
        b.sync(a)
        b.sync(other)
        last = b.sync(a)
        assert last.waiting == 0 and not last.held, last.summary()
        assert a.sql("SELECT contact_id, important_date_id FROM gift WHERE id = ?", (gift.id,)) == [
            (s.bram, None)
        ]


def test_a_station_rebuilt_from_a_snapshot_drops_an_old_edit_of_an_erased_row(
    tmp_path: Path,
) -> None:
    """`sync_erased` is this station's own record of the rows an erase removed. A station
    that joins (or rebuilds) from a snapshot published after the erase gets the ids too (ids
    only, nothing of the person), so an offline station's edit of her important date that
    reaches it later is dropped, not left waiting for a row that never comes back."""
    from db.sync.engine import sync

    with bench(tmp_path, 3) as b:
        a, s_b, c = b.stations
        s = seed(a.open().session)
        b.settle(2)
        (birthday,) = c.sql("SELECT id FROM important_date WHERE contact_id = ?", (s.quilla,))[0]
        c.apply(Update(ImportantDate, birthday, {"label": OFFLINE["date"]}))
        c.apply(Update(Contact, s.quilla, {"title": OFFLINE["title"]}))
        a.open().apply(ErasePerson(s.quilla, erased_by="Katja"))
        b.sync(a)
        b.sync(a, compact=True)
        fresh = tmp_path / "rebuilt.sqlite"
        assert sync(fresh, b.share, station_name="Rebuilt desk", compact=False).joined
        assert b.sync(c).waiting == 0
        assert strings_in(share_bytes(b.share), [OFFLINE["date"]]) == [OFFLINE["date"]]

        late = sync(fresh, b.share, station_name="Rebuilt desk", compact=False)
        assert late.waiting == 0 and not late.held, late.summary()
        conn = sqlite3.connect(fresh)
        try:
            assert conn.execute(
                "SELECT count(*) FROM important_date WHERE id = ?", (birthday,)
            ).fetchone() == (0,)
            assert conn.execute(
                "SELECT count(*) FROM contact WHERE id = ?", (s.quilla,)
            ).fetchone() == (0,)
            assert conn.execute("SELECT count(*) FROM sync_conflict").fetchone() == (0,)
        finally:
            conn.close()
        b.settle(2)
        assert dump(fresh) == dump(a.path) == dump(s_b.path) == dump(c.path)


def test_a_station_that_applies_an_erase_keeps_no_reworded_words_in_its_search_index(
    tmp_path: Path,
) -> None:
    """The erase step rewords a summary that named her; another station applies the erase
    and the new wording by sync. Its search index forgets the old words too (a full-text
    index keeps a replaced document's words until its segments are merged): a word that was
    only in the old summary is nowhere in that station's file, nor in its history (an old
    value that named her goes whole)."""
    from db.privacy.mentions import mentions
    from db.search import ensure_index
    from db.search.query import search

    def found(st: Station, word: str) -> list[str]:
        conn = sqlite3.connect(st.path)
        try:
            return [h.row_id for h in search(conn, word)]
        finally:
            conn.close()

    with bench(tmp_path, 2) as b:
        a, other = b.stations
        s = seed(a.open().session)
        told = Create(
            Interaction,
            {
                "client_id": s.client_id,
                "kind": InteractionKind.CALL,
                "occurred_at": datetime(2026, 2, 12, 9, 0),
                "summary": f"{NAME} told us about her zygoflux allergy",
            },
        )
        a.apply(told)
        b.settle(2)
        conn = sqlite3.connect(other.path)
        with conn:
            ensure_index(conn)  # as the app does when it opens the file
        conn.close()
        assert found(other, "zygoflux") == [told.id]
        edits = naming_edits(s)
        key = ("Interaction", told.id, "summary")
        assert key in {m.key for m in mentions(a.open().session, s.quilla)}
        edits[key] = "The contact has an allergy"
        a.open().apply(ErasePerson(s.quilla, erased_by="Katja", edits=edits))
        b.sync(a)
        b.sync(other)
        other.close()
        assert found(other, "zygoflux") == []
        assert found(other, "allergy") == [told.id]
        assert strings_in(file_bytes(other.path), ["zygoflux"]) == []
        # Nor in the file of the station that erased (which vacuums after the erase).
        a.close()
        vacuum(a.path)
        assert found(a, "zygoflux") == []
        assert strings_in(file_bytes(a.path), ["zygoflux"]) == []
