"""Generate a local site of realistic article pages for crawl benchmarks (deterministic).

Pages look like news/blog articles of real size (~100-200 KB): a heavy <head> with inline CSS and
JS, a navigation of ~100 links, the article (paragraphs, headings, figures with srcset, a video
embed), a nested WordPress-style comment thread, related links, newsletter box and footer.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

WORDS = ("archive harbour train river night morning city council bridge engineer station border "
         "valley notebook reader comment thread record history language weather market season "
         "village museum library festival election journey mountain coast letter garden").split()


def sentence(rng: random.Random, n: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(3, 7)))


def comment_html(rng: random.Random, page: int, cid: int, depth: int, url: str) -> tuple[str, int]:
    kids, next_id = "", cid + 1
    if depth < 4 and rng.random() < 0.35:
        parts = []
        for _ in range(rng.randint(1, 2)):
            html, next_id = comment_html(rng, page, next_id, depth + 1, url)
            parts.append(html)
        kids = f'<ol class="children">{"".join(parts)}</ol>'
    html = (
        f'<li id="comment-{cid}" class="comment depth-{depth}"><article id="div-comment-{cid}" class="comment-body">'
        f'<footer class="comment-meta"><div class="comment-author vcard">'
        f'<img alt="" src="/avatars/{cid % 50}.png" class="avatar avatar-60 photo" height="60" width="60">'
        f'<b class="fn">Reader {cid % 97}</b> <span class="says">says:</span></div>'
        f'<div class="comment-metadata"><a href="{url}#comment-{cid}">'
        f'<time datetime="2024-0{1 + cid % 9}-1{cid % 9}T10:{cid % 60:02d}:00+00:00">'
        f"January {1 + cid % 28}, 2024 at 10:{cid % 60:02d} am</time></a></div></footer>"
        f'<div class="comment-content"><p>{sentence(rng, rng.randint(10, 40))}</p></div>'
        f'<div class="reply"><a class="comment-reply-link" href="{url}?replytocom={cid}#respond">Reply</a></div>'
        f"</article>{kids}</li>"
    )
    return html, next_id


def article_page(rng: random.Random, number: int, total: int) -> str:
    url = f"/articles/{number}/"
    nav = "".join(f'<li><a href="/section/{i}/">Section {i}</a></li>' for i in range(100))
    css = "".join(f".c{i}{{margin:{i}px;padding:{i % 7}px;color:#{i:06x}}}" for i in range(1500))
    js = "var config = " + repr({f"k{i}": "v" * 20 for i in range(800)}) + ";"
    body = []
    for index in range(rng.randint(8, 18)):
        if index % 5 == 2:
            body.append(f"<h2>{sentence(rng, 5)}</h2>")
        if index % 6 == 3:
            body.append(
                f'<figure><img src="/media/{number}-{index}.jpg" srcset="/media/{number}-{index}-600.jpg 600w, '
                f'/media/{number}-{index}-1200.jpg 1200w" sizes="100vw" alt="{sentence(rng, 4)}" width="1200" '
                f'height="800"><figcaption>{sentence(rng, 8)}</figcaption></figure>')
        body.append(f"<p>{paragraph(rng)}</p>")
    body.append('<iframe src="https://www.youtube.com/embed/abc123" width="560" height="315"></iframe>')
    comments, cid = [], number * 1000
    for _ in range(rng.randint(5, 25)):
        html, cid = comment_html(rng, number, cid, 1, url)
        comments.append(html)
    related = "".join(
        f'<li><a href="/articles/{rng.randrange(total)}/">{sentence(rng, 6)}</a></li>' for _ in range(12))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{sentence(rng, 7)} | Bench Times</title>
<meta property="og:type" content="article"><meta property="og:site_name" content="Bench Times">
<meta property="og:image" content="/media/{number}-lead.jpg">
<meta property="article:published_time" content="2024-01-{1 + number % 28:02d}T08:00:00+00:00">
<link rel="canonical" href="{url}">
<style>{css}</style><script>{js}</script></head>
<body class="single single-post postid-{number}">
<header><a href="/">Bench Times</a><nav><ul>{nav}</ul></nav></header>
<div class="cookie-notice">We use cookies. <button>OK</button></div>
<main><article class="post hentry"><h1 class="entry-title">{sentence(rng, 8)}</h1>
<p class="byline">By <a rel="author" href="/author/{number % 20}/">Author {number % 20}</a></p>
<div class="entry-content">{"".join(body)}</div></article>
<aside class="related"><h3>Related</h3><ul>{related}</ul></aside>
<div class="newsletter"><h3>Newsletter</h3><p>Sign up for our daily briefing.</p></div>
<div id="comments" class="comments-area"><h2 class="comments-title">{cid - number * 1000} comments</h2>
<ol class="comment-list">{"".join(comments)}</ol>
<div id="respond"><form id="commentform"><textarea></textarea></form></div></div></main>
<footer>{"".join(f'<a href="/page/{i}/">Footer link {i}</a> ' for i in range(60))}</footer>
</body></html>"""


def generate(root: Path, pages: int, seed: int = 1) -> int:
    """Write `pages` article pages plus an index linking to all of them; returns total bytes."""
    rng = random.Random(seed)
    total = 0
    for number in range(pages):
        folder = root / "articles" / str(number)
        folder.mkdir(parents=True, exist_ok=True)
        html = article_page(rng, number, pages)
        (folder / "index.html").write_text(html, encoding="utf-8")
        total += len(html.encode())
    links = "".join(f'<li><a href="/articles/{n}/">Article {n}</a></li>' for n in range(pages))
    (root / "index.html").write_text(
        f'<!DOCTYPE html><html><head><title>Bench Times</title></head><body class="home">'
        f"<ul>{links}</ul></body></html>", encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    return total


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("--pages", type=int, default=2000)
    args = parser.parse_args()
    size = generate(args.root, args.pages)
    print(f"{args.pages} pages, {size / args.pages / 1024:.0f} KB/page average")
