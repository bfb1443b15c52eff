"""Decoding page bytes (archiver.extract.charset): declarations win, undeclared bytes are detected.

The undeclared legacy pages themselves are fixture cases (tests/fixtures/extract/body-*-undeclared);
these tests pin the order of the rules and the UTF-8 fast path.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from archiver.extract.charset import decode_html, detect_charset

RUSSIAN = ("Строители завершили укладку последнего пролёта нового пешеходного моста через реку, "
           "сообщили в городской администрации в понедельник. ") * 3


def _page(text: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{text}</p></body></html>"


def test_undeclared_cp1251_is_detected_not_read_as_utf8_or_cp1252() -> None:
    assert RUSSIAN.strip() in decode_html(_page(RUSSIAN).encode("cp1251"))


def test_the_http_header_wins_over_detection() -> None:
    # The same bytes read as the server says (koi8-r) give other letters than cp1251 would.
    data = _page(RUSSIAN).encode("koi8-r")
    assert RUSSIAN.strip() in decode_html(data, "text/html; charset=koi8-r")


def test_a_meta_declaration_wins_over_detection() -> None:
    data = _page("Grüße aus Köln", '<meta charset="iso-8859-1">').encode("latin-1")
    assert "Grüße aus Köln" in decode_html(data)


def test_undeclared_ascii_and_utf8_are_utf8() -> None:
    assert detect_charset(b"<p>plain</p>") == "utf-8"
    assert detect_charset(_page("Grüße, привет, 日本").encode()) == "utf-8"


def test_a_utf8_page_cut_inside_a_character_is_still_utf8() -> None:
    cut = ("<p>" + "привет " * 50).encode() + "ж".encode()[:1]
    assert detect_charset(cut) == "utf-8"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_any_utf8_text_decodes_back_unchanged(text: str) -> None:
    assert decode_html(("<p>" + text).encode("utf-8")) == "<p>" + text


@given(st.binary(max_size=2000))
def test_any_bytes_decode_without_raising(data: bytes) -> None:
    assert isinstance(decode_html(data), str)
