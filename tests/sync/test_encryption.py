"""End-to-end encrypted sync through a shared folder (issue 17): what lands on the share is
ciphertext, a file that does not authenticate is quarantined while the rest applies, a key
rotation locks out a station that holds only the old key, and a plain share is converted in
place while other stations keep editing, losing nothing. Every station here is another
computer with its own keychain (`Keychains`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db.demo import populate
from db.models import Client
from db.operations import Create, Update
from db.sync import keystore
from db.sync.crypto import (
    EncryptionRequired,
    MissingKey,
    TamperedFile,
    WrongPassphrase,
    seal,
    unseal,
)
from db.sync.encrypted import open_record
from db.sync.encryption import enable_encryption, encryption_status, rotate_key, unlock
from db.sync.engine import SyncResult, pull, push
from db.sync.errors import ShareFormatError
from db.sync.folder import FolderTransport, sha256
from db.sync.local import LocalStation
from db.sync.quarantine import list_quarantined
from tests.sync.encryption_helpers import (
    NEW_PASSPHRASE,
    PASSPHRASE,
    Keychains,
    cheap_key_derivation,
    client_texts,
    leaks,
    share_files,
)
from tests.sync.harness import Bench, Station, dump, lost_edits


@pytest.fixture(autouse=True)
def _cheap_key_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    cheap_key_derivation(monkeypatch)


@pytest.fixture
def keychains(tmp_path: Path) -> Keychains:
    return Keychains(tmp_path / "keychains")


class EncryptedBench:
    """A `Bench` whose stations each sync from their own computer's keychain."""

    def __init__(self, root: Path, n: int, keychains: Keychains) -> None:
        self.bench = Bench(root, n)
        self.keychains = keychains
        self.share = self.bench.share
        self.stations = self.bench.stations

    def sync(self, station: Station, **kw: object):  # type: ignore[no-untyped-def]
        station.close()
        with self.keychains.of(station.name):
            return self.bench.sync(station, **kw)  # type: ignore[arg-type]

    def enable(self, station: Station, passphrase: str = PASSPHRASE) -> None:
        station.close()
        with self.keychains.of(station.name):
            enable_encryption(station.path, FolderTransport(self.share), self.share, passphrase)

    def unlock(self, station: Station, passphrase: str = PASSPHRASE) -> None:
        with self.keychains.of(station.name):
            unlock(FolderTransport(self.share), None, passphrase)

    def settle(self, rounds: int = 2) -> None:
        for _ in range(rounds):
            for s in self.stations:
                self.sync(s)

    def converged(self) -> None:
        self.settle()
        first = dump(self.stations[0].path)
        assert all(dump(s.path) == first for s in self.stations[1:])
        assert lost_edits([s.path for s in self.stations]) == []

    def files(self, station: Station) -> list[Path]:
        folder = self.share / "AgencyDesk" / "changes" / station.station_id
        return sorted(folder.glob("*.jsonl"))

    def close(self) -> None:
        self.bench.close()


@pytest.fixture
def three(tmp_path: Path, keychains: Keychains):  # type: ignore[no-untyped-def]
    bench = EncryptedBench(tmp_path, 3, keychains)
    yield bench
    bench.close()


def _names(station: Station) -> list[str]:
    return [r[0] for r in station.sql("SELECT name FROM client ORDER BY name")]


def _encrypted(bench: EncryptedBench) -> None:
    """Encryption on from the start: the first station turns it on, the others unlock."""
    a, *others = bench.stations
    bench.enable(a)
    for s in others:
        bench.unlock(s)
        bench.sync(s)


# -- nothing readable on the share -------------------------------------------------------------


