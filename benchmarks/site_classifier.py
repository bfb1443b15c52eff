"""Page classifier in `site` mode: articles kept (recall) and listings left out, through a real crawl.

    .venv/bin/python benchmarks/site_classifier.py [--sites 12] [--baseline REV]

Builds one local site and crawls it with `scrapy crawl article -a site=…` (default keep=articles):
* articles: the 91 real pages of ../shared/corpus/aeb-dev and the posts of both WordPress
  snapshots, each page linking to three others (links added before </body>);
* non-articles: every HTML listing page of the WordPress snapshots (home, category, tag, author,
  date and paginated archives) and generated news-site shapes (benchmarks/listing_gen.py: front
  pages, sections and their page 2, tags, authors with a bio, date archives, search with and
  without results, topic index, gallery, login, contact), linking to the articles.
Recall = article URLs with a record / article URLs; false keeps = non-article pages with a record.
The aeb pages are split into the "dev" and "held-out" halves of benchmarks/aeb_split.py (one split
for every benchmark: rules are developed on the dev sites, the held-out sites check them, and lost
held-out articles are counted by reason, not named), and the same halves are also measured with
the structured signals removed (JSON-LD, microdata, og:type, body classes), where the markup alone
must decide. `--baseline REV` measures that stress for the
pagetype.py of a git revision too. Writes benchmarks/results/site_classifier.md.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))
import lxml.html  # noqa: E402
from aeb_split import half_of  # noqa: E402
from listing_gen import generate_sites  # noqa: E402

from archiver.demo.server import serve  # noqa: E402
from archiver.extract.body import extract_body  # noqa: E402
from archiver.extract.charset import decode_html  # noqa: E402
from archiver.extract.comments import extract_comments  # noqa: E402
from archiver.extract.document import Document  # noqa: E402
from archiver.extract.pagetype import classify_page  # noqa: E402

WP_SITES = ("classic", "block-paged")


def aeb_pages() -> list[tuple[str, str, str]]:
    """(key, original URL, HTML text) of the aeb-dev pages."""
    truth = json.loads((CORPUS / "aeb-dev" / "ground-truth.json").read_text())
    return [(key, item["url"], decode_html(gzip.decompress((CORPUS / "aeb-dev" / "html" / f"{key}.html.gz")
                                                             .read_bytes())))
            for key, item in sorted(truth.items())]


def wp_pages() -> list[tuple[str, str, bool, str]]:
    """(site, path, is a post, HTML) of the WordPress snapshots' HTML pages (comment pages left out:
    they belong to their post's record)."""
    pages = []
    for site in WP_SITES:
        folder = CORPUS / "wordpress" / site
        manifest = json.loads((folder / "manifest.json").read_text())
        posts = {urlsplit(p["url"]).path for p in json.loads((folder / "truth" / "index.json").read_text())["posts"]}
        for path, entry in sorted(manifest.items()):
            if entry["status"] != 200 or "html" not in (entry["content_type"] or "") or "?" in path \
                    or "/comment-page-" in path or path.startswith("/wp-"):
                continue
            pages.append((site, path, path in posts, (folder / entry["file"]).read_text(encoding="utf-8")))
    return pages


def with_links(html: str, urls: list[str]) -> str:
    links = "".join(f'<li><a href="{u}">More: {u}</a></li>' for u in urls)
    block = f'<ul class="more-links">{links}</ul>'
    index = html.lower().rfind("</body>")
    return html[:index] + block + html[index:] if index >= 0 else html + block


def build_site(root: Path, sites: int) -> dict[str, str]:
    """Write the site under `root`; returns {URL path: "article"|"non-article"} and the aeb halves."""
    kinds: dict[str, str] = {}
    articles: list[tuple[str, str]] = [(f"/articles/{key[:12]}/", html) for key, _url, html in aeb_pages()]
    wp = wp_pages()
    articles += [(f"/wp/{site}{path}", html) for site, path, is_post, html in wp if is_post]
    urls = [url for url, _ in articles]
    for number, (url, html) in enumerate(articles):
        others = [urls[(number + step) % len(urls)] for step in (1, 2, 3)]
        _write(root, url, with_links(html, others))
        kinds[url] = "article"
    listings = [(f"/wp/{site}{path}", html) for site, path, is_post, html in wp if not is_post]
    listings += list(generate_sites(sites, urls).items())
    for url, html in listings:
        path = url.removesuffix("index.html")
        _write(root, path, html)
        kinds[path] = "non-article"
    fronts = "".join(f'<li><a href="{path}">{path}</a></li>' for path, kind in kinds.items()
                     if kind == "non-article")
    _write(root, "/", f"<!DOCTYPE html><html><head><title>Index</title></head><body><h1>Index</h1>"
                      f"<ul>{fronts}</ul><p><a href='{urls[0]}'>First article</a></p></body></html>")
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    return kinds


