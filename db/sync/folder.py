"""The shared-folder transport: plain files, each written once and never changed in place.

    AgencyDesk/meta.json                        format version, latest snapshot and its vector
    AgencyDesk/agency.json                      the agency the share belongs to (written once)
    AgencyDesk/changes/<station>/<seq:012>-<sha256>.jsonl
    AgencyDesk/snapshots/<generation:08>-<sha256>.sqlite
    AgencyDesk/acks/<station>.json
    AgencyDesk/lease.json

A file is written as `*.tmp` beside its target, fsynced, renamed into place (retrying a few
times: antivirus, indexers and cloud clients hold files open on Windows), then read back and
checked against its hash. Anything whose name is not exactly ours (temp files, a cloud
client's "conflicted copy", editor backups) is listed as skipped with the reason.

Reading is defensive, because anyone can put anything on the share: only regular files are
read (never through a symlink, never a FIFO or a device: `O_NOFOLLOW | O_NONBLOCK`, then
`fstat`), and never more than a cap. meta.json, acks and the lease are checked against their
schemas (`validate.py`); a bad one is ignored, and why is kept in `ignored` for the summary.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from db.sync.errors import (
    ShareFullError,
    ShareIOError,
    ShareMissingError,
    ShareReadOnlyError,
    SyncError,
)
from db.sync.faults import crash_point
from db.sync.transport import ChangeRef, FileInfo, Skipped, SnapshotRef
from db.sync.validate import (
    ACK,
    CHANGE_FILE_CAP,
    LEASE,
    META,
    SMALL_FILE_CAP,
    SNAPSHOT_CAP,
    Kind,
    check_record,
    load_json,
)
from db.sync.wire import Rejected

ROOT_NAME = "AgencyDesk"
CHANGE_NAME = re.compile(r"^(\d{12})-([0-9a-f]{64})\.jsonl$")
SNAPSHOT_NAME = re.compile(r"^(\d{8})-([0-9a-f]{64})\.sqlite$")
RENAME_TRIES = 8
RENAME_PAUSE_S = 0.05
AGENCY_FILE = "agency.json"
STATION_FOLDER = re.compile(r"[0-9a-f]{16}")
ACK_NAME = re.compile(r"([0-9a-f]{16})\.json")
# Open for reading without following a symlink and without blocking on a FIFO (POSIX). Windows
# has neither flag nor FIFOs; there `_open_regular` refuses links by lstat first.
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_BINARY", 0)
)
_COPY_CHUNK = 1024 * 1024

T = TypeVar("T")


class NotAFileError(Exception):
    """What is on the share under a file's name cannot be read as one; the message says why."""


def _open_regular(path: Path, cap: int) -> tuple[int, int]:
    """(fd, size) of a regular file no larger than `cap`; raises NotAFileError otherwise,
    FileNotFoundError when absent. The caller closes the fd."""
    if not hasattr(os, "O_NOFOLLOW") and stat.S_ISLNK(os.lstat(path).st_mode):
        raise NotAFileError("a link, not a file")
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):
            raise NotAFileError("a symbolic link, not a file") from None
        if exc.errno in (errno.EISDIR, errno.ENXIO):
            raise NotAFileError("a folder or device, not a file") from None
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a FIFO or device"
        raise NotAFileError(f"{kind}, not a file")
    if info.st_size > cap:
        os.close(fd)
        raise NotAFileError(f"{info.st_size:,} bytes, more than a file of ours can be")
    return fd, info.st_size


def _lstat_mode(path: Path) -> int:
    try:
        return os.lstat(path).st_mode
    except FileNotFoundError:
        return 0


