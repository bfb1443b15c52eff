"""Article-body benchmark: our extractor vs trafilatura vs readability-lxml, in one run.

    .venv/bin/python benchmarks/extraction.py [--corpus ../shared/corpus/aeb-dev] [--repeat 3]

Every tool gets the same input (the page bytes as fetched, plus the URL) and is scored with the
corpus's own score.py (imported, not reimplemented). Timing: each tool runs over all pages
`--repeat` times, taking turns page by page, and each page's fastest run counts, so another
process briefly stealing a core does not decide the ranking. "ours (full record)" is
`extract_page` (body, metadata, media and comments), the figure the project promises to keep at
or under trafilatura's body-only time; a second table splits that time by step.
Writes the table to benchmarks/results/extraction.md.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "aeb-dev"
RESULTS = REPO / "benchmarks" / "results" / "extraction.md"

Extractor = Callable[[bytes, str], str]


def load_score_module(corpus: Path) -> ModuleType:
    """The benchmark's own metric, imported from the corpus folder."""
    spec = importlib.util.spec_from_file_location("aeb_score", corpus / "score.py")
    assert spec and spec.loader, f"no score.py in {corpus}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_pages(corpus: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {key: gzip.decompress((corpus / "html" / f"{key}.html.gz").read_bytes())
             for key in sorted(truth)}
    return truth, pages


def ours_full(html: bytes, url: str) -> str:
    from archiver.extract import extract_page

    return extract_page(html, url)["body"] or ""


def ours_body_only(html: bytes, url: str) -> str:
    from archiver.extract.body import extract_body
    from archiver.extract.document import Document

    return extract_body(Document.from_html(html, url)).text


def trafilatura_body(html: bytes, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


def readability_body(html: bytes, url: str) -> str:
    import lxml.html
    from readability import Document as ReadabilityDocument

    summary = ReadabilityDocument(html, url=url).summary(html_partial=True)
    if not summary.strip():
        return ""
    tree = lxml.html.fromstring(summary)
    blocks = tree.xpath("//p | //h2 | //h3 | //h4 | //li | //pre | //td | //blockquote")
    texts = [" ".join(b.text_content().split()) for b in blocks]
    return "\n\n".join(t for t in texts if t) or " ".join(tree.text_content().split())


TOOLS: dict[str, Extractor] = {
    "ours (full record)": ours_full,
    "ours (body only)": ours_body_only,
    "trafilatura 2.3.1": trafilatura_body,
    "readability-lxml 0.9": readability_body,
}


def run_tools(truth: dict[str, Any], pages: dict[str, bytes], repeat: int
              ) -> dict[str, tuple[dict[str, dict[str, str]], float]]:
    """Predictions and ms/page of every tool. The tools take turns page by page and each page's
    fastest of `repeat` runs counts, so load from other processes hits every tool alike."""
    for extract in TOOLS.values():
        extract(next(iter(pages.values())), "https://example.com/")  # warm imports and caches
    predictions: dict[str, dict[str, dict[str, str]]] = {name: {} for name in TOOLS}
    best: dict[str, dict[str, float]] = {name: {} for name in TOOLS}
    for _ in range(repeat):
        for key, html in pages.items():
            for name, extract in TOOLS.items():
                started = time.perf_counter()
                text = extract(html, truth[key]["url"])
                elapsed = time.perf_counter() - started
                predictions[name][key] = {"articleBody": text}
                best[name][key] = min(elapsed, best[name].get(key, float("inf")))
    return {name: (predictions[name], sum(best[name].values()) * 1000 / len(pages))
            for name in TOOLS}


def stage_times(truth: dict[str, Any], pages: dict[str, bytes], repeat: int) -> dict[str, float]:
    """ms/page of each step of our full record, to show where the time goes."""
    from archiver.extract.body import extract_body
    from archiver.extract.comments import extract_comments
    from archiver.extract.document import Document
    from archiver.extract.media import extract_media
    from archiver.extract.metadata import extract_metadata

    totals: dict[str, float] = {}
    for key, html in pages.items():
        best: dict[str, float] = {}
        for _ in range(repeat):
            clock = time.perf_counter()
            laps: dict[str, float] = {}
            doc = Document.from_html(html, truth[key]["url"])
            laps["parse (Document)"], clock = time.perf_counter() - clock, time.perf_counter()
            extract_metadata(doc)
            laps["metadata"], clock = time.perf_counter() - clock, time.perf_counter()
            thread = extract_comments(doc)
            laps["comments"], clock = time.perf_counter() - clock, time.perf_counter()
            body = extract_body(doc, exclude=thread.nodes)
            laps["body"], clock = time.perf_counter() - clock, time.perf_counter()
            extract_media(doc, body.node)
            laps["media"] = time.perf_counter() - clock
            for stage, seconds in laps.items():
                best[stage] = min(seconds, best.get(stage, float("inf")))
        for stage, seconds in best.items():
            totals[stage] = totals.get(stage, 0.0) + seconds
    return {stage: seconds * 1000 / len(pages) for stage, seconds in totals.items()}


PROFILE_NOTES = """Profiling (cProfile over the 91 pages, plus per-query timers) and what came of it:

* Fixed: lxml.html's element class lookup is a Python method called each time Python touches a
  node (~2,700 calls per page); the shared parse now uses a C-level lookup (`_FastHtmlParser`).
* Fixed: `extract_page` built the crawler's hints too (outlinks, page type); it now builds only
  the record (`analyze_page` still returns both for the spider).
* Fixed: comment detection ran ~60 document-wide XPath scans per page. `comments/gate.py` skips a
  query, or drops its `or` alternatives, when the page lacks the class/attribute words, tag names
  or ids (libxml2's id index) it needs; exact, checked by a property test against ungated runs.
* Fixed: the generic comment parser walked up to 8 ancestors from every block; the walk is now
  memoized over shared ancestors. The "comments are closed" text gate reads the text outside
  <head> only. Invalid XML characters are dropped on the UTF-8 bytes (translate) instead of a
  regex over the decoded page (0.5 ms/page).
* Remain, with the reason: libxml2 parsing (~0.7 ms) and the one Python pass over every
  element that the gate needs (~0.5 ms) are the floor of any lxml-based extractor; the body's
  text-density pass (`density.compute_stats`, ~0.6 ms) is one tight loop already; the rest is
  spread over many small functions with no single hot spot above 5%."""


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
            f"{platform.system()}, load average at the end {load} (other workers share the cores)")


