"""Generalisation benchmark (issue 14): the full record on pages we did not tune on, one run.

    .venv/bin/python benchmarks/generalisation.py [--repeat 3] [--output FILE]

Four page sets, each scored for our extractor (`archiver.extract.extract_page`, the full
record) and trafilatura 2.3.1 (body only) side by side:

* aeb-dev "dev" and "held-out" halves: `../shared/corpus/aeb-dev` split by site
  (benchmarks/aeb_split.py). Body truth is the corpus's; media truth exists for the ten pages of
  tests/fixtures/media/aeb-truth.json and is compared with the record's in-body entries only
  (that truth lists og:image as the "lead" whether or not the page shows it).
* devset2: benchmarks/devset2 (pages saved in other projects' test folders, truth written by
  hand, sources and licences in SOURCES.md). Media truth is compared with every record media
  entry (lead included: only media the page shows in the article belong there). For the body it
  is also split by site with aeb_split's rule ("devset2 dev/held-out half (by site)" rows): body
  rules are developed looking at the dev half's pages, the held-out half only by its totals.
* devset3: benchmarks/devset3, pages nobody on the project had looked at, in devset2's format with
  body truth only (SOURCES.md). Never tuned on: its aggregates only, no per-page table.
* devset4: benchmarks/devset4, a fourth set of unseen pages in devset3's format (body truth only,
  SOURCES.md). Never tuned on: its aggregates only, no per-page table.

Figures: body F1 / precision / recall / exact accuracy with the corpus's own score.py (imported
from ../shared/corpus/aeb-dev/score.py), over the pages that have body truth; media recall and
precision, comments found / right parent / spurious and the encoding check as
benchmarks/gen_scoring.py defines them; ms/page of our full record vs trafilatura's body-only
extraction, the tools taking turns page by page and each page's fastest of `--repeat` runs
counting. Writes benchmarks/results/generalisation.md.
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
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from aeb_split import DEFAULT_CORPUS as AEB  # noqa: E402
from aeb_split import half_of, load_split  # noqa: E402
from gen_scoring import CommentScore, MediaScore, decoded, score_comments, score_media  # noqa: E402

DEVSET2 = REPO / "benchmarks" / "devset2"
DEVSET3 = REPO / "benchmarks" / "devset3"
DEVSET4 = REPO / "benchmarks" / "devset4"
# devset3 pages whose extraction someone read to find a failure's cause (they are no longer
# unseen): the body table reports them apart from the pages nobody has looked at.
DEVSET3_LOOKED_AT = frozenset({
    "mondediplo-turpitude", "bmeia-kneissl-luxemburg", "labas-porte-balkany", "transgen-schweinepest",
    "hertie-school-von-der-leyen", "franceculture-prendre-la-parole", "xinhua-drug-supply",
    "mediapart-violences-policieres", "pbrunst-cyberterrorismus", "jovelstefan-parken-paris",
})
AEB_MEDIA = REPO / "tests" / "fixtures" / "media" / "aeb-truth.json"
RESULTS = REPO / "benchmarks" / "results" / "generalisation.md"
# Published as aggregates only: a per-page table of the held-out half invites tuning on it.
HELD_OUT = "aeb-dev held-out half"


@dataclass
class Page:
    """One page with whatever truth it has (None = that part not judged on this page)."""

    key: str
    url: str
    html: bytes
    body: str | None = None
    media: list[dict[str, Any]] | None = None
    media_in_body_only: bool = False
    comments: list[dict[str, Any]] | None = None
    comments_system: str | None = None
    probe: str | None = None


@dataclass
class Outcome:
    """What each tool produced for one page, and how long it took (fastest run, seconds)."""

    record: dict[str, Any]
    trafilatura: str
    ours_seconds: float = float("inf")
    trafilatura_seconds: float = float("inf")


def load_score_module() -> ModuleType:
    """The AEB metric, imported from the corpus folder (not reimplemented)."""
    spec = importlib.util.spec_from_file_location("aeb_score", AEB / "score.py")
    assert spec and spec.loader, f"no score.py in {AEB}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def aeb_sets() -> dict[str, list[Page]]:
    truth = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    media = json.loads(AEB_MEDIA.read_text(encoding="utf-8"))
    sets: dict[str, list[Page]] = {}
    for half, keys in load_split(AEB).items():
        sets[f"aeb-dev {half} half"] = [Page(
            key=key, url=truth[key]["url"],
            html=gzip.decompress((AEB / "html" / f"{key}.html.gz").read_bytes()),
            body=truth[key]["articleBody"],
            media=media[key]["media"] if key in media else None, media_in_body_only=True,
        ) for key in keys]
    return sets


def devset2_pages(folder: Path = DEVSET2) -> list[Page]:
    pages = []
    for path in sorted((folder / "truth").glob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        pages.append(Page(
            key=path.stem, url=truth["url"], html=(folder / "pages" / f"{path.stem}.html").read_bytes(),
            body=truth.get("body"), media=truth.get("media"), comments=truth.get("comments"),
            comments_system=truth.get("comments_system"), probe=truth.get("encoding", {}).get("probe"),
        ))
    return pages


def ours(page: Page) -> dict[str, Any]:
    from archiver.extract import extract_page

    return extract_page(page.html, page.url)


def trafilatura_body(page: Page) -> str:
    import trafilatura

    return trafilatura.extract(page.html, url=page.url) or ""


def timed(function: Callable[[Page], Any], page: Page) -> tuple[Any, float]:
    started = time.perf_counter()
    result = function(page)
    return result, time.perf_counter() - started


def run(pages: list[Page], repeat: int) -> dict[str, Outcome]:
    """Both tools on every page, taking turns page by page; each page's fastest run counts."""
    outcomes: dict[str, Outcome] = {}
    for _ in range(repeat):
        for page in pages:
            record, ours_seconds = timed(ours, page)
            text, trafilatura_seconds = timed(trafilatura_body, page)
            outcome = outcomes.setdefault(page.key, Outcome(record, text))
            outcome.ours_seconds = min(outcome.ours_seconds, ours_seconds)
            outcome.trafilatura_seconds = min(outcome.trafilatura_seconds, trafilatura_seconds)
    return outcomes