def read_regular(path: Path, cap: int) -> bytes:
    """At most `cap` bytes of a regular file (see `_open_regular`); a file that grows past the
    cap while read is refused too."""
    fd, _size = _open_regular(path, cap)
    try:
        chunks, total = [], 0
        while total <= cap:
            chunk = os.read(fd, min(_COPY_CHUNK, cap + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > cap:
        raise NotAFileError(f"more than {cap:,} bytes, more than a file of ours can be")
    return b"".join(chunks)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _translate(exc: OSError, where: Path) -> SyncError:
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return ShareFullError(f"shared folder {where} is full; nothing was sent, try again later")
    if code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ShareReadOnlyError(f"shared folder {where} is read-only; nothing was sent")
    if code in (errno.ENOENT, errno.ENOTDIR, errno.ESTALE, errno.ENODEV, errno.EHOSTDOWN):
        return ShareMissingError(f"shared folder {where} is not reachable ({exc.strerror})")
    return ShareIOError(f"shared folder {where}: {exc.strerror or exc}")


class FolderTransport:
    def __init__(self, share: Path) -> None:
        self.share = Path(share)
        self.root = self.share / ROOT_NAME
        # Files on the share passed over while reading meta.json, acks, the lease and the
        # station folders, with the reason; the engine adds them to the sync's result.
        self.ignored: list[Skipped] = []
        self.bad_meta: str | None = None  # why meta.json was ignored, if it was

    def note_ignored(self, name: str, reason: str) -> None:
        if all(s.name != name for s in self.ignored):
            self.ignored.append(Skipped(name, reason))

    # -- low level: every file-system call goes through these, so tests can inject faults ----

    def _write_bytes(self, path: Path, data: bytes) -> None:
        with open(path, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())

    def _replace(self, src: Path, dst: Path) -> None:
        os.replace(src, dst)

    def _link(self, src: Path, dst: Path) -> None:
        os.link(src, dst)  # fails when dst exists: the one exclusive create a share offers

    def _read_bytes(self, path: Path, cap: int = CHANGE_FILE_CAP) -> bytes:
        return read_regular(path, cap)

    def _listdir(self, path: Path) -> list[str]:
        return os.listdir(path)

    def _unlink(self, path: Path) -> None:
        path.unlink(missing_ok=True)

    @contextmanager
    def _guard(self, where: Path | None = None) -> Iterator[None]:
        try:
            yield
        except SyncError:
            raise
        except OSError as exc:
            raise _translate(exc, where or self.share) from exc

    def _retry(self, action: Callable[[], T]) -> T:
        for attempt in range(RENAME_TRIES):
            try:
                return action()
            except PermissionError:
                # WinError 5/32/33: someone holds the file for a moment; on POSIX EACCES is
                # real, and the last attempt re-raises it as read-only.
                if attempt == RENAME_TRIES - 1:
                    raise
                time.sleep(RENAME_PAUSE_S * (attempt + 1))
        raise AssertionError("unreachable")

    def _publish(self, target: Path, data: bytes) -> None:
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            self._write_bytes(tmp, data)
            crash_point("share.after_tmp_write")
            self._retry(lambda: self._replace(tmp, target))
            crash_point("share.after_rename")
        finally:
            if tmp.exists():
                self._unlink(tmp)

    def _write_json(self, target: Path, value: Any) -> None:
        self._publish(target, json.dumps(value, sort_keys=True, indent=1).encode())

    def _read_record(self, path: Path, kind: Kind) -> tuple[Any, str | None]:
        """(record, None), (None, None) when absent, or (None, reason) when it is not a
        sound `kind` record."""
        try:
            data = self._read_bytes(path, SMALL_FILE_CAP)
        except FileNotFoundError:
            return None, None
        except NotAFileError as exc:
            return None, str(exc)
        try:
            value = load_json(data, depth=8)
        except Rejected as exc:
            # Often a cloud client still writing it: ignored until whole.
            return None, str(exc)
        problem = check_record(kind, value)
        return (None, problem) if problem else (value, None)

    # -- Transport ------------------------------------------------------------------------

    def check(self) -> None:
        if not self.share.is_dir():
            raise ShareMissingError(
                f"shared folder {self.share} does not exist or is not reachable"
            )
        with self._guard():
            for sub in ("changes", "snapshots", "acks"):
                (self.root / sub).mkdir(parents=True, exist_ok=True)

    def read_meta(self) -> dict[str, Any]:
        """meta.json, or {} when absent or unsound (then `bad_meta` says why)."""
        with self._guard():
            meta, problem = self._read_record(self.root / "meta.json", META)
        self.bad_meta = problem
        if problem:
            self.note_ignored("meta.json", problem)
        return meta if isinstance(meta, dict) else {}

    def write_meta(self, meta: dict[str, Any]) -> None:
        with self._guard():
            self._write_json(self.root / "meta.json", meta)

    def list_stations(self) -> list[str]:
        found = []
        with self._guard(), os.scandir(self.root / "changes") as entries:
            for entry in entries:
                if not STATION_FOLDER.fullmatch(entry.name):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    found.append(entry.name)
                else:
                    self.note_ignored(f"changes/{entry.name}", "named like a station's folder")
        return sorted(found)

    def list_changes(self, station: str, after: int) -> tuple[list[ChangeRef], list[Skipped]]:
        folder = self.root / "changes" / station
        with self._guard():
            try:
                if not stat.S_ISDIR(os.lstat(folder).st_mode):
                    return [], [Skipped(f"changes/{station}", "named like a station's folder")]
                names = self._listdir(folder)
            except FileNotFoundError:
                return [], []
        refs, skipped = [], []
        for name in names:
            m = CHANGE_NAME.match(name)
            if m is None:
                if name.endswith(".tmp"):
                    reason = "temporary file (a write in progress or interrupted)"
                elif "conflict" in name.lower() or "copy" in name.lower():
                    reason = "a cloud client's conflicted copy"
                else:
                    reason = "not a change file name"
                skipped.append(Skipped(f"{station}/{name}", reason))
                continue
            seq = int(m.group(1))
            if seq > after:
                refs.append(ChangeRef(seq, m.group(2), station))
        return sorted(refs), skipped

    def inspect_changes(self, station: str) -> list[FileInfo]:
        """Every change file of `station` with its size and time, without reading it."""
        infos = []
        with self._guard():
            folder = self.root / "changes" / station
            if not stat.S_ISDIR(_lstat_mode(folder)):  # absent, a file, or a symlink
                return []
            entries = list(os.scandir(folder))
            for entry in entries:
                m = CHANGE_NAME.match(entry.name)
                if m is None:
                    continue
                try:
                    info = entry.stat(follow_symlinks=False)
                except FileNotFoundError:
                    continue
                ref = ChangeRef(int(m.group(1)), m.group(2), station)
                infos.append(
                    FileInfo(ref, info.st_size, info.st_mtime_ns, stat.S_ISREG(info.st_mode))
                )
        return sorted(infos, key=lambda i: i.ref)

    def _change_path(self, ref: ChangeRef) -> Path:
        return self.root / "changes" / ref.station / f"{ref.seq:012d}-{ref.sha256}.jsonl"

    def read_change(self, ref: ChangeRef) -> bytes:
        path = self._change_path(ref)
        try:
            with self._guard(path):
                data = self._read_bytes(path, CHANGE_FILE_CAP)
        except NotAFileError as exc:
            raise ShareIOError(f"{path.name}: {exc}") from None
        except ShareMissingError:
            if self.share.is_dir():  # only the file went: compacted, or a cloud client
                raise ShareIOError(f"{path.name}: gone from the share while read") from None
            raise
        if sha256(data) != ref.sha256:
            raise ShareIOError(f"{path.name}: content does not match its checksum (partial?)")
        return data

    def write_change(self, station: str, seq: int, data: bytes) -> ChangeRef:
        ref = ChangeRef(seq, sha256(data), station)
        path = self._change_path(ref)
        with self._guard(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            if stat.S_ISDIR(_lstat_mode(path)):
                path.rmdir()  # an empty folder in our file's place (a non-empty one stays)
            self._publish(path, data)
            back = self._read_bytes(path)
        if sha256(back) != ref.sha256:
            raise ShareIOError(f"{path}: did not read back as written; nothing marked as sent")
        return ref

    def delete_change(self, ref: ChangeRef) -> None:
        with self._guard():
            self._unlink(self._change_path(ref))

    def read_acks(self) -> dict[str, dict[str, Any]]:
        acks = {}
        with self._guard():
            for name in self._listdir(self.root / "acks"):
                m = ACK_NAME.fullmatch(name)
                if m is None:
                    continue
                ack, problem = self._read_record(self.root / "acks" / name, ACK)
                if problem is None and ack is not None and ack["station"] != m.group(1):
                    problem = "its station is not the one it is named for"
                if problem:
                    self.note_ignored(f"acks/{name}", problem)
                elif ack is not None:
                    acks[m.group(1)] = ack
        return acks

    def write_ack(self, station: str, ack: dict[str, Any]) -> None:
        with self._guard():
            self._write_json(self.root / "acks" / f"{station}.json", ack)

    def list_snapshots(self) -> list[SnapshotRef]:
        with self._guard():
            names = self._listdir(self.root / "snapshots")
        refs = []
        for name in names:
            m = SNAPSHOT_NAME.match(name)
            if m:
                refs.append(SnapshotRef(int(m.group(1)), m.group(2), name))
        return sorted(refs, key=lambda r: r.generation)

    def fetch_snapshot(self, ref: SnapshotRef, dest: Path) -> None:
        src = self.root / "snapshots" / ref.name
        digest = hashlib.sha256()
        with self._guard(src):
            try:
                fd, _size = _open_regular(src, SNAPSHOT_CAP)
            except NotAFileError as exc:
                raise ShareIOError(f"snapshot {ref.name}: {exc}") from None
            try:
                copied = 0
                with open(dest, "wb") as out:
                    while chunk := os.read(fd, _COPY_CHUNK):
                        copied += len(chunk)
                        if copied > SNAPSHOT_CAP:
                            raise ShareIOError(f"snapshot {ref.name} is too large")
                        digest.update(chunk)
                        out.write(chunk)
            finally:
                os.close(fd)
        if digest.hexdigest() != ref.sha256:
            raise ShareIOError(f"snapshot {ref.name} does not match its checksum")

    def publish_snapshot(self, generation: int, source: Path) -> SnapshotRef:
        data = source.read_bytes()
        ref = SnapshotRef(generation, sha256(data), "")
        ref = SnapshotRef(generation, ref.sha256, f"{generation:08d}-{ref.sha256}.sqlite")
        target = self.root / "snapshots" / ref.name
        with self._guard(target):
            self._publish(target, data)
            if sha256(self._read_bytes(target, SNAPSHOT_CAP)) != ref.sha256:
                raise ShareIOError(f"snapshot {ref.name} did not read back as written")
        return ref

    def delete_snapshot(self, ref: SnapshotRef) -> None:
        with self._guard():
            self._unlink(self.root / "snapshots" / ref.name)

    def read_lease(self) -> dict[str, Any] | None:
        """The lease, or None when there is none or it is unsound (ignored, with why)."""
        with self._guard():
            lease, problem = self._read_record(self.root / "lease.json", LEASE)
        if problem:
            self.note_ignored("lease.json", problem)
        return lease if isinstance(lease, dict) else None

    def write_lease(self, lease: dict[str, Any] | None) -> None:
        with self._guard():
            if lease is None:
                self._unlink(self.root / "lease.json")
            else:
                self._write_json(self.root / "lease.json", lease)

    # -- the agency record (see agency.py) -----------------------------------------------------

    def read_agency(self) -> dict[str, Any] | None:
        path = self.root / AGENCY_FILE
        with self._guard(path):
            try:
                data = self._read_bytes(path, SMALL_FILE_CAP)
            except FileNotFoundError:
                return None
            except NotAFileError:
                data = b""
        try:
            record = load_json(data, depth=8)
        except Rejected:
            record = None
        if not isinstance(record, dict):
            # Never "absent": that would let this station claim a share that is someone's.
            raise ShareIOError(
                f"{path}: cannot be read (half copied by a cloud client, or damaged); "
                "nothing was sent or received"
            )
        return record

    def claim_agency(self, agency: dict[str, Any]) -> dict[str, Any]:
        """Create agency.json only if it does not exist: a hard link of a finished temp file
        fails when the name is taken, so two stations using an empty share at the same moment
        cannot both win. Where the file system has no hard links, a rename after a check
        narrows the race to that moment."""
        target = self.root / AGENCY_FILE
        tmp = target.with_name(f".{AGENCY_FILE}.{os.getpid()}.tmp")
        with self._guard(target):
            try:
                self._write_bytes(tmp, json.dumps(agency, sort_keys=True, indent=1).encode())
                crash_point("agency.before_claim")
                try:
                    self._link(tmp, target)
                except FileExistsError:
                    pass
                except OSError:
                    if not target.exists():
                        self._retry(lambda: self._replace(tmp, target))
            finally:
                if tmp.exists():
                    self._unlink(tmp)
        held = self.read_agency()
        if held is None:
            raise ShareIOError(f"{target}: did not read back as written; nothing was sent")
        return held

    # -- the share's clock (hlc.py, compaction) --------------------------------------------

    def written_ms(self, ref: ChangeRef) -> int | None:
        """The time the share gave a change file (its modification time), in ms."""
        try:
            return os.stat(self._change_path(ref)).st_mtime_ns // 1_000_000
        except OSError:
            return None

    def ack_times(self) -> dict[str, int]:
        """station -> the time the share gave its ack file (ms); compaction judges who is
        inactive by these, not by the clocks the stations wrote into them."""
        times = {}
        with self._guard():
            for name in self._listdir(self.root / "acks"):
                if name.endswith(".json") and not name.startswith("."):
                    try:
                        found = os.lstat(self.root / "acks" / name)
                    except OSError:
                        continue
                    if stat.S_ISREG(found.st_mode):  # a folder or link named so is no ack
                        times[name[: -len(".json")]] = found.st_mtime_ns // 1_000_000
        return times

    def lease_written_ms(self) -> int | None:
        """The share's time when the lease was last written: 'now' by the share's clock."""
        try:
            return os.stat(self.root / "lease.json").st_mtime_ns // 1_000_000
        except OSError:
            return None

    def snapshot_written_ms(self, name: str) -> int | None:
        try:
            return os.stat(self.root / "snapshots" / name).st_mtime_ns // 1_000_000
        except OSError:
            return None