def table(rows: list[tuple[str, dict[str, float], float]]) -> str:
    lines = ["| tool | F1 | precision | recall | accuracy | ms/page |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, score, ms in rows:
        lines.append(f"| {name} | {score['f1']:.4f} | {score['precision']:.4f} | "
                     f"{score['recall']:.4f} | {score['accuracy']:.4f} | {ms:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only, keep the results file")
    args = parser.parse_args(argv)
    scorer = load_score_module(args.corpus)
    truth, pages = load_pages(args.corpus)
    rows = []
    for name, (predictions, ms) in run_tools(truth, pages, args.repeat).items():
        score = scorer.score(truth, predictions, sorted(truth))
        rows.append((name, score, ms))
        print(f"{name:24} F1 {score['f1']:.4f}  P {score['precision']:.4f}  "
              f"R {score['recall']:.4f}  acc {score['accuracy']:.4f}  {ms:6.2f} ms/page", flush=True)
    stages = stage_times(truth, pages, args.repeat)
    print("  ".join(f"{stage} {ms:.2f}" for stage, ms in stages.items()), "ms/page")
    if not args.no_write:
        write_results(rows, stages, args, len(pages))
    return 0


def write_results(rows: list[tuple[str, dict[str, float], float]], stages: dict[str, float],
                  args: argparse.Namespace, page_count: int) -> None:
    command = "  .venv/bin/python benchmarks/extraction.py" + (
        f" --repeat {args.repeat}" if args.repeat != 3 else "")
    text = "\n".join([
        "# Article body extraction (aeb-dev)",
        "",
        f"{page_count} pages of `../shared/corpus/aeb-dev`, scored with the corpus's `score.py`"
        " (4-token shingles; accuracy = identical token sequence). All tools in the same run,"
        " same input (page bytes + URL), taking turns page by page; ms/page sums each page's"
        f" fastest of {args.repeat} runs.",
        "",
        table(rows),
        "",
        "\"ours (full record)\" is `archiver.extract.extract_page` (body, metadata, media,"
        " comments); the others extract the body only. Where our full record's time goes"
        " (ms/page, each step's fastest of the same runs):",
        "",
        "| " + " | ".join(stages) + " |",
        "| " + " | ".join("---:" for _ in stages) + " |",
        "| " + " | ".join(f"{ms:.2f}" for ms in stages.values()) + " |",
        "",
        PROFILE_NOTES,
        "",
        f"Run {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} on {machine()}:",
        "",
        command,
        "",
    ])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    sys.exit(main())
