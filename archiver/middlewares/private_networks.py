
"""Refuse requests to private, loopback and link-local addresses (SSRF guard for public crawls).

A public site can link or redirect to `http://127.0.0.1:6379/`, `http://169.254.169.254/` (cloud
metadata) or `http://10.0.0.5/admin`; a crawler running inside a network would fetch and archive
them. With BLOCK_PRIVATE_NETWORKS on, every request — redirect targets included, because
RedirectMiddleware sends them through the downloader middlewares again — has its host resolved
(Scrapy's caching resolver, the one the connection then uses) and is dropped when an address is
not globally routable, unless it is listed in PRIVATE_NETWORKS_ALLOW (addresses or CIDR networks).

BLOCK_PRIVATE_NETWORKS = "auto" (the default) turns it on for `site` crawls whose seeds are all
public hosts: crawling an intranet on purpose still works, following a public site into one does
not. Requests through an HTTP proxy are resolved by the proxy; the check then sees the URL's host.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.error import DNSLookupError

from archiver.defaults import setting, setting_bool

logger = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")


def parse_networks(values: Iterable[str]) -> list[Network]:
    """`["127.0.0.1", "10.0.0.0/8"]` → networks; an invalid entry is a settings error."""
    networks: list[Network] = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(str(value).strip(), strict=False))
        except ValueError as exc:
            raise NotConfigured(f"PRIVATE_NETWORKS_ALLOW: {exc}") from exc
    return networks


def is_blocked_address(address: str, allow: list[Network]) -> bool:
    """True for an address that is not globally routable and not explicitly allowed."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in network for network in allow):
        return False
    return not ip.is_global or ip.is_multicast


def host_is_private(host: str) -> bool:
    """Whether a seed host is itself private (resolved once, blocking, at crawl start)."""
    host = host.lower().rstrip(".")
    if host in LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    return any(is_blocked_address(str(info[4][0]), []) for info in infos)


class PrivateNetworksMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        mode = str(setting(crawler.settings, "BLOCK_PRIVATE_NETWORKS")).strip().lower()
        if mode != "auto" and not setting_bool(crawler.settings, "BLOCK_PRIVATE_NETWORKS"):
            raise NotConfigured
        self.auto = mode == "auto"
        self.enabled = not self.auto
        self.allow = parse_networks(crawler.settings.getlist("PRIVATE_NETWORKS_ALLOW"))
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateNetworksMiddleware:
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        if not self.auto:
            logger.info("BLOCK_PRIVATE_NETWORKS is on (allowed: %s)",
                        ", ".join(map(str, self.allow)) or "none")
            return
        inputs = getattr(spider, "inputs", None)
        if inputs is None or inputs.mode != "site":
            return
        hosts = {urlsplit(url).hostname or "" for url in inputs.urls}
        self.enabled = not any(host_is_private(host) for host in hosts if host)
        if self.enabled:
            logger.info("BLOCK_PRIVATE_NETWORKS (auto): on for this site crawl of public hosts")

    async def process_request(self, request: Request, spider: Any = None) -> None:
        if not self.enabled or request.meta.get("proxy"):
            return
        host = urlsplit(request.url).hostname
        if not host:
            return
        address = await self._resolve(host)
        if address is not None and is_blocked_address(address, self.allow):
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("archiver/private_blocked")
            raise IgnoreRequest(f"blocked: {host} resolves to non-public address {address} "
                                "(BLOCK_PRIVATE_NETWORKS)")

    @staticmethod
    async def _resolve(host: str) -> str | None:
        try:
            ipaddress.ip_address(host.strip("[]"))
            return host.strip("[]")
        except ValueError:
            pass
        if host.lower().rstrip(".") in LOCAL_NAMES:
            return "127.0.0.1"
        try:
            address = await maybe_deferred_to_future(reactor.resolve(host))  # type: ignore[attr-defined,arg-type]
        except (DNSLookupError, OSError, UnicodeError):
            return None  # the download itself will fail with a clear DNS error
        return str(address)
