"""Batch: pairing, sidecars, a broken file failing alone, reruns, parallel runs, stopping."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image
from test_interrupt import processes_mentioning

from clipcraft.batch import Job, discover

from helpers import assert_one_clean_error, clipcraft
from media import close_to, inspect, make_video, read_frame

pytestmark = pytest.mark.media  # every test here makes or reads media

FAST = "duration = 3\n[after]\nduration = 1\n[output]\npreview = true\n"


def test_discovery_pairs_afters_and_sidecars_case_insensitively() -> None:
    names = [
        "spill.MOV",
        "spill.after.JPG",
        "cake one.mp4",
        "cake one_after.heic",
        "toast.mp4",
        "toast-after.mp4",
        "toast.toml",
        "notes.txt",
        "orphan.after.jpg",
        "lonely.toml",
        ".DS_Store",
        "Crème 🔥.webm",
    ]
    jobs, ignored, notes = discover(names)
    assert jobs == [
        Job("Crème 🔥", Path("Crème 🔥.webm"), None, None),
        Job("cake one", Path("cake one.mp4"), Path("cake one_after.heic"), None),
        Job("spill", Path("spill.MOV"), Path("spill.after.JPG"), None),
        Job("toast", Path("toast.mp4"), Path("toast-after.mp4"), Path("toast.toml")),
    ]
    assert ignored == ["notes.txt"]
    assert notes["an after with no clip of its name"] == ["orphan.after.jpg"]
    assert notes["a recipe with no clip of its name"] == ["lonely.toml"]


@pytest.fixture(scope="module")
def roll(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A camera roll: a pair, a rotated clip with its own recipe, a silent clip, a broken
    file and a stray text file."""
    folder = tmp_path_factory.mktemp("roll")
    make_video(folder / "spill one.mp4", width=180, height=320, seconds=4)
    Image.new("RGB", (360, 640), (240, 190, 60)).save(folder / "spill one.after.jpg")
    make_video(folder / "Crème brûlée 🔥.mov", width=180, height=320, seconds=4, rotation=90)
    (folder / "Crème brûlée 🔥.toml").write_text('duration = 3\n[[caption]]\ntext = "{stem}"\n')
    make_video(folder / "quiet.mp4", width=320, height=180, seconds=4, audio=None)
    (folder / "broken.mp4").write_bytes(b"this is not a video at all" * 40)
    (folder / "notes.txt").write_text("buy eggs")
    return folder


def run(roll: Path, out: Path, *extra: object) -> tuple[int, str, dict]:
    beside = next(folder for folder in out.parents if folder.is_dir())  # out may not exist yet
    recipe = beside / "fast.toml"
    recipe.write_text(FAST)
    report = beside / "report.json"
    result = clipcraft("batch", roll, "-o", out, "--recipe", recipe, "--report", report, *extra)
    return result.exit_code, result.stdout, json.loads(report.read_text())


def test_a_roll_gives_three_clips_and_names_the_broken_file(roll: Path, tmp_path: Path) -> None:
    roll = Path(shutil.copytree(roll, tmp_path / "roll"))  # this test edits a sidecar
    out = tmp_path / "week 48" / "reels"  # neither exists yet: batch creates both
    code, table, report = run(roll, out, "-j", 2)
    assert code == 1
    status = {clip["name"]: clip["status"] for clip in report["clips"]}
    assert status == {"Crème brûlée 🔥": "ok", "broken": "failed", "quiet": "ok", "spill one": "ok"}
    broken = next(c for c in report["clips"] if c["name"] == "broken")
    assert "broken.mp4" in broken["detail"] and "not a video" in broken["detail"]
    assert report["left_out"] == {"not a video or photo": ["notes.txt"]}
    assert "3 ok, 0 skipped, 1 failed" in table
    made = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert made == ["Crème brûlée 🔥-clip.mp4", "quiet-clip.mp4", "spill one-clip.mp4"]
    (roll / "Crème brûlée 🔥.toml").write_text("duration = 2.5\n")
    assert inspect(out / "quiet-clip.mp4").frames == 90
    assert inspect(out / "spill one-clip.mp4").frames == 90, "the fail and its after"
    assert close_to(read_frame(out / "spill one-clip.mp4", 2.6)[480, 270], (240, 190, 60))
    started = time.perf_counter()
    code, table, report = run(roll, out)
    assert time.perf_counter() - started < 10
    assert "1 ok, 2 skipped, 1 failed" in table, "only the clip whose recipe changed"
    assert inspect(out / "Crème brûlée 🔥-clip.mp4").frames == 75
    code, table, report = run(roll, out, "--force")
    assert "3 ok, 0 skipped, 1 failed" in table