def _write(root: Path, url_path: str, html: str) -> None:
    folder = root / url_path.strip("/")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(html, encoding="utf-8")


def crawl(base: str, out: Path) -> tuple[list[dict[str, Any]], dict[str, Any], float]:
    command = [sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"site={base}/", "-a", "max_depth=60",
               "-s", f"ARCHIVE_DIR={out}", "-s", "LOG_LEVEL=WARNING", "-s", "AUTOTHROTTLE_ENABLED=False",
               "-s", "PAGE_TYPE_REJECTED_LISTED=100000"]
    # The pages' own REST/comment endpoints are on their original hosts: nothing to fetch here.
    for setting in ("COMMENT_PAGES", "WP_REST_COMMENTS", "WP_REST_POST", "FETCH_EMBEDDED_COMMENTS"):
        command += ["-s", f"{setting}=False"]
    command += ["-s", "RENDER=never"]  # the same for the comment widgets a browser would load
    env = {k: v for k, v in os.environ.items() if k.lower() != "http_proxy"}
    started = time.perf_counter()
    subprocess.run(command, cwd=REPO, env=env, check=True, timeout=1800)
    elapsed = time.perf_counter() - started
    crawl_dir = next(p for p in out.iterdir() if p.is_dir())
    records = [json.loads(line) for path in sorted(crawl_dir.glob("records-*.jsonl"))
               for line in path.read_text(encoding="utf-8").splitlines()]
    return records, json.loads((crawl_dir / "crawl.json").read_text()), elapsed


# --- markup-only stress -----------------------------------------------------------------------

def without_structured_signals(doc: Document) -> Document:
    """The page as if it had no JSON-LD, microdata types, og:type or body classes."""
    tree = doc.tree
    for script in tree.xpath("//script[@type='application/ld+json']|//meta[@property='og:type']"):
        script.getparent().remove(script)
    for element in tree.xpath("//*[@itemtype]"):
        del element.attrib["itemtype"]
    for body in tree.xpath("//body[@class]"):
        del body.attrib["class"]
    return Document(url=doc.url, text=doc.text, tree=tree)


def headline_in_h2(doc: Document) -> None:
    for heading in list(doc.tree.iter("h1")):
        heading.tag = "h2"


def text_in_divs(doc: Document) -> None:
    for paragraph in list(doc.tree.iter("p")):
        paragraph.tag = "div"


def related_articles(doc: Document) -> None:
    """Six related-story <article> cards (linked title, excerpt) after the article's text."""
    node = extract_body(doc).node
    if node is None:
        return
    parent = node.getparent()
    anchor = parent if parent is not None and parent.tag not in ("body", "html") else node
    excerpt = "The council said the plan would be revised before the next vote in the spring. " * 2
    cards = "".join(f'<article class="related-post"><a href="/related/{n}/"><img src="/r.jpg"></a><h3>'
                    f'<a href="/related/{n}/">Related story {n} about the harbour bridge budget</a></h3>'
                    f"<p>{excerpt}</p></article>" for n in range(6))
    section = lxml.html.fromstring(f'<section class="related"><h2>More stories</h2>{cards}</section>')
    if anchor.tag in ("body", "html"):
        anchor.append(section)
    else:
        anchor.addnext(section)


# "as served" is the page unchanged; every other variant removes the structured signals, then
# changes the markup in one general way.
AS_SERVED = "as served"
VARIANTS: dict[str, Any] = {
    AS_SERVED: lambda doc: None,
    "markup only": lambda doc: None,
    "headline in h2": headline_in_h2,
    "text in divs": text_in_divs,
    "6 related <article>s": related_articles,
}


def stress(classify: Any, sites: int) -> dict[str, dict[str, Counter[str]]]:
    """Per variant, kept/total per group: aeb halves, WP posts and WP listing pages."""
    pages = [(f"aeb {half_of(url)}", url, html) for _key, url, html in aeb_pages()]
    pages += [(f"wp {'posts' if post else 'lists'}", f"http://blog.test:8080{path}", html)
              for _site, path, post, html in wp_pages()]
    pages += [("generated non-articles", f"http://127.0.0.1:8000{path}", html)
              for path, html in generate_sites(sites, ["/articles/1/", "/articles/2/"], seed=99).items()]
    results: dict[str, dict[str, Counter[str]]] = {}
    for variant, change in VARIANTS.items():
        counts = results.setdefault(variant, {})
        for group, url, html in pages:
            doc = Document.from_html(html, url)
            if variant != AS_SERVED:
                doc = without_structured_signals(doc)
            change(doc)
            counts.setdefault(group, Counter())["total"] += 1
            verdict = classify(doc)
            counts[group]["article"] += verdict.kind == "article"
            if (verdict.kind == "article") != (group.startswith(("aeb", "wp posts"))):
                # Why a page went the wrong way, by reason: "<variant> | <kind>: <reason>".
                reason = re.sub(r"\d+", "N", verdict.reason)  # "12 <article> teasers" -> "N <article> …"
                counts[group][f"{variant} | {verdict.kind}: {reason}"] += 1
    return results


