"""Generate the non-article pages of news sites, for the page-classifier benchmark (deterministic).

Generic shapes seen on news and blog sites, none copied from a real page: a front page (a big lead
teaser over a teaser grid and section blocks), section pages and their page 2, tag pages with
excerpt paragraphs and a topic description, author pages with a portrait and a bio, date
archives, search results (and a search without results), a topics index, a photo gallery, a login
form and a contact page with an address and a form. Each site draws its own markup style: cards
as <article>, <li> or <div>, titles in h2/h3/h4 or a link wrapping the heading, with or without
<main>, excerpts in <p> or <div>, sidebars, newsletter boxes and cookie banners.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

WORDS = ("council budget river harbour station election museum festival market mountain coast "
         "school hospital bridge railway village library weather storm season court minister "
         "mayor police farmers workers artists students league final season record history "
         "report plan vote protest street garden energy water climate prices homes ferry "
         "airport tunnel engineers doctors nurses teachers voters river fishing forest").split()


def words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    return words(rng, low, high).capitalize() + "."


def text(rng: random.Random, low: int, high: int) -> str:
    """Sentences adding up to between `low` and `high` characters."""
    target = rng.randint(low, high)
    out = ""
    while len(out) < target:
        out += (" " if out else "") + sentence(rng)
    return out


@dataclass
class Style:
    """The markup habits of one site."""

    card_tag: str  # article | li | div
    title_tag: str  # h2 | h3 | h4, or div (a title that is not a heading)
    link_wraps_title: bool  # <a><h3>…</h3></a> rather than <h3><a>…</a></h3>
    excerpt_tag: str  # p | div
    main_tag: str  # main | div
    prefix: str  # class name prefix
    sidebar: bool
    newsletter: bool
    cookie_banner: bool

    @classmethod
    def draw(cls, rng: random.Random) -> Style:
        return cls(card_tag=rng.choice(["article", "li", "div"]),
                   title_tag=rng.choice(["h2", "h3", "h3", "h4", "div"]),
                   link_wraps_title=rng.random() < 0.3,
                   excerpt_tag=rng.choice(["p", "p", "div"]),
                   main_tag=rng.choice(["main", "div"]),
                   prefix=rng.choice(["card", "story", "teaser", "item", "post", "c-entry"]),
                   sidebar=rng.random() < 0.7, newsletter=rng.random() < 0.5,
                   cookie_banner=rng.random() < 0.5)


class SiteWriter:
    """Pages of one generated site under `base` (a URL path such as "/s3"); teasers link to
    `article_urls` (the real article pages served beside them)."""

    def __init__(self, rng: random.Random, base: str, name: str, article_urls: list[str]) -> None:
        self.rng, self.base, self.name = rng, base, name
        self.articles = article_urls
        self.style = Style.draw(rng)
        self.sections = [words(rng, 1, 1).capitalize() for _ in range(rng.randint(5, 9))]

    # --- pieces -----------------------------------------------------------------------------

    def _article(self) -> str:
        return self.rng.choice(self.articles)

    def _page_url(self) -> str:
        """One of this site's own pages (navigation, footer, topic links)."""
        return f"{self.base}/{self.rng.choice(list(PAGES)).removesuffix('index.html')}"

    def _title(self, href: str, tag: str | None = None) -> str:
        tag = tag or self.style.title_tag
        title = escape(sentence(self.rng, 5, 11).rstrip("."))
        cls = f'{self.style.prefix}__title'
        if self.style.link_wraps_title:
            return f'<a href="{href}" class="{self.style.prefix}__link"><{tag} class="{cls}">{title}</{tag}></a>'
        return f'<{tag} class="{cls}"><a href="{href}">{title}</a></{tag}>'

    def card(self, excerpt: tuple[int, int] | None = (120, 300), image: bool = True,
             tag: str | None = None) -> str:
        rng, style = self.rng, self.style
        href = self._article()
        parts = []
        if image and rng.random() < 0.7:
            parts.append(f'<a href="{href}" class="{style.prefix}__media"><img src="/img/{rng.randrange(999)}.jpg" '
                         f'alt="" width="400" height="225"></a>')
        if rng.random() < 0.4:
            parts.append(f'<span class="{style.prefix}__kicker">{escape(rng.choice(self.sections))}</span>')
        parts.append(self._title(href, tag))
        if excerpt:
            parts.append(f'<{style.excerpt_tag} class="{style.prefix}__excerpt">{escape(text(rng, *excerpt))}'
                         f'</{style.excerpt_tag}>')
        if rng.random() < 0.6:
            parts.append(f'<div class="{style.prefix}__meta"><span class="byline">By {escape(words(rng, 2, 2).title())}'
                         f'</span> <time datetime="2019-11-{rng.randint(10, 28)}T10:00:00Z">Nov {rng.randint(10, 28)}'
                         f"</time></div>")
        return f'<{style.card_tag} class="{style.prefix} {style.prefix}--{rng.choice(["small", "medium"])}">' \
               f'{"".join(parts)}</{style.card_tag}>'

    def cards(self, count: int, **options: object) -> str:
        inner = "".join(self.card(**options) for _ in range(count))  # type: ignore[arg-type]
        return f'<ul class="{self.style.prefix}-list">{inner}</ul>' if self.style.card_tag == "li" \
            else f'<div class="{self.style.prefix}-list">{inner}</div>'

    def pagination(self, current: int) -> str:
        links = "".join(f'<a href="{self._page_url()}">{n}</a> ' for n in range(1, 8) if n != current)
        return f'<nav class="pagination">{links}<a href="{self.base}/section/page/2/" rel="next">Next</a></nav>'

    def page(self, title: str, content: str, kind: str) -> str:
        rng, style = self.rng, self.style
        nav = "".join(f'<li><a href="{self._page_url()}">{s}</a></li>' for s in self.sections)
        nav += "".join(f'<li><a href="{self._page_url()}">{words(rng, 1, 2).title()}</a></li>'
                       for _ in range(rng.randint(10, 40)))
        search = ('<form class="search" action="/search/"><input type="search" name="q" placeholder="Search">'
                  '<button>Go</button></form>')
        sidebar = ""
        if style.sidebar:
            popular = "".join(f'<li><a href="{self._article()}">{escape(sentence(rng, 5, 10))}</a></li>'
                              for _ in range(rng.randint(5, 10)))
            sidebar = f'<aside class="sidebar"><h3>Most read</h3><ol>{popular}</ol></aside>'
        if style.newsletter:
            sidebar += ('<div class="newsletter"><h3>Sign up for the morning briefing</h3>'
                        f'<p>{escape(sentence(rng))}</p><form><input type="email" name="email">'
                        '<button>Subscribe</button></form></div>')
        cookie = ('<div class="cookie-banner"><p>We use cookies to improve your experience. '
                  'By using this site you agree to our policy.</p><button>Accept</button></div>'
                  if style.cookie_banner else "")
        footer = "".join(f'<a href="{self._page_url()}">{words(rng, 1, 2).title()}</a> '
                         for _ in range(rng.randint(10, 30)))
        main = style.main_tag
        return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)} | '
                f'{self.name}</title><meta name="description" content="{escape(sentence(rng))}">'
                f'<meta property="og:type" content="website"><meta property="og:site_name" content="{self.name}">'
                f'</head><body class="{kind}-page"><header class="site-header"><a class="logo" href="{self.base}/">'
                f'{self.name}</a><nav><ul>{nav}</ul></nav>{search}</header>{cookie}'
                f'<{main} class="site-main" id="content">{content}</{main}>{sidebar}'
                f'<footer class="site-footer">{footer}<p>© 2019 {self.name}</p></footer></body></html>')


