"""Is a path on this computer's own disk? SQLite's locking and WAL are unreliable on network
file systems ("How To Corrupt An SQLite Database File"; "WAL does not work over a network
filesystem"), so a station's live database must stay local and stations share through the sync
folder instead. This module answers the question per platform without touching the file.

Linux: the longest mount point above the path in /proc/self/mountinfo names its file system.
Windows: GetDriveTypeW on the path's root (a UNC path \\\\server\\share is remote by nature).
macOS: statfs's f_fstypename, read through libc. Where the answer cannot be found, the path is
taken as local: a refusal must never come from a guess.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# File system types that live on another machine (Linux names, then macOS names).
NETWORK_TYPES = frozenset(
    {
        "nfs", "nfs4", "cifs", "smb", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph",
        "glusterfs", "lustre", "fuse.sshfs", "sshfs", "fuse.rclone", "davfs", "fuse.davfs2",
        "afpfs", "webdav", "fuse.glusterfs", "fuse.s3fs", "coda", "ocfs2", "gfs2",
    }
)  # fmt: skip

MOUNTINFO = Path("/proc/self/mountinfo")


def network_filesystem(path: Path) -> str | None:
    """The network file system type `path` lives on (e.g. "nfs4", "cifs", "remote drive"),
    or None when it is on a local disk or the type cannot be told."""
    target = _existing_ancestor(Path(path).expanduser().absolute())
    if sys.platform.startswith("win"):
        return _windows_remote(target)
    if sys.platform == "darwin":
        fstype = _macos_fstype(target)
    else:
        fstype = _linux_fstype(target)
    return fstype if fstype in NETWORK_TYPES else None


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def _linux_fstype(path: Path, mountinfo: str | None = None) -> str | None:
    try:
        text = mountinfo if mountinfo is not None else MOUNTINFO.read_text()
    except OSError:
        return None
    resolved = str(path.resolve())
    best, best_type = "", None
    for line in text.splitlines():
        # "36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=..."
        left, _, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if len(fields) < 5 or not tail:
            continue
        mount_point = fields[4].encode().decode("unicode_escape")
        inside = resolved == mount_point or resolved.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, best_type = mount_point, tail[0]
    return best_type


def _windows_remote(path: Path) -> str | None:
    if sys.platform != "win32":  # tells mypy, run elsewhere, that windll exists here
        return None
    text = str(path)
    if text.startswith("\\\\") and not text.startswith("\\\\?\\"):
        return "network share"
    drive = os.path.splitdrive(text)[0]
    if not drive:
        return None
    import ctypes  # here, not at the top: on Linux the check never needs it (issue 19)

    drive_remote = 4  # DRIVE_REMOTE
    kind = ctypes.windll.kernel32.GetDriveTypeW(drive + "\\")
    return "remote drive" if kind == drive_remote else None


def _macos_fstype(path: Path) -> str | None:
    import ctypes

    class StatFs(ctypes.Structure):  # struct statfs (64-bit inodes), <sys/mount.h>
        _fields_ = [
            ("f_bsize", ctypes.c_uint32), ("f_iosize", ctypes.c_int32),
            ("f_blocks", ctypes.c_uint64), ("f_bfree", ctypes.c_uint64),
            ("f_bavail", ctypes.c_uint64), ("f_files", ctypes.c_uint64),
            ("f_ffree", ctypes.c_uint64), ("f_fsid", ctypes.c_int32 * 2),
            ("f_owner", ctypes.c_uint32), ("f_type", ctypes.c_uint32),
            ("f_flags", ctypes.c_uint32), ("f_fssubtype", ctypes.c_uint32),
            ("f_fstypename", ctypes.c_char * 16), ("f_mntonname", ctypes.c_char * 1024),
            ("f_mntfromname", ctypes.c_char * 1024), ("f_flags_ext", ctypes.c_uint32),
            ("f_reserved", ctypes.c_uint32 * 7),
        ]  # fmt: skip

    try:
        libc = ctypes.CDLL("libc.dylib", use_errno=True)
        statfs = libc["statfs$INODE64"] if hasattr(libc, "statfs$INODE64") else libc.statfs
        buf = StatFs()
        if statfs(os.fsencode(path), ctypes.byref(buf)) != 0:
            return None
        fstype: bytes = buf.f_fstypename  # a c_char array field reads as bytes
        return fstype.decode(errors="replace")
    except (OSError, AttributeError):
        return None
