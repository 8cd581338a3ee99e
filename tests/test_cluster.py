"""A batch through a real Dask cluster: every clip whole though a worker is killed mid-clip,
a broken file failing alone, nothing stray left, a rerun skipping everything; and a worker
with another clipcraft refused."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import LocalCluster
from test_interrupt import processes_mentioning

from helpers import assert_one_clean_error, clipcraft
from media import inspect, make_video

pytestmark = pytest.mark.media

FAST = "duration = 3\n[output]\npreview = true\n"
LONE_WORKER = ("--nthreads", "1", "--no-nanny", "--no-dashboard")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A scheduler with two single-threaded worker processes."""
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        yield cluster.scheduler_address


def parent_of(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat[stat.rindex(")") + 2 :].split()[1])


def kill_a_worker_mid_clip(out: Path, killed: list[int]) -> None:
    """SIGKILL the worker whose ffmpeg is writing into the output folder, as the OOM killer
    would; its clip must be made again elsewhere."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not killed:
        for pid in processes_mentioning(f"{out}/.clipcraft-stage-"):
            try:
                worker = parent_of(pid)
                if "python" in Path(f"/proc/{worker}/cmdline").read_bytes().decode():
                    os.kill(worker, signal.SIGKILL)
                    killed.append(worker)
                    return
            except (OSError, ValueError):
                continue
        time.sleep(0.02)


def test_a_killed_worker_s_clip_is_made_again_and_nothing_stray_is_left(
    scheduler: str, tmp_path: Path
) -> None:
    roll = tmp_path / "roll"
    roll.mkdir()
    for index in range(3):
        make_video(roll / f"clip{index}.mp4", seconds=4)
    (roll / "broken.mp4").write_bytes(b"this is not a video at all" * 40)
    recipe = tmp_path / "fast.toml"
    recipe.write_text(FAST)
    out = tmp_path / "reels"
    command = [
        sys.executable,
        "-m",
        "clipcraft",
        "batch",
        str(roll),
        "-o",
        str(out),
        "--recipe",
        str(recipe),
    ]
    killed: list[int] = []
    killer = threading.Thread(target=kill_a_worker_mid_clip, args=(out, killed))
    killer.start()
    environment = {**os.environ, "CLIPCRAFT_SCHEDULER": scheduler}
    run = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=240)
    killer.join()
    assert killed, "a worker was killed while it made a clip"
    assert run.returncode == 1, run.stderr
    assert "3 ok, 0 skipped, 1 failed" in run.stdout, run.stdout
    assert "broken.mp4" in run.stdout and "not a video" in run.stdout
    for index in range(3):
        assert inspect(out / f"clip{index}-clip.mp4").frames == 90
    clips = [f"clip{index}-clip{suffix}" for index in range(3) for suffix in (".jpg", ".mp4")]
    assert sorted(p.name for p in out.iterdir()) == [".clipcraft-manifest.json", *clips]
    deadline = time.monotonic() + 10  # the dead worker's ffmpeg ends on its own
    while processes_mentioning(str(out)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_mentioning(str(out)) == []
    again = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=60)
    assert "0 ok, 3 skipped, 1 failed" in again.stdout, again.stdout + again.stderr


def test_a_worker_with_another_clipcraft_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other" / "clipcraft"
    other.mkdir(parents=True)
    (other / "__init__.py").write_text('__version__ = "0.0.1"\n')
    roll = tmp_path / "roll"
    roll.mkdir()
    (roll / "clip.mp4").write_bytes(b"never read")
    with LocalCluster(n_workers=0, processes=True, dashboard_address=":0") as cluster:
        address = cluster.scheduler_address
        worker = subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_worker", address, *LONE_WORKER],
            env={**os.environ, "PYTHONPATH": str(other.parent)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            cluster.wait_for_workers(1, timeout=30)
            result = clipcraft(
                "batch", roll, "-o", tmp_path / "reels", "--scheduler", cluster.scheduler_address
            )
        finally:
            worker.terminate()
            worker.wait(30)
    assert_one_clean_error(result, 2, "has clipcraft 0.0.1", "install clipcraft")
