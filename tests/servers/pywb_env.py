"""pywb for replay tests, in its own virtualenv (pywb's pins conflict with the project's).

The venv lives at $ARCHIVER_PYWB_VENV (default ~/.cache/archiver/pywb-venv) and is created once
with `pip install pywb==2.10.0 -c pywb-constraints.txt`; CI prepares it with
`.venv/bin/python -m tests.servers.pywb_env`.
It also carries warcio with brotlipy, warcio's documented brotli backend.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PYWB_VERSION = "2.10.0"
# pywb's dependency versions, frozen so the replay environment is the same on every machine.
CONSTRAINTS = Path(__file__).with_name("pywb-constraints.txt")


def venv_dir() -> Path:
    default = Path.home() / ".cache" / "archiver" / "pywb-venv"
    return Path(os.environ.get("ARCHIVER_PYWB_VENV", default))


def ensure_venv() -> Path:
    """The bin/ directory of the pywb venv, created on first use."""
    venv = venv_dir()
    marker = venv / f".pywb-{PYWB_VERSION}"
    if not marker.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", f"pywb=={PYWB_VERSION}",
                        "-c", str(CONSTRAINTS)], check=True)
        marker.touch()
    return venv / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def wayback(workdir: Path, warcs: list[Path], collection: str = "c") -> Iterator[str]:
    """Serve `warcs` with pywb's `wayback`; yields the collection base URL."""
    bin_dir = ensure_venv()
    workdir.mkdir(parents=True, exist_ok=True)
    if not (workdir / "collections" / collection).exists():
        subprocess.run([str(bin_dir / "wb-manager"), "init", collection], cwd=workdir,
                       check=True, capture_output=True)
    subprocess.run([str(bin_dir / "wb-manager"), "add", collection, *map(str, warcs)],
                   cwd=workdir, check=True, capture_output=True)
    port = free_port()
    log = open(workdir / "wayback.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([str(bin_dir / "wayback"), "-p", str(port)], cwd=workdir,
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/{collection}/"
    try:
        _wait_up(f"http://127.0.0.1:{port}/", proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def _wait_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("wayback exited early")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except urllib.error.HTTPError:
            return  # answering at all is enough
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("wayback did not start")


if __name__ == "__main__":
    print(ensure_venv())