def body_scores(score: ModuleType, pages: list[Page], outcomes: dict[str, Outcome]) -> dict[str, Any]:
    judged = [page for page in pages if page.body is not None]
    if not judged:
        return {}
    truth = {page.key: {"articleBody": page.body} for page in judged}
    keys = [page.key for page in judged]
    return {
        "ours": score.score(truth, {k: {"articleBody": outcomes[k].record["body"]} for k in keys}, keys),
        "trafilatura": score.score(truth, {k: {"articleBody": outcomes[k].trafilatura} for k in keys}, keys),
    }


def record_media(page: Page, record: dict[str, Any]) -> list[dict[str, Any]]:
    media: list[dict[str, Any]] = record["media"]
    return [entry for entry in media if entry["in_body"]] if page.media_in_body_only else media


def media_scores(pages: list[Page], outcomes: dict[str, Outcome]) -> tuple[MediaScore, dict[str, MediaScore]]:
    total, per_page = MediaScore(), {}
    for page in pages:
        if page.media is None:
            continue
        per_page[page.key] = score_media(page.media, record_media(page, outcomes[page.key].record))
        total.add(per_page[page.key])
    return total, per_page


def comment_scores(pages: list[Page], outcomes: dict[str, Outcome]) -> tuple[CommentScore, dict[str, CommentScore]]:
    total, per_page = CommentScore(), {}
    for page in pages:
        if page.comments is None:
            continue
        per_page[page.key] = score_comments(page.comments, outcomes[page.key].record["comments"])
        total.add(per_page[page.key])
    return total, per_page


def encoding_checks(pages: list[Page], outcomes: dict[str, Outcome]) -> list[tuple[str, bool, bool]]:
    """(page, ours decoded, trafilatura decoded) for every page with an encoding probe."""
    return [(page.key, decoded(page.probe, outcomes[page.key].record["body"]),
             decoded(page.probe, outcomes[page.key].trafilatura)) for page in pages if page.probe]


def widget_lines(pages: list[Page], outcomes: dict[str, Outcome]) -> list[str]:
    """Pages whose thread only loads by JavaScript: the record must name the system and list no comment."""
    lines = ["| page | system (truth) | comments_system (record) | comments listed |", "| --- | --- | --- | ---: |"]
    for page in pages:
        if page.comments_system:
            record = outcomes[page.key].record
            lines.append(f"| {page.key} | {page.comments_system} | {record['comments_system']} "
                         f"| {len(record['comments'])} |")
    return lines


def devset2_halves(pages: list[Page]) -> dict[str, list[Page]]:
    """devset2 split by site with aeb_split's rule, so body work can be developed on one half and
    checked on the other (rows of the body table only)."""
    return {f"devset2 {half} half (by site)": [page for page in pages if half_of(page.url) == half]
            for half in ("dev", "held-out")}


