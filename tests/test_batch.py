"""Batch: pairing, sidecars, a broken file failing alone, reruns, parallel runs, stopping."""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from test_interrupt import processes_mentioning

from clipcraft.batch.report import write_report
from clipcraft.batch.tasks import Outcome

from helpers import assert_one_clean_error, clipcraft
from media import block_colour, close_to, inspect, make_video, read_frame

pytestmark = pytest.mark.media  # every test here makes or reads media

FAST = "duration = 3\n[after]\nduration = 1\n[output]\npreview = true\n"


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
    quiet = next(c for c in report["clips"] if c["name"] == "quiet")
    assert any("no clear mishap" in warning for warning in quiet["warnings"]), quiet
    made = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    clips = ["Crème brûlée 🔥-clip", "quiet-clip", "spill one-clip"]
    assert made == sorted(f"{clip}{suffix}" for clip in clips for suffix in (".jpg", ".mp4"))
    (roll / "Crème brûlée 🔥.toml").write_text("duration = 2.5\n")
    assert inspect(out / "quiet-clip.mp4").frames == 90
    assert inspect(out / "spill one-clip.mp4").frames == 90, "the fail and its after"
    assert close_to(read_frame(out / "spill one-clip.mp4", 2.6)[480, 270], (240, 190, 60))
    code, table, report = run(roll, out)
    assert "1 ok, 2 skipped, 1 failed" in table, "only the clip whose recipe changed"
    assert inspect(out / "Crème brûlée 🔥-clip.mp4").frames == 75
    code, table, report = run(roll, out, "--force")
    assert "3 ok, 0 skipped, 1 failed" in table


def photo(path: Path, colour: tuple[int, int, int], taken: str, offset: str = "") -> None:
    """A phone photo of one colour, with EXIF DateTimeOriginal (and OffsetTimeOriginal)."""
    tags = Image.Exif()
    tags.get_ifd(0x8769)[0x9003] = taken
    if offset:
        tags.get_ifd(0x8769)[0x9011] = offset
    Image.new("RGB", (360, 640), colour).save(path, exif=tags.tobytes())


