"""The cron jobs file (docs/cron.md): TOML, validated on load, one-line errors naming the line and key.

```toml
[defaults]                          # optional: keys every job inherits
revisit = ["7d:1d", "30d:7d", "*:30d"]

[jobs.blog]                         # one table per job
site = "https://example.org/"       # or url (string or list) / urls_file / sitemap / feed
archive_dir = "archive/blog"        # relative paths are relative to this file
settings = { DOWNLOAD_DELAY = 1 }   # any Scrapy setting
```

See docs/cron.md for every key. Relative paths resolve against the TOML file's folder, so the
same file works from cron, systemd or a shell whatever the working directory.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archiver.crawl.inputs import INPUT_MODES, InputError, check_url
from archiver.incremental.policy import DEFAULT_POLICY, PolicyError, RevisitPolicy

NOTIFY_ON = ("failure", "always", "never")
# Settings the runner manages itself; a job setting them would break locking/resume.
MANAGED_SETTINGS = ("ARCHIVE_DIR", "CRAWL_ID", "JOBDIR", "INCREMENTAL", "STATE_DB", "LOG_FILE")
_JOB_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_SETTING_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")

# key → (expected type(s), description for errors)
_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "url": ((str, list), "a URL or a list of URLs"),
    "urls_file": ((str,), "a path"),
    "sitemap": ((str,), "a URL"),
    "feed": ((str,), "a URL"),
    "site": ((str,), "a URL"),
    "archive_dir": ((str,), "a path"),
    "settings": ((dict,), "a table of Scrapy settings"),
    "allowed_hosts": ((list,), "a list of host names"),
    "include": ((list, str), "a regex or a list of regexes"),
    "exclude": ((list, str), "a regex or a list of regexes"),
    "max_depth": ((int,), "a whole number >= 0"),
    "max_pages": ((int,), "a whole number >= 0"),
    "revisit": ((list,), 'a list of "AGE:EVERY" rules'),
    "notify_command": ((str,), "a shell command"),
    "notify_url": ((str,), "an http(s) URL"),
    "notify_on": ((str,), f"one of {', '.join(NOTIFY_ON)}"),
    "log_file": ((str,), "a path"),
    "log_max_bytes": ((int,), "a whole number of bytes"),
    "log_backups": ((int,), "a whole number"),
}


class ConfigError(ValueError):
    """A bad jobs file; str() is one line: `FILE:LINE: KEY: problem`."""


@dataclass(frozen=True)
class Job:
    name: str
    mode: str  # one of INPUT_MODES
    inputs: tuple[str, ...]  # URLs, or the urls_file path
    archive_dir: Path
    settings: dict[str, Any] = field(default_factory=dict)
    spider_args: dict[str, str] = field(default_factory=dict)  # scope: allowed_hosts, include, …
    revisit: tuple[str, ...] = DEFAULT_POLICY
    notify_command: str | None = None
    notify_url: str | None = None
    notify_on: str = "failure"
    log_file: Path | None = None
    log_max_bytes: int = 10 * 1024 * 1024
    log_backups: int = 5
    config_dir: Path = Path(".")

    @property
    def log_path(self) -> Path:
        return self.log_file or self.archive_dir / "logs" / "cron.log"


class _Locator:
    """Finds the line of `[jobs.NAME]` / `key =` in the file text, for error messages."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def line(self, table: str, key: str | None = None) -> int | None:
        header = re.compile(r"^\s*\[\s*" + r"\s*\.\s*".join(map(re.escape, table.split("."))) + r"\s*\]")
        start = next((i for i, line in enumerate(self.lines) if header.match(line)), None)
        if start is None:
            return None
        if key is None:
            return start + 1
        pattern = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
        for index in range(start + 1, len(self.lines)):
            if self.lines[index].lstrip().startswith("["):
                break
            if pattern.match(self.lines[index]):
                return index + 1
        return start + 1

    def error(self, table: str, key: str | None, problem: str) -> ConfigError:
        line = self.line(table, key)
        where = f"{self.path}:{line}" if line else str(self.path)
        name = f"{table}.{key}" if key else table
        return ConfigError(f"{where}: {name}: {problem}")


