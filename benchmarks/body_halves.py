"""Body F1 / exact accuracy on the two by-site halves of aeb-dev, ours (full record) vs trafilatura.

    .venv/bin/python benchmarks/body_halves.py [--corpus ../shared/corpus/aeb-dev]

Issue 14: a change must not help one half while hurting the other. The half of a page is a pure
function of its site (host lower-cased, leading "www." dropped): SHA-256 of the site, last byte
even -> "dev", odd -> "held-out" — the same rule as branch issue-14a's benchmarks/aeb_split.py,
so the figures line up with its generalisation benchmark. To compare two versions of the
extractor, run this script with PYTHONPATH pointing at the other tree.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction import DEFAULT_CORPUS, load_pages, load_score_module, ours_full, trafilatura_body  # noqa: E402

HALVES = ("dev", "held-out")


def half_of(url: str) -> str:
    site = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    return HALVES[hashlib.sha256(site.encode("utf-8")).digest()[-1] % 2]


def score_half(score: Any, truth: dict[str, Any], predictions: dict[str, dict[str, str]],
               keys: list[str]) -> tuple[float, float]:
    """(F1, exact accuracy) of `predictions` over the pages `keys`, with the corpus's metric."""
    metrics = score.score(truth, predictions, keys)
    return float(metrics["f1"]), float(metrics["accuracy"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    score = load_score_module(args.corpus)
    truth, pages = load_pages(args.corpus)
    halves = {half: [key for key in sorted(truth) if half_of(truth[key]["url"]) == half] for half in HALVES}
    tools = {"ours (full record)": ours_full, "trafilatura": trafilatura_body}
    for name, extract in tools.items():
        predictions = {key: {"articleBody": extract(pages[key], truth[key]["url"])} for key in truth}
        cells = []
        for half, keys in halves.items():
            f1, accuracy = score_half(score, truth, predictions, keys)
            cells.append(f"{half} ({len(keys)} pages) F1 {f1:.4f} acc {accuracy:.2f}")
        print(f"{name:20} " + " | ".join(cells))


if __name__ == "__main__":
    main()
