"""`make serve` stops as an operator expects: one Ctrl-C, and each thing it started gets one SIGINT, the
Prefect server last (after its clients, the review app and the worker), none left running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

# A stand-in for the server, the worker and the app: it notes each SIGINT it gets, then takes a moment
# to shut down (a second SIGINT meanwhile is noted too).
CHILD = textwrap.dedent("""
    import signal, sys, time
    log, name = sys.argv[1], sys.argv[2]
    def on_int(signum, frame):
        with open(log, "a") as f:
            f.write(f"sigint {name}\\n")
        time.sleep(0.3)
        sys.exit(0)
    signal.signal(signal.SIGINT, on_int)
    with open(log, "a") as f:
        f.write(f"ready {name}\\n")
    while True:
        time.sleep(0.05)
""")

# `make serve` as izinflow.serve.main runs it, with the stand-ins for what it starts.
SUPERVISOR = textwrap.dedent("""
    import signal, sys
    from izinflow import serve
    log, child = sys.argv[1], sys.argv[2]
    signal.signal(signal.SIGTERM, serve._interrupt)
    children = []
    try:
        for name in ("server", "worker", "web"):
            children.append(serve.start([sys.executable, child, log, name], dict(serve.os.environ)))
        serve.watch(children)
    except KeyboardInterrupt:
        pass
    finally:
        serve.stop(children, timeout=5)
        with open(log, "a") as f:
            f.write("stopped " + " ".join(str(c.pid) for c in children) + "\\n")
""")


def _lines(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def _supervise(tmp_path: Path) -> tuple[subprocess.Popen[bytes], Path]:
    """The supervisor in its own session, like a `make serve` in a terminal, once its children are ready."""
    child, log = tmp_path / "child.py", tmp_path / "signals.log"
    child.write_text(CHILD)
    supervisor = subprocess.Popen([sys.executable, "-c", SUPERVISOR, str(log), str(child)], start_new_session=True)
    deadline = time.monotonic() + 15
    while sum(line.startswith("ready") for line in _lines(log)) < 3:
        assert time.monotonic() < deadline and supervisor.poll() is None, _lines(log)
        time.sleep(0.05)
    time.sleep(0.2)  # the supervisor is waiting in watch()
    return supervisor, log


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_one_ctrl_c_stops_everything_once_the_server_last(tmp_path: Path, how: str) -> None:
    supervisor, log = _supervise(tmp_path)
    if how == "ctrl-c":
        os.killpg(supervisor.pid, signal.SIGINT)  # the terminal signals its whole foreground group
    else:
        supervisor.send_signal(signal.SIGTERM)  # a service manager, or `kill`, signals the process
    assert supervisor.wait(timeout=30) == 0
    lines = _lines(log)
    assert [line for line in lines if line.startswith("sigint")] == ["sigint web", "sigint worker", "sigint server"]
    pids = [int(pid) for pid in lines[-1].removeprefix("stopped ").split()]
    assert len(pids) == 3 and not any(_alive(pid) for pid in pids)
