"""What the benchmark scripts share: a time budget, the served app's lifecycle, and statistics."""

import http.client
import math
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the venv's bin folder when run with .venv/bin/python
HOST = "127.0.0.1"


class SetupError(Exception):
    pass


class Deadline:
    """The whole run's time budget; every wait and subprocess gets at most what is left."""

    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def left(self, cap=None):
        left = self.end - time.monotonic()
        if left <= 0:
            raise SetupError("the run went over --max-seconds")
        return min(left, cap) if cap else left


def percentile(values, fraction):
    """Nearest-rank percentile of ``values`` (seconds), in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)] * 1000


def redacted(url):
    parts = urlsplit(url)
    if not parts.password:
        return url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")).geturl()


def run(cmd, env, deadline, cap):
    result = subprocess.run(
        cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=deadline.left(cap), check=False
    )
    if result.returncode != 0:
        raise SetupError(f"{' '.join(cmd[:3])} ... exited {result.returncode}:\n{result.stderr[-3000:]}")
    return result.stdout


def start_server(port, env, log_path, server="daphne", workers=1):
    """Serve the app on ``port``: one daphne process, or the production server (gunicorn with
    ``workers`` uvicorn worker processes, ``gunicorn.conf.py``)."""
    name = "gunicorn" if server == "gunicorn" else "daphne"
    program = BIN / name if (BIN / name).exists() else shutil.which(name)
    if not program:
        raise SetupError(f"{name} not found; run with .venv/bin/python")
    if name == "gunicorn":
        command = [str(program), "--config", "gunicorn.conf.py", "--bind", f"{HOST}:{port}", "--workers", str(workers)]
    else:
        command = [str(program), "-b", HOST, "-p", str(port), "anwariya.asgi:application"]
    with open(log_path, "wb") as log:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def stop_server(server):
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)


def wait_healthy(port, server, deadline):
    end = time.monotonic() + deadline.left(60)
    last = "no answer"
    while time.monotonic() < end:
        if server.poll() is not None:
            raise SetupError(f"the server on port {port} exited with {server.returncode}; see its log")
        conn = http.client.HTTPConnection(HOST, port, timeout=5)
        try:
            conn.request("GET", "/healthz", headers={"Accept": "application/json"})
            response = conn.getresponse()
            body = response.read()
            if response.status == 200:
                return
            last = f"{response.status} {body[:200]!r}"
        except OSError as exc:
            last = str(exc)
        finally:
            conn.close()
        time.sleep(0.2)
    raise SetupError(f"/healthz on port {port} did not answer 200 in time (last: {last})")
