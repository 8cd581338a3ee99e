"""Running jobs: one concurrent.futures-style interface, here or on a cluster.

`LocalPool` is the `concurrent.futures.Executor` a batch uses on this machine: at most
`workers` jobs at once, in worker processes started by *spawn* (which works where fork is
unsafe or missing: macOS, Windows, a process with threads), each making jobs one after
another. Unlike a `ProcessPoolExecutor`, a worker that dies without an answer (killed, out
of memory) fails only its own job, with `WorkerLost`, and is replaced; and stopping a job
means SIGTERM to its process, which runs its cleanup (temporary files, ffmpeg children).
`shutdown(cancel_futures=True)` drops what has not started and stops what has.

The cluster engine (clipcraft.batch.cluster) is a Dask `ClientExecutor`: the batch submits to
either the same way.
"""

from __future__ import annotations

import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from types import FrameType
from typing import TYPE_CHECKING, Any

from clipcraft.errors import Interrupted

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

STOP_PATIENCE = 5.0
"""Seconds a stopped job has to clean up after SIGTERM before it is killed."""
JOBS_PER_WORKER = 32
"""A worker process is replaced after this many jobs, so nothing builds up in it."""


class WorkerLost(Exception):
    """The process running a job ended without an answer (killed, out of memory)."""

    def __init__(self, exitcode: int | None) -> None:
        super().__init__(f"the worker stopped (exit {exitcode})")
        self.exitcode = exitcode


@dataclass(eq=False)
class _Worker:
    """A spawned process that makes jobs one after another, and the job it is on."""

    process: BaseProcess
    line: Connection
    future: Future[Any] | None = None
    done: int = 0


class LocalPool(Executor):
    """At most `workers` jobs at once on this machine, in spawned processes that each make
    jobs one after another (imports paid once per worker, not per job)."""

    def __init__(self, workers: int) -> None:
        import multiprocessing

        self._context = multiprocessing.get_context("spawn")
        self._workers = max(1, workers)
        self._pending: deque[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]] = deque()
        self._busy: dict[Connection, _Worker] = {}
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._wake_up, self._waker = self._context.Pipe(duplex=False)
        self._closed = False
        self._thread = threading.Thread(target=self._dispatch, name="clipcraft pool", daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        if kwargs:
            raise TypeError("LocalPool jobs take positional arguments only")
        future: Future[Any] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("cannot schedule new jobs after shutdown")
            self._pending.append((future, fn, args))
        self._wake()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._closed = True
            if cancel_futures:
                while self._pending:
                    self._pending.popleft()[0].cancel()
            running = [worker.process for worker in self._busy.values()]
        if cancel_futures:
            stop_processes(running)
        self._wake()
        if wait:
            self._thread.join()

    def _wake(self) -> None:
        self._waker.send_bytes(b".")

    def _dispatch(self) -> None:
        """Hand jobs to free workers while there is room; settle each answer (or death)."""
        try:
            while True:
                with self._lock:
                    while self._pending and len(self._busy) < self._workers:
                        future, fn, args = self._pending.popleft()
                        if future.set_running_or_notify_cancel():
                            self._hand_over(future, fn, args)
                    if self._closed and not self._pending and not self._busy:
                        return
                    answers = list(self._busy)
                for ready in wait([*answers, self._wake_up]):
                    if ready is self._wake_up:
                        self._wake_up.recv_bytes()
                        continue
                    assert isinstance(ready, Connection)
                    with self._lock:
                        worker = self._busy.pop(ready)
                    if self._settle(worker):
                        with self._lock:
                            self._idle.append(worker)
        finally:
            for worker in self._idle:
                _dismiss(worker)

    def _hand_over(
        self, future: Future[Any], fn: Callable[..., Any], args: tuple[Any, ...]
    ) -> None:
        while True:
            worker = self._idle.pop() if self._idle else self._spawn()
            try:
                worker.line.send((fn, args))
                break
            except (OSError, ValueError):  # an idle worker that died: take another
                _dismiss(worker)
        worker.future = future
        self._busy[worker.line] = worker

    def _spawn(self) -> _Worker:
        line, theirs = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(theirs,), name="clipcraft worker")
        process.start()
        theirs.close()  # only the child holds it now: its death reads as end of file
        return _Worker(process, line)

    @staticmethod
    def _settle(worker: _Worker) -> bool:
        """Hand the answer to the job's future; whether the worker can take another job."""
        future = worker.future
        assert future is not None
        worker.future, worker.done = None, worker.done + 1
        try:
            kind, value = worker.line.recv()
        except (EOFError, OSError):
            _dismiss(worker)
            future.set_exception(WorkerLost(worker.process.exitcode))
            return False
        if kind == "ok":
            future.set_result(value)
        else:
            future.set_exception(value)
        if worker.done >= JOBS_PER_WORKER:
            _dismiss(worker)
            return False
        return True


def _dismiss(worker: _Worker) -> None:
    """Let a worker go: it ends when its line closes (or has ended already). Only the
    dispatcher calls this: a child reaped by two threads at once loses its exit code."""
    worker.line.close()
    worker.process.join(STOP_PATIENCE)
    if worker.process.is_alive():
        worker.process.kill()
        worker.process.join()


def _serve(line: Connection) -> None:
    """A worker process: make each job that comes down `line` and send its answer back.
    SIGTERM and SIGINT become the exception `make` cleans up on; the process then ends."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise Interrupted(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while True:
            try:
                fn, args = line.recv()
            except EOFError:  # the pool let this worker go
                return
            try:
                answer = ("ok", fn(*args))
            except Exception as error:
                answer = ("error", error)
            try:
                line.send(answer)
            except Exception:  # an answer that cannot be pickled still says what it was
                line.send(("error", RuntimeError(repr(answer[1]))))
    except Interrupted as stopped:  # the pool is stopping: the job's cleanup has run
        raise SystemExit(stopped.exit_code) from None


def stop_processes(processes: list[BaseProcess]) -> None:
    """SIGTERM each process (its handlers clean up), then kill whatever is left after
    STOP_PATIENCE. Only signals are sent and only sentinels waited on: the dispatcher is the
    one that reaps a worker, and a child reaped by two threads at once loses its exit code."""
    for process in processes:
        process.terminate()
    deadline = time.monotonic() + STOP_PATIENCE
    alive = list(processes)
    while alive and (left := deadline - time.monotonic()) > 0:
        ended = wait([process.sentinel for process in alive], left)
        alive = [process for process in alive if process.sentinel not in ended]
    for process in alive:
        process.kill()
