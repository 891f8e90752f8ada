"""Serve an app with gunicorn and load it with wrk; parse what wrk prints."""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass

GUNICORN = os.path.join(os.path.dirname(sys.executable), "gunicorn")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(app_spec, env=None, workers=2, cwd=None, port=None, log=None):
    """Start `gunicorn app_spec` on 127.0.0.1; return (process, base URL) once it answers.

    `log`, an open file, takes gunicorn's and the app's log (tracebacks of any 500).
    """
    port = port or free_port()
    process = subprocess.Popen(
        [GUNICORN, "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app_spec],
        env={**os.environ, **(env or {})},
        cwd=cwd, stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
    except BaseException:
        stop_gunicorn(process)
        raise
    return process, base


def stop_gunicorn(process):
    """Stop gunicorn gracefully (SIGTERM), then for good if it lingers."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def gunicorn(app_spec, env=None, workers=2, cwd=None):
    """Run `gunicorn app_spec` on 127.0.0.1 and yield its base URL."""
    process, base = start_gunicorn(app_spec, env, workers, cwd)
    try:
        yield base
    finally:
        stop_gunicorn(process)


def _wait_until_up(base, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            urllib.request.urlopen(base + "/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


@dataclass
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text):
    number, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(url, connections, seconds, threads=2, headers=()):
    """Load `url` for `seconds` at `connections` concurrency; return the figures.

    `headers` are extra request headers ("Name: value"), e.g. a session cookie.
    """
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("benchmarks only load 127.0.0.1")
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (make bench installs it)")
    header_options = [option for header in headers for option in ("-H", header)]
    output = subprocess.run(
        ["wrk", "--latency", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", *header_options, url],
        capture_output=True, text=True, check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    # Anchored to the line start: a thread-stats line can end in e.g. "72.50%" too.
    p50 = _ms(re.search(r"^\s*50%\s+(\S+)", output, re.MULTILINE).group(1))
    p99 = _ms(re.search(r"^\s*99%\s+(\S+)", output, re.MULTILINE).group(1))
    errors_match = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = int(errors_match.group(1)) if errors_match else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return LoadResult(rps, p50, p99, errors)
