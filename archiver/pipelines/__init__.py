"""Item pipelines: normalize → dedupe → validate → (WARC metadata) → JSONL."""
