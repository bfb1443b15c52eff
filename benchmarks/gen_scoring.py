"""How a record is scored against hand-written truth in the generalisation benchmark.

Kept apart from the runner (generalisation.py) so the matching rules are read in one place:

* Media: a truth entry is found when a record media entry has the same normalised URL, either
  as its `url`, its `poster`, one of its `srcset` or `sources` URLs (one picture served in several
  renditions is one entry). A truth entry's `also` lists other files of the same picture that the
  page references (a gallery's thumbnail, an og:image rendition of the shown lead): a record entry
  naming one of them is right, not spurious. Normalising: scheme dropped, host lower-cased
  without "www.", "x.com" read as "twitter.com", percent-escapes decoded, fragment and trailing
  "/" dropped, and the query kept without the parameters that only pick a rendition or a player
  option (size, quality, crop, format, autoplay, ... see RENDITION_PARAMS), so "?w=640" and
  "?quality=85" are one picture while "embed?clip=A" and "embed?clip=B" stay two videos. The type
  is not compared (an embed counted as "iframe" or "embed" is the same thing to a reader).
  Recall = found truth entries / truth entries; precision = record entries matching some truth
  entry / record entries, both summed over pages (micro).
* Comments: a truth comment is found when the record has a comment with the same id key
  (the last run of digits of the id, else the whole id lower-cased: "comment-123",
  "li-comment-123" and "123" are one comment), or, failing that, the next unmatched record
  comment by the same author name (the record found it but did not keep the page's id: counted
  as found, not as "id kept"). Its parent is right when the parent of the matched record comment
  is the match of the truth parent (both None for a top-level comment). Spurious = record
  comments matching no truth comment.
* Encoding: the page is decoded when the record's body contains the truth's `probe` text (a
  sentence of the article in its own script).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

DIGITS = re.compile(r"\d+")
RENDITION_PARAMS = frozenset({
    "w", "h", "width", "height", "quality", "q", "resize", "fit", "crop", "auto", "format", "fm", "dpr",
    "itok", "ssl", "strip", "s", "sz", "size", "zoom", "ver", "version", "cb", "ts", "autoplay",
    "feature", "rel", "parent", "enablejsapi", "origin", "wmode", "showinfo", "modestbranding", "lang",
})


def normalise_url(url: str) -> str:
    """The form two URLs of one media item share (see the module docstring)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if host in {"x.com", "mobile.twitter.com"}:
        host = "twitter.com"
    path = unquote(parts.path).rstrip("/")
    query = sorted(pair for pair in parse_qsl(parts.query, keep_blank_values=True)
                   if pair[0].lower() not in RENDITION_PARAMS)
    return f"{host}{path}" + (f"?{urlencode(query)}" if query else "")


def media_urls(entry: dict[str, Any]) -> set[str]:
    """Every normalised URL a record media entry answers to."""
    urls = [entry.get("url"), entry.get("poster")]
    urls += [item.get("url") for item in entry.get("srcset") or []]
    urls += [item.get("url") for item in entry.get("sources") or []]
    return {normalise_url(url) for url in urls if url}


@dataclass
class MediaScore:
    truth: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    by_type: dict[str, list[int]] = field(default_factory=dict)  # truth type -> [found, truth]

    def add(self, other: MediaScore) -> None:
        self.truth += other.truth
        self.found += other.found
        self.predicted += other.predicted
        self.correct += other.correct
        for kind, (found, total) in other.by_type.items():
            counts = self.by_type.setdefault(kind, [0, 0])
            counts[0] += found
            counts[1] += total

    @property
    def recall(self) -> float:
        return self.found / self.truth if self.truth else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0


