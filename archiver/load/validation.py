"""Fast record validation for loading and verifying large archives.

`archiver.schema.record_errors` (jsonschema) costs about half a millisecond per record, which
dominates loading. The same schema compiled to Python by fastjsonschema answers "valid?" some
twenty times faster; jsonschema is asked only about the rare record fastjsonschema rejects, so
messages are jsonschema's, and a record is refused only when jsonschema agrees it is invalid
(tests/test_load.py checks both agree on valid and broken records).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from archiver.schema import record_errors, record_schema


@cache
def _fast_validator() -> Callable[[Any], Any] | None:
    try:
        import fastjsonschema
    except ImportError:  # pragma: no cover - optional speed-up
        return None
    return fastjsonschema.compile(record_schema())  # type: ignore[no-any-return]


def errors(record: dict[str, Any]) -> list[str]:
    """Schema violations of `record` (empty when valid), as `archiver.schema.record_errors` words them."""
    validator = _fast_validator()
    if validator is not None:
        try:
            validator(record)
            return []
        except Exception:  # noqa: BLE001 - fastjsonschema.JsonSchemaException: ask jsonschema why
            pass
    return record_errors(record)
