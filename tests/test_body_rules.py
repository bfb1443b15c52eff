"""The small furniture rules of body extraction, each with prose that must survive it."""

from __future__ import annotations

import lxml.html
import pytest

from archiver.extract.boilerplate import (
    class_words,
    is_byline,
    is_disclosure,
    is_furniture_note,
    is_furniture_text,
    is_hidden,
    is_shouting_link,
    looks_like_boilerplate,
)
from archiver.extract.density import compute_stats, visible_text
from archiver.extract.sites import site_of_host


@pytest.mark.parametrize("text", [
    "Advertisement", "ADVERTISEMENT", "Anzeige", "Iklan", "You may also like...", "DON'T MISS",
    "Related: Possible Water Plumes on Europa", "Related coverage from How to Do Everything:",
    "Read more", "Baca juga: Harga emas naik", "Follow us on Twitter @desk",
    "Follow AP's full coverage of Brexit at https://apnews.com/Brexit", "Updated at 1:23 p.m.",
    "Tempo de leitura: 1 minuto", "5 min read", "Listen to Newsbeat live at 12:45 weekdays",
    "Copyright 2004 Classic Car Club", "Most read", "Also: See Black Friday coverage at CNET",
    "Show more", "mehr anzeigen", "Voir plus", "View all", "STORY HIGHLIGHTS", "Key points:",
])
def test_furniture_lines(text: str) -> None:
    assert is_furniture_text(text)


@pytest.mark.parametrize("text", [
    "More than forty people attended the meeting on Tuesday.",
    "Related research has shown the same effect in mice.",
    "Follow the river north for two kilometres to reach the hut.",
    "Listen to the birds at dawn and you will hear the difference.",
    "Click here to get more information or download this game.",
    "Latest news about the ceasefire remains unclear.",
    "Also, the team said: we will win.",
    "Show more patience with the new players, the coach said.",
    "Highlights of the festival included a night parade.",
    "",
])
def test_prose_is_not_furniture(text: str) -> None:
    assert not is_furniture_text(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("By Jane Doe", True), ("BY JANE DOE AND JOHN ROE | Reuters", True),
    ("Written by Sam O'Neil — March 3, 2019", True),
    ("By taking off the top half of the bread you save 100 calories.", False),
    ("By the end of the year, prices rose.", False),
])
def test_bylines(text: str, expected: bool) -> None:
    assert is_byline(text) is expected


def test_notes_and_shouting_links() -> None:
    assert is_furniture_note("Have a tip? Amy may be reached at amy@example.com.")
    assert is_furniture_note("sexta-feira, 22 de outubro de 2010 às 20:13")
    assert not is_furniture_note("The 2019 season ended at 10:30 with a win.  " * 3)
    assert is_shouting_link("GET THE APP FOR THE LATEST NEWS", 1.0)
    assert not is_shouting_link("GET THE APP FOR THE LATEST NEWS", 0.0)
    assert not is_shouting_link("Get it on Amazon for $39", 1.0)


def _element(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html)


def test_class_words_split_camel_case_and_separators() -> None:
    assert class_words(_element('<div class="relatedPosts share-bar" id="x_1"></div>')) == [
        "related", "posts", "share", "bar", "x", "1"]


@pytest.mark.parametrize(("html", "expected"), [
    ('<div class="share-bar"></div>', True),
    ('<div class="entry-content share-enabled"></div>', False),  # article words win
    ('<div role="navigation"></div>', True),
    ('<span class="caption">x</span>', True),
    ('<span class="date">x</span>', False),  # inline elements use the short vocabulary
    ('<div class="story"></div>', False),
])
def test_boilerplate_classes(html: str, expected: bool) -> None:
    assert looks_like_boilerplate(_element(html)) is expected


def test_hidden_but_not_aria_hidden() -> None:
    assert is_hidden(_element('<div style="display: none">x</div>'))
    assert is_hidden(_element("<div hidden>x</div>"))
    assert not is_hidden(_element('<div aria-hidden="true">pull quote</div>'))


def test_stats_count_text_links_and_prose_once() -> None:
    root = _element("<div><p>Plain prose sentence that is long enough, with a comma.</p>"
                    "<ul><li><a href='/a'>Link one</a></li><li><a href='/b'>Link two</a></li></ul>"
                    "<script>var ignored = 'script text';</script></div>")
    stats = compute_stats(root)
    own = stats.of(root)
    assert own.text == len("Plain prose sentence that is long enough, with a comma.") + 16
    assert own.links == 16
    assert own.prose == len("Plain prose sentence that is long enough, with a comma.")
    assert own.commas == 1
    assert visible_text(root).endswith("Link one Link two")


@pytest.mark.parametrize(("host", "site"), [
    ("money.example.com", "example.com"), ("www.example.com", "example.com"),
    ("sport.orf.at", "orf.at"), ("news.bbc.co.uk", "bbc.co.uk"), ("a.github.io", "a.github.io"),
    ("www.courier.example", "courier.example"), ("192.0.2.7:8080", "192.0.2.7"), ("", ""),
])
def test_site_of_host(host: str, site: str) -> None:
    assert site_of_host(host) == site


@pytest.mark.parametrize(("text", "expected"), [
    ("Reporting by Jane Doe in Lisbon; Editing by John Roe", True),
    ("(Additional reporting by Sam Lee)", True),
    ("Ana Ruiz and Tom Berg contributed to this report.", True),
    ("(Editor: Li Na)", True), ("（编辑：王芳 李明）", True), ("【责任编辑：王芳】", True),
    ("Reporting by the ministry showed a rise in cases over the year.", False),
    ("She contributed to this report's findings on housing.", False),
    ("Editing by hand is slow but careful.", False),
])
def test_staff_credit_lines(text: str, expected: bool) -> None:
    assert is_furniture_note(text) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Her book on tides is out now. Follow her on Twitter @tidewriter. Follow us on Facebook.", True),
    ("Follow him on Instagram.", True),
    ("We asked readers to follow us on Twitter and most did, the survey found, with a surprising "
     "rise among older people in the north of the country.", False),
    ("Officers asked the drivers to follow them to the station.", False),
])
def test_closing_follow_calls(text: str, expected: bool) -> None:
    assert is_furniture_note(text) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Caught in the storm? Please share your photos and videos with our readers desk.", True),
    ("Send us your tips at tips@example.com", True),
    ("The two sisters share your taste for old films, their mother said.", False),
])
def test_calls_for_reader_pictures(text: str, expected: bool) -> None:
    assert is_furniture_note(text) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("FTC: We use income earning auto affiliate links. More.", True),
    ("Disclosure: the maker lent us the camera for this review.", True),
    ("Some links are affiliate links: we earn a small commission on purchases.", True),
    ("The retailer's affiliate programme was closed last year.", False),
])
def test_affiliate_disclosures(text: str, expected: bool) -> None:
    assert is_disclosure(text) is expected
