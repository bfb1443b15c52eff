"""Regression guard on the aeb-dev benchmark pages: the body figures reached must not slip.

Uses the corpus's own score.py. The thresholds sit just under the figures recorded in
benchmarks/results/extraction.md, so a change that loses a page or two fails here.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from archiver.extract import extract_page

MIN_F1 = 0.987
MIN_ACCURACY = 0.70


def _score_module(corpus: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("aeb_score", corpus / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def aeb_scores(corpus: Path) -> dict[str, Any]:
    aeb = corpus / "aeb-dev"
    truth = json.loads((aeb / "ground-truth.json").read_text(encoding="utf-8"))
    predictions = {}
    for key, page in truth.items():
        html = gzip.decompress((aeb / "html" / f"{key}.html.gz").read_bytes())
        predictions[key] = {"articleBody": extract_page(html, page["url"])["body"]}
    return dict(_score_module(aeb).score(truth, predictions, sorted(truth)))


def test_body_f1_on_aeb_dev(aeb_scores: dict[str, Any]) -> None:
    assert aeb_scores["pages"] == 91
    assert aeb_scores["f1"] >= MIN_F1, aeb_scores


def test_body_accuracy_on_aeb_dev(aeb_scores: dict[str, Any]) -> None:
    assert aeb_scores["accuracy"] >= MIN_ACCURACY, aeb_scores
