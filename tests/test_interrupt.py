"""Stopping a render: it ends promptly, kills its ffmpeg children and leaves no files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from media import make_video

pytestmark = pytest.mark.media  # every test here makes or reads media


def processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def listening() -> None:
    """Ctrl-C as a terminal's foreground job gets it: a test runner's worker (pytest-xdist)
    ignores SIGINT, and a child would inherit that and never see it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_stopped_render_cleans_up(tmp_path: Path, signum: int, code: int) -> None:
    source = make_video(tmp_path / "long.mp4", width=180, height=320, seconds=6, audio=None)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    command = [
        sys.executable,
        "-m",
        "clipcraft",
        "make",
        str(source),
        "--start",
        "0",
        "--end",
        "6",
        "-o",
        str(out_dir / "clip.mp4"),
        "--quality",
        "high",
    ]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, preexec_fn=listening)
    deadline = time.monotonic() + 20
    while not list(out_dir.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(out_dir.iterdir()), "the render started writing"
    os.kill(process.pid, signum)
    started = time.monotonic()
    _, stderr = process.communicate(timeout=10)
    assert time.monotonic() - started < 10, "it ends promptly (well under a second, unloaded)"
    assert process.returncode == code
    assert stderr.strip().count("\n") == 0 and "nothing was written" in stderr
    assert list(out_dir.iterdir()) == []
    assert processes_mentioning(str(out_dir)) == []