def test_a_camera_roll_pairs_by_capture_time_and_reports_a_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Phone names, times only in the files' metadata (and one Pixel clip with only its
    name): each fail tells its story with what was taken after it, in order (the cleanup
    video sped up, then the dish); a photo from another day is its own."""
    from pillow_heif import register_heif_opener

    register_heif_opener()
    roll = tmp_path / "DCIM"
    roll.mkdir()
    utc = ("-metadata", "creation_time=2026-11-28T17:30:12Z")  # 18:30:12 in Paris
    make_video(roll / "IMG_4821.MOV", seconds=3, extra=utc)
    cleanup = ("-metadata", "creation_time=2026-11-28T17:41:00Z")
    make_video(roll / "IMG_4822.MOV", seconds=16, audio="clicks", extra=cleanup)
    photo(roll / "IMG_4823.JPG", (60, 200, 80), "2026:11:28 18:52:30")  # Paris, by the roll
    make_video(roll / "PXL_20261128_180500123.mp4", seconds=3)  # 19:05 in Paris, no metadata
    photo(roll / "IMG_4824.HEIC", (40, 90, 220), "2026:11:28 19:20:00", "+01:00")
    photo(roll / "IMG_3001.JPG", (200, 60, 200), "2026:11:21 12:00:00", "+01:00")
    (roll / "IMG_4825.MOV").write_bytes(b"not a video" * 50)
    out, report = tmp_path / "reels", tmp_path / "week.html"
    recipe = tmp_path / "fast.toml"
    recipe.write_text(
        'duration = 5\n[after]\nduration = 1\nspeed = "auto"\n[output]\npreview = true\n'
    )

    dry = clipcraft("batch", roll, "-o", out, "--recipe", recipe, "--dry-run")
    assert dry.exit_code == 0, dry.output
    story = "IMG_4821: IMG_4821.MOV → IMG_4822.MOV → IMG_4823.JPG  (paired by time)"
    assert story in dry.stdout, dry.stdout
    times = [
        "IMG_4821.MOV 2026-11-28 18:30:12+01:00 (creation_time)",
        "IMG_4822.MOV 2026-11-28 18:41:00+01:00 (creation_time): 11 min later",
        "IMG_4823.JPG 2026-11-28 18:52:30+01:00 (EXIF DateTimeOriginal, zone assumed): 22 min",
        "PXL_20261128_180500123.mp4 2026-11-28 19:05:00+01:00 (Pixel name (UTC))",
    ]
    assert all(time in dry.stdout for time in times), dry.stdout
    assert "after = [" in dry.stdout and "# batch pairing by time" in dry.stdout
    assert not out.exists(), "a dry run makes nothing"

    result = clipcraft("batch", roll, "-o", out, "--recipe", recipe, "--report", report, "-j", 2)
    assert result.exit_code == 1, result.output
    assert "3 ok, 0 skipped, 1 failed" in result.stdout
    told = out / "IMG_4821-clip.mp4"
    assert inspect(told).frames == 150, "3 s of fail, 1 s of cleanup, 1 s of dish"
    for second in (3, 11):  # the cleanup at 16x: its source second s at 3 + (s + 0.5) / 16
        assert close_to(
            read_frame(told, 3 + (second + 0.5) / 16)[480, 270], block_colour(second), 50
        )
    assert close_to(read_frame(told, 4.6)[480, 270], (60, 200, 80)), "the dish comes last"
    assert close_to(
        read_frame(out / "PXL_20261128_180500123-clip.mp4", 3.6)[480, 270], (40, 90, 220)
    )
    assert close_to(read_frame(out / "IMG_3001-clip.mp4", 1.0)[480, 270], (200, 60, 200))
    made = {path.name for path in out.glob("*-clip.mp4")}
    assert made == {"IMG_4821-clip.mp4", "PXL_20261128_180500123-clip.mp4", "IMG_3001-clip.mp4"}

    page = ReportPage()
    page.feed(report.read_text())
    assert page.failures == ["IMG_4825"], "failures come first, named"
    assert set(page.cards) == {"IMG_3001", "IMG_4821", "IMG_4825", "PXL_20261128_180500123"}
    for name in ("IMG_3001", "IMG_4821", "PXL_20261128_180500123"):
        cover = page.covers[name]
        assert cover.size[0] <= 270 and abs(cover.size[0] / cover.size[1] - 9 / 16) < 0.02
        assert page.links[name] == f"reels/{name}-clip.mp4"
    assert close_to(np.asarray(page.covers["IMG_3001"])[240, 135], (200, 60, 200))
    assert "IMG_4822.MOV, IMG_4823.JPG (paired by time)" in page.cards["IMG_4821"]
    assert "after IMG_4822.MOV 1.0 s x16 → after IMG_4823.JPG 1.0 s" in page.cards["IMG_4821"]
    assert "not a video" in page.cards["IMG_4825"]
    monkeypatch.chdir(tmp_path)  # the same folders typed another way: still up to date
    again = clipcraft("batch", "DCIM", "-o", "reels", "--recipe", "fast.toml", "--dry-run")
    assert again.stdout.count("would be skipped") == 3, again.output


def test_the_report_page_says_what_making_a_clip_warned_of(tmp_path: Path) -> None:
    warned = Outcome("spill", "ok", 2.0, "reels/spill-clip.mp4", warnings=("no clear mishap",))
    write_report(tmp_path / "week.html", [warned], {})
    page = ReportPage()
    page.feed((tmp_path / "week.html").read_text())
    assert "warning no clear mishap" in page.cards["spill"]


class ReportPage(HTMLParser):
    """The batch page as a person reads it: the failures on top, then each clip's card."""

    def __init__(self) -> None:
        super().__init__()
        self.failures: list[str] = []
        self.cards: dict[str, str] = {}
        self.covers: dict[str, Image.Image] = {}
        self.links: dict[str, str] = {}
        self._where: list[str] = []
        self._card: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self._where.append(found.get("class") or tag)
        if tag == "article":
            self._card, self._text = None, []
        elif tag == "img" and (found.get("src") or "").startswith("data:image/jpeg;base64,"):
            data = base64.b64decode((found["src"] or "").split(",", 1)[1])
            self._cover = Image.open(io.BytesIO(data)).convert("RGB")
        elif tag == "a" and "card" in self._where:
            self._link = found.get("href") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self._card:
            self.cards[self._card] = " ".join(self._text)
            if hasattr(self, "_cover"):
                self.covers[self._card] = self._cover
                del self._cover
            if hasattr(self, "_link"):
                self.links[self._card] = self._link
                del self._link
        self._where.pop()

    def handle_data(self, data: str) -> None:
        if self._where[-1:] == ["b"] and "failures" in self._where:
            self.failures.append(data)
        elif self._where[-1:] == ["h3"]:
            self._card = data
        self._text.append(data)


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
        assert time.monotonic() < deadline, "the batch never started writing"
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGTERM)
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == 143
    assert "stopped;" in stderr.decode() and "a rerun makes the rest" in stderr.decode()
    assert not [p for p in out.iterdir() if p.name.endswith(".part.mp4") or p.is_dir()]
    assert processes_mentioning(str(out)) == []
    finished = {p.name for p in out.glob("*-clip.mp4")}
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


def test_a_report_that_cannot_be_written_is_refused_before_any_clip(
    roll: Path, tmp_path: Path
) -> None:
    out = tmp_path / "reels"
    result = clipcraft("batch", roll, "-o", out, "--report", tmp_path / "missing" / "week.html")
    assert_one_clean_error(result, 2, "--report", "missing", "does not exist")
    assert not out.exists(), "refused before the batch began"


def test_a_damaged_manifest_is_set_aside_not_a_dead_end(roll: Path, tmp_path: Path) -> None:
    out = tmp_path / "reels"
    out.mkdir()
    for damaged in ("", '{"outputs": [1, 2]}', "[]"):
        (out / ".clipcraft-manifest.json").write_text(damaged)
        result = clipcraft("batch", roll, "-o", out, "--dry-run")
        assert result.exit_code == 0, result.output
        assert "spill one" in result.stdout
