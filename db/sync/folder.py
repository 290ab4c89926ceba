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
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
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
from db.sync.transport import ChangeRef, Skipped, SnapshotRef

ROOT_NAME = "AgencyDesk"
CHANGE_NAME = re.compile(r"^(\d{12})-([0-9a-f]{64})\.jsonl$")
SNAPSHOT_NAME = re.compile(r"^(\d{8})-([0-9a-f]{64})\.sqlite$")
RENAME_TRIES = 8
RENAME_PAUSE_S = 0.05
AGENCY_FILE = "agency.json"

T = TypeVar("T")


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

    def _read_bytes(self, path: Path) -> bytes:
        return path.read_bytes()

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

    def _read_json(self, path: Path) -> Any:
        try:
            return json.loads(self._read_bytes(path))
        except FileNotFoundError:
            return None
        except (ValueError, UnicodeDecodeError):
            return None  # half-synced by a cloud client: treated as absent until whole

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
        with self._guard():
            meta = self._read_json(self.root / "meta.json")
        return meta if isinstance(meta, dict) else {}

    def write_meta(self, meta: dict[str, Any]) -> None:
        with self._guard():
            self._write_json(self.root / "meta.json", meta)

    def list_stations(self) -> list[str]:
        with self._guard():
            names = self._listdir(self.root / "changes")
        return sorted(n for n in names if re.fullmatch(r"[0-9a-f]{16}", n))

    def list_changes(self, station: str, after: int) -> tuple[list[ChangeRef], list[Skipped]]:
        folder = self.root / "changes" / station
        with self._guard():
            try:
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

    def _change_path(self, ref: ChangeRef) -> Path:
        return self.root / "changes" / ref.station / f"{ref.seq:012d}-{ref.sha256}.jsonl"

    def read_change(self, ref: ChangeRef) -> bytes:
        path = self._change_path(ref)
        with self._guard(path):
            data = self._read_bytes(path)
        if sha256(data) != ref.sha256:
            raise ShareIOError(f"{path.name}: content does not match its checksum (partial?)")
        return data

    def write_change(self, station: str, seq: int, data: bytes) -> ChangeRef:
        ref = ChangeRef(seq, sha256(data), station)
        path = self._change_path(ref)
        with self._guard(path):
            path.parent.mkdir(parents=True, exist_ok=True)
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
                if name.endswith(".json") and not name.startswith("."):
                    ack = self._read_json(self.root / "acks" / name)
                    if isinstance(ack, dict):
                        acks[name[: -len(".json")]] = ack
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
        with self._guard(src):
            shutil.copyfile(src, dest)
        if sha256(dest.read_bytes()) != ref.sha256:
            raise ShareIOError(f"snapshot {ref.name} does not match its checksum")

    def publish_snapshot(self, generation: int, source: Path) -> SnapshotRef:
        data = source.read_bytes()
        ref = SnapshotRef(generation, sha256(data), "")
        ref = SnapshotRef(generation, ref.sha256, f"{generation:08d}-{ref.sha256}.sqlite")
        target = self.root / "snapshots" / ref.name
        with self._guard(target):
            self._publish(target, data)
            if sha256(self._read_bytes(target)) != ref.sha256:
                raise ShareIOError(f"snapshot {ref.name} did not read back as written")
        return ref

    def delete_snapshot(self, ref: SnapshotRef) -> None:
        with self._guard():
            self._unlink(self.root / "snapshots" / ref.name)

    def read_lease(self) -> dict[str, Any] | None:
        with self._guard():
            lease = self._read_json(self.root / "lease.json")
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
                data = self._read_bytes(path)
            except FileNotFoundError:
                return None
        try:
            record = json.loads(data)
        except (ValueError, UnicodeDecodeError):
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
