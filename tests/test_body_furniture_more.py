"""Furniture found on unseen blogs and news pages (devset3), each as a general pattern with the
article prose that must survive: tag lines in several languages, the classic WordPress
"postmetadata" paragraph, photo legends, next-article boxes, loose inline date/credit lines and
invisible characters."""

from __future__ import annotations

import pytest

from archiver.extract import extract_page
from archiver.extract.boilerplate import is_furniture_text

URL = "https://blog.example.de/2012/05/ein-beitrag/"
PROSE = "".join(f"<p>Absatz {n} des Beitrags, mit genug Worten, damit er als Text des Artikels zählt, "
                f"und einem zweiten Satzteil.</p>" for n in range(1, 6))


def _body(inner: str) -> str:
    html = f"<html><body><div id='page'><div class='post'><h1>Ein Beitrag</h1>{inner}</div></div></body></html>"
    return extract_page(html.encode(), URL)["body"]


@pytest.mark.parametrize("line", [
    "Schlagworte: Cybercrime, Hacking, SCADA", "Stichwörter: Bahn, Verkehr", "Mots-clés : climat, énergie",
    "Étiquettes : a, b", "Etiquetas: política, economía", "A lire aussi :", "阅读下一篇：", "相关新闻",
])
def test_tag_and_next_labels_are_furniture(line: str) -> None:
    assert is_furniture_text(line)


@pytest.mark.parametrize("prose", [
    "Schlagworte allein ordnen keine Bibliothek.",
    "Étiquettes et emballages posent problème aux recycleurs.",
    "Stichworte aus dem Protokoll zeigen, wie knapp die Abstimmung war.",
])
def test_prose_that_starts_like_a_label_stays(prose: str) -> None:
    assert not is_furniture_text(prose)


def test_wordpress_postmetadata_paragraph_is_left_out() -> None:
    meta = ("<p class='postmetadata alt'><small>Dieser Beitrag wurde am Samstag, 3. Dezember 2011 "
            "veröffentlicht und unter Allgemein gespeichert. Sie können Kommentare zu diesem Eintrag "
            "durch den RSS-2.0-Feed verfolgen.</small></p>")
    body = _body(f"<div class='entry'>{PROSE}{meta}</div>")
    assert "Absatz 5" in body and "Dieser Beitrag wurde" not in body


def test_a_photo_legend_in_a_media_box_is_left_out() -> None:
    media = ("<div class='media media-image'><img src='/a.jpg' alt=''><span class='legend'>Des pancartes "
             "en mémoire des victimes - Paris - 2 février 2019</span></div>")
    body = _body(f"<div class='entry'>{PROSE[:200]}{media}{PROSE[200:]}</div>")
    assert "Absatz 5" in body and "pancartes" not in body


def test_a_next_article_box_is_left_out() -> None:
    box = "<div class='nextpage clearfix'><div class='nextpage-tit'>Nächster Artikel</div><a href='/b'>B</a></div>"
    body = _body(f"<div class='entry'>{PROSE}{box}</div>")
    assert "Absatz 5" in body and "Nächster Artikel" not in body


def test_loose_inline_date_and_editor_lines_are_left_out() -> None:
    body = _body(f"<div class='entry'><small>11.05.2012, 10:22 von jovelstefan</small>{PROSE}"
                 "<span class='editor'>【责任编辑:张三 】</span></div>")
    assert "Absatz 1" in body and "Absatz 5" in body
    assert "jovelstefan" not in body and "责任编辑" not in body


def test_a_paragraph_of_only_invisible_characters_is_no_paragraph() -> None:
    body = _body(f"<div class='entry'>{PROSE}<p>\ufeff</p><p>\u200b\u2060</p></div>")
    assert body.endswith("Satzteil.") and "\n\n\n" not in body and "\ufeff" not in body