def test_after_a_full_sync_of_the_demo_agency_the_share_holds_no_client_text(
    three: EncryptedBench, tmp_path: Path
) -> None:
    a, b, _c = three.stations
    _encrypted(three)
    populate(a.open().session)
    three.sync(a)
    joining = Station("d", tmp_path / "d.sqlite")  # a new computer joins
    three.unlock(joining)
    three.sync(joining)
    three.sync(b, compact=True)
    assert dump(joining.path) == dump(a.path)
    texts = client_texts(a.path)
    assert len(texts) > 100  # names, emails, phone numbers, notes, gifts...
    files = share_files(three.share)
    assert any("snapshots" in name for name in files)
    assert leaks(files, texts) == []
    assert encryption_status(FolderTransport(three.share)).enabled


# -- files that do not authenticate ------------------------------------------------------------


def _publish(folder: Path, seq: int, data: bytes) -> Path:
    """Put bytes on the share under a sound name (the checksum matches): only the
    envelope's authentication can tell."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{seq:012d}-{sha256(data)}.jsonl"
    path.write_bytes(data)
    return path


def _seq(path: Path) -> int:
    return int(path.name[:12])


def _two_files(bench: EncryptedBench) -> tuple[list[Path], dict[str, list]]:
    """A sends two files (Acme, then Globex) and C one (Initech); B has pulled neither.
    Returns A's two files."""
    a, b, c = bench.stations
    _encrypted(bench)
    a.apply(Create(Client, {"name": "Acme"}))
    bench.sync(a)
    a.apply(Create(Client, {"name": "Globex"}))
    bench.sync(a)
    c.apply(Create(Client, {"name": "Initech"}))
    bench.sync(c)
    return bench.files(a)[-2:], dump(b.path)


def _quarantined(bench: EncryptedBench, station: Station) -> list[str]:
    return [q.reason for q in list_quarantined(station.open())]


