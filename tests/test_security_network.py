"""Scope cannot be escaped by redirects: not to other hosts, not to private/loopback addresses.

Two hostile servers run on different loopback addresses (127.0.0.1 and 127.0.0.2 are both local
on Linux), so "another host" and "a private address" are real network targets; a server counts
its hits, so "not followed" means no byte was sent.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from scrapy.utils.test import get_crawler

from archiver.middlewares.private_networks import (
    PrivateNetworksMiddleware,
    host_is_private,
    is_blocked_address,
    parse_networks,
)
from tests.crawling import run_crawl
from tests.hostile_server import HostileServer, hostile_server


@pytest.fixture(scope="module")
def public() -> HostileServer:  # type: ignore[misc]
    """Plays the public site (allowed explicitly, as tests must)."""
    with hostile_server("127.0.0.1") as server:
        yield server


@pytest.fixture(scope="module")
def internal() -> HostileServer:  # type: ignore[misc]
    """Plays a service on the internal network the crawler must never reach."""
    with hostile_server("127.0.0.2") as server:
        yield server


def _redirect_to(public: HostileServer, target: str) -> str:
    return public.url(f"/redirect/to?u={quote(target, safe='')}")


def test_redirect_to_private_address_is_blocked(public: HostileServer, internal: HostileServer,
                                                tmp_path: Path) -> None:
    secret = internal.url("/good/one")
    crawl = run_crawl(tmp_path, f"url={_redirect_to(public, secret)}", settings={
        "ALLOWED_HOSTS": "127.0.0.2", "BLOCK_PRIVATE_NETWORKS": "True",
        "PRIVATE_NETWORKS_ALLOW": "127.0.0.1"})
    assert internal.hit_times("/good/one") == []
    assert crawl.records() == []
    assert crawl.summary()["stats"]["archiver/private_blocked"] == 1
    assert "blocked: 127.0.0.2 resolves to non-public address" in crawl.stderr
    assert "Traceback" not in crawl.stderr


def test_same_redirect_is_followed_when_the_guard_is_off(public: HostileServer, internal: HostileServer,
                                                         tmp_path: Path) -> None:
    """The control: proves the test above fails if the guard does nothing."""
    secret = internal.url("/good/two")
    crawl = run_crawl(tmp_path, f"url={_redirect_to(public, secret)}", settings={
        "ALLOWED_HOSTS": "127.0.0.2", "BLOCK_PRIVATE_NETWORKS": "False"})
    assert len(internal.hit_times("/good/two")) == 1
    assert [r["url"] for r in crawl.records()] == [secret]


def test_cloud_metadata_address_is_never_contacted(public: HostileServer, tmp_path: Path) -> None:
    crawl = run_crawl(tmp_path, f"url={_redirect_to(public, 'http://169.254.169.254/latest/meta-data/')}",
                      settings={"ALLOWED_HOSTS": "169.254.169.254", "BLOCK_PRIVATE_NETWORKS": "True",
                                "PRIVATE_NETWORKS_ALLOW": "127.0.0.1", "DOWNLOAD_TIMEOUT": "2"})
    assert crawl.summary()["stats"]["archiver/private_blocked"] == 1
    assert "DownloadTimeoutError" not in crawl.stderr  # refused before any connection attempt


def test_offsite_redirect_is_not_followed_even_to_a_live_host(public: HostileServer, internal: HostileServer,
                                                              tmp_path: Path) -> None:
    crawl = run_crawl(tmp_path, f"url={_redirect_to(public, internal.url('/good/one?offsite'))}")
    assert internal.hit_times("/good/one?offsite") == []
    assert crawl.summary()["stats"]["archiver/offsite_dropped"] == 1


@pytest.mark.parametrize("address, blocked", [
    ("127.0.0.1", True), ("10.1.2.3", True), ("172.16.0.1", True), ("192.168.1.1", True),
    ("169.254.169.254", True), ("100.64.0.1", True), ("0.0.0.0", True), ("::1", True),
    ("fc00::1", True), ("fe80::1%eth0", True), ("::ffff:127.0.0.1", True), ("224.0.0.1", True),
    ("93.184.216.34", False), ("2606:2800:220:1:248:1893:25c8:1946", False), ("not-an-ip", False),
])
def test_address_classification(address: str, blocked: bool) -> None:
    assert is_blocked_address(address, []) is blocked


def test_allow_list_exempts_addresses_and_networks() -> None:
    allow = parse_networks(["127.0.0.1", "10.0.0.0/8"])
    assert not is_blocked_address("127.0.0.1", allow)
    assert not is_blocked_address("10.9.9.9", allow)
    assert is_blocked_address("127.0.0.2", allow)


def test_seed_host_privacy() -> None:
    assert host_is_private("localhost") and host_is_private("127.0.0.1") and host_is_private("x.localhost")
    assert not host_is_private("93.184.216.34")


@pytest.mark.parametrize("mode, seeds, expected", [
    ("site", ["http://93.184.216.34/"], True),  # public site: on
    ("site", ["http://127.0.0.1:8000/"], False),  # crawling a local site on purpose: off
    ("url", ["http://93.184.216.34/a"], False),  # named pages: the user chose them
])
def test_auto_mode(mode: str, seeds: list[str], expected: bool) -> None:
    crawler = get_crawler(settings_dict={"BLOCK_PRIVATE_NETWORKS": "auto"})
    middleware = PrivateNetworksMiddleware.from_crawler(crawler)
    middleware.spider_opened(SimpleNamespace(inputs=SimpleNamespace(mode=mode, urls=seeds)))
    assert middleware.enabled is expected


def test_obfuscated_loopback_addresses_are_blocked(public: HostileServer, internal: HostileServer,
                                                   tmp_path: Path) -> None:
    """127.0.0.2 spelled as a decimal integer, in hex, and in short dotted form."""
    port = internal.port
    hosts = ["2130706434", "0x7f.0.0.2", "127.2"]
    seeds = [_redirect_to(public, f"http://{host}:{port}/good/one?{host}") for host in hosts]
    (tmp_path / "urls.txt").write_text("\n".join(seeds) + "\n")
    crawl = run_crawl(tmp_path / "archive", f"urls_file={tmp_path / 'urls.txt'}", settings={
        "ALLOWED_HOSTS": ",".join(hosts), "BLOCK_PRIVATE_NETWORKS": "True", "PRIVATE_NETWORKS_ALLOW": "127.0.0.1"})
    assert [t for t in internal.hits if t.startswith("/good/one?")] == [], crawl.stderr[-3000:]
    assert crawl.summary()["stats"].get("archiver/private_blocked", 0) == len(hosts), crawl.stderr[-3000:]
