"""Start and stop the two servers under test: HọcSố under gunicorn (as in production) and
Ralph 5.1 under uvicorn (as in its documentation), each on a free loopback port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from lrs_http import wait_ready

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
RALPH_VENV = Path("/work/ralph-venv")
# The fs backend needs no extra; the "lrs" extra forgets ``requests``, which its OIDC
# module imports at start-up.
RALPH_REQUIREMENTS = ["ralph-malph[cli,lrs]==5.1.0", "requests==2.32.3"]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    port: int
    log: Path

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass(frozen=True)
class GunicornConfig:
    workers: int = 3
    worker_class: str = "sync"
    threads: int = 1

    def describe(self) -> str:
        threads = f" x {self.threads} threads" if self.worker_class == "gthread" else ""
        return f"gunicorn, {self.workers} {self.worker_class} workers{threads}"


def hocso_start(*, database_url: str, site_url: str, config: GunicornConfig, workdir: Path,
                extra_env: dict[str, str] | None = None,
                config_file: Path | None = None) -> Server:
    """gunicorn ``lms.wsgi`` with DEBUG off and an access log, as in docker-compose.yml."""
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "CELERY_", "HOCSO_"))}
    env.update({
        "DATABASE_URL": database_url, "DJANGO_SECRET_KEY": "bench-" + os.urandom(16).hex(),
        "DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
        "HOCSO_SITE_URL": site_url, "PYTHONPATH": str(ROOT), "DJANGO_LOG_LEVEL": "WARNING",
    })
    env.update(extra_env or {})
    log = workdir / "gunicorn.log"
    command = [str(Path(sys.executable).parent / "gunicorn"), "lms.wsgi",
               "--bind", f"{HOST}:{port}", "--workers", str(config.workers),
               "--worker-class", config.worker_class, "--threads", str(config.threads),
               "--access-logfile", str(workdir / "gunicorn-access.log"),
               "--timeout", "300"]
    if config_file:
        command += ["--config", str(config_file)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"),
                               stderr=subprocess.STDOUT)
    server = Server("HọcSố", process, port, log)
    _ready(server, "/xapi/about")
    return server


def ralph_install() -> Path:
    """Ralph's interpreter, installing Ralph into its own venv the first time."""
    python = RALPH_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run(["/usr/bin/python3", "-m", "venv", str(RALPH_VENV)], check=True)
    check = subprocess.run(
        [str(python), "-c", "import ralph, ralph.cli, requests, uvicorn; print(ralph.__version__)"],
        capture_output=True, text=True)
    if check.returncode != 0 or check.stdout.strip() != "5.1.0":
        subprocess.run([str(python), "-m", "pip", "install", "-q", *RALPH_REQUIREMENTS],
                       check=True)
    return python


def ralph_start(*, workdir: Path, username: str, password: str, workers: int = 1) -> Server:
    """Ralph's LRS with its filesystem backend (made to append, see lrs_ralph_app.py) and
    Basic auth from an auth file written by ``ralph auth``, served by uvicorn as its
    documentation shows (``uvicorn ralph.api:app --proxy-headers --workers 1``)."""
    python = ralph_install()
    app_dir = workdir / "ralph-app"
    store = workdir / "ralph-store"
    app_dir.mkdir(exist_ok=True)
    store.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RALPH_")}
    env.update({
        "RALPH_APP_DIR": str(app_dir), "RALPH_AUTH_FILE": str(app_dir / "auth.json"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(store),
    })
    env.pop("PYTHONPATH", None)
    if not (app_dir / "auth.json").exists():
        subprocess.run([str(python), "-m", "ralph", "auth", "--write-to-disk",
                        "--username", username, "--password", password,
                        "--scope", "all", "--agent-ifi-mbox", "mailto:bench@hocso.gov.vn"],
                       env=env, check=True, capture_output=True)
    port = free_port()
    log = workdir / "ralph.log"
    command = [str(python), "-m", "uvicorn", "lrs_ralph_app:app", "--app-dir", str(BENCH),
               "--proxy-headers", "--workers", str(workers), "--host", HOST,
               "--port", str(port)]
    process = subprocess.Popen(command, cwd=workdir, env=env, stdout=log.open("w"),
                               stderr=subprocess.STDOUT)
    server = Server("Ralph 5.1", process, port, log)
    _ready(server, "/__heartbeat__")
    return server


def ralph_store_count(workdir: Path) -> int:
    path = workdir / "ralph-store" / "fs_lrs.jsonl"
    if not path.exists():
        return 0
    with path.open("rb") as f:
        return sum(1 for line in f if line.strip())


def _ready(server: Server, path: str) -> None:
    try:
        wait_ready(HOST, server.port, path, timeout=90, alive=server.alive)
    except RuntimeError:
        server.stop()
        print(server.log.read_text()[-3000:], file=sys.stderr)
        raise
