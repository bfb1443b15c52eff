"""Which element holds the article when class words and look-alike teasers compete with it.
Built from the patterns (a CMS content box in the footer named "…-text"; a listing of other
stories whose intros carry "entry-content"), not copied from pages."""

from __future__ import annotations

from archiver.extract import extract_page

URL = "https://news.example.org/2024/05/press-release"


def _prose(label: str, count: int, words: int = 40) -> str:
    sentence = f"{label} sentence, with a clause, and another clause"
    return "".join(f"<p>{label} {n}: " + " ".join([sentence] * (words // 8)) + ".</p>" for n in range(1, count + 1))


def _page(main: str, aside: str = "", footer: str = "") -> bytes:
    return (f"<html><head><title>T</title></head><body><div id='content'><div class='row'>"
            f"<div class='col-8'><h1>Headline</h1>{main}</div><div class='col-4'>{aside}</div></div></div>"
            f"<footer>{footer}</footer></body></html>").encode()


def test_a_short_box_named_text_does_not_outrank_the_unnamed_article() -> None:
    # Plain press-release prose (few commas) in an unnamed frame; the contact box's class says "text".
    plain = "".join(f"<p>Story {n}: the minister met her colleagues in the border town for the yearly "
                    f"meeting of the ministers and they spoke about the budget and the rule of law in "
                    f"the union and about the relations with the other side of the ocean.</p>"
                    for n in range(1, 6))
    box = ("<div class='csc-textpic-text'><p>Contact box: you can reach the press office by phone, "
           "every day, at the number below, or by mail, at the address below.</p></div>")
    body = extract_page(_page(f"<div class='frame'>{plain}</div>", footer=box), URL)["body"]
    assert "Story 1:" in body and "Story 5:" in body
    assert "Contact box" not in body


def _teaser(n: int) -> str:
    headline = f"<h3><a href='/other-{n}'>Another story number {n} of the site</a></h3>"
    return (f"<li class='item article'><article class='entry hentry'>{headline}"
            f"<div class='introduction entry-content'>{_prose(f'Teaser{n}', 2, 48)}</div></article></li>")


def test_intros_in_a_listing_of_other_stories_do_not_outrank_the_story() -> None:
    listing = "<ul class='liste-items'>" + "".join(_teaser(n) for n in range(5)) + "</ul>"
    story = f"<article><div class='texte'>{_prose('Story', 4)}</div></article>"
    body = extract_page(_page(story, listing), URL)["body"]
    assert "Story 1:" in body and "Story 4:" in body
    assert "Teaser" not in body


def test_the_story_among_small_alike_articles_is_still_the_story() -> None:
    cards = "".join(f"<article><h3><a href='/more-{n}'>More news from the region, part {n}</a></h3>"
                    f"<p>Card {n} text with a few words of summary, enough to count as prose for the page.</p>"
                    f"</article>" for n in range(4))
    body = extract_page(_page(f"<article>{_prose('Story', 6)}</article>", cards), URL)["body"]
    assert "Story 1:" in body and "Story 6:" in body
    assert "Card 1" not in body
