"""--auto: the settings not given, decided from the footage with a reason each (pure), and a
made clip planned and rendered with them: a flag typed always wins."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from test_speech import HIGHLIGHT, talk  # noqa: F401 (talk: a real voice, the speech tests' clip)

from clipcraft.batch.manifest import Manifest
from clipcraft.batch.run import plan_batch
from clipcraft.captions.speech.whisper import WhisperEngine
from clipcraft.captions.speech.words import SpokenWord
from clipcraft.finding.reaction import reaction_of
from clipcraft.make import make_clip
from clipcraft.media.synthetic import Handheld, handheld_clip
from clipcraft.planning.auto import Evidence, decide
from clipcraft.settings.banks import HOOKS, PROMPTS
from clipcraft.settings.layers import Layer

from helpers import assert_one_clean_error, clipcraft, plan_of
from media import inspect, make_video, read_audio, read_frame, write_sound

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from moment_set import Case, make_case

CLEAR = Evidence(
    name="spill.mp4", footage=20.0, moment=9.0, confidence=0.9, clear=True, settle=2.0,
    loud_reaction=6.0, words=(), effects=(("bonk", 0.4), ("boing", 1.6), ("honk", 0.6)),
    beds=("gold-rush", "fluffing-a-duck"), chill_beds=("cat-caffe",), own_music=None, turn=0,
    jitter=0.0004,
)  # fmt: skip


def decided(evidence: Evidence = CLEAR, given: frozenset[str] = frozenset()) -> dict:
    return {d.setting: (d.value, d.why) for d in decide(given, evidence, HOOKS, PROMPTS)}


def test_a_clear_mishap_gets_a_window_a_hook_an_effect_an_ending_and_a_bed() -> None:
    made = decided()
    assert made["trim.at"][0] == 9.0 and "found at 9.00 s" in made["trim.at"][1]
    length = made["duration"][0]
    assert 5 <= length <= 10 and "settled 2.0 s after" in made["duration"][1]
    assert made["captions.hook"][0] in HOOKS and "no words said" in made["captions.hook"][1]
    assert made["sfx"][0] == ["bonk@moment"]
    assert made["captions.outro"][0] in PROMPTS and made["music"][0] == "gold-rush"
    assert "sound.sfx_volume" not in made, "a quiet reaction leaves the effect as it is"
    assert (
        made["output.stabilize"][0] is None and "0.04% of its width" in made["output.stabilize"][1]
    )
    assert decided(replace(CLEAR, jitter=0.012))["output.stabilize"][0] is True
    assert made["beats.punch_in"][0] == 1.2
    assert decided() == made, "the same clip, the same choices"


def test_what_the_creator_gave_is_never_decided() -> None:
    given = frozenset({"trim.at", "duration", "caption", "sfx", "captions.outro", "music"})
    assert not set(decided(given=given)) & given


def test_clips_in_a_row_take_different_effects_hooks_and_beds() -> None:
    first, second = decided(), decided(replace(CLEAR, turn=1))
    for setting in ("sfx", "captions.hook", "music"):
        assert first[setting][0] != second[setting][0], setting


def test_an_unsure_finder_keeps_the_default_placement_and_says_so() -> None:
    made = decided(replace(CLEAR, confidence=0.3, clear=False))
    assert made["trim.at"][0] is None and "unsure (confidence 0.30)" in made["trim.at"][1]
    assert made["beats.punch_in"][0] is None, "no push-in on a guess"


def test_words_said_become_karaoke_and_the_effect_moves_off_them() -> None:
    words = (SpokenWord("oh", 8.2, 8.6), SpokenWord("no", 8.7, 9.1), SpokenWord("look", 9.7, 9.9))
    made = decided(replace(CLEAR, words=words))
    assert made["captions.file"][0] == "speech" and made["captions.animation"][0] == "karaoke"
    assert "captions.hook" not in made and made["music"][0] == "cat-caffe"
    assert made["sfx"][0] == ["bonk@moment+0.10"], "into the pause after 'no'"
    assert "moved +0.10 s off a word" in made["sfx"][1]
    # a word just after: the next effect in turn that fits the pause, clear of its start
    look = (*words[:2], SpokenWord("look", 9.6, 9.9))
    assert decided(replace(CLEAR, words=look))["sfx"][0] is None, "bonk would end 0.1 s before"
    fits = replace(CLEAR, words=(*words[:2], SpokenWord("look", 10.2, 10.5)), turn=1)
    assert decided(fits)["sfx"] == (
        ["honk@moment+0.10"],
        "honk moved +0.10 s off a word (comedy, boing would ring over a word)",
    )
    spoken_over = tuple(
        SpokenWord(w, 8.4 + i * 0.1, 8.5 + i * 0.1) for i, w in enumerate("abcdefghijk")
    )
    said = decided(replace(CLEAR, words=spoken_over))
    assert said["sfx"][0] is None and "words are said all around" in said["sfx"][1]
    # a word coming just after the moment, with no pause after it: a little early, or never
    soon = (SpokenWord("whoa", 9.48, 10.5),)
    assert decided(replace(CLEAR, words=soon))["sfx"][0] == ["bonk@moment-0.10"]
    sooner = (SpokenWord("whoa", 9.42, 10.5),)
    assert decided(replace(CLEAR, words=sooner))["sfx"][0] is None, "0.15 s early is out of sync"


def test_a_loud_reaction_softens_the_effect_and_no_engine_is_said() -> None:
    made = decided(replace(CLEAR, loud_reaction=20.0, words=None))
    assert made["sound.sfx_volume"][0] == -6.0 and "+20 dB" in made["sound.sfx_volume"][1]
    assert "no speech engine installed" in made["captions.hook"][1]


def test_the_footage_ends_where_its_picture_breaks() -> None:
    """A hand over the lens (a cut, the phone swung away) 3.3 s after the moment: the window
    is the build-up and reaction that fit before it, and the reason says so."""
    long = replace(CLEAR, settle=4.0)  # 4.5 s after the moment: a 7.5-s window
    broken = decided(replace(long, footage=20.0, picture_break=3.3))["duration"]
    assert broken[0] - 1.5 == pytest.approx(7.5), "the window slides back, it keeps its length"
    assert "taken to end where its picture breaks, 3.3 s after the moment" in broken[1]
    short = decided(replace(long, moment=1.8, footage=3.5, picture_break=1.6))
    assert short["duration"][0] - 1.5 == pytest.approx(3.4), "all there is before the break"
    slideshow = decided(replace(long, moment=0.1, footage=4.0, picture_break=0.9))["duration"]
    assert slideshow[0] - 1.5 == pytest.approx(4.0) and "breaks" not in slideshow[1]


def test_the_creators_after_parts_and_card_follow_the_fail_they_do_not_shorten_it() -> None:
    """The length decided is the fail's: an after part (2.5 s) and a card of the creator's
    come on top, so the fail keeps its build-up and reaction."""
    alone = decided(CLEAR)["duration"][0]  # 5 s and the share prompt's card
    story = decided(replace(CLEAR, story=2.5))
    assert story["duration"][0] == pytest.approx(alone + 2.5)
    assert "and 2.5 s of your own parts" in story["duration"][1]
    frozen = decided(replace(SCRATCHED, story=2.5), frozenset({"after"}))
    assert frozen["beats.freeze"][0] == 0.5 and frozen["duration"][0] == pytest.approx(
        alone + 2.5 + 0.5
    ), "a dish after the fail leaves room for a freeze"
    assert decided(replace(SCRATCHED, story=3.1))["beats.freeze"][0] is None, "no room"
    crowded = decided(replace(CLEAR, story=4.0))  # 5 + 4 + a 1.5-s card passes 10 s
    assert crowded["duration"][0] == pytest.approx(9.0) and crowded["captions.outro"][0] is None
    own_card = decided(CLEAR, frozenset({"captions.outro"}))["duration"][0]
    assert own_card == pytest.approx(alone), "the creator's card takes the share prompt's time"


def test_a_card_only_where_it_leaves_the_fail_its_time() -> None:
    """The share prompt's card is decided only where it fits: not in the creator's own length
    beside their after part, not on footage too short for a fail, not from an empty bank."""
    squeezed = decided(replace(CLEAR, story=2.5, duration=5.5), frozenset({"duration", "after"}))
    assert squeezed["captions.outro"][0] is None, "5.5 - 2.5 - 1.5 leaves under 2 s"
    roomy = decided(replace(CLEAR, story=2.5, duration=8.0), frozenset({"duration", "after"}))
    assert roomy["captions.outro"][0] is not None
    short = decided(replace(CLEAR, moment=0.4, footage=1.5, picture_break=None))
    assert short["duration"][0] == 1.5 and short["captions.outro"][0] is None
    bank = {d.setting: d for d in decide(frozenset(), CLEAR, HOOKS, ())}
    assert bank["captions.outro"].value is None and "no share prompts" in bank["captions.outro"].why
    assert bank["duration"].value == 5.0, "no card, no time kept for one"


def test_an_effect_never_moves_before_the_clip_starts() -> None:
    words = (SpokenWord("whoa", 0.52, 1.5),)  # 0.05 s early would fit, but the clip starts at 0
    near_start = decided(replace(CLEAR, moment=0.05, words=words))
    assert "moment-" not in str(near_start["sfx"][0]), near_start["sfx"]


def test_the_creators_freeze_gets_the_scratch_and_the_effect_after_it() -> None:
    made = decided(replace(CLEAR, frozen=1.0, story=1.0), frozenset({"beats.freeze"}))
    assert made["sfx"][0] == ["record-scratch@moment", "bonk@moment+1.00"]
    assert made["duration"][0] == decided(CLEAR)["duration"][0] + 1.0, "counted once"


def test_a_break_past_the_window_is_not_named() -> None:
    far = decided(replace(CLEAR, picture_break=9.0))["duration"]
    assert "break" not in far[1], far


def test_a_reaction_settles_when_the_level_is_back_for_a_while() -> None:
    before = [-40.0] * 25
    after = [-10.0] * 3 + [-20.0] * 12 + [-39.0] * 20
    reaction = reaction_of(np.array(before), np.array(after))
    assert reaction.settle == 1.5 and reaction.loudness_db == 20.0 and reaction.loud


SCRATCHED = replace(CLEAR, scratch=0.45)
"""A clear mishap, a short reaction, and the bundled record scratch in the library."""


def test_a_sure_moment_with_room_is_frozen_under_a_record_scratch() -> None:
    plain, made = decided(), decided(SCRATCHED)
    assert made["beats.freeze"][0] == 0.5 and "record-scratch" in made["beats.freeze"][1]
    assert made["duration"][0] == pytest.approx(plain["duration"][0] + 0.5)
    assert "0.5-s freeze" in made["duration"][1]
    assert made["sfx"][0] == ["record-scratch@moment", "bonk@moment+0.50"], "the effect after it"
    assert made["captions.outro"][0] == plain["captions.outro"][0], "the card keeps its room"
    longer = decided(replace(SCRATCHED, scratch=0.72))["beats.freeze"][0]
    assert longer == 0.8, "as long as the scratch, so it fills the freeze"
    assert decided(replace(SCRATCHED, scratch=3.0))["beats.freeze"][0] == 1.0


def test_no_freeze_where_it_would_not_help() -> None:
    def freeze(evidence: Evidence = SCRATCHED, *given: str) -> tuple:
        return decided(evidence, frozenset(given))["beats.freeze"]

    assert freeze(CLEAR) == (None, "no record-scratch effect to freeze on")
    assert freeze(replace(SCRATCHED, clear=False))[0] is None
    said = replace(SCRATCHED, words=(SpokenWord("whoa", 8.8, 9.3), SpokenWord("no", 9.5, 9.7)))
    assert freeze(said) == (None, "'whoa' is said at the moment: a freeze would cut it")
    long = freeze(replace(SCRATCHED, settle=4.5))  # 8.3 s and a card: 10.3 s with a freeze
    assert long[0] is None and "no room" in long[1]
    for given in ("sfx", "after.layout", "beats.replay", "duration", "trim.end"):
        assert freeze(SCRATCHED, given)[0] is None, given
    made = decided(SCRATCHED, frozenset({"beats.freeze"}))
    assert "beats.freeze" not in made and made["sfx"][0] == ["bonk@moment"]
    assert "record-scratch" not in str(decided(SCRATCHED, frozenset({"duration"}))["sfx"][0])


def test_with_a_freeze_the_effect_moves_only_later_off_a_word() -> None:
    """Moved earlier, it would play over the scratch, before the freeze."""
    words = (SpokenWord("look", 9.48, 9.9),)
    assert decided(replace(CLEAR, words=words))["sfx"][0] == ["bonk@moment-0.10"]
    frozen = decided(replace(SCRATCHED, words=words))
    assert frozen["beats.freeze"][0] == 0.5, "the word starts after the moment: nothing cut"
    assert frozen["sfx"] == (
        ["record-scratch@moment"],
        "the record-scratch on the freeze; words are said all around the moment: no effect fits",
    )
    later = decided(replace(SCRATCHED, words=(SpokenWord("look", 9.12, 9.38),)))
    assert later["sfx"][0] == ["record-scratch@moment", "bonk@moment+0.90"]


@pytest.mark.media
def test_auto_on_a_made_clip_decides_renders_and_never_overrides_a_flag(tmp_path: Path) -> None:
    case = Case("spill", 12.0, 7.0, "room", False, True, "crash", 24.0, 7)
    clip = make_case(case, tmp_path / "spill.mp4")
    plan = plan_of(clip, "--auto", "--music", "cat-caffe", "-o", tmp_path / "x.mp4")
    decisions = {d["setting"]: d for d in plan["decisions"]}
    assert all(d["why"] for d in plan["decisions"]), "every decision says why"
    assert decisions["trim.at"]["value"] == pytest.approx(7.0, abs=0.5)
    assert plan["moment_basis"].startswith("found by"), "the finder's moment, not a typed one"
    assert "music" not in decisions and plan["sound"]["music"]["name"] == "cat-caffe"
    hook = next(c for c in plan["captions"] if c["role"] == "hook")
    assert hook["layout"]["text"] == decisions["captions.hook"]["value"]
    out = tmp_path / "auto.mp4"
    made = clipcraft("make", clip, "--auto", "--music", "cat-caffe", "--preview", "-o", out)
    assert made.exit_code == 0, made.output
    assert inspect(out).frames == round(decisions["duration"]["value"] * 30)
    top = read_frame(out, 0.5)[120:320].astype(int)
    assert (top.max(axis=2) > 240).mean() > 0.01, "the hook's white letters in the first second"
    shown = clipcraft("make", clip, "--auto", "--dry-run").stdout
    assert "decided by --auto" in shown and "captions.hook = " in shown
    again = json.loads(clipcraft("make", clip, "--auto", "--dry-run", "--json").stdout)
    assert [d for d in again["decisions"] if d["setting"] != "music"] == [
        d for d in plan["decisions"]
    ], "the same clip, the same decisions; only the bed the flag gave is decided now"


@pytest.mark.media
def test_a_freeze_decided_by_auto_holds_the_moment_under_a_record_scratch(tmp_path: Path) -> None:
    """Rendered: the falling bowl held still over the freeze but for its push-in, the scratch
    heard from its first frame, the reel longer by the freeze."""
    case = Case("spill", 8.0, 4.0, "room", False, True, "crash", 24.0, 7)
    clip, out = make_case(case, tmp_path / "spill.mp4"), tmp_path / "auto.mp4"
    plan = make_clip(clip, out, [Layer("flag", {"auto": True, "output.preview": True})]).plan
    decisions = {d.setting: d.value for d in plan.decisions}
    assert decisions["beats.freeze"] == 0.5 and decisions["sfx"][0] == "record-scratch@moment"
    assert inspect(out).frames == round(decisions["duration"] * 30)
    freeze = next(segment for segment in plan.segments if segment.role == "freeze")
    assert (freeze.frames, freeze.start_frame) == (15, round(plan.moment * 30))

    def bowl(frame: int) -> tuple[float, int]:
        """The white bowl's height on the frame and its area."""
        white = read_frame(out, (frame - 0.4) / 30).min(axis=2) > 225  # seeks to the next
        return float(np.nonzero(white)[0].mean()), int(white.sum())

    (first, area), (last, pushed) = bowl(freeze.start_frame), bowl(freeze.end_frame - 1)
    fallen, _ = bowl(freeze.end_frame + 6)
    assert abs(last - first) < 10 < 30 < fallen - last, (first, last, fallen)
    assert 1.05 < pushed / area < 1.2, "pushed in 6% (12% more area) over the freeze"
    sound = read_audio(out).mean(axis=1)
    level = [
        20 * np.log10(np.sqrt(np.mean(sound[i : i + 480] ** 2)) + 1e-12)
        for i in range(0, len(sound) - 480, 480)
    ]  # every 10 ms
    start = round(plan.moment * 100)
    before = float(np.mean(level[start - 30 : start]))
    assert np.mean(level[start : start + 30]) > before + 10, "the scratch over the footage"
    onset = next(i for i in range(start - 10, len(level)) if level[i] > before + 6)
    assert 0 <= onset - start <= 6, "the scratch lands on the freeze's first frame"


