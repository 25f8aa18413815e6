"""What the agent asks of the operating system: no core dumps, the clock's sync state, its own code hash."""

from __future__ import annotations

import ctypes
import hashlib
import resource
import sys
from pathlib import Path

import freiweg

PR_SET_DUMPABLE = 4
TIME_ERROR = 5
TIMEX_BYTES = 512
HASHED_PACKAGES = ("edge", "privacy", "domain")


def forbid_core_dumps() -> None:
    """No core file and no ptrace by other processes: RAM with pseudonyms never reaches a disk."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def clock_synchronised() -> bool:
    """Whether the kernel says the clock is synchronised (NTP, chrony or GNSS), via adjtimex(2)."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    timex = ctypes.create_string_buffer(TIMEX_BYTES)
    state = libc.adjtimex(timex)
    return bool(state >= 0 and state != TIME_ERROR)


def code_sha256() -> str:
    """SHA-256 over the agent's installed source files (path and content, in path order)."""
    root = Path(freiweg.__file__).parent
    digest = hashlib.sha256()
    files = [root / "__init__.py", root / "cli.py"]
    for package in HASHED_PACKAGES:
        files += sorted((root / package).rglob("*.py"))
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
