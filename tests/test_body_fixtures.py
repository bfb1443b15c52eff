"""Body extraction fixture cases: one folder per case, one generic test running them all.

`tests/fixtures/extract/<case>/input.html` is read as bytes (so legacy encodings are decoded the way
the spider's bytes are) and `expected.json` says what the record must hold. Body keys checked:
`body` (exact), `body_contains` / `body_excludes` (substrings of the text), `body_html_contains` /
`body_html_excludes` (substrings of body_html), `body_paragraphs` (exact number of paragraphs).
Cases without any body key belong to other extractors and are not collected here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from archiver.extract import extract_page
from tests.extract_cases import extract_cases

BODY_KEYS = ("body", "body_contains", "body_excludes", "body_html_contains",
             "body_html_excludes", "body_paragraphs")


CASES = extract_cases(BODY_KEYS)


def test_body_fixture_cases_exist() -> None:
    """Guards against a renamed folder silently turning the parametrized test into zero tests."""
    assert len(CASES) >= 10


@pytest.mark.parametrize(("name", "folder", "expected"), CASES, ids=[c[0] for c in CASES])
def test_body_fixture(name: str, folder: Path, expected: dict[str, Any]) -> None:
    html = (folder / "input.html").read_bytes()
    record = extract_page(html, expected.get("url", f"https://example.com/{name}/"))
    body, body_html = record["body"], record["body_html"]
    assert isinstance(body, str) and isinstance(body_html, str)
    if "body" in expected:
        assert body == expected["body"]
    for snippet in expected.get("body_contains", []):
        assert snippet in body, f"missing from body: {snippet!r}"
    for snippet in expected.get("body_excludes", []):
        assert snippet not in body, f"boilerplate in body: {snippet!r}"
    for snippet in expected.get("body_html_contains", []):
        assert snippet in body_html, f"missing from body_html: {snippet!r}"
    for snippet in expected.get("body_html_excludes", []):
        assert snippet not in body_html, f"unsafe or unwanted in body_html: {snippet!r}"
    if "body_paragraphs" in expected:
        assert len(body.split("\n\n")) == expected["body_paragraphs"]
    assert "\n\n\n" not in body, "paragraphs must be separated by exactly one blank line"
