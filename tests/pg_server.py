"""A throwaway PostgreSQL server from the machine's binaries, for tests and benchmarks.

``initdb`` and ``pg_ctl`` must be on the PATH. They refuse to run as root, so
as root they run as the ``postgres`` user (``runuser``) in a folder it owns.
The server listens only on a Unix socket in its own folder, on a free port
number, and is stopped and removed by :meth:`Server.stop`.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import attrs

#: Set to ``1`` to make PostgreSQL tests fail instead of skip when no server can run.
REQUIRE_ENV = "LOWBACK_REQUIRE_POSTGRES"
#: Set to a DSN to use an existing server (the tests create and drop databases on it).
DSN_ENV = "LOWBACK_PG_DSN"
HOW_TO = (
    "PostgreSQL tests need initdb and pg_ctl on the PATH (or LOWBACK_PG_DSN set to a "
    "server where databases may be created) and psycopg installed "
    "(pip install -e '.[postgres]'); set LOWBACK_REQUIRE_POSTGRES=1 to fail instead "
    "of skipping"
)


class Unavailable(Exception):
    """No PostgreSQL server can be started here."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@attrs.define
class Server:
    """A running throwaway server."""

    folder: Path
    port: int
    as_user: list[str]
    _names: itertools.count[int] = attrs.field(factory=itertools.count)

    @property
    def dsn(self) -> str:
        """The admin DSN (database ``postgres``)."""
        return self.dsn_for("postgres")

    def dsn_for(self, dbname: str) -> str:
        """A DSN for *dbname* on this server."""
        return f"host={self.folder} port={self.port} user=postgres dbname={dbname}"

    def stop(self) -> None:
        """Stop the server (fast) and remove its folder."""
        subprocess.run(
            [
                *self.as_user,
                "pg_ctl",
                "-D",
                str(self.folder / "data"),
                "-m",
                "fast",
                "-w",
                "stop",
            ],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def start() -> Server:
    """Start a server in a new temporary folder; raise :class:`Unavailable` if it cannot."""
    if shutil.which("initdb") is None or shutil.which("pg_ctl") is None:
        raise Unavailable("initdb and pg_ctl are not on the PATH")
    as_user: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="lbpg"))
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(folder)
            raise Unavailable("running as root and there is no postgres user") from None
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    port = _free_port()
    try:
        subprocess.run(
            [
                *as_user,
                "initdb",
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
        )
        options = f"-p {port} -k {folder} -c listen_addresses='' -c max_connections=50"
        subprocess.run(
            [
                *as_user,
                "pg_ctl",
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(folder / "log"),
                "-w",
                "start",
            ],
            check=True,
            capture_output=True,
        )
    except (OSError, subprocess.CalledProcessError) as err:
        with contextlib.suppress(OSError):
            log = (folder / "log").read_text(errors="replace")[-2000:]
            err = Unavailable(f"{err}\n{log}")  # type: ignore[assignment]
        shutil.rmtree(folder, ignore_errors=True)
        raise Unavailable(str(err)) from None
    return Server(folder=folder, port=port, as_user=as_user)
