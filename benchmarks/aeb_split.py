"""Split the aeb-dev corpus by site into a "dev" half and a "held-out" half.

Issue 14: rules tuned on corpus pages must be checked on pages of sites they were not tuned on.
The split is by site, not by page, because two pages of one site share a template: a page of a
site we develop on says nothing about how the extractor does on sites it has never seen.

The half of a page is a pure function of its URL's host (lower-cased, a leading "www."
dropped): the SHA-256 of the host, read as an integer, even -> "dev", odd -> "held-out". No
list of keys is stored, so the split is the same on every machine and for every page added
later. On the 91 pages it gives 46 dev pages (39 sites) and 45 held-out pages (38 sites).

    .venv/bin/python benchmarks/aeb_split.py [--corpus ../shared/corpus/aeb-dev]   # prints the halves
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

Half = Literal["dev", "held-out"]
HALVES: tuple[Half, Half] = ("dev", "held-out")
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "aeb-dev"


def site_of(url: str) -> str:
    """The site a page belongs to: its host, lower-cased, without a leading "www."."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def half_of(url: str) -> Half:
    """The half a page's site falls in (deterministic: the parity of SHA-256 of the site)."""
    digest = hashlib.sha256(site_of(url).encode("utf-8")).digest()
    return HALVES[digest[-1] % 2]


def split_keys(truth: dict[str, dict[str, str]]) -> dict[Half, list[str]]:
    """The corpus keys of each half, sorted, from the ground truth's {key: {"url": ...}}."""
    halves: dict[Half, list[str]] = {half: [] for half in HALVES}
    for key in sorted(truth):
        halves[half_of(truth[key]["url"])].append(key)
    return halves


def load_split(corpus: Path = DEFAULT_CORPUS) -> dict[Half, list[str]]:
    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    return split_keys(truth)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    truth = json.loads((args.corpus / "ground-truth.json").read_text(encoding="utf-8"))
    for half, keys in split_keys(truth).items():
        sites = sorted({site_of(truth[key]["url"]) for key in keys})
        print(f"{half}: {len(keys)} pages, {len(sites)} sites")
        for site in sites:
            print(f"  {site}")


if __name__ == "__main__":
    main()