def test_a_flipped_byte_is_rejected_and_listed_and_the_rest_applies(
    three: EncryptedBench,
) -> None:
    _a, b, _c = three.stations
    files, _ = _two_files(three)
    data = bytearray(files[1].read_bytes())
    data[len(data) // 2] ^= 0x01
    files[1].unlink()
    _publish(files[1].parent, _seq(files[1]), bytes(data))
    result = three.sync(b)
    assert _names(b) == ["Acme", "Initech"]
    assert [e.reason for e in result.quarantined] == [
        "tampered or corrupt: fails authentication under the agency key (changed, renamed, "
        "moved from another station or replayed)"
    ]
    assert _quarantined(three, b)[0].startswith("tampered or corrupt")


def test_files_renamed_moved_or_replayed_are_rejected(three: EncryptedBench) -> None:
    a, b, c = three.stations
    files, _ = _two_files(three)
    first, second = (f.read_bytes() for f in files)
    # A's two files swap seqs: each now claims the other's place.
    for f in files:
        f.unlink()
    one, two = _seq(files[0]), _seq(files[1])
    _publish(files[0].parent, one, second)
    _publish(files[0].parent, two, first)
    # A's first file moved into C's folder as C's next file.
    _publish(three.files(c)[0].parent, _seq(three.files(c)[-1]) + 1, first)
    result = three.sync(b)
    assert _names(b) == ["Initech"]  # C's own file applied; nothing of A's, nothing moved
    reasons = sorted(e.name.split("/")[0] == c.station_id for e in result.quarantined)
    assert reasons == [False, True]
    assert all(e.reason.startswith("tampered or corrupt") for e in result.quarantined)
    # The genuine files come back: A's apply; a replay of A's first file as its third does not.
    for f in three.files(a)[-2:]:
        f.unlink()
    _publish(files[0].parent, one, first)
    _publish(files[0].parent, two, second)
    _publish(files[0].parent, two + 1, first)
    result = three.sync(b)
    assert _names(b) == ["Acme", "Globex", "Initech"]
    (replayed,) = result.quarantined
    assert replayed.name.startswith(f"{a.station_id}/{two + 1:012d}-")
    assert replayed.reason.startswith("tampered or corrupt")


def test_a_file_in_the_clear_is_never_applied_on_an_encrypted_share(
    three: EncryptedBench,
) -> None:
    a, b, _c = three.stations
    _two_files(three)
    three.sync(b)
    before = dump(b.path)
    line = {"t": "client", "id": "x" * 32, "op": "I", "h": 1 << 56, "f": {"name": "Injected"}}
    seq = _seq(three.files(a)[-1]) + 1
    header = {"count": 1, "format": 1, "schema": "0001", "seq": seq, "station": a.station_id}
    forged = (json.dumps(header) + "\n" + json.dumps(line) + "\n").encode()
    _publish(three.files(a)[0].parent, seq, forged)
    result = three.sync(b)
    assert dump(b.path) == before
    assert result.quarantined[0].reason.startswith("tampered or corrupt: not sealed")


# -- passphrase and keys -----------------------------------------------------------------------


def test_a_wrong_passphrase_changes_nothing(three: EncryptedBench) -> None:
    a, b, _c = three.stations
    three.enable(a)
    with pytest.raises(WrongPassphrase, match="wrong agency passphrase"):
        three.unlock(b, "not the passphrase")
    with three.keychains.of(b.name):
        assert (
            keystore.load_keys(encryption_status(FolderTransport(three.share)).key_id or "") == {}
        )
    before = dump(b.path)
    with pytest.raises(EncryptionRequired, match="is encrypted; to sync this station"):
        three.sync(b)
    assert dump(b.path) == before


def test_rotation_locks_out_the_old_key_and_the_new_key_converges(
    three: EncryptedBench,
) -> None:
    a, b, c = three.stations
    _encrypted(three)
    a.apply(Create(Client, {"name": "Before"}))
    three.settle()
    with three.keychains.of(a.name):
        rotate_key(a.path, FolderTransport(three.share), three.share, NEW_PASSPHRASE)
    three.unlock(c, NEW_PASSPHRASE)
    a.apply(Create(Client, {"name": "After the rotation"}))
    three.sync(a)
    with pytest.raises(MissingKey, match="was changed"):
        three.sync(b)
    assert _names(b) == ["Before"]
    # Whatever B holds cannot open anything written since, nor the new snapshot.
    with three.keychains.of(b.name):
        held = keystore.load_keys(
            json.loads((three.share / "AgencyDesk" / "agency.json").read_text())["agency_id"]
        )
    newest = three.files(a)[-1]
    with pytest.raises(MissingKey):
        unseal(
            held, kind="change", station=a.station_id, seq=_seq(newest), blob=newest.read_bytes()
        )
    meta = json.loads((three.share / "AgencyDesk" / "meta.json").read_text())
    snap = three.share / "AgencyDesk" / "snapshots" / meta["snapshot"]
    with pytest.raises((MissingKey, TamperedFile)):
        unseal(held, kind="snapshot", station="", seq=int(snap.name[:8]), blob=snap.read_bytes())
    # A file B forges with the old key is refused by everyone.
    old = next(iter(held.values()))
    seq = max([_seq(f) for f in three.files(b)], default=0) + 1
    forged = seal(old, kind="change", station=b.station_id, seq=seq, data=b"{}\n")
    path = _publish(three.share / "AgencyDesk" / "changes" / b.station_id, seq, forged)
    result = three.sync(c)
    assert _names(c) == ["After the rotation", "Before"]
    assert [e.reason[:19] for e in result.quarantined] == ["tampered or corrupt"]
    # B learns the new passphrase and everyone converges.
    path.unlink()
    three.unlock(b, NEW_PASSPHRASE)
    three.converged()


# -- converting a plain share ------------------------------------------------------------------


def test_converting_while_others_keep_editing_loses_nothing(three: EncryptedBench) -> None:
    a, b, c = three.stations
    for i, s in enumerate(three.stations):
        s.apply(Create(Client, {"name": f"Plain {i}"}))
        three.sync(s)
    three.settle()
    b.apply(Create(Client, {"name": "B while converting"}))
    c.apply(Create(Client, {"name": "C offline"}))
    three.enable(a)
    # C syncs before it has the key: refused, nothing sent, its edit waits.
    with pytest.raises(EncryptionRequired):
        three.sync(c)
    # B pushes in the clear in the very moment of the switch (it read meta.json before).
    station = LocalStation(b.path)
    try:
        push(station, FolderTransport(three.share), SyncResult())
    finally:
        station.close()
    # C, still syncing in the clear in that moment, applies B's plain file as it is.
    station = LocalStation(c.path)
    try:
        pull(station, FolderTransport(three.share), SyncResult(), lambda *_: None)
    finally:
        station.close()
    assert "B while converting" in _names(c)
    # A refuses B's plain file after the switch; it waits for B.
    result = three.sync(a)
    assert any(e.reason.startswith("tampered or corrupt") for e in result.quarantined)
    three.unlock(b)
    three.unlock(c)
    for s in (b, c, a):
        s.apply(Update(Client, _id(s, "Plain 0"), {"industry": f"edited on {s.name}"}))
        three.sync(s)
    three.converged()
    assert "B while converting" in _names(a) and "C offline" in _names(a)
    assert _open_quarantine(three) == {s.name: [] for s in three.stations}
    # B's file sent in the clear after the switch was published again, sealed, by B.
    assert _plain_files(three.share) == []


def _plain_agency(bench: EncryptedBench) -> None:
    """Three stations that synced in the clear for a while, with a plain snapshot too."""
    for s in bench.stations:
        s.apply(Create(Client, {"name": f"Client of {s.name}, private"}))
        s.apply(Create(Client, {"name": f"Second client of {s.name}"}))
        bench.sync(s)
    bench.settle()
    bench.sync(bench.stations[0], compact=True)
    for s in bench.stations:  # and files newer than the snapshot
        s.apply(Create(Client, {"name": f"Third client of {s.name}"}))
        bench.sync(s)
    bench.settle()


def _plain_files(share: Path) -> list[str]:
    """Change files and snapshots on the share that are not sealed."""
    root = share / "AgencyDesk"
    return sorted(
        str(p.relative_to(root))
        for folder in ("changes", "snapshots")
        for p in (root / folder).rglob("*")
        if p.is_file() and not p.read_bytes().startswith(b"ADE1")
    )


def test_converting_seals_every_plain_file_in_place_at_once(three: EncryptedBench) -> None:
    a, b, c = three.stations
    _plain_agency(three)
    texts = client_texts(a.path)
    assert len(texts) >= 6
    assert leaks(share_files(three.share), texts) != []  # in the clear before
    b.apply(Create(Client, {"name": "B's edit waiting to be sent"}))
    three.enable(a)
    # Nothing readable is left, before any other station has even unlocked the share.
    assert _plain_files(three.share) == []
    assert leaks(share_files(three.share), texts) == []
    meta = json.loads((three.share / "AgencyDesk" / "meta.json").read_text())
    with three.keychains.of(a.name):
        state = open_record(meta["encryption"], next(iter(_keys(three).values())))
    assert state.plain == {} and state.plain_snapshot is None
    for s in (b, c):
        three.unlock(s)
    three.converged()
    assert "B's edit waiting to be sent" in _names(a)
    assert _plain_files(three.share) == []
    assert leaks(share_files(three.share), client_texts(a.path)) == []
    assert _open_quarantine(three) == {s.name: [] for s in three.stations}


def _keys(bench: EncryptedBench) -> dict[str, object]:
    agency = json.loads((bench.share / "AgencyDesk" / "agency.json").read_text())["agency_id"]
    return keystore.load_keys(agency)  # type: ignore[return-value]


def test_a_plain_file_sealed_in_place_is_the_same_file_for_its_readers(
    three: EncryptedBench,
) -> None:
    """Whoever applied a file in the clear takes its sealed copy for the same file: nothing
    is listed, applied twice or published again."""
    a, b, c = three.stations
    _plain_agency(three)
    three.enable(a)
    for s in (b, c):
        three.unlock(s)
    results = [three.sync(s) for s in (b, c, a, b, c)]
    assert all(r.quarantined == [] and r.republished == 0 for r in results)
    three.converged()


def test_conversion_killed_while_sealing_is_finished_by_the_next_sync(
    three: EncryptedBench,
) -> None:
    import subprocess
    import sys

    a, b, c = three.stations
    _plain_agency(three)
    texts = client_texts(a.path)
    a.close()
    repo = Path(__file__).resolve().parents[2]
    script = (
        "import sys\nfrom pathlib import Path\n"
        "from tests.sync.encryption_helpers import cheap_scrypt\n"
        "from db.sync.encryption import enable_encryption\n"
        "from db.sync.folder import FolderTransport\n"
        "with cheap_scrypt():\n"
        "    enable_encryption(Path(sys.argv[1]), FolderTransport(Path(sys.argv[2])), "
        "Path(sys.argv[2]), sys.argv[3])\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", script, str(a.path), str(three.share), PASSPHRASE],
        env={
            **three.keychains.env(a.name),
            "PYTHONPATH": str(repo),
            "AGENCY_DESK_SYNC_CRASH_AT": "reseal.after_write",
        },
        cwd=repo,
        capture_output=True,
        timeout=120,
    )
    assert killed.returncode == -9, killed.stderr[-2000:]
    # Killed between writing a sealed copy and removing the plain file: both are there.
    assert _plain_files(three.share) != []
    assert encryption_status(FolderTransport(three.share)).enabled
    three.sync(a)  # the next sync of a station with the key finishes the job
    assert _plain_files(three.share) == []
    assert leaks(share_files(three.share), texts) == []
    for s in (b, c):
        three.unlock(s)
    result = three.sync(b)
    assert result.quarantined == [] and result.republished == 0
    # B's files newer than the snapshot, which B checks every sync, were sealed by A: B
    # takes the sealed copies for its own.
    meta = json.loads((three.share / "AgencyDesk" / "meta.json").read_text())
    floor = meta["vector"][b.station_id]
    pushed = b.sql("SELECT seq, hash FROM sync_pushed WHERE seq > ?", (floor,))
    on_share = {_seq(f): f.name[13:-6] for f in three.files(b)}
    assert pushed and all(on_share[seq] == digest for seq, digest in pushed)
    three.converged()
    assert _open_quarantine(three) == {s.name: [] for s in three.stations}


