"""Metadata and media extraction: exact-match rates against the WordPress truth, ms/page, reference tools.

Run from the repository root:  .venv/bin/python benchmarks/metadata_media.py [--write]

* Per field, the share of posts (both WordPress sites) whose extracted value equals the truth exactly.
* Media: the body media list (type + url, document order) and the featured image against the truth;
  the AEB sample against tests/fixtures/media/aeb-truth.json.
* ms/page of extract_metadata and extract_media alone (parse excluded), of the full extract_page, and,
  in the same run, of trafilatura's metadata extraction, trafilatura's body-only extraction and
  extruct's microdata/JSON-LD/OpenGraph parsing on the AEB pages.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO))

from archiver.extract import extract_page  # noqa: E402
from archiver.extract.body import extract_body  # noqa: E402
from archiver.extract.document import Document  # noqa: E402
from archiver.extract.media import extract_media  # noqa: E402
from archiver.extract.metadata import extract_metadata  # noqa: E402
from archiver.extract.microdata import article_microdata  # noqa: E402

FIELDS = ("title", "authors", "published", "modified", "categories", "tags", "featured_image",
          "media")
RESULTS = REPO / "benchmarks" / "results" / "metadata_media.md"


def wordpress_posts() -> list[tuple[str, dict[str, Any], str]]:
    """(site, truth, html) for every post of both WordPress snapshot sites."""
    posts = []
    for site in ("classic", "block-paged"):
        root = CORPUS / "wordpress" / site
        manifest = json.loads((root / "manifest.json").read_text())
        for path in sorted((root / "truth").glob("*.json")):
            truth = json.loads(path.read_text())
            if "slug" not in truth:
                continue
            entry = manifest[truth["url"].split("blog.test:8080", 1)[1]]
            posts.append((site, truth, (root / entry["file"]).read_text(encoding="utf-8")))
    return posts


def wordpress_values(record: dict[str, Any]) -> dict[str, Any]:
    """The record reshaped into the WordPress truth's fields, for exact comparison."""
    lead = [m["url"] for m in record["media"] if not m["in_body"]]
    return {
        "title": record["title"],
        "authors": [a["name"] for a in record["authors"]],
        "published": record["published"],
        "modified": record["modified"],
        "categories": record["categories"],
        "tags": record["tags"],
        "featured_image": lead[0] if lead else None,
        "media": [{"type": m["type"], "url": m["url"]} for m in record["media"] if m["in_body"]],
    }


def truth_values(truth: dict[str, Any]) -> dict[str, Any]:
    values = {key: truth[key] for key in FIELDS if key in truth}
    values["authors"] = [truth["author"]]
    return values


def aeb_pages() -> list[tuple[str, str, bytes]]:
    truth = json.loads((CORPUS / "aeb-dev" / "ground-truth.json").read_text())
    return [(key, value["url"], gzip.decompress(
        (CORPUS / "aeb-dev" / "html" / f"{key}.html.gz").read_bytes())) for key, value in truth.items()]


