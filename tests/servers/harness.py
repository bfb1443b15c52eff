"""Test harness: start local servers and run crawls in subprocesses (one reactor per process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


@contextmanager
def wire_server(tls_dir: Path | None = None) -> Iterator[tuple[str, str | None]]:
    """Run tests/servers/wire_server.py; yields (http base URL, https base URL or None).

    With `tls_dir`, a throwaway self-signed certificate is made there with the openssl CLI.
    """
    args = [sys.executable, str(Path(__file__).with_name("wire_server.py"))]
    if tls_dir is not None:
        cert, key = tls_dir / "cert.pem", tls_dir / "key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                       check=True, capture_output=True)
        args += [str(cert), str(key)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE)
    try:
        assert proc.stdout is not None
        http = f"http://127.0.0.1:{int(proc.stdout.readline())}"
        https = f"https://127.0.0.1:{int(proc.stdout.readline())}" if tls_dir else None
        yield http, https
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def run_crawl(urls: list[str], archive_dir: Path, crawl_id: str,
              settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """Crawl `urls` with the capture middleware; returns {"items", "stats"}."""
    archive_dir.mkdir(parents=True, exist_ok=True)
    config = archive_dir / f"{crawl_id}.config.json"
    out = archive_dir / f"{crawl_id}.items.json"
    config.write_text(json.dumps({"urls": urls, "out": str(out), "settings": {
        "ARCHIVE_DIR": str(archive_dir), "CRAWL_ID": crawl_id, **(settings or {})}}))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-m", "tests.servers.crawl", str(config)], cwd=REPO,
                   env=env, check=True, timeout=120)
    return json.loads(out.read_text())  # type: ignore[no-any-return]
