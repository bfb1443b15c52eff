"""Write a small file so readers see the old version or the whole new one, never half of it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def write_json_atomic(path: Path, data: Any) -> None:
    """`data` as indented JSON at `path`: written to `path.open`, fsynced, then renamed over it."""
    partial = path.with_name(path.name + ".open")
    with partial.open("w", encoding="utf-8") as stream:
        json.dump(data, stream, indent=2, ensure_ascii=False)
        stream.write("\n")
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(partial, path)