def front_page(site: SiteWriter) -> str:
    rng = site.rng
    lead = site.card(excerpt=(180, 380), tag="h2")
    blocks = []
    for section in rng.sample(site.sections, rng.randint(2, 4)):
        blocks.append(f'<section class="section-block"><h2><a href="{site.base}/section/">'
                      f'{section}</a></h2>{site.cards(rng.randint(3, 6), excerpt=None)}</section>')
    grid = site.cards(rng.randint(8, 24), excerpt=rng.choice([None, (60, 140)]))
    return site.page(site.name, f'<div class="lead">{lead}</div>{grid}{"".join(blocks)}', "home")


def blog_home(site: SiteWriter) -> str:
    """A blog's home page showing whole posts, one after the other (no excerpts)."""
    rng, style = site.rng, site.style
    posts = []
    for _ in range(rng.randint(3, 8)):
        paragraphs = "".join(f"<p>{escape(text(rng, 200, 600))}</p>" for _ in range(rng.randint(3, 9)))
        tag = "article" if style.card_tag == "article" else "div"
        posts.append(f'<{tag} class="{style.prefix} {style.prefix}--full">{site._title(site._article(), "h2")}'
                     f'<div class="{style.prefix}__meta"><time datetime="2019-11-20">Nov 20</time></div>'
                     f'<div class="{style.prefix}__content">{paragraphs}</div></{tag}>')
    return site.page(site.name, "".join(posts) + site.pagination(1), "blog")