@pytest.mark.media
def test_an_after_part_comes_on_top_of_the_fail_auto_sized(tmp_path: Path) -> None:
    """--auto with the creator's --after: the fail keeps the build-up and reaction it would
    have alone (give or take the music's cut onto a beat), the dish follows it."""
    clip = make_case(Case("spill", 12.0, 7.0, "room", False, True, "crash", 24.0, 7),
                     tmp_path / "spill.mp4")  # fmt: skip
    dish = tmp_path / "dish.jpg"
    Image.new("RGB", (320, 480), (200, 150, 90)).save(dish)

    def fail_seconds(*given: object) -> float:
        plan = plan_of(clip, "--auto", *given, "-o", tmp_path / "x.mp4")
        fail = [s for s in plan["segments"] if s["role"] == "fail"]
        return float(fail[-1]["source_end"] - fail[0]["source_start"])

    alone = fail_seconds()
    assert fail_seconds("--after", dish, "--transition", "crossfade") == pytest.approx(
        alone, abs=0.35
    )
    assert fail_seconds("--freeze", 1) == pytest.approx(alone, abs=0.05), "a freeze of yours too"


@pytest.mark.media
def test_an_effect_a_little_off_a_named_point(tmp_path: Path) -> None:
    """What --auto writes when it moves an effect off a word, and a creator may type too."""
    clip = make_video(tmp_path / "c.mp4", seconds=4)
    plan = plan_of(clip, "--at", 2, "--sfx", "bonk@moment+0.2", "--sfx", "ding@end-0.5")
    bonk, ding = plan["sound"]["effects"]
    assert bonk["start"] == pytest.approx(plan["moment"] + 0.2, abs=0.001)
    assert ding["start"] == pytest.approx(plan["duration"] - ding["duration"] - 0.5, abs=0.05)
    slip = clipcraft("make", clip, "--at", 2, "--sfx", "bonk@moment-9", "--dry-run")
    assert_one_clean_error(slip, 2, "bonk@moment-9", "before the clip starts")


