"""A batch on a Dask cluster (`pip install "clipcraft[cluster]"`, `batch --scheduler`).

Imported only when a scheduler is given. `connect` reaches the scheduler, asks every worker
which clipcraft it has and whether it sees the batch's folders (workers must see the same
paths: a shared folder), and refuses with one line when one does not. `ClusterPool` is
Dask's own concurrent.futures executor, so the batch submits to it as to the local pool;
Dask runs a killed worker's clip again elsewhere. Stopping sets a Dask Event that a running
clip checks between frames, so its render stops and cleans up as a local one does.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clipcraft import __version__
from clipcraft.batch import worker_check
from clipcraft.errors import UsageError
from clipcraft.make import usable_cores

try:
    import cloudpickle
    from distributed import Client, Event, get_worker
    from distributed.cfexecutor import ClientExecutor
except ImportError as missing:  # pragma: no cover - depends on what is installed
    raise UsageError(
        f"--scheduler needs Dask's distributed package ({missing})",
        'install it with: pip install "clipcraft[cluster]"',
    ) from None

CONNECT_TIMEOUT = "10s"


@dataclass(frozen=True)
class StopSignal:
    """Whether the batch that sent this clip has been stopped (checked on the worker)."""

    name: str

    def __call__(self) -> bool:
        return bool(Event(self.name).is_set())


class ClusterPool(ClientExecutor):
    """Dask's executor over a client; shutting down with `cancel_futures` stops the work."""

    def __init__(self, client: Client, threads: dict[str, int]) -> None:
        super().__init__(client, pure=False)
        self.client = client
        self.threads = threads
        self.stop = StopSignal(f"clipcraft-stop-{uuid.uuid4().hex}")

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        try:
            if cancel_futures:
                Event(self.stop.name, client=self.client).set()
            super().shutdown(wait=wait and not cancel_futures)
        finally:
            self.client.close()


def threads_here(threads: Mapping[str, int]) -> int:
    """The cores for a clip on the worker running it: its share as counted when the batch
    started, or (a worker that joined since) its machine's cores over its own threads."""
    worker = get_worker()
    if worker.address in threads:
        return threads[worker.address]
    return max(1, usable_cores() // max(1, int(getattr(worker.state, "nthreads", 1))))


def clip_threads(
    answers: Mapping[str, Mapping[str, Any]], workers: Mapping[str, Mapping[str, Any]]
) -> dict[str, int]:
    """Each worker's clips share its machine's cores with every clip the machine's workers
    make at once (one per worker thread), as local clips share this one's (pure)."""
    at_once: dict[str, int] = {}
    for info in workers.values():
        at_once[info["host"]] = at_once.get(info["host"], 0) + int(info["nthreads"])
    return {
        address: max(1, int(answers[address]["cores"]) // max(1, at_once[info["host"]]))
        for address, info in workers.items()
        if address in answers
    }


def connect(address: str, folder: Path, out: Path) -> ClusterPool:
    """A pool on the scheduler at `address`, once every worker has been checked."""
    logging.getLogger("distributed").setLevel(logging.ERROR)
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise UsageError(
            f"--scheduler {address}: cannot reach it ({error})",
            "start `dask scheduler` there and check the address (tcp://HOST:PORT)",
        ) from None
    try:
        cloudpickle.register_pickle_by_value(worker_check)  # it must run without clipcraft
        answers = client.run(
            worker_check.describe_worker, str(folder.resolve()), str(out.resolve())
        )
        check_workers(answers, __version__, folder, out)
        threads = clip_threads(answers, client.scheduler_info()["workers"])
    except BaseException:
        client.close()
        raise
    return ClusterPool(client, threads)


def check_workers(
    answers: Mapping[str, Mapping[str, Any]], version: str, folder: Path, out: Path
) -> None:
    """Refuse a cluster with no workers, or a worker with another clipcraft (or none), or
    one that does not see the batch's folders (pure)."""
    if not answers:
        raise UsageError(
            "the scheduler has no workers", "start some with: dask worker tcp://HOST:PORT"
        )
    for worker, answer in sorted(answers.items()):
        theirs = answer.get("clipcraft")
        if theirs is None:
            raise UsageError(
                f"worker {worker} has no clipcraft",
                f'install clipcraft {version} there: pip install "clipcraft[cluster]"',
            )
        if theirs != version:
            raise UsageError(
                f"worker {worker} has clipcraft {theirs}, this is {version}",
                f"install clipcraft {version} on every worker",
            )
        for key, path, what in (("sees", folder, "the folder"), ("writes", out, "the output")):
            if not answer.get(key):
                raise UsageError(
                    f"worker {worker} cannot {'see' if key == 'sees' else 'write to'} "
                    f"{what} {path.resolve()}",
                    "workers must see the same paths: put the folders on a shared drive",
                )
