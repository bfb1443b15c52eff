"""Docstrings name things that exist: dotted `archiver.…` paths resolve, and the usage line of a
benchmark script offers only the flags its argparse defines (a reader who follows a docstring
must not land on an ImportError or an argparse exit 2)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
_DOTTED = re.compile(r"`(archiver(?:\.[A-Za-z_]\w*)+)`")
_USAGE = re.compile(r"^\s+\.venv/bin/python benchmarks/\w+\.py (.*)$", re.MULTILINE)


def _resolves(dotted: str) -> bool:
    """Whether `dotted` names a module, or an attribute path inside the longest importable module."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            target: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for name in parts[split:]:
            if not hasattr(target, name):
                return False
            target = getattr(target, name)
        return True
    return False


def _sources(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (REPO / folder).rglob("*.py"))


def test_dotted_paths_named_in_the_code_resolve() -> None:
    unresolved = [f"{path.relative_to(REPO)}: {dotted}" for path in _sources("archiver", "spiders")
                  for dotted in _DOTTED.findall(path.read_text(encoding="utf-8")) if not _resolves(dotted)]
    assert not unresolved, "\n".join(unresolved)


@pytest.mark.parametrize("script", _sources("benchmarks"), ids=lambda path: path.name)
def test_benchmark_usage_lines_offer_only_defined_flags(script: Path) -> None:
    source = script.read_text(encoding="utf-8")
    offered = {flag for line in _USAGE.findall(source) for flag in re.findall(r"--[\w-]+", line)}
    missing = sorted(flag for flag in offered if f'"{flag}"' not in source)
    assert not missing, f"{script.name} usage names flags argparse does not define: {missing}"
