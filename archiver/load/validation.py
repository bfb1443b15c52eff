"""Record validation for loading and verifying large archives (kept as an import path).

The fast path (fastjsonschema first, jsonschema only to word the errors) lives in
`archiver.schema.record_errors`, shared with the crawl's validate pipeline.
"""

from __future__ import annotations

from archiver.schema import _fast_validator, record_errors

errors = record_errors

__all__ = ["_fast_validator", "errors"]
