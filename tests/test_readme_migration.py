"""The README's migration table: every new path imports, every old one is gone (so the table is
the user's only guide, and it must not point at the same path twice)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
_ROW = re.compile(r"^\| `(archiver\.[\w.]+)`.*\| `(archiver\.[\w.]+?)\.?` ", re.MULTILINE)


def _rows() -> list[tuple[str, str]]:
    section = README.read_text(encoding="utf-8").split("### Migration from the earlier layout", 1)[1]
    return _ROW.findall(section)


def _split(dotted: str) -> tuple[str, str | None]:
    """(module, attribute) of a path that may end in a class or function name (`...` rows name a
    module only). Names of our modules are lower case; classes are CamelCase, functions end in _for."""
    module, _, last = dotted.rpartition(".")
    if last[:1].isupper() or last.endswith("_for"):
        return module, last
    return dotted, None


def test_the_table_has_rows() -> None:
    assert len(_rows()) >= 5


@pytest.mark.parametrize(("old", "new"), _rows())
def test_new_path_imports_and_old_module_is_gone(old: str, new: str) -> None:
    old_module, _ = _split(old)
    new_module, name = _split(new)
    assert old_module != new_module
    module = importlib.import_module(new_module)
    assert name is None or hasattr(module, name)
    with pytest.raises(ImportError):
        importlib.import_module(old_module)
