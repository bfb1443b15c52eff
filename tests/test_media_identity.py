"""Picture identity (lead_media.image_key / picture_name) and furniture rules (media_chrome): the
small decisions the media fixtures rely on, pinned one by one."""

from __future__ import annotations

import lxml.html
import pytest

from archiver.extract.lead_media import image_key, picture_name, precedes
from archiver.extract.media_chrome import is_ad_shape, is_furniture_image, is_share_link


@pytest.mark.parametrize(("one", "other"), [
    ("https://a.example/image.php?src=/img/p1.jpg&w=1280", "https://a.example/img/p1.jpg"),
    ("https://a.example/x/bild/wide__1300x731", "https://a.example/x/bild/wide__822x462"),
    ("https://a.example/up/p-300x169.jpg?w=2", "https://a.example/up/p.jpg"),
])
def test_renditions_share_a_key(one: str, other: str) -> None:
    assert image_key(one) == image_key(other)


def test_different_served_files_keep_different_keys() -> None:
    assert image_key("https://a.example/image.php?src=/img/p1.jpg") != image_key("https://a.example/image.php?src=/img/p2.jpg")


def test_picture_name_only_for_distinctive_names() -> None:
    name = picture_name("https://cdn.example/styles/w640/public/omarilhan_072519as_lead.jpg")
    assert name == "omarilhan_072519as_lead"
    assert picture_name("https://cdn.example/items/1/preview/preview.jpg") is None


def test_precedes_is_document_order() -> None:
    root = lxml.html.fromstring("<div><p><img id='a'></p><section><b id='b'></b></section></div>")
    first, second = root.get_element_by_id("a"), root.get_element_by_id("b")
    assert precedes(first, second) and not precedes(second, first)


@pytest.mark.parametrize(("href", "share"), [
    ("https://www.facebook.com/sharer/sharer.php?u=x", True),
    ("mailto:?subject=x", True),
    ("https://twitter.com/intent/tweet?url=x", True),
    ("https://twitter.com/someone/status/1", False),
])
def test_share_links(href: str, share: bool) -> None:
    assert is_share_link(href) is share


def test_ad_shapes_are_strips_and_towers_not_thumbnails() -> None:
    assert is_ad_shape(728, 90) and is_ad_shape(160, 600) and is_ad_shape(900, 100)
    assert not is_ad_shape(200, 200) and not is_ad_shape(300, 250) and not is_ad_shape(None, 90)


def _img(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(html).xpath("//img[@id='x']")[0]


def test_a_card_to_another_story_is_furniture_but_a_lightbox_link_is_not() -> None:
    card = _img("<div><h3><a href='/other-story'>Other</a></h3>"
                "<a href='/other-story'><img id='x' src='/o.jpg'></a></div>")
    lightbox = _img("<div><h3>Gallery</h3><a href='/up/big.jpg'><img id='x' src='/up/small.jpg'></a></div>")
    assert is_furniture_image(card, "https://s.example/this-story", None, None)
    assert not is_furniture_image(lightbox, "https://s.example/this-story", None, None)
