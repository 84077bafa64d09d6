"""A worker process that ends when the process that started it dies.

A killed parent cannot stop its workers, and a worker left running holds its files and reads
on. On Linux the kernel kills the worker the moment its parent dies (``PR_SET_PDEATHSIG``): no
thread of the worker needs to run for it, so a worker busy in C code (a long SQLite query) goes
too. Elsewhere a thread of the worker looks at its parent's pid twice a second.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def end_with_parent(parent: int) -> None:
    """Call first thing in a worker started by process ``parent``."""
    if not _kernel_kills_on_parent_death():
        threading.Thread(target=_watch, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it died before we asked
        os._exit(1)


def _kernel_kills_on_parent_death() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)
