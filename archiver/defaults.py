"""Read an archiver setting with the default `archiver/settings.py` gives it, and nowhere else.

Scrapy's own components can rely on `scrapy.settings.default_settings` being loaded; ours cannot
rely on `archiver.settings` being the settings module (a user's own project, a test's
`get_crawler(settings_dict=...)`). So a component reads `setting_int(settings, "WARC_MAX_SIZE")`:
the configured value, else the default written once in `archiver/settings.py`. A name that
`archiver/settings.py` does not define is a bug, and raises here.
"""

from __future__ import annotations

import copy
from typing import Any

from archiver import settings as project_settings


def default(name: str) -> Any:
    """The default of an archiver setting, as `archiver/settings.py` defines it."""
    try:
        return copy.deepcopy(getattr(project_settings, name))
    except AttributeError:
        raise KeyError(f"archiver/settings.py defines no setting {name}") from None


def setting(settings: Any, name: str) -> Any:
    """The configured value, or the default when it is unset or empty ("" means "the default")."""
    value = settings.get(name)
    return default(name) if value is None or value == "" else value


def setting_bool(settings: Any, name: str) -> bool:
    return bool(settings.getbool(name, default(name)))


def setting_int(settings: Any, name: str) -> int:
    return int(settings.getint(name, default(name)))


def setting_float(settings: Any, name: str) -> float:
    return float(settings.getfloat(name, default(name)))


def setting_list(settings: Any, name: str) -> list[Any]:
    return list(settings.getlist(name, default(name)))
