"""The local pool: jobs in spawned processes, a death failing only its job, stopping at once;
and Dask stays out of a batch that does not ask for a cluster."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clipcraft.batch.cluster import check_workers, clip_threads
from clipcraft.batch.pool import LocalPool, WorkerLost
from clipcraft.errors import UsageError


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_jobs_run_in_spawned_processes_and_a_killed_one_fails_alone() -> None:
    pool = LocalPool(2)
    try:
        answers = [pool.submit(pow, 2, 10), pool.submit(die), pool.submit(int, "x")]
        assert answers[0].result(timeout=30) == 1024
        with pytest.raises(WorkerLost, match=r"exit -9"):
            answers[1].result(timeout=30)
        with pytest.raises(ValueError, match="invalid literal"):
            answers[2].result(timeout=30)
        assert pool.submit(os.getpid).result(timeout=30) != os.getpid()
    finally:
        pool.shutdown()


def mark_then_sleep(marker: Path) -> None:
    """A job that says it has started (its worker has installed its handlers by then)."""
    marker.write_text("started")
    time.sleep(60)


def test_shutting_down_stops_running_jobs_and_drops_queued_ones(tmp_path: Path) -> None:
    pool = LocalPool(1)
    marker = tmp_path / "started"
    running = pool.submit(mark_then_sleep, marker)
    queued = pool.submit(time.sleep, 60)
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert time.monotonic() < deadline, "the worker never started the job"
        time.sleep(0.02)
    started = time.monotonic()
    pool.shutdown(wait=True, cancel_futures=True)
    assert time.monotonic() - started < 3
    assert queued.cancelled()
    with pytest.raises(WorkerLost, match=r"exit 143"):
        running.result(timeout=1)


def test_a_local_batch_imports_no_dask() -> None:
    code = (
        "import sys, clipcraft.cli.main, clipcraft.batch.run, clipcraft.batch.pool;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert shown.stdout.strip() == "[]", shown.stderr


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        ({}, ["no workers"]),
        (
            {"tcp://a:1": {"clipcraft": None, "sees": True, "writes": True}},
            ["tcp://a:1", "has no clipcraft"],
        ),
        (
            {"tcp://a:1": {"clipcraft": "0.1", "sees": True, "writes": True}},
            ["has clipcraft 0.1, this is 9.9"],
        ),
        (
            {"tcp://a:1": {"clipcraft": "9.9", "sees": False, "writes": True}},
            ["cannot see the folder", "shared"],
        ),
        (
            {"tcp://a:1": {"clipcraft": "9.9", "sees": True, "writes": False}},
            ["cannot write to the output"],
        ),
    ],
)
def test_unfit_workers_are_refused_with_a_reason(answers: dict, words: list[str]) -> None:
    with pytest.raises(UsageError) as refused:
        check_workers(answers, "9.9", Path("roll"), Path("reels"))
    assert all(word in str(refused.value) for word in words)


def test_cluster_clips_share_their_machine_s_cores_as_local_ones_do() -> None:
    answers = {
        "tcp://a:1": {"cores": 2},
        "tcp://a:2": {"cores": 2},
        "tcp://b:1": {"cores": 8},
    }
    workers = {
        "tcp://a:1": {"host": "a", "nthreads": 1},
        "tcp://a:2": {"host": "a", "nthreads": 1},
        "tcp://b:1": {"host": "b", "nthreads": 2},
    }
    assert clip_threads(answers, workers) == {"tcp://a:1": 1, "tcp://a:2": 1, "tcp://b:1": 4}