def section_page(site: SiteWriter, number: int = 1) -> str:
    rng = site.rng
    section = rng.choice(site.sections)
    heading = f"<h1>{section}</h1>" + (f"<p class='section-intro'>{escape(sentence(rng))}</p>"
                                      if rng.random() < 0.4 else "")
    if number > 1:
        heading += f"<p class='page-count'>Page {number} of {rng.randint(number, 40)}</p>"
    body = site.cards(rng.randint(10, 20), excerpt=(100, 260)) + site.pagination(number)
    return site.page(section, heading + body, "section")


def tag_page(site: SiteWriter) -> str:
    rng = site.rng
    tag = words(rng, 1, 2).title()
    intro = f"<div class='topic-description'><p>{escape(text(rng, 100, 420))}</p></div>" \
        if rng.random() < 0.6 else ""
    body = site.cards(rng.randint(6, 15), excerpt=(150, 320), image=rng.random() < 0.5)
    return site.page(tag, f"<h1>{rng.choice(['Tag: ', 'Topic: ', ''])}{tag}</h1>{intro}{body}"
                     + site.pagination(1), "tag")


def author_page(site: SiteWriter) -> str:
    rng = site.rng
    name = words(rng, 2, 2).title()
    bio = "".join(f"<p>{escape(text(rng, 150, 400))}</p>" for _ in range(rng.randint(1, 2)))
    social = ('<ul class="social"><li><a href="https://x.test/a">X</a></li>'
              '<li><a href="mailto:a@b.test">Email</a></li></ul>')
    profile = (f'<div class="author-profile"><img src="/img/author.jpg" alt="{name}" width="120">'
               f'<h1>{name}</h1><p class="role">{escape(words(rng, 2, 4).title())}</p>{bio}{social}</div>')
    latest = f"<h2>Latest from {name}</h2>" + site.cards(rng.randint(5, 15),
                                                      excerpt=rng.choice([None, (100, 260)]))
    return site.page(name, profile + latest + site.pagination(1), "author")


def date_archive(site: SiteWriter) -> str:
    rng = site.rng
    days = "".join(f"<h2 class='day'>November {day}, 2019</h2>" + site.cards(rng.randint(2, 5), excerpt=(80, 200))
                   for day in sorted(rng.sample(range(1, 29), rng.randint(3, 6)), reverse=True))
    return site.page("November 2019", f"<h1>Archive: November 2019</h1>{days}", "archive")


def search_page(site: SiteWriter, results: bool = True) -> str:
    rng = site.rng
    query = words(rng, 1, 2)
    form = (f'<form class="search-form" action="/search/"><input type="search" name="q" value="{query}">'
            f'<button>Search</button></form>')
    if not results:
        note = (f"<p>Sorry, no results matched “{escape(query)}”. Check the spelling or try "
                "different keywords.</p>")
        return site.page("Search", f"<h1>Search results for “{escape(query)}”</h1>{form}{note}", "search")
    items = []
    for _ in range(rng.randint(8, 20)):
        href = site.rng.choice(site.articles)
        items.append(f'<li class="result"><h3><a href="{href}">{escape(sentence(rng, 5, 10))}</a></h3>'
                     f'<p class="snippet">{escape(text(rng, 120, 260))}</p><cite>{href}</cite></li>')
    return site.page("Search", f"<h1>Search results for “{escape(query)}”</h1>{form}"
                     f"<p>{len(items) * 7} results</p><ol class='results'>{''.join(items)}</ol>"
                     + site.pagination(1), "search")


