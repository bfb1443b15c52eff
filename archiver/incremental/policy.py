"""When a known article is due for a re-visit: a schedule of age tiers (REVISIT_POLICY).

Comments and edits cluster right after publication, so young articles are re-visited often and old
ones rarely. A policy is a list of `"AGE:EVERY"` rules read in order, e.g. `["7d:1d", "30d:7d",
"*:30d"]`: daily while the article is at most 7 days old, weekly up to 30 days, then monthly.
`EVERY` may be `never` (stop re-visiting); `AGE` `*` matches any age. The age counts from the
article's published date, or from when we first saw it when the page gives no date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_POLICY = ("7d:1d", "30d:7d", "*:30d")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
# Cron fires at fixed times but a crawl takes a while: without slack a "daily" article fetched at
# 10:00:05 would not be due at 10:00:03 the next day and would slip an hour every day.
MAX_SLACK = timedelta(hours=1)


class PolicyError(ValueError):
    """A malformed rule; the message names the rule."""


def parse_duration(text: str) -> timedelta:
    """`30m`, `12h`, `7d`, `2w`, `0s` → timedelta; PolicyError otherwise."""
    match = _DURATION.match(str(text))
    if not match:
        raise PolicyError(f"bad duration {text!r} (use e.g. 30m, 12h, 7d, 2w)")
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2)])


@dataclass(frozen=True)
class Rule:
    max_age: timedelta | None  # None = any age
    every: timedelta | None  # None = never re-visit


@dataclass(frozen=True)
class RevisitPolicy:
    rules: tuple[Rule, ...]

    @classmethod
    def parse(cls, rules: Iterable[str] | str) -> RevisitPolicy:
        """Read `"AGE:EVERY"` rules (a list, or one comma-separated string as `-s` gives it)."""
        items = [r.strip() for r in rules.split(",")] if isinstance(rules, str) else list(rules)
        parsed = []
        for index, rule in enumerate(r for r in items if str(r).strip()):
            age, sep, every = str(rule).partition(":")
            if not sep:
                raise PolicyError(f"rule {index + 1} {rule!r}: expected AGE:EVERY, e.g. 7d:1d")
            try:
                max_age = None if age.strip() == "*" else parse_duration(age)
                interval = None if every.strip().lower() == "never" else parse_duration(every)
            except PolicyError as exc:
                raise PolicyError(f"rule {index + 1} {rule!r}: {exc}") from None
            parsed.append(Rule(max_age, interval))
        if not parsed:
            raise PolicyError("empty revisit policy (give at least one AGE:EVERY rule)")
        return cls(tuple(parsed))

    def interval(self, age: timedelta) -> timedelta | None:
        """Re-visit interval for an article of this age (None: not re-visited any more)."""
        for rule in self.rules:
            if rule.max_age is None or age <= rule.max_age:
                return rule.every
        return None  # older than every rule: done

    def is_due(self, *, now: datetime, born: datetime, last_fetch: datetime | None) -> bool:
        """Is an article first published (or seen) at `born` and last fetched then due `now`?"""
        if last_fetch is None:
            return True
        every = self.interval(max(now - born, timedelta(0)))
        if every is None:
            return False
        slack = min(every / 10, MAX_SLACK)
        return now - last_fetch >= every - slack
