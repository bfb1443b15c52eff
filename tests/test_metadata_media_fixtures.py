"""Metadata and media fixture cases: `tests/fixtures/extract/<case>/` with input.html + expected.json.

expected.json holds only the keys a case checks: any metadata key of the record (exact), `media`
(the exact number of entries, each expected entry a subset of the extracted one, in order) and
`media_excludes` (URL substrings no media entry may contain). Cases without those keys belong to
other extractors (see test_body_fixtures.py) and are not collected here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from archiver.extract import extract_page
from archiver.schema import record_errors
from tests.extract_cases import extract_cases

METADATA_KEYS = ("title", "authors", "published", "modified", "language", "site_name",
                 "description", "categories", "tags", "canonical_url", "image")
MEDIA_KEYS = ("media", "media_excludes")


CASES = extract_cases(METADATA_KEYS + MEDIA_KEYS)


def test_metadata_media_cases_exist() -> None:
    """Guards against a renamed folder silently turning the parametrized test into zero tests."""
    assert len(CASES) >= 15


@pytest.mark.parametrize(("name", "folder", "expected"), CASES, ids=[c[0] for c in CASES])
def test_metadata_media_fixture(name: str, folder: Path, expected: dict[str, Any]) -> None:
    record = extract_page((folder / "input.html").read_bytes(), expected["url"])
    for key in METADATA_KEYS:
        if key in expected:
            assert record[key] == expected[key], key
    if "media" in expected:
        got = record["media"]
        assert len(got) == len(expected["media"]), [m["url"] for m in got]
        for position, (item, wanted) in enumerate(zip(got, expected["media"], strict=True)):
            for key, value in wanted.items():
                assert item.get(key) == value, f"media[{position}].{key}"
    for fragment in expected.get("media_excludes", []):
        assert not any(fragment in item["url"] for item in record["media"]), fragment
    assert not [e for e in record_errors(record) if e.startswith(("media", "authors"))]