def score_media(truth: Iterable[dict[str, Any]], predicted: list[dict[str, Any]]) -> MediaScore:
    """Truth entries found and record entries right, for one page."""
    truth_urls = [{normalise_url(url) for url in [entry["url"], *entry.get("also", [])]} for entry in truth]
    predicted_urls = [media_urls(entry) for entry in predicted]
    score = MediaScore(truth=len(truth_urls), predicted=len(predicted))
    for entry, names in zip(truth, truth_urls, strict=True):
        counts = score.by_type.setdefault(entry["type"], [0, 0])
        counts[1] += 1
        if any(names & urls for urls in predicted_urls):
            score.found += 1
            counts[0] += 1
        else:
            score.missed.append(entry["url"])
    wanted = set().union(*truth_urls)
    for entry, urls in zip(predicted, predicted_urls, strict=True):
        if urls & wanted:
            score.correct += 1
        else:
            score.spurious.append(entry["url"])
    return score


def id_key(comment_id: str | None) -> str | None:
    """The part of a comment id two spellings share ("li-comment-7" and "7" -> "7")."""
    if comment_id is None:
        return None
    runs = DIGITS.findall(comment_id)
    return runs[-1] if runs else comment_id.strip().lower()


@dataclass
class CommentScore:
    truth: int = 0
    found: int = 0
    ids_kept: int = 0
    right_parent: int = 0
    spurious: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, other: CommentScore) -> None:
        self.truth += other.truth
        self.found += other.found
        self.ids_kept += other.ids_kept
        self.right_parent += other.right_parent
        self.spurious += other.spurious


def match_comments(truth: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> dict[int, int]:
    """Truth index -> record index: by id key first, then by author name in page order."""
    by_key = {id_key(comment["id"]): index for index, comment in enumerate(predicted)}
    matched = {t: by_key[id_key(c["id"])] for t, c in enumerate(truth) if id_key(c["id"]) in by_key}
    free = [index for index in range(len(predicted)) if index not in matched.values()]
    for t, comment in enumerate(truth):
        if t in matched:
            continue
        same_author = [i for i in free if (predicted[i].get("author") or {}).get("name") == comment.get("author")]
        if same_author:
            matched[t] = same_author[0]
            free.remove(same_author[0])
    return matched


def score_comments(truth: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> CommentScore:
    """Truth comments found, with the page's id, with the right parent; record comments that are none of them."""
    matched = match_comments(truth, predicted)
    truth_index = {id_key(comment["id"]): t for t, comment in enumerate(truth)}
    record_index = {id_key(comment["id"]): index for index, comment in enumerate(predicted)}
    score = CommentScore(truth=len(truth), found=len(matched))
    for t, comment in enumerate(truth):
        if t not in matched:
            score.problems.append(f"missing {comment['id']}")
            continue
        got = predicted[matched[t]]
        if id_key(got["id"]) == id_key(comment["id"]):
            score.ids_kept += 1
        elif len(score.problems) < 8:
            score.problems.append(f"{comment['id']} found as id {got['id']}")
        if _parent_right(comment, got, truth_index, record_index, matched):
            score.right_parent += 1
        else:
            score.problems.append(f"{comment['id']}: parent {got['parent_id']} != {comment['parent_id']}")
    extra = [comment["id"] for index, comment in enumerate(predicted) if index not in matched.values()]
    score.spurious = len(extra)
    score.problems += [f"spurious {comment_id}" for comment_id in extra[:5]]
    return score


def _parent_right(comment: dict[str, Any], got: dict[str, Any], truth_index: dict[str | None, int],
                  record_index: dict[str | None, int], matched: dict[int, int]) -> bool:
    """A top-level truth comment must be top level in the record; a reply must point at the record
    comment matched to its truth parent. A parent that is missing or unknown on either side is
    wrong, never "both None": a reply flattened to the top level or a dangling parent id is a miss."""
    if not comment["parent_id"]:
        return not got["parent_id"]
    parent_t = truth_index.get(id_key(comment["parent_id"]))
    if parent_t is None or parent_t not in matched or not got["parent_id"]:
        return False
    return record_index.get(id_key(got["parent_id"])) == matched[parent_t]


def decoded(probe: str, body: str) -> bool:
    """The legacy-encoding check: the article's own sentence appears in the extracted body."""
    return " ".join(probe.split()) in " ".join(body.split())