def _open_quarantine(bench: EncryptedBench) -> dict[str, list[tuple[str, str]]]:
    return {
        s.name: s.sql("SELECT name, reason FROM sync_quarantine WHERE resolved = 0")
        for s in bench.stations
    }


def _id(station: Station, name: str) -> str:
    return str(station.sql("SELECT id FROM client WHERE name = ?", (name,))[0][0])


def test_a_share_stripped_of_its_encryption_is_refused(three: EncryptedBench) -> None:
    _a, b, _c = three.stations
    _encrypted(three)
    three.settle()
    meta_path = three.share / "AgencyDesk" / "meta.json"
    meta = json.loads(meta_path.read_text())
    del meta["encryption"]
    meta_path.write_text(json.dumps(meta))
    b.apply(Create(Client, {"name": "Secret client"}))
    with pytest.raises(EncryptionRequired, match="holds no encryption settings"):
        three.sync(b)
    assert b"Secret client" not in b"".join(share_files(three.share).values())


def test_the_plain_files_are_retired_at_compaction(three: EncryptedBench) -> None:
    a, b, _c = three.stations
    a.apply(Create(Client, {"name": "A plain-text client"}))
    three.settle()
    three.sync(a, compact=True)  # a plain snapshot too
    three.enable(a)
    for s in three.stations[1:]:
        three.unlock(s)
    three.settle()
    three.sync(b, compact=True, retention_ms=0)
    three.sync(b, compact=True, retention_ms=0)
    assert leaks(share_files(three.share), {"A plain-text client"}) == []