def ms_per_page(function: Callable[[Any], Any], inputs: list[Any], repeat: int = 3) -> float:
    """Best-of-`repeat` mean milliseconds per input (best-of damps noise from other workers)."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for value in inputs:
            function(value)
        runs.append((time.perf_counter() - start) * 1000 / len(inputs))
    return min(runs)


def score_wordpress(records: list[dict[str, Any]], truths: list[dict[str, Any]]) -> dict[str, float]:
    """Share of posts whose value equals the truth exactly, per field."""
    rates = {}
    for name in FIELDS:
        hits = sum(
            wordpress_values(r)[name] == truth_values(t)[name]
            for r, t in zip(records, truths, strict=True)
        )
        rates[name] = hits / len(truths)
    return rates


def trafilatura_values(html: str, url: str) -> dict[str, Any]:
    """trafilatura's metadata in the truth's shape (it has no media list, and dates are days)."""
    from trafilatura import extract_metadata as trafilatura_metadata

    meta = trafilatura_metadata(html, default_url=url)
    return {
        "title": meta.title,
        "authors": [name.strip() for name in (meta.author or "").split(";") if name.strip()],
        "published": meta.date,
        "modified": None,
        "categories": meta.categories or [],
        "tags": meta.tags or [],
        "featured_image": meta.image,
        "media": None,
    }


def score_reference(posts: list[tuple[str, dict[str, Any], str]]) -> dict[str, str]:
    """trafilatura's exact-match rates; published also compared on the day alone."""
    rows: dict[str, str] = {}
    values = [trafilatura_values(html, truth["url"]) for _site, truth, html in posts]
    truths = [truth_values(truth) for _site, truth, _html in posts]
    for name in FIELDS:
        if name == "media":
            rows[name] = "n/a"
            continue
        hits = sum(v[name] == t[name] for v, t in zip(values, truths, strict=True))
        rows[name] = f"{hits / len(truths):.2f}"
    days = sum((v["published"] or "") == t["published"][:10] for v, t in zip(values, truths, strict=True))
    rows["published"] += f" (day only: {days / len(truths):.2f})"
    return rows


def aeb_media_scores(pages: dict[str, tuple[str, bytes]]) -> dict[str, float]:
    """Lead accuracy, exact pages, item precision/recall against tests/fixtures/media/aeb-truth.json."""
    truth = json.loads((REPO / "tests" / "fixtures" / "media" / "aeb-truth.json").read_text())
    exact = lead_hits = hits = got_total = wanted_total = 0
    for key, expected in truth.items():
        url, html = pages[key]
        media = extract_page(html, url)["media"]
        lead = next((m["url"] for m in media if not m["in_body"]), None)
        body = [{"type": m["type"], "url": m["url"]} for m in media if m["in_body"]]
        lead_hits += lead == expected["lead"]
        exact += lead == expected["lead"] and body == expected["media"]
        hits += sum(item in expected["media"] for item in body)
        got_total += len(body)
        wanted_total += len(expected["media"])
    return {"pages": len(truth), "exact_pages": exact / len(truth), "lead": lead_hits / len(truth),
            "precision": hits / max(got_total, 1), "recall": hits / max(wanted_total, 1)}


def timings(pages: list[tuple[str, str, bytes]], rounds: int = 3) -> dict[str, float]:
    """ms/page on the AEB pages: our parts (parse excluded) and the reference tools.

    Every tool runs once per round, rounds interleaved, and the best round counts: other workers
    share the machine, and interleaving spreads their load evenly over the tools compared."""
    import extruct
    import trafilatura
    from htmldate import find_date

    docs = [Document.from_html(html, url) for _key, url, html in pages]
    bodies = [extract_body(doc).node for doc in docs]
    texts = [doc.text for doc in docs]

    def fresh(doc: Document) -> Document:
        return Document(url=doc.url, text=doc.text, tree=doc.tree)  # no cached JSON-LD/meta

    pairs = list(zip(docs, bodies, strict=True))
    steps: dict[str, tuple[Callable[[Any], Any], list[Any]]] = {
        "parse (lxml, shared by all our parts)": (
            lambda page: Document.from_html(page[2], page[1]), pages),
        "extract_metadata": (lambda doc: extract_metadata(fresh(doc)), docs),
        "extract_media": (lambda pair: extract_media(fresh(pair[0]), pair[1]), pairs),
        "extract_page (full record: body, metadata, media, comments)": (
            lambda page: extract_page(page[2], page[1]), pages),
        "trafilatura.extract (body only)": (lambda text: trafilatura.extract(text), texts),
        "trafilatura.extract_metadata": (lambda text: trafilatura.extract_metadata(text), texts),
        "htmldate.find_date (tree given)": (
            lambda doc: find_date(doc.tree, original_date=True), docs),
        "our microdata reader (article item)": (lambda doc: article_microdata(fresh(doc)), docs),
        "extruct microdata only": (
            lambda text: extruct.extract(text, syntaxes=["microdata"], errors="ignore"), texts),
        "extruct (json-ld, microdata, opengraph)": (
            lambda text: extruct.extract(text, syntaxes=["json-ld", "microdata", "opengraph"],
                                         errors="ignore"), texts),
    }
    best = {name: float("inf") for name in steps}
    for _ in range(rounds):
        for name, (function, inputs) in steps.items():
            best[name] = min(best[name], ms_per_page(function, inputs, repeat=1))
    return best


