"""One aeb-dev split for every benchmark, and the held-out half published as aggregates only.

Issue 14's guard against tuning to the corpus holds only if every benchmark checks its rules on
the same held-out sites (benchmarks/aeb_split.py) and no report names a held-out page.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
AEB = REPO.parent / "shared" / "corpus" / "aeb-dev"


def benchmark_module(name: str) -> ModuleType:
    """A script of benchmarks/ loaded by path; the sys.path entries it adds are taken back out,
    so its script names do not shadow other modules for the rest of the session."""
    saved = list(sys.path)
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "benchmarks" / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses resolve their annotations through sys.modules
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = saved
    return module


@pytest.mark.skipif(not (AEB / "ground-truth.json").exists(), reason="aeb-dev corpus not present")
def test_site_classifier_uses_the_split_of_the_generalisation_benchmark() -> None:
    split = benchmark_module("aeb_split")
    classifier = benchmark_module("site_classifier")
    truth = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    assert all(classifier.half_of(page["url"]) == split.half_of(page["url"]) for page in truth.values())


def test_generalisation_report_names_no_held_out_page() -> None:
    bench = benchmark_module("generalisation")

    def page(key: str) -> object:
        return bench.Page(key=key, url=f"https://{key}.example/a", html=b"<p>x</p>",
                          body="the harbour bridge reopened on monday after repairs")

    sets = {"aeb-dev dev half": [page("devpage01")], bench.HELD_OUT: [page("heldout01")],
            "devset2": [page("devset201")], "devset3": [page("devset301"), page("mondediplo-turpitude")],
            "devset4": [page("devset401")]}
    outcomes = {key: bench.Outcome(record={"body": "the harbour bridge reopened on monday", "comments": [],
                                           "media": [], "comments_system": None},
                                   trafilatura="the harbour bridge reopened on monday", ours_seconds=0.001,
                                   trafilatura_seconds=0.001)
                for key in ("devpage01", "heldout01", "devset201", "devset301", "mondediplo-turpitude", "devset401")}
    text = bench.report(sets, outcomes, 1)
    assert "devpage01" in text and "devset201" in text
    assert "heldout01" not in text
    assert bench.HELD_OUT in text  # its aggregates are still there
    assert "devset301" not in text  # devset3 is published as aggregates only
    assert "| devset3 never looked at | 1 |" in text and "| devset3 looked at | 1 |" in text
    assert "devset401" not in text and "| devset4 | 1 |" in text  # devset4 too: aggregates only