@pytest.mark.media
def test_a_bank_that_is_not_a_list_of_texts_is_refused(tmp_path: Path) -> None:
    clip = make_video(tmp_path / "c.mp4", seconds=2)
    for bank in ("[1, 2]", '["ok", ""]', "{ text = 1 }"):
        recipe = tmp_path / "r.toml"
        recipe.write_text(f"auto = true\n[captions]\nhooks = {bank}\n")
        slip = clipcraft("make", clip, "--recipe", recipe, "--dry-run")
        assert_one_clean_error(slip, 2, "captions.hooks")


@pytest.mark.media
def test_clips_in_a_row_of_a_batch_take_turns(tmp_path: Path) -> None:
    """batch --auto hands each clip its place in the roll; two in a row differ."""
    case = Case("spill", 8.0, 4.0, "room", False, True, "crash", 24.0, 3)
    roll = tmp_path / "roll"
    roll.mkdir()
    for name in ("a", "b"):
        make_case(case, roll / f"{name}.mp4")
    auto = [Layer("flag", {"auto": True})]
    plan = plan_batch(roll, tmp_path / "out", auto, Manifest(tmp_path / "out"), force=False)
    assert [(task.job.name, task.turn) for task in plan.todo] == [("a", 0), ("b", 1)]
    chosen = [
        {d.setting: d.value for d in make_clip(roll / f"{task.job.name}.mp4", None, task.layers,
                                               dry_run=True, turn=task.turn).plan.decisions}
        for task in plan.todo
    ]  # fmt: skip
    assert chosen[0]["sfx"] != chosen[1]["sfx"] and chosen[0]["music"] != chosen[1]["music"]


