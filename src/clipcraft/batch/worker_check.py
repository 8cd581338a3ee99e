"""What a cluster worker is asked before a batch is sent to it.

This module is sent to the workers by value (cloudpickle), so it runs on a worker that has no
clipcraft, or another one, and says so instead of failing to load. It imports nothing from
clipcraft at the top.
"""

from __future__ import annotations

import os


def describe_worker(folder: str, out: str) -> dict[str, object]:
    """Which clipcraft this worker has (None: none), its machine's cores, and whether it
    sees the batch's folders."""
    try:
        import clipcraft

        version: str | None = clipcraft.__version__
    except ImportError:
        version = None
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "clipcraft": version,
        "cores": cores or 1,
        "sees": os.path.isdir(folder),
        "writes": os.path.isdir(out) and os.access(out, os.W_OK),
    }
