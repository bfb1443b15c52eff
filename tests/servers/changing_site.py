"""A small WordPress-like site written into a folder, changed between crawls, served on 127.0.0.1.

Tests of incremental runs (and benchmarks/incremental.py) write articles with comment threads,
a home page, a sitemap, a feed and robots.txt, crawl, then edit the site (new article, new
comment, edited body, deleted page) and crawl again. The server can answer conditional requests
(ETag / Last-Modified → 304) and can call a hook on every request (to kill a crawl mid-way).
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path

from archiver.demo.server import SiteHandler, resolve, serve


@dataclass
class Comment:
    id: int
    author: str
    published: str  # ISO 8601
    text: str
    parent: int | None = None


@dataclass
class Article:
    slug: str
    title: str
    published: str  # ISO 8601 with offset
    paragraphs: list[str]
    comments: list[Comment] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"/posts/{self.slug}/"


def _comment_html(comment: Comment, children: list[Comment], all_comments: list[Comment], depth: int) -> str:
    nested = "".join(
        _comment_html(c, [x for x in all_comments if x.parent == c.id], all_comments, depth + 1)
        for c in children)
    kids = f'<ol class="children">{nested}</ol>' if nested else ""
    return (
        f'<li id="comment-{comment.id}" class="comment depth-{depth}">'
        f'<div class="wp-block-comment-author-name">{html.escape(comment.author)}</div>'
        f'<div class="wp-block-comment-date"><time datetime="{comment.published}">'
        f'<a href="#comment-{comment.id}">{comment.published}</a></time></div>'
        f'<div class="wp-block-comment-content"><p>{html.escape(comment.text)}</p></div>{kids}</li>')


def article_html(article: Article) -> str:
    top = [c for c in article.comments if c.parent is None]
    thread = "".join(
        _comment_html(c, [x for x in article.comments if x.parent == c.id], article.comments, 1) for c in top)
    body = "".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
    count = len(article.comments)
    return f"""<!DOCTYPE html>
<html lang="en-US"><head><meta charset="UTF-8">
<title>{html.escape(article.title)} &#8211; Changing Times</title>
<link rel="canonical" href="{article.path}">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{article.published}">
</head>
<body class="post-template-default single single-post wp-embed-responsive">
<div class="wp-site-blocks">
<header class="wp-block-template-part"><p class="wp-block-site-title"><a href="/">Changing Times</a></p></header>
<main class="wp-block-group">
<h1 class="wp-block-post-title">{html.escape(article.title)}</h1>
<div class="wp-block-post-date"><time datetime="{article.published}">{article.published[:10]}</time></div>
<div class="entry-content wp-block-post-content">{body}</div>
<div class="wp-block-comments">
<h2 class="wp-block-comments-title">{count} responses to &#8220;{html.escape(article.title)}&#8221;</h2>
<ol class="wp-block-comment-template">{thread}</ol>
</div>
</main></div></body></html>
"""


def paragraphs(seed: str, count: int = 4) -> list[str]:
    """Deterministic filler text long enough to read as an article body."""
    words = ("harbour archive ferry notebook quay forecast knot memory morning tide lantern "
             "ledger rope gull mast chart compass weather keeper signal").split()
    out = []
    for index in range(count):
        digest = hashlib.sha1(f"{seed}-{index}".encode()).digest()
        sentence = " ".join(words[b % len(words)] for b in digest)
        out.append(f"{seed.capitalize()} paragraph {index + 1}: {sentence}. " * 3)
    return out


class ChangingSite:
    """The site's articles, written to `root` by `write()`."""

    def __init__(self, root: Path, articles: list[Article] | None = None) -> None:
        self.root = root
        self.articles: dict[str, Article] = {a.slug: a for a in articles or []}

    def add(self, article: Article) -> None:
        self.articles[article.slug] = article

    def delete(self, slug: str) -> None:
        del self.articles[slug]
        page = self.root / "posts" / slug / "index.html"
        if page.exists():
            page.unlink()

    def write(self, *, listing_size: int = 50) -> None:
        """(Re)write every file; unchanged articles keep identical bytes."""
        for article in self.articles.values():
            page = self.root / article.path.strip("/") / "index.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            text = article_html(article)
            if not page.exists() or page.read_text(encoding="utf-8") != text:
                page.write_text(text, encoding="utf-8")
        slugs = sorted(self.articles)
        pages = [slugs[i:i + listing_size] for i in range(0, len(slugs), listing_size)] or [[]]
        for number, chunk in enumerate(pages, start=1):
            links = "".join(f'<article class="teaser"><h2><a href="{self.articles[s].path}">'
                            f"{html.escape(self.articles[s].title)}</a></h2></article>" for s in chunk)
            more = f'<a href="/page/{number + 1}/">Older posts</a>' if number < len(pages) else ""
            target = self.root / "index.html" if number == 1 else self.root / "page" / str(number) / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(
                f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Changing Times</title>'
                f'<meta property="og:type" content="website"></head><body class="home blog">'
                f"<main>{links}</main><nav>{more}</nav></body></html>", encoding="utf-8")
        urls = "".join(f"<url><loc>{{{{BASE}}}}{self.articles[s].path}</loc></url>" for s in slugs)
        (self.root / "sitemap.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>', encoding="utf-8")
        (self.root / "robots.txt").write_text("User-agent: *\nSitemap: {{BASE}}/sitemap.xml\n", encoding="utf-8")


class ValidatingHandler(SiteHandler):
    """SiteHandler plus ETag / Last-Modified (and 304s) when `validators`; a per-request hook."""

    validators = True
    on_request: Callable[[str], None] | None = None

    def _respond(self, send_body: bool) -> None:
        if self.on_request is not None:
            self.on_request(self.path)
        path = resolve(self.root.resolve(), self.path)
        if not self.validators or path is None or path.suffix != ".html":
            super()._respond(send_body)
            return
        body = path.read_bytes()
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", formatdate(path.stat().st_mtime, usegmt=True))
        self.end_headers()
        if send_body:
            self.wfile.write(body)


@contextmanager
def serve_site(root: Path, *, validators: bool = True, port: int = 0,
               on_request: Callable[[str], None] | None = None) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 (`port`, 0 = any free one); yields the base URL."""
    with serve(root, port, ValidatingHandler, validators=validators,
               on_request=staticmethod(on_request) if on_request else None) as base_url:
        yield base_url