def baseline_classifier(revision: str) -> Any:
    """`classify_page` of archiver/extract/pagetype.py at a git revision (loaded from `git show`)."""
    source = subprocess.run(["git", "show", f"{revision}:archiver/extract/pagetype.py"], cwd=REPO,
                            check=True, capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "pagetype_baseline.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("pagetype_baseline", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module.classify_page


def timing(baseline: Any = None) -> tuple[float, float, float, float]:
    """Mean ms per page: the classifier given the extracted body as served and with the markup path
    forced (structured signals removed), the body + comment extraction it reuses, and the
    baseline classifier on the pages as served (0 without one). Each loop runs over pages
    prepared beforehand, so no measurement pays for another's cache misses."""
    served: list[Any] = []
    forced: list[Any] = []
    extract_s = 0.0
    for _key, url, html in aeb_pages():
        for prepared, strip in ((served, False), (forced, True)):
            doc = Document.from_html(html, url)
            doc.json_ld  # noqa: B018 (metadata extraction parses both before the classifier runs)
            doc.meta  # noqa: B018
            started = time.perf_counter()
            thread = extract_comments(doc)
            body = extract_body(doc, exclude=thread.nodes)
            extract_s += (time.perf_counter() - started) if not strip else 0.0
            prepared.append((without_structured_signals(doc) if strip else doc, body, thread.nodes))

    def mean_ms(classify: Any, pages: list[Any]) -> float:
        started = time.perf_counter()
        for doc, body, nodes in pages:
            classify(doc, body, nodes)
        return 1000 * (time.perf_counter() - started) / len(pages)

    old_ms = mean_ms(lambda doc, _body, _nodes: baseline(doc), served) if baseline is not None else 0.0
    return (mean_ms(classify_page, served), mean_ms(classify_page, forced),
            1000 * extract_s / len(served), old_ms)


# --- report -----------------------------------------------------------------------------------

def group_of(path: str, halves: dict[str, str]) -> str:
    if path.startswith("/articles/"):
        return f"aeb {halves[path]}"
    if path.startswith("/wp/"):
        return "WordPress " + ("posts" if path in halves else "lists")
    shape = path.split("/", 2)[2].strip("/") or "front page"
    return "generated: " + shape.split("/")[0]


def crawl_section(kinds: dict[str, str], halves: dict[str, str], records: list[dict[str, Any]],
                  summary: dict[str, Any], base: str, elapsed: float) -> list[str]:
    kept = {urlsplit(r["url"]).path for r in records}
    rejected = {urlsplit(p["url"]).path: p for p in summary.get("page_type_rejected", [])}
    rows: dict[str, Counter[str]] = {}
    lost = []
    held_out_lost: Counter[str] = Counter()  # by reason only: no held-out page is named
    for path, kind in kinds.items():
        group = group_of(path, halves)
        rows.setdefault(group, Counter())["pages"] += 1
        rows[group]["kept"] += path in kept
        rows[group]["listed"] += path in rejected
        rows[group]["fetched"] += path in kept or path in rejected
        if kind == "article" and path not in kept and group == "aeb held-out":
            held_out_lost[rejected.get(path, {}).get("reason", "not fetched")] += 1
        elif kind == "article" and path not in kept:
            lost.append(f"* lost article {path}: {rejected.get(path, {}).get('reason', 'not fetched')}")
    articles = [p for p, k in kinds.items() if k == "article"]
    others = [p for p, k in kinds.items() if k != "article" and (p in kept or p in rejected)]
    kept_articles = sum(p in kept for p in articles)
    false_keeps = [p for p in others if p in kept]
    lines = [
        f"One crawl, `scrapy crawl article -a site={base}/ -a max_depth=60` (keep=articles), "
        f"{summary['counts']['responses']} responses in {elapsed:.0f} s.", "",
        f"* **recall: {kept_articles}/{len(articles)} article pages = {100 * kept_articles / len(articles):.1f}%**",
        f"* **non-article pages archived: {len(false_keeps)}/{len(others)} fetched = "
        f"{100 * len(false_keeps) / len(others):.1f}%**",
        f"* crawl.json `counts.page_types`: `{json.dumps(summary['counts']['page_types'])}`; "
        f"`page_type_rejected` lists {len(rejected)} pages (every page without a record, the crawl's "
        "index page included).", "",
        "| group | pages | fetched | records | listed as rejected in crawl.json |", "|---|---|---|---|---|"]
    for group in sorted(rows):
        row = rows[group]
        lines.append(f"| {group} | {row['pages']} | {row['fetched']} | {row['kept']} | {row['listed']} |")
    lines += ["", "Rejections by reason (crawl.json `counts.page_type_reasons`):", ""]
    lines += [f"* {reason}: {count}" for reason, count in summary["counts"]["page_type_reasons"].items()]
    lost += [f"* lost held-out articles, {reason}: {count}" for reason, count in sorted(held_out_lost.items())]
    lines += [""] + (lost or ["No article was lost."])
    lines += [f"* archived non-article {p}" for p in false_keeps]
    return lines


def stress_section(current: dict[str, dict[str, Counter[str]]],
                   baseline: dict[str, dict[str, Counter[str]]] | None, revision: str | None) -> list[str]:
    variants = list(current)
    head = "| group | " + " | ".join(variants) + " |"
    lines = [head, "|---" * (len(variants) + 1) + "|"]
    groups = sorted(current[variants[0]])
    for group in groups:
        cells = []
        for variant in variants:
            row = current[variant][group]
            cell = f"{row['article']}/{row['total']}"
            if baseline is not None:
                cell += f" (was {baseline[variant][group]['article']})"
            cells.append(cell)
        lines.append(f"| {group} | " + " | ".join(cells) + " |")
    lines += ["", "Wrong verdicts by reason (now" + (f"; then {revision}" if baseline else "") + "):", ""]
    for label, results in (("now", current), (revision, baseline)):
        if results is None:
            continue
        for group in groups:
            reasons = {k: v for k, v in results[variants[0]][group].items() if " | " in k}
            for variant in variants[1:]:
                reasons.update({k: v for k, v in results[variant][group].items() if " | " in k})
            lines += [f"* {label}, {group}, {reason}: {count}" for reason, count in sorted(reasons.items())]
    lines += ["", "Cells: pages kept as articles / pages" + (f"; in brackets the pagetype.py of {revision}"
                                                               if baseline is not None else "")
              + ". Generated non-articles: the shapes of the crawl from another seed (one page each). "
              "The related-<article>s change is meant for articles: on a one-post tag page it puts "
              "six more teasers inside the post's card."]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=12, help="generated news sites (13 pages each)")
    parser.add_argument("--baseline", help="git revision whose pagetype.py the stress also measures")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "site_classifier.md")
    args = parser.parse_args()
    halves = {f"/articles/{key[:12]}/": half_of(url) for key, url, _html in aeb_pages()}
    halves.update({f"/wp/{site}{path}": "posts" for site, path, post, _html in wp_pages() if post})
    with tempfile.TemporaryDirectory(prefix="site-classifier-") as tmp:
        root, out = Path(tmp) / "site", Path(tmp) / "out"
        kinds = build_site(root, args.sites)
        with serve(root) as base:
            records, summary, elapsed = crawl(base, out)
    current = stress(classify_page, args.sites)
    old_classify = baseline_classifier(args.baseline) if args.baseline else None
    baseline = stress(old_classify, args.sites) if old_classify else None
    served_ms, forced_ms, extract_ms, old_ms = timing(old_classify)
    command = "python benchmarks/site_classifier.py" + (f" --baseline {args.baseline}" if args.baseline else "")
    lines = ["# Page classifier in site mode", "", f"`{command}` (one run).", "",
             "## Through a real crawl", ""]
    lines += crawl_section(kinds, halves, records, summary, "http://127.0.0.1:PORT", elapsed)
    lines += ["", "## Markup only (JSON-LD, microdata, og:type and body classes removed)", "",
              "The structured signals decide most real pages; these stresses make the markup decide "
              "alone, as it must on the sites that publish none. Rules are developed on the aeb dev "
              "half; the held-out half checks them (benchmarks/aeb_split.py, by site).", ""]
    lines += stress_section(current, baseline, args.baseline)
    lines += ["", "## Cost", "",
              f"Classifying a page whose body is already extracted (the crawler's case): {served_ms:.2f} ms per "
              f"page as served, {forced_ms:.2f} ms with the markup path forced (structured signals removed), "
              f"against {extract_ms:.1f} ms for the body and comment extraction it reuses (aeb pages, mean; "
              "the markup only runs when the structured signals are missing or disagree)."
              + (f" The pagetype.py of {args.baseline} on the same pages: {old_ms:.2f} ms." if old_classify else "")]
    text = "\n".join(lines) + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
