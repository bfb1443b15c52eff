"""The generalisation benchmark's split and matching rules, and the consistency of devset2's truth.

The benchmark (benchmarks/generalisation.py) is only as good as these rules: a split that moves
pages between halves, or a matcher that calls two videos one, would change the figures silently.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import pytest

from archiver.extract.sites import site_of_host

REPO = Path(__file__).resolve().parent.parent


def benchmark_module(name: str) -> ModuleType:
    """A module of benchmarks/ loaded by path (benchmarks/ is not a package; putting it on
    sys.path would let its script names shadow other modules for the rest of the session)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses resolve their annotations through sys.modules
    spec.loader.exec_module(module)
    return module


aeb_split = benchmark_module("aeb_split")
gen_scoring = benchmark_module("gen_scoring")
half_of, load_split, site_of = aeb_split.half_of, aeb_split.load_split, aeb_split.site_of
decoded, normalise_url = gen_scoring.decoded, gen_scoring.normalise_url
score_comments, score_media = gen_scoring.score_comments, gen_scoring.score_media

AEB = REPO.parent / "shared" / "corpus" / "aeb-dev"
DEVSET2 = REPO / "benchmarks" / "devset2"


def comment(cid: str, parent: str | None, author: str) -> dict[str, Any]:
    return {"id": cid, "parent_id": parent, "author": author}


def record_comment(cid: str, parent: str | None, author: str) -> dict[str, Any]:
    return {"id": cid, "parent_id": parent, "author": {"name": author, "url": None}}


def test_site_ignores_case_and_www() -> None:
    assert site_of("https://WWW.Example.org/a") == site_of("http://example.org/b") == "example.org"
    assert half_of("https://www.example.org/a") == half_of("https://example.org/zzz")


@pytest.mark.skipif(not (AEB / "ground-truth.json").exists(), reason="aeb-dev corpus not present")
def test_aeb_halves_split_by_site_and_cover_the_corpus() -> None:
    truth = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    halves = load_split(AEB)
    assert sorted(halves["dev"] + halves["held-out"]) == sorted(truth)
    assert (len(halves["dev"]), len(halves["held-out"])) == (46, 45)
    dev_sites = {site_of(truth[key]["url"]) for key in halves["dev"]}
    assert not dev_sites & {site_of(truth[key]["url"]) for key in halves["held-out"]}


def test_rendition_parameters_are_one_picture_but_identifying_ones_are_not() -> None:
    assert normalise_url("https://www.a.org/p.jpg?w=640&quality=85") == normalise_url("http://a.org/p.jpg")
    assert normalise_url("https://x.com/u/status/1?s=20") == normalise_url("https://twitter.com/u/status/1")
    assert normalise_url("https://clips.twitch.tv/embed?clip=A&parent=x") != normalise_url(
        "https://clips.twitch.tv/embed?clip=B&parent=x")
    assert normalise_url("https://youtube.com/watch?v=A") != normalise_url("https://youtube.com/watch?v=B")


def test_media_alternates_count_as_right_but_once_for_recall() -> None:
    truth = [{"type": "image", "url": "https://a.org/big.jpg", "also": ["https://a.org/thumb.jpg"]}]
    predicted = [{"url": "https://a.org/thumb.jpg", "srcset": []}, {"url": "https://a.org/logo.png", "srcset": []}]
    score = score_media(truth, predicted)
    assert (score.found, score.correct, score.spurious) == (1, 1, ["https://a.org/logo.png"])


def test_media_srcset_rendition_matches() -> None:
    predicted = [{"url": "https://a.org/p-300.jpg", "srcset": [{"url": "https://a.org/p-1024.jpg", "width": 1024}]}]
    assert score_media([{"type": "image", "url": "https://a.org/p-1024.jpg"}], predicted).recall == 1.0


def test_comments_matched_by_id_key_then_by_author() -> None:
    truth = [comment("comment-1", None, "Ann"), comment("comment-2", "comment-1", "Bob"), comment("3", None, "Cy")]
    predicted = [record_comment("1", None, "Ann"), record_comment("c9", "1", "Bob"), record_comment("7", None, "Zed")]
    score = score_comments(truth, predicted)
    assert (score.found, score.ids_kept, score.right_parent, score.spurious) == (2, 1, 2, 1)


def test_wrong_parent_is_counted() -> None:
    truth = [comment("1", None, "Ann"), comment("2", "1", "Bob")]
    score = score_comments(truth, [record_comment("1", None, "Ann"), record_comment("2", None, "Bob")])
    assert (score.found, score.right_parent) == (2, 1)


