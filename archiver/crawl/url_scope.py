"""Which URLs a crawl may fetch: allowed hosts plus include/exclude regexes.

Seed hosts are allowed automatically; everything else must be listed. The scope middleware applies
it to every request, redirects included, so a redirect cannot carry the crawl off-site.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _strip_www(host: str) -> str:
    return host[4:] if host.startswith("www.") else host


@dataclass
class Scope:
    hosts: set[str] = field(default_factory=set)
    include: tuple[re.Pattern[str], ...] = ()
    exclude: tuple[re.Pattern[str], ...] = ()

    def allow_host(self, host_or_url: str) -> None:
        host = host_of(host_or_url) if "://" in host_or_url else host_or_url.lower()
        if host:
            self.hosts.add(_strip_www(host))

    def host_allowed(self, url: str) -> bool:
        host = _strip_www(host_of(url))
        if not host:
            return False
        return any(host == allowed or host.endswith("." + allowed) for allowed in self.hosts)

    def url_allowed(self, url: str) -> bool:
        """In scope: allowed host, matches an include pattern (if any), matches no exclude pattern."""
        if not self.host_allowed(url):
            return False
        if self.include and not any(p.search(url) for p in self.include):
            return False
        return not any(p.search(url) for p in self.exclude)

    @classmethod
    def build(
        cls,
        seeds: Iterable[str],
        hosts: Iterable[str] = (),
        include: tuple[re.Pattern[str], ...] = (),
        exclude: tuple[re.Pattern[str], ...] = (),
    ) -> Scope:
        scope = cls(include=include, exclude=exclude)
        for url in seeds:
            scope.allow_host(url)
        for host in hosts:
            scope.allow_host(host)
        return scope
