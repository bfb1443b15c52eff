"""The shared parse: one lxml tree per page whose nodes all behave like lxml.html elements."""

from __future__ import annotations

import lxml.html

from archiver.extract import analyze_page, extract_page
from archiver.extract.document import Document

PAGE = (b"<html><body><article><h1>T</h1><p>Text <a href='/x'>link</a></p>"
        b"<form action='/post'><label>L</label><input name='q'><select name='s'></select>"
        b"<textarea name='t'></textarea></form><!-- a comment --></article></body></html>")


def test_every_node_is_a_plain_html_element_with_the_html_helpers() -> None:
    tree = Document.from_html(PAGE, "https://example.org/a").tree
    kinds = {element.tag: type(element) for element in tree.iter() if isinstance(element.tag, str)}
    # The C-level lookup gives HtmlElement everywhere (lxml.html's Python lookup would make FormElement,
    # InputElement, ... and cost a Python call per node touched).
    assert set(kinds.values()) == {lxml.html.HtmlElement}
    assert {"form", "input", "select", "textarea", "label"} <= set(kinds)
    assert tree.find(".//p").text_content() == "Text link"
    copy = lxml.html.fromstring(lxml.html.tostring(tree.find(".//article")))
    assert copy.find(".//h1").text == "T"


def test_html_comments_are_dropped_and_garbage_gives_an_empty_document() -> None:
    tree = Document.from_html(PAGE, "https://example.org/a").tree
    assert not [node for node in tree.iter() if not isinstance(node.tag, str)]
    empty = Document.from_html(b"\x00\x01", "https://example.org/a").tree
    assert empty.tag == "html" and empty.find("body") is not None


def test_extract_page_is_the_record_of_analyze_page() -> None:
    html = (b"<html><head><title>Hello</title></head><body><article><p>" + b"Words here. " * 40
            + b"</p></article></body></html>")
    url = "https://example.org/2024/01/02/hello/"
    assert extract_page(html, url) == analyze_page(html, url).record


def test_characters_lxml_refuses_are_dropped_and_an_xml_declaration_is_skipped() -> None:
    tree = Document.from_html("\x00 <?xml version='1.0' encoding='utf-8'?>\n<p>a\x01b\x0b\ufffec\uffff é</p>",
                              "https://example.org/a").tree
    assert lxml.html.tostring(tree, encoding=str) == "<html><body><p>abc é</p></body></html>"
    for blank in ("", "   ", "\u3000\xa0", "\x00\x01\x1f"):
        assert lxml.html.tostring(Document.from_html(blank, "https://example.org/a").tree, encoding=str) == (
            "<html><head></head><body></body></html>")