def test_releases_from_before_encryption_are_told_to_update(three: EncryptedBench) -> None:
    """Such a release refuses a meta.json of a format above 1 with "update Agency Desk to
    sync" instead of writing in the clear; a format above ours is refused here alike."""
    a, b, _c = three.stations
    three.enable(a)
    meta_path = three.share / "AgencyDesk" / "meta.json"
    meta = json.loads(meta_path.read_text())
    assert meta["format"] == 2
    meta["format"] = 3
    meta_path.write_text(json.dumps(meta))
    three.unlock(b)
    with pytest.raises(ShareFormatError, match="update Agency Desk to sync"):
        three.sync(b)


def test_an_unreadable_meta_json_is_not_taken_for_a_plain_share(three: EncryptedBench) -> None:
    _a, b, _c = three.stations
    _encrypted(three)
    (three.share / "AgencyDesk" / "meta.json").write_bytes(b'{"format": 2, "encr')
    b.apply(Create(Client, {"name": "Secret client"}))
    with pytest.raises(EncryptionRequired, match="cannot tell whether it is encrypted"):
        three.sync(b)
    assert b"Secret client" not in b"".join(share_files(three.share).values())


EDITING_STATION = """
import sqlite3, sys, uuid
from pathlib import Path
from db.sync import sync
from db.sync.crypto import EncryptionRequired
from db.sync.encryption import unlock
from db.sync.folder import FolderTransport

db, share, rounds, passphrase = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
for i in range(rounds):
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "INSERT INTO client (id, name, status, industry, annual_budget_cents, currency, "
            "website, tags, yearly_gift_budget_cents, created_at, updated_at) VALUES (?, ?, "
            "'active', '', 0, 'EUR', '', '[]', 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
            (str(uuid.uuid4()), f"{db.stem}'s private client, edit {i}"),
        )
    conn.close()
    try:
        sync(db, share, compact=False)
    except EncryptionRequired:  # the share was encrypted meanwhile: the user enters it once
        unlock(FolderTransport(share), None, passphrase)
        sync(db, share, compact=False)
    print(i, flush=True)
"""