def _table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def report() -> str:
    posts = wordpress_posts()
    lines = ["# Metadata and media extraction", "",
             "Command: `.venv/bin/python benchmarks/metadata_media.py --write` (one run, 2-core machine,",
             "other workers active). Truth: `../shared/corpus/wordpress/{classic,block-paged}/truth/`",
             "(24 posts) and `tests/fixtures/media/aeb-truth.json` (10 AEB pages, written by hand).", ""]
    lines += ["## WordPress truth: exact-match rate per field (24 posts)", ""]
    rows = []
    by_site = {}
    for site in ("classic", "block-paged"):
        chosen = [p for p in posts if p[0] == site]
        records = [extract_page(html, truth["url"]) for _s, truth, html in chosen]
        by_site[site] = score_wordpress(records, [truth for _s, truth, _h in chosen])
    records = [extract_page(html, truth["url"]) for _s, truth, html in posts]
    both = score_wordpress(records, [truth for _s, truth, _h in posts])
    reference = score_reference(posts)
    for name in FIELDS:
        rows.append((name, f"{by_site['classic'][name]:.2f}", f"{by_site['block-paged'][name]:.2f}",
                     f"{both[name]:.2f}", reference[name]))
    lines += _table(("field", "ours classic", "ours block-paged", "ours both", "trafilatura 2.3.1"), rows)
    pages = aeb_pages()
    scores = aeb_media_scores({key: (url, html) for key, url, html in pages})
    lines += ["", "## AEB media truth (10 pages)", ""]
    lines += _table(("pages exact", "lead image", "item precision", "item recall"),
                    [(f"{scores['exact_pages']:.2f}", f"{scores['lead']:.2f}",
                      f"{scores['precision']:.2f}", f"{scores['recall']:.2f}")])
    lines += ["", f"## Speed on the {len(pages)} AEB dev pages (ms/page, same run)", ""]
    lines += _table(("step", "ms/page"), [(name, f"{value:.2f}") for name, value in timings(pages).items()])
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.relative_to(REPO)}")
    text = report()
    print(text)
    if parser.parse_args().write:
        RESULTS.write_text(text + NOTES, encoding="utf-8")


NOTES = """
## Notes

* `modified`: both themes never print the post's modified time. The classic theme marks its single
  <time> "published updated" (hAtom), so the page claims modified == published and we report that
  (right for the 5 classic posts never edited); the block theme states nothing, so we report None.
  The remaining misses cannot be read from the HTML (the REST API at /wp-json/wp/v2/posts/ID has
  them; fetching it is the spider's job, not pure extraction's).
* featured_image: the one `in_body: false` entry; media: the `in_body: true` entries (type + url,
  document order), both compared exactly.
* trafilatura has no media list and gives dates as days; its author is one string split on ";".
* Timings: best of 3 interleaved rounds per tool. extract_metadata / extract_media run on
  pre-parsed documents (parse listed separately); extract_page and the reference tools parse
  themselves. Other workers share the 2 cores, so absolute numbers move between runs (2-3x seen;
  load average 2-8 while measuring); compare within one table. htmldate memoizes
  internally, so its best round is optimistic.
* Microdata: on the 91 AEB pages 23 carry an article item in microdata; our reader and extruct
  agree on headline/datePublished/dateModified on 18, and on the other 5 extruct returns nothing
  or an empty date where ours reads the item (nested or multi-typed items).
* Where extract_page's time goes: see the extraction section (stage table and profiling notes);
  metadata + media are about a fifth of the full record's time.
"""


if __name__ == "__main__":
    main()
