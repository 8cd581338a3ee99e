"""make.py reads every font a clip's captions are measured with before planning, and planning
opens none; the installed fonts' index is written to the user cache only by a real render."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from fonts import build_font
from test_plan import reading_nothing

from clipcraft import make
from clipcraft.media.synthetic import draw_dish
from clipcraft.planning.plan import Plan

from helpers import clipcraft
from media import make_video

pytestmark = pytest.mark.media

HEBREW = "שוב"


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    return make_video(tmp_path / "spill.mp4", seconds=7)


@pytest.fixture
def hebrew_font(no_system_fonts: Path) -> Path:
    return build_font(no_system_fonts / "hebrew.ttf", {"ש": 600, "ו": 300, "ב": 600})


def planned_reading_nothing(monkeypatch: pytest.MonkeyPatch) -> list[Plan]:
    """Every build_plan that make.py runs, run with any file read failing; the plans made."""
    plans: list[Plan] = []
    real = make.build_plan

    def guarded(*args: Any, **kwargs: Any) -> Plan:
        with reading_nothing():
            plans.append(real(*args, **kwargs))
        return plans[-1]

    monkeypatch.setattr(make, "build_plan", guarded)
    return plans


def test_make_reads_every_caption_font_before_planning(
    clip: Path, hebrew_font: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plans = planned_reading_nothing(monkeypatch)
    subtitles = tmp_path / "said.srt"
    subtitles.write_text("1\n00:00:00,500 --> 00:00:01,500\nשוב oh no\n", encoding="utf-8")
    dish = draw_dish(tmp_path / "dish.jpg", (320, 240), 160)
    result = clipcraft(
        "make", clip, "--at", 3, "--duration", 6, "--caption", f"oh no {HEBREW} 🥞",
        "--captions", subtitles, "--outro", "Ещё?", "--after", dish, "--after-caption",
        f"saved {HEBREW}", "--caption-anim", "karaoke", "--dry-run", "--json",
        "-o", tmp_path / "out.mp4",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (made,) = plans
    drawn = {face for caption in made.captions for _, face in caption.layout.installed}
    assert drawn == {str(hebrew_font)}, "the Hebrew word is drawn by the installed font"


def test_a_dry_run_writes_no_font_index_and_a_render_keeps_it(
    clip: Path, hebrew_font: Path, tmp_path: Path
) -> None:
    cache = Path(os.environ["CLIPCRAFT_CACHE_DIR"])
    out = tmp_path / "out.mp4"
    args = ("make", clip, "--at", 1.5, "--duration", 1, "--caption", f"oh {HEBREW}", "-o", out)
    assert sorted(cache.rglob("*")) == []
    for run in (("--dry-run",), ("--dry-run", "--json"), ("--preview",)):
        result = clipcraft(*args, *run, "--force")
        assert result.exit_code == 0, result.output
        assert sorted(cache.rglob("*")) == [], f"{' '.join(run)} wrote into the cache folder"
    result = clipcraft(*args, "--quality", "draft", "--force")
    assert result.exit_code == 0, result.output
    assert [path.name for path in cache.rglob("*")] == ["fonts.json"]
    assert str(hebrew_font) in (cache / "fonts.json").read_text()