def ms_per_page(outcomes: dict[str, Outcome], attribute: str) -> float:
    return sum(getattr(outcome, attribute) for outcome in outcomes.values()) * 1000 / len(outcomes)


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def body_table(score: ModuleType, sets: dict[str, list[Page]], outcomes: dict[str, Outcome]) -> list[str]:
    lines = ["| set | pages | ours F1 | ours precision | ours recall | ours accuracy "
             "| trafilatura F1 | trafilatura accuracy |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, pages in sets.items():
        scores = body_scores(score, pages, outcomes)
        if scores:
            mine, theirs = scores["ours"], scores["trafilatura"]
            lines.append(f"| {name} | {mine['pages']} | {mine['f1']:.4f} | {mine['precision']:.4f} "
                         f"| {mine['recall']:.4f} | {mine['accuracy']:.3f} | {theirs['f1']:.4f} "
                         f"| {theirs['accuracy']:.3f} |")
    return lines


def media_table(sets: dict[str, list[Page]], outcomes: dict[str, Outcome]) -> list[str]:
    lines = ["| set | pages | truth entries | record entries | recall | precision |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, pages in sets.items():
        total, per_page = media_scores(pages, outcomes)
        if per_page:
            lines.append(f"| {name} | {len(per_page)} | {total.truth} | {total.predicted} "
                         f"| {total.recall:.3f} | {total.precision:.3f} |")
    return lines


def media_type_line(pages: list[Page], outcomes: dict[str, Outcome]) -> str:
    """Recall by the kind of truth entry (image / iframe / embed ...), where recall is lost."""
    total, _ = media_scores(pages, outcomes)
    parts = [f"{kind} {found}/{count}" for kind, (found, count) in sorted(total.by_type.items())]
    return "devset2 recall by truth type (found/truth): " + ", ".join(parts) + "."


def comment_table(sets: dict[str, list[Page]], outcomes: dict[str, Outcome]) -> list[str]:
    lines = ["| set | pages | truth comments | found | page id kept | right parent | spurious |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, pages in sets.items():
        total, per_page = comment_scores(pages, outcomes)
        if per_page:
            lines.append(f"| {name} | {len(per_page)} | {total.truth} | {percent(total.found, total.truth)} "
                         f"| {percent(total.ids_kept, total.truth)} | {percent(total.right_parent, total.truth)} "
                         f"| {total.spurious} |")
    return lines


def speed_table(sets: dict[str, list[Page]], outcomes: dict[str, Outcome]) -> list[str]:
    lines = ["| set | pages | ours, full record (ms/page) | trafilatura, body only (ms/page) | ratio |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for name, pages in sets.items():
        mine = {page.key: outcomes[page.key] for page in pages}
        if not mine:
            continue
        ours_ms, theirs_ms = ms_per_page(mine, "ours_seconds"), ms_per_page(mine, "trafilatura_seconds")
        lines.append(f"| {name} | {len(pages)} | {ours_ms:.2f} | {theirs_ms:.2f} | {ours_ms / theirs_ms:.2f}x |")
    return lines


def page_f1(score: ModuleType, truth: str, text: str) -> float:
    tp, fp, fn = score.page_counts(truth, text)
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def detail_lines(score: ModuleType, pages: list[Page], outcomes: dict[str, Outcome]) -> list[str]:
    """Per page: body F1 (ours / trafilatura), media missed and spurious, comment problems."""
    _, media = media_scores(pages, outcomes)
    _, comments = comment_scores(pages, outcomes)
    lines = ["| page | body F1 ours / trafilatura | media missed | media spurious | comments |",
             "| --- | --- | --- | --- | --- |"]
    for page in pages:
        outcome = outcomes[page.key]
        body = (f"{page_f1(score, page.body, outcome.record['body']):.3f} / "
                f"{page_f1(score, page.body, outcome.trafilatura):.3f}") if page.body is not None else "-"
        found = media.get(page.key)
        missed = "<br>".join(found.missed) if found else "-"
        spurious = "<br>".join(found.spurious) if found else "-"
        thread = comments.get(page.key)
        problems = ("ok" if not thread.problems else "; ".join(thread.problems[:6])) if thread else "-"
        lines.append(f"| {page.key} | {body} | {missed or 'none'} | {spurious or 'none'} | {problems} |")
    return lines


def composition(pages: list[Page]) -> str:
    """What devset2 holds, so the tables can be read against the issue's targets."""
    nested = sum(1 for page in pages if any(c["parent_id"] for c in page.comments or []))
    return (f"devset2: {len(pages)} pages; body truth on {sum(p.body is not None for p in pages)}, media truth on "
            f"{sum(p.media is not None for p in pages)}, comment truth on {sum(p.comments is not None for p in pages)} "
            f"({nested} with nested threads), legacy-encoding probe on {sum(p.probe is not None for p in pages)}.")


def table(lines: list[str]) -> str:
    """A markdown table as one block, or a note when no page has that kind of truth."""
    return "\n".join(lines) if len(lines) > 2 else "(no page with this kind of truth)"


def report(sets: dict[str, list[Page]], outcomes: dict[str, Outcome], repeat: int) -> str:
    score = load_score_module()
    named = [page for name, pages in sets.items() if name != HELD_OUT for page in pages]
    checks = encoding_checks(named, outcomes)
    encoding = ["| page | ours decoded | trafilatura decoded |", "| --- | --- | --- |"]
    encoding += [f"| {key} | {'yes' if mine else 'no'} | {'yes' if theirs else 'no'} |" for key, mine, theirs in checks]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "# Generalisation (issue 14): aeb-dev halves, devset2, devset3 and devset4",
        "aeb-dev split by site (`benchmarks/aeb_split.py`: SHA-256 of the host, even = dev, odd = "
        "held-out); devset2 = `benchmarks/devset2` (pages from other projects' test folders, truth "
        "written by hand, see its SOURCES.md), also split by site with the same rule for the body rows. "
        "Ours = `extract_page` (full record); trafilatura 2.3.1 "
        "extracts the body only. Matching rules: `benchmarks/gen_scoring.py`.",
        composition(sets["devset2"]),
        "## Body (AEB score.py: 4-token shingles; accuracy = identical token sequence)",
        table(body_table(score, {**sets, **devset2_halves(sets["devset2"]),
                                 **devset3_parts(sets.get("devset3", []))}, outcomes)),
        "devset3 pages looked at (a failure's cause read from their output): "
        + ", ".join(sorted(DEVSET3_LOOKED_AT)) + ".",
        "## Media (match by normalised URL, srcset/sources renditions count as the entry)",
        table(media_table(sets, outcomes)),
        "aeb halves: only the ten pages of `tests/fixtures/media/aeb-truth.json`, compared with in-body "
        "entries; devset2: every record media entry (the lead too).",
        media_type_line(sets["devset2"], outcomes),
        "## Comments (matched by id key, else by author in page order)", table(comment_table(sets, outcomes)),
        "Comment widgets that load by JavaScript only (no comment in the HTML):",
        table(widget_lines(sets["devset2"], outcomes)),
        "## Legacy encoding (no charset declaration in the bytes)", table(encoding),
        f"## Speed (each page's fastest of {repeat} runs, the tools taking turns page by page)",
        table(speed_table(sets, outcomes)),
        "## Per page, devset2", table(detail_lines(score, sets["devset2"], outcomes)),
        "## Per page, aeb-dev dev half", table(detail_lines(score, sets["aeb-dev dev half"], outcomes)),
        "The held-out half is published as the aggregates above only, so that nobody tunes on its pages.",
        f"Run {stamp} on {os.cpu_count()} cores ({platform.machine()}), Python {platform.python_version()}, "
        f"{platform.system()}, load average at the end {load} (other workers share the cores):",
        f"    .venv/bin/python benchmarks/generalisation.py --repeat {repeat}",
    ]
    return "\n\n".join(parts) + "\n"


def devset3_parts(pages: list[Page]) -> dict[str, list[Page]]:
    """devset3 split into the pages someone looked at and those nobody has."""
    parts = {
        "devset3 looked at": [page for page in pages if page.key in DEVSET3_LOOKED_AT],
        "devset3 never looked at": [page for page in pages if page.key not in DEVSET3_LOOKED_AT],
    }
    return {name: part for name, part in parts.items() if part}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per page; the fastest counts")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    sets = {**aeb_sets(), "devset2": devset2_pages(), "devset3": devset2_pages(DEVSET3),
            "devset4": devset2_pages(DEVSET4)}
    pages = [page for pages in sets.values() for page in pages]
    trafilatura_body(pages[0]), ours(pages[0])  # warm imports and caches before timing
    outcomes = run(pages, args.repeat)
    text = report(sets, outcomes, args.repeat)
    args.output.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
