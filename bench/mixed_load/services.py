"""The load run's own PostgreSQL cluster, Redis and gunicorn nodes, in one temporary folder.

Nothing here touches the machine's PostgreSQL on 5432 or Redis on 6379: the
cluster is initialised from Debian's binaries (/usr/lib/postgresql/*/bin) in
the run's folder and listens on a free port of 127.0.0.1; Redis is a
`redis-server` child on another. PostgreSQL refuses to run as root, so a run
started by root runs the cluster as the `postgres` account (runuser); any
other user runs it as themselves. Faults stop, start and restart them.
"""
import glob
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.load import free_port, start_gunicorn, stop_gunicorn

REPO = Path(__file__).resolve().parents[2]
DATABASE = "musyawarah"
PG_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "max_connections": "300",  # two nodes of 4 workers with SQLAlchemy pools, followers and the checks
    "log_lock_waits": "on",  # waits longer than deadlock_timeout (1 s) are logged: the log tells contention
    "log_line_prefix": "'%m [%p] '",
    "fsync": "on",
}


def _pg_bindir():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda path: int(path.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb is None:
        raise RuntimeError("PostgreSQL's initdb was not found (Debian: apt-get install postgresql)")
    return Path(initdb).parent


def _wait(check, what, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up within {seconds:.0f} s")


class PrivatePostgres:
    """A throwaway cluster under `root/pg`, its log in `root/pg/postgresql.log`."""

    def __init__(self, root):
        self.bindir = _pg_bindir()
        self.dir = Path(root) / "pg"
        self.data = self.dir / "data"
        self.log = self.dir / "postgresql.log"
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def _run(self, *args, check=True):
        command = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:  # initdb and postgres refuse root
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True)

    def start(self):
        if not self.data.exists():
            self.dir.mkdir(parents=True)
            if os.geteuid() == 0:
                shutil.chown(self.dir, "postgres", "postgres")
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                      "--locale=C.UTF-8")
            settings = {**PG_SETTINGS, "port": str(self.port), "unix_socket_directories": f"'{self.dir}'"}
            with open(self.data / "postgresql.conf", "a") as conf:
                conf.writelines(f"{name} = {value}\n" for name, value in settings.items())
            self._pg_ctl("start")
            self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", DATABASE)
        else:
            self._pg_ctl("start")

    def _pg_ctl(self, action, *extra):
        self._run("pg_ctl", action, "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", *extra)

    def stop(self):
        """Stop at once (`-m fast`): open transactions roll back, clients are cut off."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "fast", "-w", check=False)

    def log_text(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""


class PrivateRedis:
    """`redis-server` as a child process: no snapshots, no append-only file."""

    def __init__(self, root):
        self.dir = Path(root) / "redis"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        _wait(self._answers, "Redis")

    def _answers(self):
        result = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(self.port), "ping"],
                                capture_output=True, text=True)
        return result.stdout.strip() == "PONG"

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None


class Node:
    """One app server: gunicorn with its own search index directory, and optionally a `search sync --follow`."""

    def __init__(self, name, env, workers, root):
        self.name = name
        self.index_dir = Path(root) / f"search-{name}"
        self.env = {**env, "SEARCH_INDEX_DIR": str(self.index_dir)}
        self.workers = workers
        self.log_path = Path(root) / f"gunicorn-{name}.log"
        self.process = self.base = self.follower = None

    def start(self):
        with open(self.log_path, "a") as log:
            self.process, self.base = start_gunicorn("run:app", env=self.env, workers=self.workers, cwd=REPO,
                                                     log=log)

    def follow(self):
        """Start `search sync --follow` beside the workers: this node's index tails the shared outbox."""
        with open(self.log_path, "a") as log:
            self.follower = subprocess.Popen(flask_command("search", "sync", "--follow"),
                                             env={**os.environ, **self.env}, cwd=REPO,
                                             stdout=subprocess.DEVNULL, stderr=log)

    def stop_following(self):
        if self.follower is not None and self.follower.poll() is None:
            self.follower.send_signal(signal.SIGTERM)
            try:
                self.follower.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.follower.kill()
                self.follower.wait()
        self.follower = None

    def worker_pids(self):
        """The gunicorn workers: the master's children, read from /proc."""
        children = []
        for stat in glob.glob("/proc/[0-9]*/stat"):
            try:
                fields = Path(stat).read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended while we looked
            if int(fields[1]) == self.process.pid:
                children.append(int(stat.split("/")[2]))
        return sorted(children)

    def stop(self):
        self.stop_following()
        if self.process is not None:
            stop_gunicorn(self.process)
        self.process = None

    def log_text(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def flask_command(*args):
    return [sys.executable, "-m", "flask", "--app", "run", *args]


def app_env(root, database_url, redis_url):
    """The environment the app runs in: the production configuration on the private services.

    Production cookies are `Secure`; the browser-like users treat the
    loopback as the TLS proxy's side (bench/mixed_load/locustfile.py).
    """
    return {
        "MUSYAWARAH_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "MUSYAWARAH_INSTANCE_DIR": str(Path(root) / "instance"),
    }
