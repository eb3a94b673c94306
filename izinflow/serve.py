"""`make serve`: a local Prefect server, the process work pool, the deployments, one worker, and the
review app (`izinflow web`).

The operator then watches runs at http://127.0.0.1:4200; staff sign in at http://127.0.0.1:8000/login
(accounts from `izinflow user add`). Bundles dropped into ./var/inbox are picked up by the intake
deployment every minute. Stop with Ctrl-C (everything started here stops).
"""

from __future__ import annotations

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


def main() -> int:
    env = _env()
    (ROOT / "var" / "inbox").mkdir(parents=True, exist_ok=True)
    prefect = str(BIN / "prefect")
    server = subprocess.Popen([prefect, "server", "start", "--host", "127.0.0.1", "--port", "4200"], env=env)
    children = [server]
    try:
        _wait_for_server()
        subprocess.run([prefect, "work-pool", "create", POOL, "--type", "process", "--overwrite"],
                       env=env, check=True, cwd=ROOT)
        subprocess.run([prefect, "--no-prompt", "deploy", "--all"], env=env, check=True, cwd=ROOT)
        children.append(subprocess.Popen([prefect, "worker", "start", "--pool", POOL], env=env, cwd=ROOT))
        web_port = env.get("IZINFLOW_WEB_PORT", "8000")
        children.append(subprocess.Popen([str(BIN / "izinflow"), "web", "--port", web_port], env=env, cwd=ROOT))
        print(f"izinflow: Prefect UI http://127.0.0.1:4200 · aplikasi petugas http://127.0.0.1:{web_port}/login"
              f" · inbox {ROOT / 'var' / 'inbox'} · Ctrl-C to stop")
        while all(child.poll() is None for child in children):
            time.sleep(1)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        for child in reversed(children):
            if child.poll() is None:
                child.send_signal(signal.SIGINT)
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()


if __name__ == "__main__":
    raise SystemExit(main())
