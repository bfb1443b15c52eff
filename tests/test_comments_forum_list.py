"""Comment threads in markup that says "forum" rather than "comment" (SPIP's `ul.forum >
li.forum-fil`, forum-style message lists), with the author under a "who" class in another language
(`forum-qui`), the date as plain text in an unnamed element, anonymous readers, replies nested as
lists, and a count heading above the list. Built from the pattern, not copied from a page."""

from __future__ import annotations

from archiver.extract import extract_page
from archiver.extract.comments import generic
from archiver.extract.document import parse_html

URL = "https://blog.example.fr/un-billet"
STORY = "".join(f"<p>Paragraphe {n} du billet, assez long pour être la prose de l'article lui-même.</p>"
                for n in range(1, 6))


def _message(number: int, author: str | None, date: str, text: str, replies: str = "") -> str:
    who = f"<b class='crayon forum-qui-{number}'>{author}</b>" if author else ""
    return (f"<li class='forum-fil'><div class='forum-top'>"
            f"<a href='#forum{number}' id='forum{number}' name='forum{number}'><img src='pin.png' alt='lien'></a>"
            f"{who}<div class='forum-nav'>({date})&nbsp;</div>:</div>"
            f"<div class='forum-message'><div class='crayon forum-texte-{number} forum-texte'>"
            f"<p>{text}</p></div></div>{replies}</li>")


THREAD = (
    "<div class='divforum'><h2>3 commentaires</h2><ul class='forum'>"
    + _message(11, "Anne", "3 mars 2021 @10h15", "Premier message d'une lectrice sur ce billet.",
               "<ul>" + _message(12, "Paul", "3 mars 2021 @11h02", "Une réponse de Paul à Anne.") + "</ul>")
    + _message(13, None, "4 mars 2021 @09h40", "Un lecteur anonyme donne son avis ici.")
    + "</ul></div>"
)


def _page(after_story: str) -> str:
    return (f"<html><head><title>Un billet</title></head><body><div id='page'><div class='texte'>"
            f"<h1>Un billet</h1>{STORY}</div>{after_story}</div></body></html>")


def test_a_forum_list_under_a_post_is_its_comment_thread() -> None:
    record = extract_page(_page(THREAD).encode(), URL)
    comments = record["comments"]
    assert [c["id"] for c in comments] == ["11", "12", "13"]
    assert [c["parent_id"] for c in comments] == [None, "11", None]
    assert [c["author"]["name"] for c in comments] == ["Anne", "Paul", None]
    assert [c["published"][:16] for c in comments] == ["2021-03-03T10:15", "2021-03-03T11:02",
                                                        "2021-03-04T09:40"]
    assert comments[0]["permalink"] == f"{URL}#forum11"
    assert "réponse de Paul" in comments[1]["text"] and "Paul" not in comments[0]["text"]
    assert record["comment_count"] == 3


def test_the_forum_list_and_its_count_heading_stay_out_of_the_body() -> None:
    body = extract_page(_page(THREAD).encode(), URL)["body"]
    assert "Paragraphe 5" in body
    assert "commentaires" not in body and "lectrice" not in body and "anonyme" not in body


def test_a_box_of_latest_forum_topics_elsewhere_is_no_thread() -> None:
    topics = "".join(
        f"<li class='forum-topic'><a href='https://blog.example.fr/forum/sujet-{n}'>Sujet {n} du forum</a>"
        f"<span class='forum-qui'>Membre{n}</span><span class='forum-nav'>({n} mars 2021)</span></li>"
        for n in range(1, 5))
    record = extract_page(_page(f"<div class='forum-box'><ul>{topics}</ul></div>").encode(), URL)
    assert record["comments"] == []
    assert "Paragraphe 5" in record["body"]


def test_a_date_in_plain_text_is_found_but_a_bare_number_is_not_a_date() -> None:
    dated = parse_html("<html><body><li><b>Anne</b><div>(22 juin 2018 @11h13)</div><p>x</p></li></body></html>")
    undated = parse_html("<html><body><li><b>Anne</b><div>1529666000</div><p>x</p></li></body></html>")
    node = generic._dated_text(next(dated.iter("li")), set())
    assert node is not None and node.tag == "div"
    assert generic._dated_text(next(undated.iter("li")), set()) is None
