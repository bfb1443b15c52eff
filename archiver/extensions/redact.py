"""Keep secrets out of the log: API keys, tokens, passwords in settings and proxy URLs.

Scrapy logs every overridden setting at start-up ("Overridden settings: {...}"), so
`-s ZYTE_API_KEY=…` or a `REDIS_URL` with a password lands in the log — and in cron log files.
This extension is built before that line is written; it collects the secret values it can see
(settings whose names say KEY/TOKEN/SECRET/PASSWORD/AUTH/CREDENTIAL, passwords inside URL-valued
settings and in the *_proxy environment variables) and puts a filter on every root log handler
that replaces them, and any `user:password@` in a URL, with `***`.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote, urlsplit

from scrapy.crawler import Crawler
from scrapy.settings import default_settings

SECRET_NAME = re.compile(r"(KEY|TOKEN|SECRET|PASSW(OR)?D|AUTH|CREDENTIAL|COOKIE)", re.IGNORECASE)
USERINFO = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^/@\s:'\"]*):(?P<password>[^/@\s'\"]+)@",
                      re.IGNORECASE)
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
MASK = "***"


def url_password(value: str) -> str | None:
    """The password part of `scheme://user:password@host`, if any."""
    try:
        password = urlsplit(value.strip()).password
    except ValueError:
        return None
    return unquote(password) if password else None


NOT_SECRET_SUFFIXES = ("_ENABLED", "_CLASS", "_MIDDLEWARE", "_PREFIX", "_ENCODING", "_FIELD", "_HEADER")


def secret_values(settings: Iterable[tuple[str, Any]], environ: dict[str, str]) -> set[str]:
    """Literal secret strings to mask (short values are skipped: masking "1" would mask the log).

    A value equal to Scrapy's public default (FTP_PASSWORD = "guest") is no secret.
    """
    found: set[str] = set()
    for name, value in settings:
        if not isinstance(value, str) or not value:
            continue
        if (SECRET_NAME.search(name) and not name.endswith(NOT_SECRET_SUFFIXES)
                and getattr(default_settings, name, None) != value):
            found.add(value)
        password = url_password(value) if "@" in value else None
        if password:
            found.add(password)
    for variable in PROXY_VARIABLES:
        password = url_password(environ.get(variable, ""))
        if password:
            found.add(password)
    return {value for value in found if len(value) >= 4}


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret and every URL password replaced by ***."""
    text = USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", text)
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's final message with secrets masked (args folded in first)."""

    def __init__(self, secrets: set[str]) -> None:
        super().__init__("archiver-redact")
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        cleaned = redact(message, self.secrets)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        return True


class SecretRedaction:
    def __init__(self, crawler: Crawler) -> None:
        # Raw attribute values: Settings.get() would warn about every deprecated name it is asked for.
        settings = [(name, attribute.value) for name, attribute in crawler.settings.attributes.items()]
        self.filter = RedactingFilter(secret_values(settings, dict(os.environ)))
        # Root handlers (every logger) plus the logger of Scrapy's start-up settings dump, in case
        # the root handler is replaced after this extension was built.
        targets: list[logging.Filterer] = [*logging.getLogger().handlers, logging.getLogger("scrapy.crawler")]
        for target in targets:
            if not any(isinstance(f, RedactingFilter) for f in target.filters):
                target.addFilter(self.filter)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SecretRedaction:
        return cls(crawler)
