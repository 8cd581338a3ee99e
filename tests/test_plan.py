"""build_plan on hand-made MediaInfo: planning reads no file and starts no process, so these
run in well under a second (the CLI tests check the same plans end to end, on real media)."""

from __future__ import annotations

import builtins
import io
import os
import pathlib
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fonts import build_font
from PIL import ImageFont

from clipcraft.captions.font_book import FontBook, NotRead
from clipcraft.captions.text import font_path, layout_caption
from clipcraft.errors import UsageError
from clipcraft.finding.action import ActionTrack
from clipcraft.finding.moment import Moment
from clipcraft.make import read_fonts
from clipcraft.media.probe import MediaInfo
from clipcraft.planning.follow import position_at
from clipcraft.planning.plan import Plan
from clipcraft.planning.planner import Inputs, build_plan
from clipcraft.settings.layers import to_recipe
from clipcraft.settings.recipe import AfterPart, EffectCue
from clipcraft.settings.styles import find_style
from clipcraft.sound.library import Sound

FPS = 30


@pytest.fixture(autouse=True)
def no_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Planning must not start ffmpeg (or anything else)."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"planning started a process: {args[:1]}")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)


@contextmanager
def reading_nothing() -> Iterator[None]:
    """Fail on any file opened or folder listed meanwhile — by Python, by fontTools (through
    open) or by Pillow loading a font from its path."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"planning read a file: {args[:1]}")

    real_font = ImageFont.FreeTypeFont.__init__

    def font_from_memory(self: ImageFont.FreeTypeFont, font: Any = None, *args: Any, **kw: Any):
        if isinstance(font, str | bytes | os.PathLike):
            raise AssertionError(f"planning opened the font {font!r}")
        real_font(self, font, *args, **kw)

    with pytest.MonkeyPatch.context() as patch:
        for module, name in (
            (builtins, "open"), (io, "open"), (os, "open"), (pathlib.Path, "open"),
            (os, "scandir"), (os, "listdir"), (os, "stat"),
        ):  # fmt: skip
            patch.setattr(module, name, refuse)
        patch.setattr(ImageFont.FreeTypeFont, "__init__", font_from_memory)
        yield


def video(**facts: Any) -> MediaInfo:
    """A 14-s 1080×1920 phone clip with sound, as probe would describe it."""
    base = MediaInfo(
        path="/in/spill.mov",
        kind="video",
        duration=14.0,
        width=1080,
        height=1920,
        rotation=0,
        fps=30.0,
        variable_fps=False,
        video_codec="h264",
        pixel_format="yuv420p",
        hdr=False,
        has_audio=True,
        audio_codec="aac",
        unreadable_audio=False,
    )
    return replace(base, **facts)


def photo(path: str = "/in/dish.jpg") -> MediaInfo:
    return video(path=path, kind="photo", duration=0.0, width=3024, height=4032, has_audio=False)


def plan(settings: dict[str, Any], media: MediaInfo | None = None, **inputs: Any) -> Plan:
    """The plan of a clip made as `settings` say from `media`, planned with nothing read."""
    recipe = to_recipe(settings)
    fonts = read_fonts(recipe, None, inputs.get("cues", ()))
    read = Inputs(media=media or video(), fonts=fonts, **inputs)
    with reading_nothing():
        return build_plan(recipe, read, Path("/out/clip.mp4"))


def test_the_window_is_placed_around_the_moment_on_whole_frames() -> None:
    made = plan({"trim.at": 7.0, "duration": 8.0})
    (fail,) = made.segments
    assert (fail.role, fail.shows, fail.start_frame, fail.frames) == ("fail", "footage", 0, 240)
    assert fail.source_start < 7.0 < fail.source_end
    assert fail.source_end - fail.source_start == pytest.approx(8.0)
    assert made.moment == pytest.approx(7.0 - fail.source_start, abs=1 / FPS)
    assert made.total_frames == 240 and made.moment_basis == "given"


def test_a_found_moment_is_used_and_an_unsure_one_is_warned_about() -> None:
    sure = plan({}, found=Moment(time=5.0, confidence=0.9, basis="sound"))
    unsure = plan({}, found=Moment(time=5.0, confidence=0.1, basis="motion"))
    assert sure.warnings == () and "found by sound" in sure.moment_basis
    assert "no clear mishap: give --at" in unsure.warnings[0] and "0:05" in unsure.warnings[0]
    with pytest.raises(UsageError, match="no moment"):
        plan({})


def test_an_after_photo_follows_behind_a_flash_and_the_parts_add_up() -> None:
    made = plan(
        {"trim.at": 7.0, "after": (AfterPart(path="/in/dish.jpg"),), "after.duration": 2.5},
        afters=(photo(),),
    )
    fail, after = made.segments
    assert (after.role, after.shows, after.frames) == ("after", "photo", 75)
    assert after.start_frame == fail.end_frame == 240 - 75
    assert after.zoom[0] < after.zoom[1], "a photo is never a dead still"
    (flash,) = made.transitions
    assert (flash.kind, flash.at_frame, flash.overlap) == ("flash", fail.end_frame, 0)
    assert made.total_frames == 240


def test_split_puts_the_fail_above_the_after_with_labels() -> None:
    made = plan(
        {"trim.at": 7.0, "after": (AfterPart(path="/in/dish.jpg"),), "after.layout": "split"},
        afters=(photo(),),
    )
    fail, after = made.segments
    assert (fail.region, after.region) == ("top", "bottom")
    assert fail.reframe.target == (1080, 960) and after.start_frame == 0
    assert after.frames == fail.frames == 240
    labels = {c.layout.lines[0]: c for c in made.captions if c.role == "label"}
    assert set(labels) == {"BEFORE", "AFTER"}
    assert labels["BEFORE"].y < 960 <= labels["AFTER"].y


def test_a_freeze_holds_the_moment_between_two_halves_of_the_fail() -> None:
    made = plan({"trim.at": 7.0, "beats.freeze": 1.0})
    before, freeze, after = made.segments
    assert [s.role for s in made.segments] == ["fail", "freeze", "fail"]
    assert (freeze.shows, freeze.frames, freeze.source_start) == ("frame", 30, 7.0)
    assert before.source_end == after.source_start == 7.0
    assert freeze.start_frame == before.end_frame and after.start_frame == freeze.end_frame
    assert made.moment == freeze.start_frame / FPS
    assert made.total_frames == 240


def test_the_outro_card_holds_the_last_frame_and_its_sound_runs_on() -> None:
    made = plan({"trim.at": 7.0, "captions.outro": "Your worst fail?"})
    fail, outro = made.segments
    assert (outro.role, outro.shows, outro.frames) == ("outro", "frame", 45)
    assert outro.card is not None and outro.card.blur > 0 and outro.card.brightness < 0
    assert outro.start_frame == fail.end_frame and outro.source == fail.source
    assert outro.source_start == pytest.approx(fail.source_end - 1 / FPS, abs=1e-3)
    assert outro.sound and outro.source_end > outro.source_start
    (card,) = (c for c in made.captions if c.role == "outro")
    assert (card.start_frame, card.end_frame) == (outro.start_frame, outro.end_frame)


def test_a_turned_hdr_clip_is_reframed_as_stored_and_tone_mapped() -> None:
    made = plan({"trim.at": 7.0}, video(hdr=True, rotation=90, width=2160, height=3840))
    (fail,) = made.segments
    assert fail.hdr_to_sdr and fail.reframe.stored.turn == 90
    assert fail.reframe.source == (2160, 3840) and fail.reframe.target == (1080, 1920)


def test_effects_land_at_their_named_points() -> None:
    boing = Sound("boing", Path("/assets/boing.wav"), 0.6)
    made = plan(
        {"trim.at": 7.0, "sfx": (EffectCue("boing"), EffectCue("boing", "end"))},
        sounds={"boing": boing},
    )
    at_moment, at_end = made.sound.effects
    assert at_moment.start == pytest.approx(made.moment)
    assert at_end.start + at_end.duration == pytest.approx(made.duration)


def test_parts_that_cannot_go_together_are_refused() -> None:
    with pytest.raises(UsageError, match="needs an after part"):
        plan({"trim.at": 7.0, "after.layout": "split"})
    with pytest.raises(UsageError, match="need a video"):
        plan({"beats.replay": True}, photo())
    with pytest.raises(UsageError, match="past the end"):
        plan(
            {"trim.at": 7.0, "after": (AfterPart(path="/in/b.mov"),), "after.start": 20.0},
            afters=(video(path="/in/b.mov"),),
        )


def test_follow_asks_for_each_window_it_would_follow_then_follows_them() -> None:
    landscape = video(width=1920, height=1080)
    after = video(path="/in/after.mov", width=1920, height=1080, duration=5.0)
    settings = {"trim.at": 7.0, "output.fit": "follow", "after": (AfterPart(path=after.path),)}
    first = plan(settings, landscape, afters=(after,))
    fail, rescue = first.segments
    assert first.unmeasured == (
        (fail.source, fail.source_start, fail.source_end),
        (rescue.source, rescue.source_start, rescue.source_end),
    )
    assert fail.reframe.mode == "follow" and fail.reframe.path == (), "centred until measured"
    right = np.zeros((80, 64))
    right[:, 50:54] = 10.0  # the action keeps to the right of the picture
    tracks = {
        span: ActionTrack(span[1], 10.0, right, np.ones((80, 36))) for span in first.unmeasured
    }
    second = plan(settings, landscape, afters=(after,), tracks=tracks)
    assert second.unmeasured == ()
    for segment in second.segments:
        x, _ = position_at(segment.reframe.path, segment.source_start)
        box = segment.reframe.crop_box()[0]
        assert x <= 52 / 64 * 1920 <= x + box, f"the {segment.role} window holds the action"


def test_an_outro_closes_a_split_after_the_longer_half() -> None:
    short = video(path="/in/short.mov", duration=1.0)
    made = plan(
        {
            "trim.at": 7.0,
            "after": (AfterPart(path=short.path),),
            "after.layout": "split",
            "captions.outro": "?",
        },
        afters=(short,),
    )
    fail, after, outro = made.segments
    assert after.end_frame < fail.end_frame, "the after video is shorter than its slot"
    assert outro.start_frame == fail.end_frame and outro.source == fail.source
    assert made.total_frames == 240


def test_auto_follows_only_footage_much_wider_than_the_frame() -> None:
    dish = (AfterPart(path="/in/dish.jpg"),)
    portrait = plan({"trim.at": 7.0, "after": dish, "after.layout": "split"}, afters=(photo(),))
    assert portrait.segments[0].reframe.mode in ("crop", "blur")
    assert portrait.unmeasured == (), "portrait footage in the top half is never followed"
    landscape = plan({"trim.at": 7.0}, video(width=1920, height=1080))
    assert landscape.unmeasured, "landscape footage into 9:16 asks where the action is"


def test_word_animations_time_the_words_of_every_caption_but_the_labels(
    no_system_fonts: Path,
) -> None:
    build_font(no_system_fonts / "hebrew.ttf", {"ש": 600, "ו": 300, "ב": 600})
    made = plan(
        {
            "trim.at": 7.0,
            "caption": ("oh no 🥞 שוב",),
            "captions.animation": "karaoke",
            "captions.outro": "Your worst fail?",
            "after": (AfterPart(path="/in/dish.jpg"),),
            "after.layout": "split",
            "after.caption": "saved it",
        },
        afters=(photo(),),
    )
    timed = {c.role: [(w.text, w.start_frame, w.end_frame) for w in c.words] for c in made.captions}
    fail = next(c for c in made.captions if c.role == "fail")
    assert [w[0] for w in timed["fail"]] == ["oh", "no", "🥞", "שוב"]
    assert timed["fail"][0][1] == fail.start_frame and timed["fail"][-1][2] == fail.end_frame
    assert [w[0] for w in timed["after"]] == ["saved", "it"]
    assert [w[0] for w in timed["outro"]] == ["Your", "worst", "fail?"]
    labels = [c for c in made.captions if c.role == "label"]
    assert labels and all(c.words == () and c.animation == "pop" for c in labels)


def test_the_guard_fails_on_a_font_read_while_planning() -> None:
    style = find_style("classic")
    refused = pytest.raises(AssertionError, match=r"planning (read a file|opened the font)")
    with refused, reading_nothing():
        layout_caption("Oops", style, font_path(None, style), 950, 1000, 1080, FontBook())


def test_a_sealed_book_refuses_a_face_it_was_not_given() -> None:
    book = read_fonts(to_recipe({"caption": ("Oops",)}), None, ())
    style = find_style("comic")  # a face the recipe's captions never use
    with pytest.raises(NotRead, match="ComicNeue"):
        layout_caption("Oops", style, font_path(None, style), 950, 1000, 1080, book)
