"""The incremental-crawl context of one crawler: state, policy and clock, shared by its components.

The spider middleware (what to fetch), the downloader middleware (what came back unchanged) and
the pipelines (new version or not) all need the same state connection and the same "now"; like
`CrawlDir.from_crawler`, `incremental_for(crawler)` creates it once per crawler.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import load_object

from archiver.defaults import setting, setting_bool, setting_list
from archiver.incremental.policy import PolicyError, RevisitPolicy
from archiver.incremental.state import CrawlState, PageState, iso, parse_time
from archiver.per_crawler import per_crawler


@dataclass
class Fetch:
    """Response facts the record does not carry, kept until the record is committed."""

    etag: str | None
    last_modified: str | None


@dataclass
class Incremental:
    state: CrawlState  # or a RedisCrawlState (same page methods) in distributed crawls
    policy: RevisitPolicy
    trust_unchanged_page: bool = True
    fixed_now: datetime | None = None
    fetches: dict[str, Fetch] = field(default_factory=dict)

    def now(self) -> datetime:
        return self.fixed_now or datetime.now(UTC)

    def now_iso(self) -> str:
        return iso(self.now())

    def is_due(self, page: PageState) -> bool:
        """Is this known article due for a re-visit under the policy?"""
        first_seen = parse_time(page.first_seen) or self.now()
        born = parse_time(page.published) or first_seen
        return self.policy.is_due(now=self.now(), born=born, last_fetch=parse_time(page.last_fetch))


def state_path(settings: Any) -> Path:
    """STATE_DB, relative to ARCHIVE_DIR unless absolute."""
    name = Path(setting(settings, "STATE_DB")).expanduser()
    return name if name.is_absolute() else Path(setting(settings, "ARCHIVE_DIR")) / name


def _state(settings: Any) -> CrawlState:
    """STATE_FACTORY (a dotted path or callable taking the settings) or the local SQLite file.

    The distributed addon points it at the Redis state, so workers on several machines share it.
    """
    factory = settings.get("STATE_FACTORY")
    if factory:
        return load_object(factory)(settings) if isinstance(factory, str) else factory(settings)  # type: ignore[no-any-return]
    return CrawlState(state_path(settings))


@per_crawler
def incremental_for(crawler: Any) -> Incremental:
    """The crawler's Incremental context; NotConfigured when INCREMENTAL is off."""
    settings = crawler.settings
    if not settings.getbool("INCREMENTAL"):
        raise NotConfigured  # off by default: silent, no "Disabled" warning in every crawl log
    try:
        policy = RevisitPolicy.parse(setting_list(settings, "REVISIT_POLICY"))
    except PolicyError as exc:
        raise ValueError(f"REVISIT_POLICY: {exc}") from None  # fail loudly, never crawl non-incrementally
    fixed = settings.get("INCREMENTAL_NOW")
    context = Incremental(
        state=_state(settings),
        policy=policy,
        trust_unchanged_page=setting_bool(settings, "REVISIT_TRUST_UNCHANGED_PAGE"),
        fixed_now=parse_time(fixed) if fixed else None,
    )
    crawler.signals.connect(lambda: context.state.close(), signal=signals.engine_stopped, weak=False)
    return context
