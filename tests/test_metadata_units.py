"""Unit tests of the small pure helpers behind metadata and media extraction."""

from __future__ import annotations

import pytest

from archiver.extract.article_dates import url_date
from archiver.extract.authors import split_byline
from archiver.extract.lead_media import image_key
from archiver.extract.media_embeds import provider_for
from archiver.extract.media_items import clean_credit
from archiver.extract.srcset import largest_candidate, parse_srcset
from archiver.values import iso_datetime, normalize_language


@pytest.mark.parametrize(("byline", "names"), [
    ("By Ann Lee and Bo Chen", ["Ann Lee", "Bo Chen"]),
    ("By X Y | May 3, 2021", ["X Y"]),
    ("By Ann Lee, Bo Chen and Cy Dao", ["Ann Lee", "Bo Chen", "Cy Dao"]),
    ("Posted by Maria García on March 3, 2020", ["Maria García"]),
    ("By Sarah E. Needleman", ["Sarah E. Needleman"]),
    ("TOM KRISHER, AP Auto Writer", ["TOM KRISHER"]),
    ("Ilana Muhlstein, MS, RDN", ["Ilana Muhlstein"]),
    ("von Jürgen Weiß und Anna Schmidt", ["Jürgen Weiß", "Anna Schmidt"]),
    ("By Ludwig van Beethoven", ["Ludwig van Beethoven"]),
    ("By Jo Smith — Updated 5:00 PM ET", ["Jo Smith"]),
    ("Staff Writer", []),
    ("John is a writer who loves bread", []),
])
def test_split_byline(byline: str, names: list[str]) -> None:
    assert split_byline(byline) == names


@pytest.mark.parametrize(("value", "iso"), [
    ("2023-04-02T22:59:00+02:00", "2023-04-02T22:59:00+02:00"),
    ("2021-05-03T10:00:00+0200", "2021-05-03T10:00:00+02:00"),
    ("2019-11-19T14:12:00.000Z", "2019-11-19T14:12:00+00:00"),
    ("2023-04-02 22:59:00", "2023-04-02T22:59:00"),
    ("May 3, 2021", "2021-05-03"),
    ("03.05.2021 14:20", "2021-05-03T14:20:00"),
    ("Tue, 19 Nov 2019 14:12:00 GMT", "2019-11-19T14:12:00+00:00"),
    ("20210503", "2021-05-03"),
    ("1574168580", "2019-11-19T13:03:00+00:00"),
    ("3 May", None),
    ("garbage", None),
    ("", None),
])
def test_iso_datetime(value: str, iso: str | None) -> None:
    assert iso_datetime(value) == iso


@pytest.mark.parametrize(("code", "tag"), [
    ("en-US", "en-US"), ("EN-us", "en-US"), ("pt_br", "pt-BR"), ("zh_Hant_TW", "zh-Hant-TW"),
    ("de", "de"), ("en-US,en;q=0.9", "en-US"), ("", None), ("12", None),
])
def test_normalize_language(code: str, tag: str | None) -> None:
    assert normalize_language(code) == tag


def test_parse_srcset_keeps_commas_inside_urls_and_reads_widths() -> None:
    entries = parse_srcset(
        "https://c.example/w_300,h_200/a.jpg 300w, b.jpg 2x,c.jpg 900w, data:image/gif;base64,AA 1w",
        "https://example.com/post/",
    )
    assert entries == [
        {"url": "https://c.example/w_300,h_200/a.jpg", "width": 300},
        {"url": "https://example.com/post/b.jpg", "width": None},
        {"url": "https://example.com/post/c.jpg", "width": 900},
    ]
    assert largest_candidate(entries) == "https://example.com/post/c.jpg"
    assert parse_srcset("", "https://example.com/") == []


@pytest.mark.parametrize(("url", "provider"), [
    ("https://www.youtube.com/embed/x", "YouTube"), ("https://youtu.be/x", "YouTube"),
    ("https://player.vimeo.com/video/1", "Vimeo"), ("https://x.com/a/status/1", "Twitter"),
    ("https://www.google.com/maps/embed?pb=1", "Google Maps"),
    ("https://www.google.com/search?q=1", "generic"),
    ("https://datawrapper.dwcdn.net/a/1/", "Datawrapper"), ("https://evil-youtube.com/x", "generic"),
])
def test_provider_for(url: str, provider: str) -> None:
    assert provider_for(url) == provider


def test_url_date_and_image_key_and_credit() -> None:
    assert url_date("https://a.example/2020/02/29/leap/") == "2020-02-29"
    assert url_date("https://a.example/2020-02-29-leap") == "2020-02-29"
    assert url_date("https://a.example/2020/02/leap") is None
    assert image_key("https://a/x/p-300x169.jpg?w=2") == image_key("https://a/x/p.jpg")
    assert image_key("https://a/x/p-1.jpg") != image_key("https://a/x/p-2.jpg")
    assert image_key("https://cdn.example/q_80,w_750/https://a.example/up/p.jpg") == image_key(
        "http://a.example/up/p-1024x576.jpg")
    assert clean_credit("(Image credit: NASA/JPL)") == "NASA/JPL"
    assert clean_credit("Photo: AP") == "AP"


def test_media_without_body_node_falls_back_to_the_article_container() -> None:
    from archiver.extract.document import Document
    from archiver.extract.media import extract_media

    html = (
        "<html><body><nav><img src='/nav.jpg' width='300' height='200'></nav>"
        "<article><p>Text of the story that is long enough.</p>"
        "<img src='/a.jpg' alt='A'><iframe src='https://www.youtube.com/embed/x'></iframe>"
        "</article></body></html>"
    )
    media = extract_media(Document.from_html(html, "https://example.com/p"), None)
    assert [(m["type"], m["url"], m["in_body"]) for m in media] == [
        ("image", "https://example.com/a.jpg", True),
        ("iframe", "https://www.youtube.com/embed/x", True),
    ]


@pytest.mark.parametrize(("url", "tracking"), [
    ("https://www.facebook.com/tr?id=1&ev=PageView", True),
    ("https://pixel.wp.com/g.gif?v=ext", True),
    ("https://sb.scorecardresearch.com/p?c1=2", True),
    ("http://counter.example.com/c.gif", True),
    ("https://www.facebook.com/travelblog/posts/1", False),
    ("https://a.example/img/encounter.jpg", False),
    ("https://a.example/uploads/2019/11/photo.jpg", False),
])
def test_tracking_urls(url: str, tracking: bool) -> None:
    from archiver.extract.media_filters import is_tracking_url

    assert is_tracking_url(url) is tracking


def test_decorative_images_by_size_class_and_file_name() -> None:
    import lxml.html

    from archiver.extract.media_filters import is_decorative_image

    def img(html: str) -> lxml.html.HtmlElement:
        return lxml.html.fragment_fromstring(html)

    assert is_decorative_image(img("<img>"), "https://a.example/print-header-logo.png", None, None)
    assert is_decorative_image(img("<img class='avatar'>"), "https://a.example/u/1.jpg", None, None)
    assert is_decorative_image(img("<img>"), "https://a.example/u/1.jpg", 1, 1)
    assert is_decorative_image(img("<img>"), "https://a.example/u/1.jpg", 32, 32)
    assert not is_decorative_image(img("<img class='wp-image-5'>"), "https://a.example/u/1.jpg", 800, 600)
