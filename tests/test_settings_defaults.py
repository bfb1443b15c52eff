"""Every archiver setting has its default in `archiver/settings.py` and nowhere else.

A default repeated at a call site drifts (one said 50 MB where the setting said 16 MB), and a name
read but never defined has no documented default at all. The source is read as a syntax tree:
`settings.getint("NAME", 16)` or `settings.get("NAME") or "x"` for a name of archiver/settings.py
is a repeated default; a setting name read anywhere must be defined by Scrapy or by us.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from scrapy.settings import Settings, default_settings
from scrapy.utils.test import get_crawler

from archiver import settings as project_settings
from archiver.defaults import default, setting, setting_bool, setting_int

REPO = Path(__file__).resolve().parent.parent
SOURCES = sorted([*(REPO / "archiver").rglob("*.py"), *(REPO / "spiders").rglob("*.py")])
GETTERS = {"get", "getbool", "getint", "getfloat", "getlist", "getdict"}
HELPERS = {"default", "setting", "setting_bool", "setting_int", "setting_float", "setting_list"}
OURS = {name for name in vars(project_settings) if name.isupper()}
# Settings of the libraries the distributed addon configures (scrapy-redis), not ours to define.
THIRD_PARTY = {"SCHEDULER_SERIALIZER"}


def _setting_name(call: ast.Call) -> str | None:
    """The NAME of `<x>.settings.get*("NAME", ...)` / `setting*(settings, "NAME")` / `default("NAME")`."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in GETTERS:
        owner = ast.unparse(func.value)
        args = call.args[:1] if owner.endswith("settings") else []
    elif isinstance(func, ast.Name) and func.id in HELPERS:
        args = call.args[-1:]
    else:
        return None
    if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str) and args[0].value.isupper():
        return args[0].value
    return None


def _settings_reads() -> list[tuple[str, int, str, ast.Call, ast.AST | None]]:
    """(file, line, NAME, call, parent) of every setting read in the product code."""
    reads = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and (name := _setting_name(node)):
                reads.append((str(path.relative_to(REPO)), node.lineno, name, node, parents.get(node)))
    return reads


def test_the_scan_sees_the_settings_reads() -> None:
    names = {name for _, _, name, _, _ in _settings_reads()}
    assert {"WARC_ENABLED", "ARCHIVE_DIR", "TRAP_GUARD_ENABLED", "DOWNLOAD_MAXSIZE"} <= names


def test_no_call_site_repeats_a_default() -> None:
    repeated = []
    for where, line, name, call, parent in _settings_reads():
        if name not in OURS or not isinstance(call.func, ast.Attribute):
            continue
        if len(call.args) > 1 or call.keywords:
            repeated.append(f"{where}:{line}: {ast.unparse(call)}")
        if isinstance(parent, ast.BoolOp) and isinstance(parent.op, ast.Or) and parent.values[0] is call and any(
                isinstance(value, ast.Constant) and value.value not in (None, "") for value in parent.values[1:]):
            repeated.append(f"{where}:{line}: {ast.unparse(parent)}")
    assert not repeated, "defaults belong in archiver/settings.py:\n" + "\n".join(repeated)


def _raw_read_loses_the_default(getter: str, name: str) -> bool:
    """Does `settings.<getter>(NAME)` give a crawler without archiver/settings.py another value
    than our default? Falsy either way (None, "", 0, False, []) counts as the same."""
    def read(settings: Settings) -> object:
        try:
            return getattr(settings, getter)(name)
        except ValueError:  # getbool("auto"): the raw read cannot even parse our default
            return ValueError
    bare, ours = read(Settings()), read(Settings({name: default(name)}))
    return bool(bare or ours) and bare != ours


def test_raw_read_check_tells_trivial_defaults_from_lost_ones() -> None:
    assert _raw_read_loses_the_default("getint", "MAX_DEPTH")  # 0 (unlimited) instead of 5
    assert _raw_read_loses_the_default("getbool", "BLOCK_PRIVATE_NETWORKS")  # "auto"
    assert not _raw_read_loses_the_default("getbool", "INCREMENTAL")  # False either way
    assert not _raw_read_loses_the_default("get", "CRAWL_ID")  # "" and None: both "unset"


def test_our_settings_are_read_through_the_helpers() -> None:
    """A raw `settings.getint("OURS")` gives 0 in a crawler without our settings module (a user's
    project, `get_crawler(settings_dict=...)`): our settings with a real default go through
    archiver.defaults. Scrapy's own settings (DOWNLOAD_MAXSIZE, ...) always have Scrapy's default."""
    scrapy_names = {name for name in vars(default_settings) if name.isupper()}
    raw = [f"{where}:{line}: {ast.unparse(call)}" for where, line, name, call, _ in _settings_reads()
           if name in OURS - scrapy_names and isinstance(call.func, ast.Attribute)
           and ast.unparse(call.func.value).endswith("settings")
           and _raw_read_loses_the_default(call.func.attr, name)]
    assert not raw, "read these through archiver.defaults (setting_int, ...):\n" + "\n".join(raw)


def test_every_setting_read_is_defined() -> None:
    known = OURS | {name for name in vars(default_settings) if name.isupper()} | THIRD_PARTY
    reads = _settings_reads()
    undefined = sorted({f"{where}:{line}: {name}" for where, line, name, _, _ in reads if name not in known})
    assert not undefined, "read but defined nowhere:\n" + "\n".join(undefined)


def test_helpers_give_the_project_default_to_a_crawler_without_our_settings() -> None:
    bare = get_crawler().settings
    assert setting_bool(bare, "TRAP_GUARD_ENABLED") is True
    assert setting_int(bare, "WARC_MAX_SIZE") == project_settings.WARC_MAX_SIZE
    assert setting(bare, "ARCHIVE_DIR") == "output"
    configured = get_crawler(settings_dict={"WARC_MAX_SIZE": 5, "ARCHIVE_DIR": ""}).settings
    assert setting_int(configured, "WARC_MAX_SIZE") == 5
    assert setting(configured, "ARCHIVE_DIR") == "output"  # empty means the default, as before


def test_a_name_without_a_default_is_an_error() -> None:
    with pytest.raises(KeyError, match="NO_SUCH_SETTING"):
        default("NO_SUCH_SETTING")
    assert default("ARCHIVE_MEDIA_TYPES") is not project_settings.ARCHIVE_MEDIA_TYPES  # a copy