def topics_index(site: SiteWriter) -> str:
    rng = site.rng
    groups = "".join(f"<h2>{letter}</h2><ul>" + "".join(
        f'<li><a href="{site._page_url()}">{words(rng, 1, 3).title()}</a></li>'
        for _ in range(rng.randint(3, 12))) + "</ul>" for letter in "ABCDEFGHKLMPRSTW")
    return site.page("Topics A-Z", f"<h1>Topics A–Z</h1>{groups}", "topics")


def gallery_page(site: SiteWriter) -> str:
    rng = site.rng
    figures = "".join(
        f'<figure class="gallery-item"><a href="/img/{rng.randrange(999)}-large.jpg">'
        f'<img src="/img/{rng.randrange(999)}.jpg" '
        f'alt="{escape(words(rng, 3, 6))}"></a><figcaption>{escape(text(rng, 30, 130))}</figcaption></figure>'
        for _ in range(rng.randint(12, 36)))
    credit = "<p class='credit'>Photos: staff photographers</p>" if rng.random() < 0.5 else ""
    return site.page("Photos", f"<h1>In pictures: {escape(words(rng, 2, 5))}</h1>{credit}"
                     f"<div class='gallery'>{figures}</div>", "gallery")


def login_page(site: SiteWriter) -> str:
    form = ('<form class="login" method="post" action="/login/"><label>Email <input type="email" name="email">'
            '</label><label>Password <input type="password" name="password"></label>'
            '<label><input type="checkbox" name="remember"> Keep me signed in</label><button>Sign in</button></form>'
            '<p><a href="/login/forgot/">Forgot your password?</a> · <a href="/register/">Create an account</a></p>')
    intro = f"<p>{escape(sentence(site.rng))}</p>" if site.rng.random() < 0.5 else ""
    return site.page("Sign in", f"<h1>Sign in</h1>{intro}{form}", "login")


def contact_page(site: SiteWriter) -> str:
    rng = site.rng
    address = (f"<address>{site.name}<br>{rng.randint(1, 300)} {words(rng, 1, 2).title()} Street<br>"
               f"{rng.randint(10000, 99999)} {words(rng, 1, 1).title()}<br>Phone: +1 555 {rng.randint(1000, 9999)}"
               f"<br>Email: <a href='mailto:news@site.test'>news@site.test</a></address>")
    intro = f"<p>{escape(text(rng, 60, 260))}</p>"
    form = ('<form class="contact" method="post"><input type="text" name="name" placeholder="Name">'
            '<input type="email" name="email" placeholder="Email"><input type="text" name="subject">'
            '<textarea name="message"></textarea><button>Send</button></form>')
    return site.page("Contact us", f"<h1>Contact us</h1>{intro}{address}<h2>Send us a message</h2>{form}", "contact")


PAGES: dict[str, Callable[[SiteWriter], str]] = {
    "index.html": front_page,
    "blog/index.html": blog_home,
    "section/index.html": section_page,
    "section/page/2/index.html": lambda site: section_page(site, 2),
    "tag/index.html": tag_page,
    "tag/two/index.html": tag_page,
    "author/index.html": author_page,
    "archive/2019/11/index.html": date_archive,
    "search/index.html": search_page,
    "search/none/index.html": lambda site: search_page(site, results=False),
    "topics/index.html": topics_index,
    "gallery/index.html": gallery_page,
    "members/index.html": login_page,  # not /login/: the link policy never follows that
    "contact/index.html": contact_page,
}


def generate_sites(sites: int, article_urls: list[str], seed: int = 17) -> dict[str, str]:
    """{URL path: HTML} for `sites` sites of the shapes above, under /s0/, /s1/, ...; the paths end
    in index.html (a static server answers /s0/tag/ with /s0/tag/index.html)."""
    rng = random.Random(seed)
    pages: dict[str, str] = {}
    for number in range(sites):
        site = SiteWriter(rng, f"/s{number}", f"The {words(rng, 1, 1).title()} Herald", article_urls)
        for path, build in PAGES.items():
            pages[f"{site.base}/{path}"] = build(site)
    return pages
