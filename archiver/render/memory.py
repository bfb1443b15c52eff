"""Memory of the browser: the sum over our descendant processes that are Chromium (it runs
a browser, GPU/utility processes and one renderer per site, all below the Playwright driver we
started; extraction workers, also our children, are not counted).

Read from /proc (Linux); elsewhere the figures are 0 and only RENDER_RESTART_AFTER bounds memory.
"""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _parents() -> dict[int, int]:
    """pid -> parent pid of every process we may read."""
    parents = {}
    for entry in PROC.iterdir() if PROC.is_dir() else ():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Fields after the command name (which may hold spaces and parentheses): state, ppid, ...
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 1 and fields[1].isdigit():
            parents[int(entry.name)] = int(fields[1])
    return parents


def descendants(root: int) -> list[int]:
    """Every process below `root` (not `root` itself)."""
    children: dict[int, list[int]] = {}
    for pid, parent in _parents().items():
        children.setdefault(parent, []).append(pid)
    found, stack = [], list(children.get(root, []))
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def rss_bytes(pid: int) -> int:
    """Resident set size of one process (0 when it is gone)."""
    try:
        return int((PROC / str(pid) / "statm").read_text().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def pss_bytes(pid: int) -> int:
    """Proportional set size of one process: its resident pages, shared ones divided among their
    users. Chromium's processes share most of their libraries, so summing RSS counts them many times
    over; PSS sums to what the browser really holds. Falls back to RSS where smaps_rollup is missing."""
    try:
        for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return rss_bytes(pid)


def program(pid: int) -> str:
    """The file name of a process's program (argv[0]), "" when it is gone."""
    try:
        argv0 = (PROC / str(pid) / "cmdline").read_bytes().split(b"\0", 1)[0]
    except OSError:
        return ""
    return os.path.basename(argv0.decode("utf-8", "replace"))


def browser_memory(root: int | None = None) -> int:
    """Memory in bytes (summed PSS) of the Chromium processes below `root` (default: this process)."""
    pids = descendants(os.getpid() if root is None else root)
    return sum(pss_bytes(pid) for pid in pids if "chrom" in program(pid).lower())
