"""Secrets never reach crawl.json, logs, records or WARC files; nothing from the network is unpickled.

The proxy test is real: the hostile server also answers proxy-style requests (absolute URI in the
request line), so the crawl goes through an authenticated `http_proxy` and we can check that the
password reaches the proxy (the control) but none of our outputs.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

from archiver.extensions.redact import redact, secret_values
from tests.crawling import REPO, CrawlResult
from tests.hostile_server import hostile_server

PROXY_PASSWORD = "pr0xyPa55w0rd-7f3a"
API_KEY = "sk-live-0123456789abcdef"
AWS_SECRET = "aws-Secr3t-Key-0f9e8d"  # a Scrapy setting, so Scrapy itself would log it at start-up
REDIS_PASSWORD = "r3disS3cret-91bc"
SECRETS = (PROXY_PASSWORD, API_KEY, REDIS_PASSWORD, AWS_SECRET)


def _crawl_through_proxy(archive: Path, proxy_port: int, url: str) -> CrawlResult:
    command = [sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"url={url}"]
    settings = {"ARCHIVE_DIR": str(archive), "AUTOTHROTTLE_ENABLED": "False", "LOG_LEVEL": "DEBUG",
                "ZYTE_API_KEY": API_KEY, "AWS_SECRET_ACCESS_KEY": AWS_SECRET, "REDIS_URL": f"redis://:{REDIS_PASSWORD}@127.0.0.1:6399/0",
                "DOWNLOAD_TIMEOUT": "10"}
    for key, value in settings.items():
        command += ["-s", f"{key}={value}"]
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(SCRAPY_SETTINGS_MODULE="archiver.settings",
               http_proxy=f"http://crawler:{PROXY_PASSWORD}@127.0.0.3:{proxy_port}")
    proc = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False)
    return CrawlResult(proc.returncode, proc.stdout, proc.stderr, archive)


def _everything_written(archive: Path) -> bytes:
    """Every byte the crawl wrote, gzip members decompressed (WARC, .jsonl.gz)."""
    blobs = []
    for path in archive.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            blobs.append(data)
    return b"\n".join(blobs)


def test_secrets_stay_out_of_every_output(tmp_path: Path) -> None:
    with hostile_server() as target, hostile_server("127.0.0.3") as proxy:
        url = target.url("/good/one")
        crawl = _crawl_through_proxy(tmp_path, proxy.port, url)
        proxied = proxy.hits.get(url, [])
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    assert proxied, "the crawl did not go through the proxy; the test would prove nothing"
    assert len(crawl.records()) == 1
    written = _everything_written(tmp_path)
    assert b"WARC-Type: warcinfo" in written and b"\"crawl_id\"" in written
    for secret in SECRETS:
        assert secret.encode() not in written, f"{secret} written to the archive"
        assert secret not in crawl.stderr + crawl.stdout, f"{secret} in the log"
    assert "'AWS_SECRET_ACCESS_KEY': '***'" in crawl.stderr  # logged by Scrapy, value masked
    assert b"Proxy-Authorization" not in written
    assert "redact.py" not in crawl.stderr  # reading the settings must not trigger warnings


def test_proxy_receives_the_credentials(tmp_path: Path) -> None:
    """Control for the test above: the password really was in play on the wire."""
    seen: list[str] = []
    with hostile_server() as target, hostile_server("127.0.0.3") as proxy:
        original = proxy._dispatch

        async def spy(exchange):  # type: ignore[no-untyped-def]
            seen.append(exchange.headers.get("proxy-authorization", ""))
            await original(exchange)

        proxy._dispatch = spy  # type: ignore[method-assign]
        _crawl_through_proxy(tmp_path, proxy.port, target.url("/good/two"))
    assert any(value.startswith("Basic ") for value in seen), seen


def test_redaction_rules() -> None:
    secrets = secret_values([("ZYTE_API_KEY", API_KEY), ("MY_TOKEN", "tok-abcdef"),
                             ("REDIS_URL", f"redis://:{REDIS_PASSWORD}@h:1/0"), ("DOWNLOAD_DELAY", 1.0),
                             ("COOKIES_ENABLED", "True"), ("BOT_NAME", "archiver"),
                             ("FTP_PASSWORD", "guest"), ("DISTRIBUTED_KEY_PREFIX", "archiver")],
                            {"https_proxy": f"http://u:{PROXY_PASSWORD}@p:3128"})
    assert secrets == {API_KEY, "tok-abcdef", REDIS_PASSWORD, PROXY_PASSWORD}
    line = f"key={API_KEY} url=http://bob:hunter22@example.com/ {PROXY_PASSWORD}"
    assert redact(line, secrets) == "key=*** url=http://bob:***@example.com/ ***"


def test_nothing_from_the_network_is_unpickled() -> None:
    """Pickle is only safe for data we wrote ourselves. Scrapy uses it for JOBDIR disk queues and
    HTTPCACHE storage; the archiver enables neither, and no archiver module calls pickle/marshal/
    eval/exec/yaml.load. Redis mode (scrapy-redis) pickles requests into Redis — see
    RELIABILITY.md: the Redis server must be trusted like the crawl host itself."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("archiver.settings", priority="project")
    assert not settings.get("JOBDIR")
    assert not settings.getbool("HTTPCACHE_ENABLED")
    offenders = []
    for path in [*(REPO / "archiver").rglob("*.py"), *(REPO / "spiders").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        for needle in ("import pickle", "from pickle", "import marshal", "import shelve", "yaml.load(",
                       "eval(", "exec(", "dill", "cloudpickle", "jsonpickle"):
            if needle in text and not _only_in_strings(text, needle):
                offenders.append(f"{path.relative_to(REPO)}: {needle}")
    assert offenders == []


def _only_in_strings(text: str, needle: str) -> bool:
    """`literal_eval(` and `.eval(` (lxml/XPath) are not Python's eval."""
    return all(text[max(0, i - 8):i].endswith(("literal_", ".", "_")) for i in _positions(text, needle))


def _positions(text: str, needle: str) -> list[int]:
    out, start = [], text.find(needle)
    while start != -1:
        out.append(start)
        start = text.find(needle, start + 1)
    return out
