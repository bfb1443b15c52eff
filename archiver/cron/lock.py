"""One run per job at a time: an fcntl (flock) lock file in the job's archive directory.

`flock` locks belong to the open file, not to a process: the kernel drops them when the last
descriptor closes, so a crashed run never blocks the next one, and the crawl subprocess, which
inherits the descriptor, keeps the job locked even if the runner itself is killed. The file also
holds `pid=… started=…` of the holder: a lock we can take although the file names a process is a
stale lock of a run that died (logged, then taken over); one we cannot take names who holds it.
"""

from __future__ import annotations

import fcntl
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

logger = logging.getLogger(__name__)

LOCK_NAME = ".cron/lock"


class LockedError(RuntimeError):
    """Another live run holds the lock; the message says which."""


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def _read_holder(text: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in text.split() if "=" in part)


class JobLock:
    """`with JobLock(path):` or acquire()/release(); `fd` can be passed on to a subprocess."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(os.pread(fd, 4096, 0).decode("utf-8", "replace"))
            os.close(fd)
            who = f"pid {holder.get('pid', '?')}, started {holder.get('started', '?')}"
            raise LockedError(f"another run holds {self.path} ({who})") from None
        previous = _read_holder(os.pread(fd, 4096, 0).decode("utf-8", "replace"))
        old_pid = previous.get("pid", "")
        if old_pid.isdigit():
            state = "still running but not holding it" if pid_alive(int(old_pid)) else "no longer running"
            logger.warning("Taking over stale lock %s from pid %s (%s; started %s)",
                           self.path, old_pid, state, previous.get("started", "?"))
        self.fd = fd
        self.note(os.getpid())

    def note(self, pid: int, child: int | None = None) -> None:
        """Write who holds the lock (the crawl subprocess too, once it runs)."""
        assert self.fd is not None
        started = datetime.now(UTC).isoformat(timespec="seconds")
        text = f"pid={pid} started={started}" + (f" crawl_pid={child}" if child else "") + "\n"
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, text.encode(), 0)
        os.fsync(self.fd)

    def release(self) -> None:
        """Empty the file (a clean release is not a stale lock) and unlock."""
        if self.fd is None:
            return
        os.ftruncate(self.fd, 0)
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
        self.fd = None

    def __enter__(self) -> JobLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
