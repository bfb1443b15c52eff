"""The extraction fixture cases shared by several test files (web-poet style: a folder per case).

`tests/fixtures/extract/<case>/input.html` + `expected.json`; each test file collects the cases
whose expected.json holds one of the keys it checks.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures" / "extract"


def extract_cases(keys: Sequence[str]) -> list[tuple[str, Path, dict[str, Any]]]:
    """(name, folder, expected) of every case whose expected.json checks one of `keys`."""
    cases = []
    for folder in sorted(FIXTURES.glob("*/")):
        expected_file = folder / "expected.json"
        if not (folder / "input.html").is_file() or not expected_file.is_file():
            continue
        expected = json.loads(expected_file.read_text(encoding="utf-8"))
        if any(key in expected for key in keys):
            cases.append((folder.name, folder, expected))
    return cases
