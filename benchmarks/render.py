"""Browser capture cost: render=auto vs render=never on the same local site, same run.

    .venv/bin/python benchmarks/render.py [--pages 5000] [--out benchmarks/results/render.md]

The site (tests/servers/widget_site.py, on 127.0.0.1) has one page in ten with a Disqus-style
widget (embed script, iframe, threadData, a second page of posts behind "Load more comments");
the others are plain articles. Both crawls get the same URL list (`-a urls_file=`), no throttling.
With `--pages 5000` the auto crawl renders 500 pages, so the RSS table also shows whether memory
grows over 500 renders (crawler process, and the browser's processes, sampled every second).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
from archiver.render.memory import browser_memory, rss_bytes  # noqa: E402
from tests.servers.widget_site import widget_site  # noqa: E402

COMMON_SETTINGS = ["LOG_LEVEL=WARNING", "TELNETCONSOLE_ENABLED=False"]
# The "local" profile: no politeness at all, so render=never runs as fast as the CPU allows.
UNTHROTTLED_SETTINGS = ["AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS=16", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]
MB = 2**20
PROFILES = {"local": 0.0, "polite": 0.1}  # profile -> default latency of the site (s)
PROFILE_TEXT = {"local": "no AutoThrottle, 16 requests per domain",
                "polite": "the project's defaults (AutoThrottle, 8 requests per domain)"}


def site_urls(base: str, pages: int) -> list[str]:
    """One widget page in ten (the tenth, twentieth, ...), the rest plain articles."""
    return [f"{base}/disqus/{n}.html" if n % 10 == 0 else f"{base}/plain/{n}" for n in range(1, pages + 1)]


def crawl(urls_file: Path, out: Path, mode: str, pages_at_once: int, settings: list[str]) -> dict[str, Any]:
    """One crawl; returns wall time, records, stats and RSS samples (t, records, crawler, browser)."""
    command = [sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"urls_file={urls_file}",
               "-a", f"render={mode}", "-s", f"ARCHIVE_DIR={out}", "-s", f"RENDER_CONCURRENT_PAGES={pages_at_once}"]
    for setting in settings:
        command += ["-s", setting]
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="archiver.settings")
    started = time.monotonic()
    log = out.with_suffix(".log")
    with open(log, "wb") as stderr_file:  # a file, not a pipe: a full pipe would stall the crawler
        proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=stderr_file)
        samples = []
        while proc.poll() is None:
            samples.append((time.monotonic() - started, _records(out), rss_bytes(proc.pid),
                            browser_memory(proc.pid)))
            time.sleep(1.0)
    wall = time.monotonic() - started
    stderr = log.read_text(encoding="utf-8", errors="replace")
    summary = json.loads(next(out.rglob("crawl.json")).read_text())
    label = mode if mode == "never" else f"{mode} ({pages_at_once} browser pages)"
    return {"mode": label, "wall": wall, "records": summary["counts"]["records"], "exit": proc.returncode,
            "stats": summary["stats"], "samples": samples, "stderr_tail": stderr[-2000:],
            "failures": [line for line in stderr.splitlines() if "Render failed" in line][:5]}


def _records(out: Path) -> int:
    total = 0
    for path in out.rglob("records-*.jsonl*"):
        try:
            with open(path, "rb") as handle:
                total += sum(1 for _ in handle)
        except OSError:
            continue
    return total


def _widget_origin(widget_host: str) -> str:
    if widget_host:
        return f"`{widget_host}` on the same port, a third-party host as disqus.com is for a publisher"
    return "the page's own host, sharing its politeness slot"


def report(never: dict[str, Any], auto: dict[str, Any], args: argparse.Namespace, latency: float) -> str:
    rate_never, rate_auto = never["records"] / never["wall"], auto["records"] / auto["wall"]
    stats = auto["stats"]
    lines = [
        "# Browser capture: render=auto vs render=never",
        "",
        f"Command: `.venv/bin/python benchmarks/render.py --pages {args.pages} --concurrent-pages "
        f"{args.concurrent_pages} --profile {args.profile} --latency {latency:g} --widget-host '{args.widget_host}'` "
        f"(machine: 2 cores, shared with other jobs; Python {platform.python_version()}; "
        "the site is a Python server on 127.0.0.1 in the benchmark process, answering after "
        f"{latency * 1000:.0f} ms; settings: {PROFILE_TEXT[args.profile]}; one page in ten has a "
        "Disqus-style widget whose thread needs one \"load more\" press; the widget's embed, frame and "
        f"JSON come from {_widget_origin(args.widget_host)}).",
        "",
        "| mode | records | wall (s) | pages/s | rendered pages | comments from renders | errors | exit |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in (never, auto):
        run_stats = run["stats"]
        lines.append(
            f"| {run['mode']} | {run['records']} | {run['wall']:.1f} | {run['records'] / run['wall']:.1f} | "
            f"{run_stats.get('archiver/render/pages', 0)} | {run_stats.get('archiver/render/comments', 0)} | "
            f"{run_stats.get('archiver/errors', 0)} | {run['exit']} |")
    lines += [
        "",
        f"* throughput of auto relative to never: **{rate_auto / rate_never:.2f}x** "
        f"(goal of issue 15: >= 0.5x); browser launches: {stats.get('archiver/render/browser_launches', 0)} "
        f"(RENDER_RESTART_AFTER = 100 pages)",
        f"* rendered pages/s in the auto run: {stats.get('archiver/render/pages', 0) / auto['wall']:.2f}; "
        f"render errors by kind: {_errors(stats) or 'none'}",
        f"* crawler RSS max: never {_max(never, 2)} MB, auto {_max(auto, 2)} MB; browser PSS max (auto) "
        f"{_max(auto, 3)} MB",
        f"* RSS over the auto run, {_growth(auto)}",
        "",
        "RSS of the auto run over time (browser = summed PSS of the Chromium processes below the crawler):",
        "",
        "| t (s) | records | crawler RSS (MB) | browser PSS (MB) |",
        "|---:|---:|---:|---:|",
    ]
    samples = auto["samples"]
    step = max(len(samples) // 20, 1)
    for t, records, crawler, browser in samples[::step] + samples[-1:]:
        lines.append(f"| {t:6.0f} | {records:6d} | {crawler // MB:5d} | {browser // MB:5d} |")
    return "\n".join(lines) + "\n"


def _errors(stats: dict[str, Any]) -> str:
    prefix = "archiver/render/error/"
    return ", ".join(f"{key[len(prefix):]}: {value}" for key, value in sorted(stats.items()) if key.startswith(prefix))


def _max(run: dict[str, Any], column: int) -> int:
    return max((s[column] for s in run["samples"]), default=0) // MB


def _growth(run: dict[str, Any]) -> str:
    """First vs last quarter of the run (after a warm-up of 10% of the records), crawler + browser."""
    samples = [s for s in run["samples"] if s[1] >= run["records"] // 10]
    if len(samples) < 8:
        return "too few samples to compare"
    quarter = len(samples) // 4
    first = max(s[2] + s[3] for s in samples[:quarter]) // MB
    last = max(s[2] + s[3] for s in samples[-quarter:]) // MB
    return (f"crawler + browser max in the first quarter {first} MB, in the last quarter {last} MB "
            f"({last - first:+d} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "render.md")
    parser.add_argument("--concurrent-pages", type=int, default=2, help="RENDER_CONCURRENT_PAGES of the auto run")
    parser.add_argument("--profile", choices=PROFILES, default="local",
                        help="local: no throttling, no latency; polite: the project's own settings "
                             "(AutoThrottle on) against a server with --latency")
    parser.add_argument("--latency", type=float, default=None,
                        help="seconds before every answer of the site (default: 0 local, 0.1 polite)")
    parser.add_argument("--widget-host", default="localhost",
                        help="the name the widget is served under (a third-party host, as disqus.com "
                             "is; the pages are on 127.0.0.1); '' serves it from the page's own host")
    args = parser.parse_args()
    latency = args.latency if args.latency is not None else PROFILES[args.profile]
    settings = COMMON_SETTINGS + (UNTHROTTLED_SETTINGS if args.profile == "local" else [])
    site = widget_site(latency_seconds=latency, widget_host_name=args.widget_host)
    with tempfile.TemporaryDirectory(prefix="render-bench-") as tmp, site as base:
        urls_file = Path(tmp) / "urls.txt"
        urls_file.write_text("\n".join(site_urls(base, args.pages)) + "\n")
        never = crawl(urls_file, Path(tmp) / "never", "never", args.concurrent_pages, settings)
        auto = crawl(urls_file, Path(tmp) / "auto", "auto", args.concurrent_pages, settings)
    text = report(never, auto, args, latency)
    args.out.write_text(text)
    print(text)
    for line in auto["failures"]:
        print(line, file=sys.stderr)
    for run in (never, auto):
        if run["exit"] != 0:
            print(f"{run['mode']} exited {run['exit']}: {run['stderr_tail']}", file=sys.stderr)


if __name__ == "__main__":
    main()
