"""The cross-crawl WARC digest index in Redis, for workers on several machines.

`archiver.warc.digest_index.DigestIndex` is a SQLite file in ARCHIVE_DIR: right for one machine (WAL
lets local workers share it), wrong for several, where each machine would keep its own copy and
the copies would disagree about which payload is already archived. `RedisDigestIndex` has the
same interface over three Redis hashes, shared by every worker of every crawl that uses the same
Redis and DISTRIBUTED_DIGEST_NAMESPACE. `digest_index_for` picks the right one from settings.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import redis

from archiver.defaults import setting
from archiver.distributed.keys import client
from archiver.warc.digest_index import Capture, DigestIndex, Validators


class RedisDigestIndex(DigestIndex):
    """DigestIndex's interface on Redis: originals by URL + digest and by record id, validators.

    A subclass only so it can stand wherever a DigestIndex is expected: it overrides every
    method and never opens the SQLite file.
    """

    def __init__(self, server: redis.Redis, namespace: str, prefix: str = "archiver") -> None:
        self.server = server
        base = f"{prefix}:digests:{namespace}"
        self.originals_key = f"{base}:originals"
        self.record_ids_key = f"{base}:record-ids"
        self.validators_key = f"{base}:validators"

    @classmethod
    def from_settings(cls, settings: Any) -> RedisDigestIndex:
        # Default: the crawl's own namespace (revisits between its workers only). Crawls that
        # should revisit each other name one archive-wide namespace explicitly.
        namespace = settings.get("DISTRIBUTED_DIGEST_NAMESPACE") or f"crawl:{settings.get('CRAWL_ID')}"
        return cls(client(settings.get("DISTRIBUTED")), namespace,
                   setting(settings, "DISTRIBUTED_KEY_PREFIX"))

    @staticmethod
    def _field(url: str, digest: str) -> str:
        return f"{digest} {url}"  # a digest has no space, so the split is unambiguous

    def original(self, url: str, digest: str) -> Capture | None:
        raw = self.server.hget(self.originals_key, self._field(url, digest))
        return Capture(**json.loads(raw)) if raw else None

    def by_record_id(self, record_id: str) -> Capture | None:
        field = self.server.hget(self.record_ids_key, record_id)
        raw = self.server.hget(self.originals_key, field) if field else None
        return Capture(**json.loads(raw)) if raw else None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Each write is atomic on its own (first original wins); nothing to group."""
        yield

    def add_original(self, capture: Capture) -> None:
        """Remember a response record; the first one for a URL + digest wins, on any machine."""
        field = self._field(capture.url, capture.digest)
        if self.server.hsetnx(self.originals_key, field, json.dumps(asdict(capture))):
            self.server.hset(self.record_ids_key, capture.record_id, field)

    def validators(self, url: str) -> Validators | None:
        raw = self.server.hget(self.validators_key, url)
        return Validators(**json.loads(raw)) if raw else None

    def set_validators(self, url: str, validators: Validators) -> None:
        self.server.hset(self.validators_key, url, json.dumps(asdict(validators)))

    def close(self) -> None:
        self.server.close()


def digest_index_for(settings: Any, archive_dir: Path) -> DigestIndex:
    """Redis when the crawl is distributed, else the SQLite file in ARCHIVE_DIR."""
    if settings.get("DISTRIBUTED"):
        return RedisDigestIndex.from_settings(settings)
    return DigestIndex.in_archive(archive_dir)
