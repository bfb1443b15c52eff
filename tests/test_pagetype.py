"""The page classifier on small hand-written pages, one per pattern of real article and listing pages.

Each article case is a reason real articles were lost before (no <h1>, text in divs, listing body
classes on a single post, <article> elements for related posts and comments, a short brief, a
video box with a linked title at the top of the text); each listing case a shape of news sites.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.crawl.extraction_pool import portable_analysis
from archiver.extract import analyze_page, extract_page, sites
from archiver.extract.document import Document
from archiver.extract.pageshape import _site
from archiver.extract.pagetype import (
    REASON_FORM,
    REASON_LABELLED_LIST,
    REASON_LISTING_CLASS,
    REASON_NO_TEXT,
    REASON_TEASER_EXCERPT,
    REASON_TEASER_LIST,
    PageType,
    classify_page,
)

URL = "https://news.example/2024/05/harbour-bridge-reopens/"
SENTENCE = ("The harbour bridge reopened on Monday after eight months of repairs, and the first "
            "buses crossed it before dawn while engineers watched from the railings. ")


def prose(chars: int) -> str:
    return (SENTENCE * (chars // len(SENTENCE) + 1))[:chars].rsplit(" ", 1)[0] + "."


def page(body: str, head: str = "", body_class: str = "") -> str:
    chrome = ('<header><a href="/">News Example</a><nav><ul>' +
              "".join(f'<li><a href="/section/{n}/">Section {n}</a></li>' for n in range(12)) +
              "</ul></nav></header>")
    footer = "<footer>" + "".join(f'<a href="/about/{n}/">About {n}</a> ' for n in range(8)) + "</footer>"
    return (f"<!DOCTYPE html><html><head><title>Page | News Example</title>{head}</head>"
            f'<body class="{body_class}">{chrome}<main>{body}</main>{footer}</body></html>')


def kind_of(html: str, url: str = URL) -> PageType:
    return classify_page(Document.from_html(html, url))


def paragraphs(count: int, chars: int = 300, tag: str = "p") -> str:
    return "".join(f"<{tag}>{prose(chars)}</{tag}>" for _ in range(count))


def teaser(number: int, excerpt: int = 200, title_tag: str = "h2", card: str = "article") -> str:
    text = f"<p>{prose(excerpt)}</p>" if excerpt else ""
    return (f'<{card} class="teaser"><a href="/2024/05/story-{number}/"><img src="/i/{number}.jpg"></a>'
            f'<{title_tag}><a href="/2024/05/story-{number}/">Story number {number} about the council vote</a>'
            f"</{title_tag}>{text}<time datetime=\"2024-05-0{number % 9 + 1}\">May</time></{card}>")


# --- articles --------------------------------------------------------------------------------


def test_headline_in_h2_and_no_structured_data() -> None:
    html = page(f"<article><h2>Harbour bridge reopens after repairs</h2>{paragraphs(5)}</article>")
    assert kind_of(html).is_article


def test_text_in_divs_not_paragraphs() -> None:
    html = page(f"<h1>Harbour bridge reopens</h1><div class='story'>{paragraphs(4, tag='div')}</div>")
    assert kind_of(html).is_article


def test_short_brief_under_a_headline() -> None:
    html = page(f"<h1>Harbour bridge reopens after eight months</h1><div class='brief'><p>{prose(380)}</p></div>")
    assert kind_of(html).is_article


def test_listing_body_class_on_a_single_post_with_long_text() -> None:
    html = page(f"<article><h1>Harbour bridge reopens</h1>{paragraphs(6)}</article>", body_class="blog")
    assert kind_of(html).is_article


def test_listing_body_class_with_article_structured_data_and_article_markup() -> None:
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x"}</script>'
    html = page(f"<article><h1>Harbour bridge reopens</h1>{paragraphs(2)}</article>", head=ld,
                body_class="archive")
    assert kind_of(html).is_article


def test_related_posts_and_comments_as_article_elements() -> None:
    related = "".join(teaser(n, excerpt=150, title_tag="h3") for n in range(6))
    comments = "".join(f'<article class="comment"><p>{prose(120)}</p></article>' for _ in range(12))
    html = page(f"<article><h1>Harbour bridge reopens</h1>{paragraphs(4)}</article>"
                f"<section class='related'><h2>More stories</h2>{related}</section>"
                f"<section id='comments'>{comments}</section>")
    assert kind_of(html).is_article


def test_video_box_with_linked_title_at_the_top_of_a_short_text() -> None:
    video = ('<div class="video"><div class="player"><img src="/v.jpg"></div><div class="caption">'
             '<h4><a href="/video/123/">Watch: the bridge reopening in ninety seconds</a></h4>'
             "<p>Drone footage of the first buses crossing.</p></div></div>")
    html = page(f"<h1>Harbour bridge reopens</h1><div class='article-body'>{video}{paragraphs(2)}</div>")
    assert kind_of(html).is_article


def test_headline_linking_to_itself_is_not_a_teaser() -> None:
    html = page(f'<article><header><h2><a href="{URL}">Harbour bridge reopens</a></h2></header>'
                f"<div class='entry'><p>{prose(500)}</p></div></article>")
    assert kind_of(html).is_article


def test_heading_linking_home_is_the_site_name_not_a_teaser() -> None:
    html = page(f'<div class="site"><h2><a href="https://news.example/">News Example</a></h2>'
                f"<h2>Harbour bridge reopens</h2><div class='entry'><p>{prose(500)}</p></div></div>")
    assert kind_of(html).is_article


def test_link_to_another_site_standing_alone_is_not_a_teaser_title() -> None:
    html = page("<h1>Swim results</h1><div class='story'><div><a href='https://results.example/x'>Click for "
                f"the full state swim results</a></div><div>{prose(420)}</div></div>")
    assert kind_of(html).is_article


def test_structured_article_decides_without_markup() -> None:
    html = page("<p>Loading…</p>", head='<meta property="og:type" content="article">')
    assert kind_of(html) == PageType("article", "og:type article")


# --- listings and other pages ----------------------------------------------------------------


def test_teaser_list_with_excerpts() -> None:
    html = page("<h1>Politics</h1><div class='list'>" + "".join(teaser(n) for n in range(8)) + "</div>")
    assert kind_of(html) == PageType("listing", REASON_TEASER_LIST)


def test_single_teaser_archive_is_a_listing() -> None:
    html = page("<h1>Tag: bridges</h1>" + teaser(1, excerpt=320))
    assert kind_of(html) == PageType("listing", REASON_TEASER_EXCERPT)


def test_front_page_with_lead_teaser_and_grid() -> None:
    lead = teaser(0, excerpt=350, title_tag="h2")
    grid = "".join(teaser(n, excerpt=0, title_tag="h3", card="div") for n in range(1, 16))
    assert not kind_of(page(f"<div class='lead'>{lead}</div><div class='grid'>{grid}</div>")).is_article


def test_author_page_with_bio_over_headline_only_teasers() -> None:
    teasers = "".join(teaser(n, excerpt=0, title_tag="h3", card="li") for n in range(8))
    html = page(f"<div class='profile'><h1>Jane Doe</h1><p>{prose(420)}</p><h2>Latest</h2>"
                f"<ul>{teasers}</ul></div>")
    assert kind_of(html) == PageType("listing", REASON_LABELLED_LIST)


def test_teasers_whose_titles_are_not_headings() -> None:
    cards = "".join(f'<div class="card"><div class="card-title"><a href="/2024/05/s-{n}/">Story number {n} '
                    f'about the council vote</a></div><div class="dek">{prose(180)}</div></div>'
                    for n in range(10))
    assert not kind_of(page(f"<h1>Latest news</h1><div class='cards'>{cards}</div>")).is_article


def test_blog_home_page_of_whole_posts() -> None:
    posts = "".join(f'<article><h2><a href="/2024/05/post-{n}/">Post number {n} about the harbour</a></h2>'
                    f"<div class='content'>{paragraphs(5)}</div></article>" for n in range(4))
    assert kind_of(page(posts)).kind == "listing"


def test_search_results_and_search_without_results() -> None:
    results = "".join(f'<li><h3><a href="/2024/05/s-{n}/">Result number {n} about the vote</a></h3>'
                      f"<p>{prose(160)}</p></li>" for n in range(10))
    form = '<form action="/search/"><input type="search" name="q"><button>Go</button></form>'
    assert kind_of(page(f"<h1>Search results for “vote”</h1>{form}<ol>{results}</ol>")).kind == "listing"
    empty = page(f"<h1>Search results for “xyz”</h1>{form}<p>Sorry, nothing matched your search.</p>")
    assert kind_of(empty) == PageType("other", REASON_NO_TEXT)


def test_login_and_contact_forms() -> None:
    login = page('<h1>Sign in</h1><form method="post"><input type="email" name="e">'
                 '<input type="password" name="p"><button>Sign in</button></form>')
    assert kind_of(login) == PageType("other", REASON_FORM)
    contact = page(f"<h1>Contact us</h1><p>{prose(200)}</p><address>News Example<br>1 Harbour Street<br>"
                   "Phone 555 0100</address><form><input name='name'><input type='email' name='email'>"
                   "<textarea name='message'></textarea><button>Send</button></form>")
    assert kind_of(contact) == PageType("other", REASON_FORM)


def test_comment_form_does_not_make_an_article_a_form_page() -> None:
    form = ('<div id="respond"><form id="commentform"><input name="author"><input type="email" name="email">'
            "<textarea name='comment'></textarea></form></div>")
    assert kind_of(page(f"<h1>Harbour bridge reopens</h1><div><p>{prose(450)}</p></div>{form}")).is_article


def test_gallery_of_captioned_pictures() -> None:
    figures = "".join(f'<figure><a href="/p/{n}.jpg"><img src="/p/{n}-s.jpg"></a><figcaption>{prose(110)}'
                      "</figcaption></figure>" for n in range(20))
    assert kind_of(page(f"<h1>In pictures: the bridge</h1><div class='gallery'>{figures}</div>")).kind == "other"


def test_listing_body_class_decides_a_listing() -> None:
    html = page("<h1>Category: Science</h1>" + "".join(teaser(n) for n in range(3)), body_class="archive category")
    assert kind_of(html) == PageType("listing", REASON_LISTING_CLASS)


def test_many_microdata_article_items_are_teasers() -> None:
    items = "".join(teaser(n).replace('<article class="teaser">',
                                      '<article class="teaser" itemscope itemtype="https://schema.org/BlogPosting">')
                    for n in range(6))
    assert kind_of(page(f"<h1>Blog</h1><div>{items}</div>")).kind == "listing"
    single = page('<article itemscope itemtype="https://schema.org/BlogPosting"><h1>Harbour bridge</h1>'
                  f"<p>{prose(150)}</p></article>")
    assert kind_of(single).is_article


# --- the record and the crawl hints ----------------------------------------------------------


def test_analyze_page_classifies_and_extract_page_leaves_page_type_null() -> None:
    html = page(f"<h1>Harbour bridge reopens</h1><div><p>{prose(600)}</p></div>")
    analysis = analyze_page(html, URL)
    assert analysis.page_type.is_article
    assert analysis.record["page_type"] is None  # set by the spider for classified pages
    assert extract_page(html, URL)["page_type"] is None


def test_analyze_page_without_classify_does_not_classify(monkeypatch: pytest.MonkeyPatch) -> None:
    html = page(f"<h1>Harbour bridge reopens</h1><div><p>{prose(600)}</p></div>")

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("classified a page nobody asked about")

    monkeypatch.setattr("archiver.extract.classify_page", refuse)
    analysis = analyze_page(html, URL, classify=False)
    assert analysis.page_type is None
    assert analysis.record == extract_page(html, URL)
    assert portable_analysis(html, URL, classify=False).page_type is None


@settings(max_examples=200)
@given(st.lists(st.sampled_from(["<h1>", "</h1>", "<h2><a href='/x/'>", "</a></h2>", "<p>", "</p>",
                                 "<article>", "</article>", "<div>", "</div>", "<form><input><textarea>",
                                 "words and more words ", "<a href='/y/'>a link title of words</a>",
                                 '<script type="application/ld+json">{"@type": ["NewsArticle"', "}</script>"]),
                max_size=60))
def test_never_raises_and_answers_a_known_kind(parts: list[str]) -> None:
    result = kind_of("<html><body>" + "".join(parts) + "</body></html>")
    assert result.kind in ("article", "listing", "other") and result.reason


def test_record_schema_allows_every_kind_and_null() -> None:
    from archiver.schema import record_errors

    record = extract_page(page(f"<h1>x</h1><p>{prose(300)}</p>"), URL)
    for kind in ("article", "listing", "other", None):
        assert not [e for e in record_errors({**record, "page_type": kind}) if "page_type" in e]
    assert [e for e in record_errors({**record, "page_type": "teaser"}) if "page_type" in e]
    json.dumps(record)


@pytest.mark.parametrize("value", ["all", "ALL", "articles"])
def test_keep_argument(value: str) -> None:
    from archiver.crawl.inputs import parse_inputs

    assert parse_inputs({"site": "https://a.test/", "keep": value}).keep == value.lower()


def test_keep_argument_rejects_other_values() -> None:
    from archiver.crawl.inputs import InputError, parse_inputs

    with pytest.raises(InputError, match="keep: expected one of articles, all"):
        parse_inputs({"site": "https://a.test/", "keep": "some"})


def test_typed_record_reads_page_type_and_round_trips_with_and_without_it() -> None:
    from archiver import load
    from tests.archive_kit import record

    with_type = record("https://a.test/x", "2024-05-01T08:00:00Z", page_type="listing")
    typed = load.Record.from_dict(with_type)
    assert typed.page_type == "listing" and typed.to_dict() == with_type
    older = record("https://a.test/y", "2024-05-01T08:00:00Z")  # an archive written before the key
    assert load.Record.from_dict(older).page_type is None
    assert load.Record.from_dict(older).to_dict() == older


def test_author_page_whose_name_is_in_h2() -> None:
    teasers = "".join(teaser(n, excerpt=0, title_tag="h3", card="li") for n in range(8))
    html = page(f"<div class='profile'><h2>Jane Doe</h2><p>{prose(420)}</p><ul>{teasers}</ul></div>")
    assert kind_of(html) == PageType("listing", REASON_LABELLED_LIST)


def test_distributed_summaries_merge_their_rejected_lists_and_reason_counts() -> None:
    from archiver.distributed.summary_merge import merge

    def part(url: str) -> dict[str, object]:
        return {"start": "2024-05-01T00:00:00+00:00", "end": "2024-05-01T00:01:00+00:00",
                "finish_reason": "finished", "stats": {"archiver/records_written": 1},
                "counts": {"records": 1, "page_types": {"listing": 1},
                           "page_type_reasons": {"listing: text block is a list of teasers": 1}},
                "page_type_rejected": [{"url": url, "page_type": "listing", "reason": "x"}]}

    merged = merge([part("https://a.test/1"), part("https://a.test/2")], [], {})
    assert [p["url"] for p in merged["page_type_rejected"]] == ["https://a.test/1", "https://a.test/2"]
    assert merged["counts"]["page_type_reasons"] == {"listing: text block is a list of teasers": 2}


def test_link_post_whose_title_links_to_another_site() -> None:
    html = page('<article class="linkpost"><h2><a href="https://elsewhere.example/report">The harbour '
                f"report everyone is quoting</a></h2><div class='entry'><p>{prose(420)}</p></div></article>")
    assert kind_of(html).is_article


def test_teasers_on_a_subdomain_of_the_site_are_teasers() -> None:
    cards = "".join(f'<article><h3><a href="https://www.news.example/2024/05/s-{n}/">Story number {n} about '
                    f"the vote</a></h3><p>{prose(200)}</p></article>" for n in range(8))
    assert kind_of(page(f"<h1>Politics</h1><div>{cards}</div>"), "https://m.news.example/politics/").kind == "listing"


def _related_box(cards: int, typed_as: str) -> str:
    """An aside of related-story cards, each a microdata item (`typed_as` "microdata") or plain."""
    scope = ' itemscope itemtype="https://schema.org/NewsArticle"' if typed_as == "microdata" else ""
    return "<aside class='related'><h2>Related</h2>" + "".join(
        f'<div class="card"{scope}><a itemprop="url" href="/2024/05/related-{n}/"><span itemprop="headline">'
        f"Related story number {n} about the ferry timetable</span></a></div>" for n in range(cards)) + "</aside>"


def _news_ld(url: str, headline: str) -> str:
    obj = {"@context": "https://schema.org", "@type": "NewsArticle", "url": url, "headline": headline}
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def test_short_brief_with_related_story_items_in_an_aside() -> None:
    brief = f"<h1>Harbour bridge reopens after eight months</h1><p>{prose(520)}</p>"
    with_microdata = page(f"<article>{brief}</article>{_related_box(3, 'microdata')}")
    assert kind_of(with_microdata).is_article
    related_ld = "".join(_news_ld(f"https://news.example/2024/05/related-{n}/", f"Related {n}") for n in range(3))
    with_json_ld = page(f"<article>{brief}</article>{_related_box(3, 'plain')}",
                        head=_news_ld(URL, "Harbour bridge reopens") + related_ld)
    assert kind_of(with_json_ld).is_article


def test_microdata_listing_of_headline_only_cards_stays_a_listing() -> None:
    cards = "".join(teaser(n, excerpt=0).replace('<article class="teaser">',
                                                 '<article class="teaser" itemscope itemtype="https://schema.org/NewsArticle">')
                    for n in range(5))
    assert kind_of(page(f"<h1>Latest news from the harbour</h1><div>{cards}</div>")).kind == "listing"


@pytest.mark.parametrize(("first", "second", "same_site"), [
    ("sport.orf.at/stories/1", "orf.at", True),
    ("m.zdf.de/nachrichten", "www.zdf.de", True),
    ("news.bbc.co.uk/1", "bbc.co.uk", True),
    ("a.github.io/post", "b.github.io", False),
    ("m.news.example/politics", "news.example", True),  # a suffix the list does not know
    ("127.0.0.1:8080/a", "127.0.0.2", False),
])
def test_site_is_the_registrable_domain(first: str, second: str, same_site: bool) -> None:
    assert (_site(first) == _site(second)) is same_site


def test_public_suffix_list_is_read_without_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the public suffix list went to the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    extractor = sites.tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None,
                                            include_psl_private_domains=True)
    assert extractor("sport.orf.at").top_domain_under_public_suffix == "orf.at"


@pytest.mark.parametrize("bad_href", ["http://[broken", "javascript://[x", "https://[::1"])
def test_an_unparsable_link_costs_the_page_nothing(bad_href: str) -> None:
    """urljoin raises on these: a heading link, a headline link, canonical and og:url holding one
    must leave the verdict as it is without them (the page used to fail extraction and lose its record)."""
    clean = page("<h1>The headline of the story</h1>" + paragraphs(4))
    broken = page(f'<h1>The headline of the story</h1>{paragraphs(4)}'
                  f'<h2><a href="{bad_href}">A heading that links somewhere broken</a></h2>'
                  f'<div><a href="{bad_href}">A headline link that leads somewhere broken</a></div>',
                  head=f'<link rel="canonical" href="{bad_href}"><meta property="og:url" content="{bad_href}">')
    assert kind_of(broken).kind == kind_of(clean).kind == "article"
