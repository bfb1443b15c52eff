"""The record JSON Schema (single source of truth for the record) and its validator."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator

SCHEMA_FILE = "record.schema.json"


@cache
def record_schema() -> dict[str, Any]:
    """The parsed record schema shipped with the package."""
    text = resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(record_schema())


@cache
def _fast_validator() -> Callable[[Any], Any]:
    """The schema compiled to Python by fastjsonschema: ~20x faster than jsonschema to say "valid"."""
    return fastjsonschema.compile(record_schema())  # type: ignore[no-any-return]


def record_errors(record: dict[str, Any]) -> list[str]:
    """Every schema violation of `record` as `path: message` lines (empty when valid).

    fastjsonschema answers "valid?"; jsonschema is only asked about the rare invalid record, to
    word the messages, and a record is invalid only when jsonschema agrees.
    """
    try:
        _fast_validator()(record)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    return detailed_errors(record)


def detailed_errors(record: dict[str, Any]) -> list[str]:
    """`record_errors` from jsonschema alone (the reference implementation of the schema)."""
    errors = sorted(_validator().iter_errors(record), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '<root>'}: {e.message}" for e in errors]

