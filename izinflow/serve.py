"""`make serve`: a local Prefect server, the process work pool, the deployments, one worker, and the
review app (`izinflow web`).

The operator then watches runs at http://127.0.0.1:4200; staff sign in at http://127.0.0.1:8000/login
(accounts from `izinflow user add`). Bundles dropped into ./var/inbox are picked up by the intake
deployment every minute. Stop with Ctrl-C (everything started here stops).

The children run in their own sessions, so the terminal's Ctrl-C reaches this process alone and the
shutdown is made here, once and in order: the review app and the worker first, the Prefect server
last. (Signalled by the terminal and again from here while its clients are still connected, the
server is forced down mid-shutdown and prints tracebacks.)
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
API = "http://127.0.0.1:4200/api"
POOL = "izinflow-proses"
STOP_SECONDS = 20  # how long a child may take to stop after its SIGINT before it is killed


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PREFECT_HOME", str(ROOT / "var" / "prefect"))
    env["PREFECT_API_URL"] = API
    env["IZINFLOW_ROOT"] = str(ROOT)
    env.setdefault("IZINFLOW_HOME", str(ROOT / "var"))
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    return env


def _wait_for_server(timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(API + "/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise SystemExit("Prefect server did not answer on " + API)


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """A long-running child in its own session: the terminal's Ctrl-C does not reach it, ``stop`` does."""
    return subprocess.Popen(args, env=env, cwd=ROOT, start_new_session=True)


def stop(children: list[subprocess.Popen[bytes]], timeout: float = STOP_SECONDS) -> None:
    """Stop the children one by one, the last started first (the server, whose clients the others are,
    last): one SIGINT each and up to ``timeout`` seconds to end. A child still running after that, or
    after a second Ctrl-C, is killed."""
    try:
        for child in reversed(children):
            if child.poll() is None:
                child.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=timeout)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
            child.wait()


def watch(children: list[subprocess.Popen[bytes]]) -> int:
    """Wait until a child ends by itself (1: the others are then stopped) or Ctrl-C (KeyboardInterrupt)."""
    while all(child.poll() is None for child in children):
        time.sleep(1)
    return 1


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM (a service manager, `kill`) stops everything as Ctrl-C does


def main() -> int:
    env = _env()
    signal.signal(signal.SIGTERM, _interrupt)
    (ROOT / "var" / "inbox").mkdir(parents=True, exist_ok=True)
    prefect = str(BIN / "prefect")
    children = [start([prefect, "server", "start", "--host", "127.0.0.1", "--port", "4200"], env)]
    try:
        _wait_for_server()
        subprocess.run([prefect, "work-pool", "create", POOL, "--type", "process", "--overwrite"],
                       env=env, check=True, cwd=ROOT)
        subprocess.run([prefect, "--no-prompt", "deploy", "--all"], env=env, check=True, cwd=ROOT)
        children.append(start([prefect, "worker", "start", "--pool", POOL], env))
        web_port = env.get("IZINFLOW_WEB_PORT", "8000")
        children.append(start([str(BIN / "izinflow"), "web", "--port", web_port], env))
        print(f"izinflow: Prefect UI http://127.0.0.1:4200 · aplikasi petugas http://127.0.0.1:{web_port}/login"
              f" · inbox {ROOT / 'var' / 'inbox'} · Ctrl-C to stop\n"
              f"izinflow: in another terminal, `export PREFECT_API_URL={API}` before `prefect flow-run ls`"
              " or `izinflow kasus lanjutkan`")
        return watch(children)
    except KeyboardInterrupt:
        return 0
    finally:
        stop(children)


if __name__ == "__main__":
    raise SystemExit(main())