def test_converting_while_two_other_processes_keep_editing_loses_nothing(
    three: EncryptedBench,
) -> None:
    import subprocess
    import sys

    a, b, c = three.stations
    a.apply(Create(Client, {"name": "Before"}))
    three.settle()
    for s in three.stations:
        s.close()
    rounds = 8
    repo = Path(__file__).resolve().parents[2]
    editors = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                EDITING_STATION,
                str(s.path),
                str(three.share),
                str(rounds),
                PASSPHRASE,
            ],
            env={**three.keychains.env(s.name), "PYTHONPATH": str(repo)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=repo,
        )
        for s in (b, c)
    ]
    try:
        for editor in editors:  # both are editing and syncing in the clear
            assert editor.stdout is not None and editor.stdout.readline().strip() == "0"
        three.enable(a)
        for editor in editors:
            _out, err = editor.communicate(timeout=300)
            assert editor.returncode == 0, err[-2000:]
    finally:
        for editor in editors:
            if editor.poll() is None:
                editor.kill()
                editor.wait()
    for s in (b, c):  # a station whose last sync came before the switch is asked now
        three.unlock(s)
    three.converged()
    names = set(_names(a))
    assert {f"{s.path.stem}'s private client, edit {i}" for s in (b, c) for i in range(rounds)} <= (
        names
    )
    assert _open_quarantine(three) == {s.name: [] for s in three.stations}
    # Nothing of any client is readable on the share: what was written in the clear before
    # (and by B and C in the moment of the switch) was sealed in place.
    texts = client_texts(a.path)
    assert len(texts) >= 2 * rounds
    assert leaks(share_files(three.share), texts) == []
    assert _plain_files(three.share) == []
