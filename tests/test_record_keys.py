"""The record's keys are one set in its three descriptions: the JSON Schema (the contract), the
TypedDicts of `archiver.items` (what the crawl fills) and the dataclasses of `archiver.load.typed`
(what loaders read). A key added to one and not the others fails here."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from archiver import items
from archiver.load import typed

SCHEMA = json.loads((Path(items.__file__).parent / "schema" / "record.schema.json").read_text(encoding="utf-8"))
# Dataclass fields that are not record keys: unknown keys, and where the record was read from.
NOT_KEYS = {"extra", "source", "line"}
NESTED = [("person", items.Person, typed.Person), ("srcset_entry", items.SrcsetEntry, typed.SrcsetEntry),
          ("media", items.Media, typed.Media), ("comment", items.Comment, typed.Comment),
          ("warc_pointer", items.WarcPointer, typed.WarcPointer)]


def typed_dict_keys(cls: Any) -> set[str]:
    return set(cls.__required_keys__ | cls.__optional_keys__)


def dataclass_keys(cls: Any) -> set[str]:
    return {item.name for item in fields(cls)} - NOT_KEYS


def test_the_always_present_keys_are_one_set() -> None:
    assert len(items.RECORD_KEYS) == len(set(items.RECORD_KEYS))
    assert set(items.RECORD_KEYS) == set(SCHEMA["required"])
    assert dataclass_keys(typed.Record) == set(items.RECORD_KEYS)


def test_the_optional_keys_are_the_rest_of_the_schema() -> None:
    optional = set(SCHEMA["properties"]) - set(SCHEMA["required"])
    assert set(items.OPTIONAL_KEYS) | set(items.ADDED_KEYS) == optional
    assert not set(items.OPTIONAL_KEYS) & set(items.ADDED_KEYS)
    assert not optional & dataclass_keys(typed.Record)  # loaders keep them in `extra`


@pytest.mark.parametrize(("definition", "typed_dict", "dataclass"), NESTED, ids=[n for n, _, _ in NESTED])
def test_nested_objects_agree_with_the_schema(definition: str, typed_dict: Any, dataclass: Any) -> None:
    schema = SCHEMA["$defs"][definition]
    assert typed_dict_keys(typed_dict) == set(schema["properties"])
    assert set(schema["required"]) <= dataclass_keys(dataclass) <= set(schema["properties"])


def test_an_empty_record_has_exactly_the_always_present_keys() -> None:
    assert list(items.empty_record("https://e.org/")) == list(items.RECORD_KEYS + items.ADDED_KEYS)
