"""Spider arguments (README, "Crawling real sites") parsed and checked before anything is crawled.

Every problem is an `InputError` whose message is one readable line; the `crawl` command prints it
and exits non-zero instead of letting Scrapy print a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from archiver.crawl.render_policy import RenderModeError, render_mode
from archiver.values import safe_absolute_url

INPUT_MODES = ("url", "urls_file", "sitemap", "feed", "site")
# `keep=`: which classified pages of a site/sitemap crawl become records.
KEEP_CHOICES = ("articles", "all")


class InputError(ValueError):
    """A bad spider argument; the message is shown to the user as is."""


@dataclass(frozen=True)
class CrawlInputs:
    mode: str  # one of INPUT_MODES ("urls_file" is read into mode "url")
    urls: tuple[str, ...]
    allowed_hosts: frozenset[str] = frozenset()
    include: tuple[re.Pattern[str], ...] = ()
    exclude: tuple[re.Pattern[str], ...] = ()
    max_depth: int | None = None
    max_pages: int | None = None
    keep: str = "articles"  # one of KEEP_CHOICES
    render: str | None = None  # auto | always | never; None = the RENDER setting
    extra: dict[str, str] = field(default_factory=dict)


def check_url(raw: str, source: str) -> str:
    """`raw` as a safe absolute http(s) URL, or an InputError naming where it came from."""
    text = raw.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InputError(f"{source}: not an absolute http(s) URL: {text!r}")
    safe = safe_absolute_url(text)
    if safe is None:
        raise InputError(f"{source}: malformed URL: {text!r}")
    return safe


def read_urls_file(path: str) -> list[str]:
    """URLs of a file, one per line; blank lines and '#' comments ignored."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError(f"urls_file: cannot read {path}: {reason}") from None
    urls = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
        if line:
            urls.append(check_url(line, f"urls_file {path} line {number}"))
    if not urls:
        raise InputError(f"urls_file: no URLs in {path}")
    return urls


def _split_list(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    return [item.strip() for item in items if item and item.strip()]


def _regexes(value: str | list[str] | None, name: str) -> tuple[re.Pattern[str], ...]:
    patterns = []
    for expr in _split_list(value) if not isinstance(value, str) else [value] if value else []:
        try:
            patterns.append(re.compile(expr))
        except re.error as exc:
            raise InputError(f"{name}: invalid regular expression {expr!r}: {exc}") from None
    return tuple(patterns)


def _non_negative_int(value: str | int | None, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value))
    except ValueError:
        raise InputError(f"{name}: expected a whole number, got {value!r}") from None
    if number < 0:
        raise InputError(f"{name}: must be >= 0, got {number}")
    return number


def parse_inputs(arguments: dict[str, str]) -> CrawlInputs:
    """Check the spider arguments and return what to crawl; exactly one input mode is required."""
    given = [mode for mode in INPUT_MODES if arguments.get(mode)]
    if not given:
        raise InputError("no input: give one of -a url=URL, urls_file=PATH, sitemap=URL, feed=URL, site=URL")
    if len(given) > 1:
        raise InputError(f"give exactly one input, not {' and '.join(given)}")
    mode = given[0]
    value = arguments[mode]
    if mode == "urls_file":
        urls = read_urls_file(value)
        mode = "url"
    elif mode == "url":
        urls = [check_url(u, "url") for u in _split_list(value)]
        if not urls:
            raise InputError("url: empty URL list")
    else:
        urls = [check_url(value, mode)]
    hosts = {h.lower().lstrip(".") for h in _split_list(arguments.get("allowed_hosts"))}
    return CrawlInputs(
        mode=mode,
        urls=tuple(dict.fromkeys(urls)),
        allowed_hosts=frozenset(hosts),
        include=_regexes(arguments.get("include"), "include"),
        exclude=_regexes(arguments.get("exclude"), "exclude"),
        max_depth=_non_negative_int(arguments.get("max_depth"), "max_depth"),
        max_pages=_non_negative_int(arguments.get("max_pages"), "max_pages") or None,
        keep=_keep(arguments.get("keep")),
        render=_render_mode(arguments.get("render")),
    )


def _keep(value: str | None) -> str:
    """`keep=articles` (the default: only pages classified as articles become records) or `all`."""
    keep = (value or "articles").strip().lower()
    if keep not in KEEP_CHOICES:
        raise InputError(f"keep: expected one of {', '.join(KEEP_CHOICES)}, got {value!r}")
    return keep


def _render_mode(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    try:
        return render_mode(value)
    except RenderModeError as exc:
        raise InputError(str(exc)) from None
