"""Every comment fixture case (tests/fixtures/comments/<system>/<case>) against its expected.json,
plus the record-level promises: schema-valid, comments not leaking into the body."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archiver.schema import record_errors
from tests.comment_fixtures import FIXTURES, cases, observed, record_of

CASES = cases()


def test_every_system_has_two_cases() -> None:
    systems = {case.parent.name for case in CASES}
    expected = {"wordpress", "wpdiscuz", "jetpack", "drupal", "blogger", "embeds", "schemaorg", "hn",
                "generic"}
    assert expected <= systems
    for system in expected:
        assert len([c for c in CASES if c.parent.name == system]) >= 2, system


@pytest.mark.parametrize("case", CASES, ids=[str(c.relative_to(FIXTURES)) for c in CASES])
def test_fixture_case(case: Path) -> None:
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    got = observed(case, expected["url"])
    for key in ("system", "count", "open", "page_number", "page_urls", "rest_url", "thread"):
        assert got[key] == expected[key], key
    assert [(c["id"], c["parent_id"], c["depth"]) for c in got["comments"]] == [
        (c["id"], c["parent_id"], c["depth"]) for c in expected["comments"]
    ]
    assert got["comments"] == expected["comments"]


@pytest.mark.parametrize("case", CASES, ids=[str(c.relative_to(FIXTURES)) for c in CASES])
def test_fixture_record(case: Path) -> None:
    """Through the whole extractor: the record keeps the thread, validates, body has no comments."""
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    record = record_of(case, expected["url"])
    assert record_errors(record) == []
    assert record["comments"] == expected["comments"]
    assert record["comments_system"] == expected["system"]
    assert record["comment_count"] == expected["count"]
    assert record["comments_open"] == expected["open"]
    body = record["body"] or ""
    for comment in expected["comments"]:
        if len(comment["text"]) > 40:
            assert comment["text"][:40] not in body, f"comment {comment['id']} leaked into the body"