def test_decoded_ignores_whitespace_layout() -> None:
    assert decoded("Die  Melkarbeit\nerkennt", "x Die Melkarbeit erkennt y")
    assert not decoded("Melkarbeit", "Melk\ufffdarbeit")


def devset2_truths() -> list[tuple[str, dict[str, Any]]]:
    return [(path.stem, json.loads(path.read_text(encoding="utf-8")))
            for path in sorted((DEVSET2 / "truth").glob("*.json"))]


def test_devset2_truth_is_consistent() -> None:
    truths = devset2_truths()
    assert len(truths) >= 30
    sources = (DEVSET2 / "SOURCES.md").read_text(encoding="utf-8")
    for key, truth in truths:
        assert (DEVSET2 / "pages" / f"{key}.html").exists(), key
        assert f"| {key} |" in sources, key
        assert truth["url"].startswith("http"), key
        for entry in truth.get("media", []):
            assert entry["type"] in {"image", "video", "audio", "iframe", "embed"} and entry["url"], key
        ids = [item["id"] for item in truth.get("comments", [])]
        assert len(ids) == len(set(ids)), key
        assert all(item["parent_id"] in ids for item in truth.get("comments", []) if item["parent_id"]), key


def test_devset2_targets_of_issue_14() -> None:
    truths = dict(devset2_truths())
    media_publishers = {truth["publisher"] for truth in truths.values() if "media" in truth}
    nested = [key for key, truth in truths.items() if any(c["parent_id"] for c in truth.get("comments", []))]
    assert len(media_publishers) >= 20
    assert len(nested) >= 8
    assert any("encoding" in truth for truth in truths.values())


@pytest.mark.skipif(not (AEB / "ground-truth.json").exists(), reason="aeb-dev corpus not present")
def test_no_devset2_page_is_an_aeb_dev_page() -> None:
    aeb_urls = {normalise_url(v["url"]) for v in json.loads((AEB / "ground-truth.json").read_text()).values()}
    assert not {normalise_url(truth["url"]) for _, truth in devset2_truths()} & aeb_urls


def test_a_reply_whose_parent_was_missed_is_not_right_when_flattened() -> None:
    truth = [comment("1", None, "Ann"), comment("2", "1", "Bob")]
    score = score_comments(truth, [record_comment("2", None, "Bob")])
    assert (score.found, score.right_parent) == (1, 0)


def test_a_dangling_parent_on_a_top_level_comment_is_wrong() -> None:
    truth = [comment("1", None, "Ann")]
    score = score_comments(truth, [record_comment("1", "999", "Ann")])
    assert (score.found, score.right_parent) == (1, 0)


def _set_truths(folder: Path) -> dict[str, dict[str, Any]]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8"))
            for path in sorted((folder / "truth").glob("*.json"))}


def _site(url: str) -> str:
    return site_of_host(urlsplit(url).hostname or "")


def _check_unseen_set(folder: Path, earlier: list[Path]) -> dict[str, dict[str, Any]]:
    """Every page of an unseen set has its file, its SOURCES.md row and hand truth, comes from a
    site of its own, and shares no URL and no site with aeb-dev, devset2 or the `earlier` sets."""
    sources = (folder / "SOURCES.md").read_text(encoding="utf-8")
    truths = _set_truths(folder)
    for key, truth in truths.items():
        assert (folder / "pages" / f"{key}.html").exists() and f"| {key} |" in sources, key
        assert truth["url"].startswith("http") and truth["body"] and truth["body_note"], key
    assert len({_site(truth["url"]) for truth in truths.values()}) == len(truths)
    seen = [truth["url"] for _, truth in devset2_truths()]
    seen += [truth["url"] for other in earlier for truth in _set_truths(other).values()]
    if (AEB / "ground-truth.json").exists():
        seen += [v["url"] for v in json.loads((AEB / "ground-truth.json").read_text()).values()]
    assert not {normalise_url(truth["url"]) for truth in truths.values()} & {normalise_url(url) for url in seen}
    assert not {_site(truth["url"]) for truth in truths.values()} & {_site(url) for url in seen}
    return truths


def test_devset3_is_unseen_and_consistent() -> None:
    assert len(_check_unseen_set(REPO / "benchmarks" / "devset3", [])) >= 8


def test_devset4_is_unseen_and_consistent() -> None:
    truths = _check_unseen_set(REPO / "benchmarks" / "devset4", [REPO / "benchmarks" / "devset3"])
    assert 10 <= len(truths) <= 14
    assert all(truth["source"] and truth["publisher"] for truth in truths.values())
