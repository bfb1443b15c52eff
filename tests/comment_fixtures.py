"""Comment fixture cases: tests/fixtures/comments/<system>/<case>/{input.html[.gz], expected.json}.

`expected.json` holds the page URL and what `extract_comments` must return for it. To add a case,
write input.html, then `python -m tests.comment_fixtures <system>/<case> URL` prints the current
output as a draft expected.json: read every line of it against the page before saving it.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

from archiver.extract import extract_page
from archiver.extract.comments import extract_comments
from archiver.extract.document import Document

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "comments"


def cases() -> list[Path]:
    return sorted(path.parent for path in FIXTURES.glob("*/*/expected.json"))


def read_input(case: Path) -> bytes:
    plain = case / "input.html"
    if plain.exists():
        return plain.read_bytes()
    return gzip.decompress((case / "input.html.gz").read_bytes())


def observed(case: Path, url: str) -> dict[str, Any]:
    """What the comment extractor says about the case's page, in expected.json's shape."""
    thread = extract_comments(Document.from_html(read_input(case), url))
    return {
        "url": url,
        "system": thread.system,
        "count": thread.count,
        "open": thread.open,
        "page_number": thread.page_number,
        "page_urls": thread.page_urls,
        "rest_url": thread.rest_url,
        "thread": thread.thread,
        "comments": thread.comments,
    }


def record_of(case: Path, url: str) -> dict[str, Any]:
    """The full record of the case's page (the path `archiver extract` takes)."""
    return extract_page(read_input(case), url)


def main(argv: list[str]) -> int:
    case, url = FIXTURES / argv[0], argv[1]
    result = observed(case, url)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