def test_parallel_results_equal_serial_ones(roll: Path, tmp_path: Path) -> None:
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    run(roll, serial, "-j", 1)
    run(roll, parallel, "-j", 2)
    for clip in sorted(p.name for p in serial.glob("*.mp4")):
        one, two = inspect(serial / clip), inspect(parallel / clip)
        assert one.frames == two.frames
        difference = read_frame(serial / clip, 1.0).astype(int) - read_frame(parallel / clip, 1.0)
        assert abs(difference).mean() < 2


def test_a_series_numbers_clips_in_name_order(
    roll: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLIPCRAFT_DATA_DIR", str(tmp_path / "data"))
    out = tmp_path / "reels"
    out.mkdir()
    series = tmp_path / "series.toml"
    series.write_text(FAST + '[[caption]]\ntext = "#{episode}"\n[series]\nname = "roll"\n')
    result = clipcraft(
        "batch", roll, "-o", out, "--preset", series, "--report", tmp_path / "r.json", "-j", 2
    )
    assert result.exit_code == 1
    clips = json.loads((tmp_path / "r.json").read_text())["clips"]
    episodes = {c["name"]: c["episode"] for c in clips if c["status"] == "ok"}
    assert episodes == {"Crème brûlée 🔥": 1, "quiet": 3, "spill one": 4}, "broken had 2"


def test_a_stopped_batch_leaves_nothing_partial_and_resumes(roll: Path, tmp_path: Path) -> None:
    folder = tmp_path / "roll"
    folder.mkdir()
    for index in range(4):
        shutil.copy(roll / "spill one.mp4", folder / f"clip{index}.mp4")
    out = tmp_path / "reels"
    out.mkdir()
    recipe = tmp_path / "slow.toml"
    recipe.write_text('duration = 4\n[output]\nquality = "high"\n')
    command = [
        sys.executable,
        "-m",
        "clipcraft",
        "batch",
        str(folder),
        "-o",
        str(out),
        "--recipe",
        str(recipe),
        "-j",
        "2",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".clipcraft-") and p.is_dir() for p in out.iterdir()):
        assert time.monotonic() < deadline, "the batch started writing"
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGTERM)
    process.communicate(timeout=20)
    assert process.returncode == 143
    assert not [p for p in out.iterdir() if p.name.endswith(".part.mp4") or p.is_dir()]
    assert processes_mentioning(str(out)) == []
    finished = {p.name for p in out.glob("*-clip.mp4")}
    fast = tmp_path / "fast.toml"
    fast.write_text('duration = 4\n[output]\nquality = "high"\n')
    resumed = subprocess.run(command, capture_output=True, text=True, timeout=240)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{len(finished)} skipped" in resumed.stdout
    assert len(list(out.glob("*-clip.mp4"))) == 4


def test_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = clipcraft("batch", tmp_path / "nope", "-o", tmp_path / "reels")
    assert_one_clean_error(result, 2, "nope", "no such folder")
    assert not (tmp_path / "reels").exists(), "no output folder for a batch that cannot run"


def test_an_output_folder_that_is_a_file_or_unwritable_is_one_line(
    roll: Path, tmp_path: Path
) -> None:
    taken = tmp_path / "reels"
    taken.write_text("not a folder")
    assert_one_clean_error(clipcraft("batch", roll, "-o", taken), 2, "reels", "not a folder")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    if os.access(locked, os.W_OK):  # root writes anywhere: a path under a file is the case
        locked = taken
    result = clipcraft("batch", roll, "-o", locked / "reels")
    assert_one_clean_error(result, 2, "cannot be created")