def load_jobs(path: str | Path) -> dict[str, Job]:
    """Read and check a jobs file; raises ConfigError (one line) on any problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ConfigError(f"{path}: cannot read: {reason}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        line = match.group(1) if match else str(len(text.splitlines()) or 1)  # "at end of document"
        where = f"{path}:{line}"
        reason = re.sub(r" \(at (line|end of).*", "", str(exc))
        raise ConfigError(f"{where}: invalid TOML: {reason}") from None
    return parse_jobs(data, _Locator(path, text), path.resolve().parent)


def parse_jobs(data: dict[str, Any], where: _Locator, base: Path) -> dict[str, Job]:
    unknown = sorted(set(data) - {"jobs", "defaults"})
    if unknown:
        raise where.error(unknown[0], None, "unknown top-level table (expected [jobs.NAME] or [defaults])")
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise where.error("defaults", None, "must be a table")
    _check_keys(defaults, "defaults", where, allow_inputs=False)
    jobs_table = data.get("jobs")
    if not isinstance(jobs_table, dict) or not jobs_table:
        raise ConfigError(f"{where.path}: no jobs: add a [jobs.NAME] table")
    jobs: dict[str, Job] = {}
    for name, table in jobs_table.items():
        if not isinstance(table, dict):
            raise where.error(f"jobs.{name}", None, "must be a table")
        if not _JOB_NAME.match(name):
            raise where.error(f"jobs.{name}", None, "job names use letters, digits, '.', '_', '-'")
        jobs[name] = _job(name, {**defaults, **table}, where, base)
    dirs: dict[Path, str] = {}
    for job in jobs.values():
        if job.archive_dir in dirs:
            raise where.error(f"jobs.{job.name}", "archive_dir",
                              f"same archive_dir as job {dirs[job.archive_dir]!r} (their locks and state would clash)")
        dirs[job.archive_dir] = job.name
    return jobs


def _check_keys(table: dict[str, Any], name: str, where: _Locator, *, allow_inputs: bool) -> None:
    for key, value in table.items():
        if key not in _KEYS or (not allow_inputs and key in INPUT_MODES):
            raise where.error(name, key, f"unknown key (known: {', '.join(k for k in _KEYS)})")
        types, description = _KEYS[key]
        if not isinstance(value, types) or isinstance(value, bool) and bool not in types:
            raise where.error(name, key, f"expected {description}, got {value!r}")
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            raise where.error(name, key, f"expected {description}, got {value!r}")


def _job(name: str, table: dict[str, Any], where: _Locator, base: Path) -> Job:
    section = f"jobs.{name}"
    _check_keys(table, section, where, allow_inputs=True)
    given = [mode for mode in INPUT_MODES if mode in table]
    if len(given) != 1:
        found = " and ".join(given) if given else "none"
        raise where.error(section, given[1] if len(given) > 1 else None,
                          f"give exactly one input of {', '.join(INPUT_MODES)} (found {found})")
    mode = given[0]
    if "archive_dir" not in table:
        raise where.error(section, None, "archive_dir is required")
    try:
        inputs = _inputs(mode, table[mode], base)
    except InputError as exc:
        raise where.error(section, mode, str(exc).split(": ", 1)[-1]) from None
    try:
        revisit = tuple(str(rule) for rule in table.get("revisit", DEFAULT_POLICY))
        RevisitPolicy.parse(revisit)
    except PolicyError as exc:
        raise where.error(section, "revisit", str(exc)) from None
    return Job(
        name=name, mode=mode, inputs=inputs,
        archive_dir=_path(base, table["archive_dir"]),
        settings=_settings(table.get("settings", {}), section, where),
        spider_args=_spider_args(table, section, where),
        revisit=revisit,
        notify_command=table.get("notify_command") or None,
        notify_url=_notify_url(table.get("notify_url"), section, where),
        notify_on=_choice(table.get("notify_on", "failure"), NOTIFY_ON, section, "notify_on", where),
        log_file=_path(base, table["log_file"]) if "log_file" in table else None,
        log_max_bytes=int(table.get("log_max_bytes", 10 * 1024 * 1024)),
        log_backups=int(table.get("log_backups", 5)),
        config_dir=base,
    )


def _path(base: Path, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (base / path).resolve()


def _inputs(mode: str, value: Any, base: Path) -> tuple[str, ...]:
    if mode == "urls_file":
        path = _path(base, value)
        if not path.is_file():
            raise InputError(f"urls_file: no such file: {path}")
        return (str(path),)
    values = value if isinstance(value, list) else [value]
    if not values:
        raise InputError("url: empty URL list")
    return tuple(check_url(str(v), mode) for v in values)


def _settings(value: dict[str, Any], section: str, where: _Locator) -> dict[str, Any]:
    for key in value:
        if not _SETTING_NAME.match(key):
            raise where.error(section, "settings", f"{key!r} is not a Scrapy setting name (UPPER_CASE)")
        if key in MANAGED_SETTINGS:
            raise where.error(section, "settings", f"{key} is managed by archiver cron; remove it")
    return dict(value)


def _spider_args(table: dict[str, Any], section: str, where: _Locator) -> dict[str, str]:
    args: dict[str, str] = {}
    if "allowed_hosts" in table:
        args["allowed_hosts"] = ",".join(str(h) for h in table["allowed_hosts"])
    for key in ("include", "exclude"):
        if key in table:
            patterns = table[key] if isinstance(table[key], list) else [table[key]]
            if len(patterns) > 1:  # the spider takes one regex each: join the alternatives
                args[key] = "|".join(f"(?:{p})" for p in patterns)
            elif patterns:
                args[key] = str(patterns[0])
            try:
                re.compile(args.get(key, ""))
            except re.error as exc:
                raise where.error(section, key, f"invalid regular expression: {exc}") from None
    for key in ("max_depth", "max_pages"):
        if key in table:
            args[key] = str(table[key])
    return args


def _notify_url(value: Any, section: str, where: _Locator) -> str | None:
    if not value:
        return None
    try:
        return check_url(str(value), "notify_url")
    except InputError as exc:
        raise where.error(section, "notify_url", str(exc).split(": ", 1)[-1]) from None


def _choice(value: str, choices: tuple[str, ...], section: str, key: str, where: _Locator) -> str:
    if value not in choices:
        raise where.error(section, key, f"expected one of {', '.join(choices)}, got {value!r}")
    return value