@pytest.mark.media
def test_the_words_of_a_real_voice_become_the_clip_s_captions_under_auto(
    talk: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    heard: list[float] = []
    listen = WhisperEngine.transcribe

    def counted(engine: WhisperEngine, samples: np.ndarray) -> list[SpokenWord]:
        heard.append(len(samples) / 16000)
        return listen(engine, samples)

    monkeypatch.setattr(WhisperEngine, "transcribe", counted)
    plan = plan_of(talk, "--auto", "-o", tmp_path / "t.mp4")
    assert len(heard) == 1, "what --auto heard around the moment is the captions' words"
    decided = {d["setting"]: d["value"] for d in plan["decisions"]}
    assert decided["captions.file"] == "speech" and decided["captions.animation"] == "karaoke"
    said = " ".join(c["layout"]["text"] for c in plan["captions"] if c["role"] == "subtitle")
    assert "wizard" in said.lower() and "curtain" in said.lower(), said
    assert "WEBVTT" in plan["transcript"] and "wizard" in plan["transcript"]
    words = [
        (word["start_frame"] / 30, word["end_frame"] / 30)
        for caption in plan["captions"]
        if caption["role"] == "subtitle"
        for word in caption["words"]
    ]
    for effect in plan["sound"]["effects"]:  # moved into a pause, or (here) left out
        ringing = (effect["start"], effect["start"] + effect["duration"])
        assert not [w for w in words if w[0] < ringing[1] and ringing[0] < w[1]], (effect, words)
    assert plan["sound"]["effects"] or any(
        "words are said all around" in d["why"] for d in plan["decisions"]
    )
    # rendered: the transcript beside the clip, and each word lit on the frames as it is said
    out = tmp_path / "talk-clip.mp4"
    made = clipcraft("make", talk, "--auto", "--preview", "-o", out)
    assert made.exit_code == 0, made.output
    transcript = out.with_suffix(".vtt").read_text()
    assert "wizard" in transcript and "curtain" in transcript
    lit_at = []
    for start, end in words[:3]:
        frame = read_frame(out, (start + end) / 2).astype(int)
        lit = np.all(np.abs(frame - HIGHLIGHT) < 60, axis=2)
        assert lit.sum() > 20, f"no word lit at {start:.2f} s"
        lit_at.append(np.argwhere(lit).mean(axis=0))
    assert lit_at[0][1] < lit_at[1][1] < lit_at[2][1] or lit_at[1][0] > lit_at[0][0], lit_at


@pytest.mark.media
def test_only_a_shaking_hand_is_steadied(tmp_path: Path) -> None:
    """A tripod and a smooth walk past the counter are never steadied; a shaking hand is."""
    hands = {"tripod": Handheld(tremor=0, walk=0), "walk": Handheld(tremor=0, walk=10),
             "shaking": Handheld(tremor=8, walk=10)}  # fmt: skip
    steadied = {}
    for name, hand in hands.items():
        clip = handheld_clip(tmp_path / f"{name}.mp4", centre=0.5, hand=hand)
        decisions = plan_of(clip, "--auto", "-o", tmp_path / "x.mp4")["decisions"]
        steadied[name] = next(d["value"] for d in decisions if d["setting"] == "output.stabilize")
    assert steadied == {"tripod": None, "walk": None, "shaking": True}


@pytest.mark.media
def test_the_creators_own_bed_comes_before_the_bundled_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLIPCRAFT_DATA_DIR", str(tmp_path / "data"))
    music = tmp_path / "data" / "music"
    music.mkdir(parents=True)
    (music / ".theme.wav").write_bytes(b"an editor's hidden copy, never a bed")
    theme = write_sound(music / "theme.wav", 2.0)
    clip = make_video(tmp_path / "c.mp4", seconds=4)
    decided = {d["setting"]: d for d in plan_of(clip, "--auto")["decisions"]}
    assert decided["music"]["value"] == str(theme) and "your default bed" in decided["music"]["why"]
