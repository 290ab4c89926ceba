"""A throwaway PostgreSQL cluster for the server-sync tests and benchmarks: `initdb` in a
temporary folder, `postgres` on a free loopback port (and a Unix socket in the same folder),
password logins (scram-sha-256) as a real server has them, and everything removed at the end.

PostgreSQL refuses to run as root, so when we are root the cluster belongs to an unprivileged
system account (`postgres` from Debian's package, else `nobody`) and every server process is
started as that account. Debian keeps the programs in /usr/lib/postgresql/<version>/bin, off
the PATH; `find_binaries()` looks there, in /usr/local/bin and on the PATH.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ADMIN = "agency_admin"
NEEDED = ("initdb", "pg_ctl", "postgres")


def find_binaries() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres (newest Debian version first)."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates.append(Path("/usr/local/bin"))
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).resolve().parent)
    for folder in candidates:
        if all((folder / name).is_file() for name in NEEDED):
            return folder
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _unprivileged_account() -> pwd.struct_passwd | None:
    """None when we are not root (then the cluster is simply ours)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise RuntimeError("running as root and no unprivileged account to run PostgreSQL as")


@dataclass
class Cluster:
    """One running cluster; `url(db)` is the admin's URL for a database in it."""

    bin: Path
    root: Path
    port: int
    password: str
    account: pwd.struct_passwd | None
    databases: list[str] = field(default_factory=list)

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root

    def url(
        self, database: str = "postgres", user: str = ADMIN, password: str | None = None
    ) -> str:
        secret = self.password if password is None and user == ADMIN else password
        auth = quote(user, safe="") + (f":{quote(secret, safe='')}" if secret else "")
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        user = self.account.pw_uid if self.account else None
        group = self.account.pw_gid if self.account else None
        return subprocess.run(
            list(args),
            cwd=self.root,
            user=user,
            group=group,
            extra_groups=[] if self.account else None,
            env={**os.environ, "LC_ALL": "C", "HOME": str(self.root)},
            capture_output=True,
            text=True,
            check=check,
            timeout=60,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.socket_dir} "
            "-c max_connections=200 -c shared_buffers=32MB"
        )
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"),
            "-o", options, "-w", "-t", "30", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def running(self) -> bool:
        status = self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "status", check=False)
        return status.returncode == 0

    def cpu_seconds(self) -> float:
        """CPU time the server has used so far: the postmaster's own and that of every
        backend it has reaped (each connection is a process; a sync's ends with it)."""
        pid = int((self.data / "postmaster.pid").read_text().split()[0])
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
        return ticks / os.sysconf("SC_CLK_TCK")

    def create_database(self, name: str) -> str:
        """A new empty database; returns the admin's URL for it."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def remove(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            if self.running():
                self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def start_cluster(bin_dir: Path, *, durable: bool = False) -> Cluster:
    """initdb and start a cluster in a new temp folder. `durable` False turns fsync off: tests
    kill and restart the server but never the machine, and they run many times faster."""
    root = Path(tempfile.mkdtemp(prefix="agency-desk-pg-"))
    account = _unprivileged_account()
    password = secrets.token_urlsafe(16)
    cluster = Cluster(bin_dir, root, _free_port(), password, account)
    try:
        if account is not None:
            os.chown(root, account.pw_uid, account.pw_gid)
        root.chmod(0o700)
        pwfile = root / "pwfile"
        pwfile.write_text(password + "\n")
        if account is not None:
            os.chown(pwfile, account.pw_uid, account.pw_gid)
        cluster._run(
            str(bin_dir / "initdb"), "-D", str(cluster.data), "-U", ADMIN,
            "--pwfile", str(pwfile), "--auth-local=scram-sha-256",
            "--auth-host=scram-sha-256", "-E", "UTF8", "--no-instructions",
        )  # fmt: skip
        pwfile.unlink()
        if not durable:
            with open(cluster.data / "postgresql.conf", "a") as conf:
                conf.write("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
        cluster.start()
    except BaseException:
        cluster.remove()
        raise
    return cluster
