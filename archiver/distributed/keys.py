
"""Names of the Redis keys of one distributed crawl, and the Redis client built from settings.

Every key of a crawl starts with `<DISTRIBUTED_KEY_PREFIX>:<CRAWL_ID>:`, so several crawls share
one Redis database without meeting, and `archiver seed --reset` can drop exactly one crawl.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from archiver.defaults import setting

if TYPE_CHECKING:  # redis is the `distributed` extra: imported only when a crawl uses it
    import redis

SCHEMES = ("redis", "rediss", "unix")


@dataclass(frozen=True)
class CrawlKeys:
    prefix: str
    crawl_id: str

    def _key(self, *parts: str) -> str:
        return ":".join((self.prefix, self.crawl_id, *parts))

    @property
    def base(self) -> str:
        return self._key()

    @property
    def requests(self) -> str:
        """Sorted set of serialized requests (score = -priority), shared by all workers."""
        return self._key("requests")

    @property
    def dupefilter(self) -> str:
        """Set of request fingerprints already scheduled by any worker."""
        return self._key("dupefilter")

    @property
    def workers(self) -> str:
        """Set of worker ids that registered (alive or not yet reaped)."""
        return self._key("workers")

    def inflight(self, worker: str) -> str:
        """Hash id -> "score request" of the requests `worker` popped and has not finished."""
        return self._key("inflight", worker)

    @property
    def inflight_prefix(self) -> str:
        return self._key("inflight", "")

    def heartbeat(self, worker: str) -> str:
        """Expiring key: present while `worker` is alive."""
        return self._key("heartbeat", worker)

    @property
    def seeding(self) -> str:
        """Who seeds this crawl (set once, by a worker's start() or `archiver seed`)."""
        return self._key("seeding")

    @property
    def seeded(self) -> str:
        """Present once every start request is in the queue."""
        return self._key("seeded")

    @property
    def job(self) -> str:
        """JSON of the spider inputs: every worker of one crawl must crawl the same job."""
        return self._key("job")

    @property
    def records(self) -> str:
        """Hash article key -> worker that archived it (cross-worker record dedupe)."""
        return self._key("records")

    @property
    def pages(self) -> str:
        """Counter of page requests scheduled by all workers (the crawl-wide MAX_PAGES budget)."""
        return self._key("pages")

    @property
    def requeued(self) -> str:
        """Counter of requests taken back from dead workers."""
        return self._key("requeued")

    @property
    def digests(self) -> str:
        return self._key("digests")

    @classmethod
    def from_settings(cls, settings: Any) -> CrawlKeys:
        return cls(setting(settings, "DISTRIBUTED_KEY_PREFIX"), str(settings.get("CRAWL_ID")))


def check_redis_url(url: str) -> str:
    """`url` if it is a redis://, rediss:// or unix:// URL, else ValueError with a readable message."""
    scheme = urlsplit(url).scheme.lower()
    if scheme not in SCHEMES:
        raise ValueError(f"DISTRIBUTED must be a redis://, rediss:// or unix:// URL, got {redact(url)!r}")
    return url


def redact(url: str) -> str:
    """The URL without its password, for logs and crawl-*.json."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username or ''}:***@{parts.hostname or ''}"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def text(value: bytes | str | None, default: str = "") -> str:
    """A Redis reply as str (clients return bytes unless decode_responses is on)."""
    if value is None:
        return default
    return value.decode() if isinstance(value, bytes) else str(value)


def client(url: str) -> redis.Redis:
    """A client for `url` (bytes in, bytes out)."""
    import redis

    # Short timeouts: every call blocks the worker's event loop while it waits.
    return redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5,
                                retry_on_timeout=True)
