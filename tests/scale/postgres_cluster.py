"""A throwaway PostgreSQL cluster from Debian's packages, on loopback, for the scale tests."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

__all__ = ["PostgresCluster", "free_port", "postgres_cluster"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _bindir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed; run scripts/ensure_postgres.sh")
    return found[-1].parent


class PostgresCluster:
    """A running cluster; :meth:`new_database` hands each test an empty database of its own."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.admin_url = f"postgresql://pd@127.0.0.1:{port}/postgres"

    def new_database(self) -> str:
        name = f"pd_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"postgresql://pd@127.0.0.1:{self.port}/{name}"


@contextmanager
def postgres_cluster() -> Iterator[PostgresCluster]:
    """initdb into a temporary directory and start on 127.0.0.1; stopped and removed afterwards.

    initdb refuses to run as root, so as root the cluster belongs to the ``postgres`` user.
    """
    bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="pd-pg-", dir="/tmp"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(root, owner.pw_uid, owner.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data, log = root / "data", root / "server.log"
    port = free_port()
    try:
        subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "pd", "--auth=trust",
                        "--no-sync", "-E", "UTF8"], check=True, capture_output=True)
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60",
                        "-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
                              "-c max_connections=200", "start"],
                       check=True, capture_output=True)
        try:
            yield PostgresCluster(port)
        finally:
            subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                           check=False, capture_output=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
