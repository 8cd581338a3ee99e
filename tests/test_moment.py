"""Finding the mishap: the measures and decisions on made-up signals, clips made with a crash
and what real footage puts around it, and slices of the labelled sets."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from clipcraft.finding.moment import (
    Candidate,
    Moment,
    Seen,
    event_start,
    find_moment,
    first_hit,
    local_motion,
    motion_burst,
    onset_strength,
    robust_z,
    score_candidates,
    weight_of,
)
from clipcraft.media.probe import probe

from helpers import clipcraft

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import moment_real_set
from moment_set import RATE, TOLERANCE, cases, make_case, picture, write_clip

pytestmark = pytest.mark.media  # every test here makes or reads media


def test_an_onset_is_a_rise_over_the_second_before() -> None:
    steady_then_loud = np.concatenate([np.full(100, -30.0), np.full(20, -5.0), np.full(50, -30.0)])
    strength = onset_strength(steady_then_loud, per_second=50)
    assert np.argmax(strength) == 100
    assert strength[100] == pytest.approx(25.0)
    assert strength[:100].max() == 0.0


def test_a_steady_loud_background_makes_no_onsets() -> None:
    fan = -12.0 + np.random.default_rng(0).normal(0, 0.5, 500)
    assert onset_strength(fan, per_second=50).max() < 3.0


def test_robust_z_ranks_the_outlier_highest() -> None:
    values = np.r_[np.random.default_rng(1).normal(5, 1, 200), 30.0]
    z = robust_z(values)
    assert np.argmax(z) == 200 and z[200] > 15


def test_local_motion_takes_the_shake_out_but_sees_one_part_move() -> None:
    rng = np.random.default_rng(2)
    still = rng.uniform(0, 1, (32, 64))
    shaken = np.roll(still, (3, 4), axis=(0, 1))
    moved = still.copy()
    moved[8:16, 16:32] = 1.0 - moved[8:16, 16:32]
    shake, local = local_motion(np.stack([still, shaken])), local_motion(np.stack([still, moved]))
    assert shake[1] < 0.01 < 0.1 < local[1]


def test_a_motion_burst_starts_where_it_leaves_the_calm() -> None:
    motion = np.full(30, 0.005)
    motion[12:20] = [0.05, 0.09, 0.14, 0.18, 0.2, 0.15, 0.1, 0.05]
    start, rise = motion_burst(motion, at=16, before=12, after=6)
    assert start == 12 and rise == pytest.approx(19.5)


def test_motion_still_going_leads_back_to_where_it_began() -> None:
    # laughter 1.5 s after the crash: what still moves near it began with the crash
    motion = np.full(40, 0.005)
    motion[5:10] = [0.05, 0.1, 0.15, 0.2, 0.2]
    motion[10:25] = np.linspace(0.19, 0.02, 15)
    assert motion_burst(motion, at=26, before=12, after=6)[0] == 5


def test_the_first_hit_is_found_behind_louder_later_ones() -> None:
    bright = np.zeros(400)
    bright[[100, 120, 145]] = [12.0, 20.0, 22.0]  # cutlery spilling: the loudest comes last
    bright[40] = 20.0  # a knock well before it, another event
    bright[90] = 8.0  # talking: much weaker than the crash
    assert first_hit(bright, 145, earliest=0) == 100
    assert first_hit(bright, 145, earliest=110) == 120


def test_a_louder_sound_where_nothing_moves_loses() -> None:
    knock, crash = 0, 1
    sound, even = [30.0, 12.0], [1.0, 1.0]
    assert np.argmax(score_candidates(sound, [0.6, 15.0], even)) == crash
    # a picture that shows nothing leaves it to the sound
    assert np.argmax(score_candidates(sound, [0.6, 0.9], even)) == knock
    # an onset by the end is usually the phone being put down
    assert np.argmax(score_candidates([30.0, 20.0], [1.0, 1.0], [0.5, 1.0])) == crash


def test_a_voice_a_picture_event_and_a_reaction_weigh_as_they_should() -> None:
    moved = Seen(start=4.0, rise=10.0, picture_event=False)
    middle = 5.0
    assert weight_of(middle, 10.0, moved, voice=0.0, reaction=False) == 1.0
    # a hit that someone shouts at counts more; a hand knocking the lens never counts
    assert weight_of(middle, 10.0, moved, voice=0.0, reaction=True) > 1.0
    assert weight_of(middle, 10.0, replace(moved, picture_event=True), 0.0, False) == 0.0
    # a shout where nothing happened first is talk; after something was seen, a reaction
    assert weight_of(middle, 10.0, replace(moved, start=middle), 0.8, False) < 0.5
    assert weight_of(middle, 10.0, moved, voice=0.8, reaction=False) == 1.0
    # near the ends: the phone picked up or put down
    assert weight_of(0.5, 10.0, replace(moved, start=0.4), 0.0, False) == 0.5


def test_the_event_starts_with_its_motion_or_a_first_hit_just_before() -> None:
    bright = np.zeros(300)
    bright[100] = 20.0  # the bang at 2.0 s
    seen = 10.0
    assert event_start(bright, 100, moved=1.2, rise=seen) == pytest.approx(1.2)  # slid first
    assert event_start(bright, 100, moved=2.3, rise=seen) == pytest.approx(2.0)  # small, slow
    assert event_start(bright, 100, moved=0.4, rise=0.5) == pytest.approx(2.0)  # nothing seen


# clips made here: the bench's picture (a bowl falls at `event`, nothing else moves but a
# spoon stirring) under a sound mixed from bursts over a quiet bed
DURATION = 7.0


def _burst(at: float, db: float, seconds: float = 0.4, seed: int = 0) -> np.ndarray:
    """Noise decaying from `at` (a crash, a knock), its first 50 ms at `db` dBFS."""
    t = np.arange(int(DURATION * RATE)) / RATE
    noise = np.random.default_rng(seed).normal(0, 1, len(t))
    signal = noise * np.exp(-np.maximum(t - at, 0) * 3 / seconds) * (t >= at)
    first = signal[int(at * RATE) : int((at + 0.05) * RATE)]
    return signal * 10 ** (db / 20) / np.sqrt(np.mean(first**2))


def _laughter(at: float, db: float) -> np.ndarray:
    """Voiced 'ha-ha-ha' for 1.5 s from `at`: 220 Hz and its harmonics, five pulses a second."""
    t = np.arange(int(DURATION * RATE)) / RATE
    voice = sum(np.sin(2 * np.pi * 220 * k * t) / k for k in range(1, 12))
    pulses = (np.sin(2 * np.pi * 5 * (t - at)) > 0) * (t >= at) * (t < at + 1.5)
    return voice * pulses * 10 ** (db / 20) / np.sqrt(np.mean(voice**2))


def _clip(folder: Path, name: str, motion_at: float, *sounds: np.ndarray) -> Path:
    bed = np.random.default_rng(9).normal(0, 10 ** (-45 / 20), int(DURATION * RATE))
    frames = picture(DURATION, motion_at, seed=4, shaking=lambda t: False)
    return write_clip(folder / f"{name}.mp4", frames, bed + sum(sounds))


def _heard_near(moment: Moment, at: float) -> Candidate:
    return min(moment.candidates, key=lambda c: abs((c.heard or -1.0) - at))


def test_the_laughter_after_the_crash_is_not_the_moment(tmp_path: Path) -> None:
    path = _clip(tmp_path, "laugh", 2.0, _burst(2.0, -24), _laughter(3.5, -12))
    moment = find_moment(probe(path))
    assert moment.time == pytest.approx(2.0, abs=0.2)
    crash, laughter = (_heard_near(moment, at) for at in (2.0, 3.5))
    assert laughter.sound > crash.sound, "the laughter was louder"


def test_the_picture_overrules_a_louder_knock_where_nothing_moves(tmp_path: Path) -> None:
    path = _clip(tmp_path, "knock", 4.5, _burst(1.5, -10, seed=1), _burst(4.5, -28))
    moment = find_moment(probe(path))
    assert moment.time == pytest.approx(4.5, abs=0.2)
    knock, crash = (_heard_near(moment, at) for at in (1.5, 4.5))
    assert knock.sound > crash.sound and knock.motion < crash.motion


def test_several_hits_are_placed_at_the_first(tmp_path: Path) -> None:
    hits = [_burst(at, db, 0.2, seed) for seed, (at, db) in enumerate([(2.0, -30), (2.4, -22)])]
    path = _clip(tmp_path, "spill", 2.0, *hits, _burst(2.9, -16, seed=5))
    moment = find_moment(probe(path))
    assert moment.time == pytest.approx(2.0, abs=0.2), "the first hit, 0.9 s before the loudest"


# a slice of the labelled set (bench/moment_set.py has all of it): one per kind of distractor
SLICE = ["case04", "case05", "case12", "case16", "case24"]


@pytest.fixture(scope="module")
def labelled(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[object, Path]]:
    folder = tmp_path_factory.mktemp("moments")
    chosen = [case for case in cases() if case.name in SLICE]
    return [(case, make_case(case, folder / f"{case.name}.mp4")) for case in chosen]


def test_the_labelled_slice_is_found_within_half_a_second(labelled) -> None:
    for case, path in labelled:
        moment = find_moment(probe(path))
        assert abs(moment.time - case.event) <= TOLERANCE, (case, moment)
        assert 0.0 <= moment.confidence <= 1.0


def test_make_picks_the_moment_by_itself(labelled, tmp_path: Path) -> None:
    case, path = next((c, p) for c, p in labelled if c.name == "case12")
    result = clipcraft(
        "make", path, "--duration", 3, "--dry-run", "--json", "-o", tmp_path / "o.mp4"
    )
    plan = json.loads(result.stdout)
    assert plan["moment_basis"].startswith("found by sound")
    fail = plan["segments"][0]
    moment_on_source = fail["source_start"] + plan["moment"]
    assert moment_on_source == pytest.approx(case.event, abs=TOLERANCE)
    assert plan["moment"] == pytest.approx(0.4 * 3, abs=0.05), "40% into the window"


def test_probe_reports_the_moment_and_plots_it(labelled, tmp_path: Path) -> None:
    case, path = labelled[0]
    facts = json.loads(clipcraft("probe", path, "--json").stdout)
    assert facts["moment"] == pytest.approx(case.event, abs=TOLERANCE)
    assert {"duration", "width", "height", "fps", "has_audio", "confidence", "clear"} <= set(facts)
    # why: the candidates weighed, best first, with their sound and motion scores
    chosen = [c for c in facts["candidates"] if c["chosen"]]
    assert chosen == facts["candidates"][:1] and chosen[0]["time"] == facts["moment"]
    assert {"time", "heard", "sound", "motion", "score"} <= set(chosen[0])
    plot = tmp_path / "where.png"
    assert clipcraft("probe", path, "--plot", plot).exit_code == 0
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_slice_of_the_real_set_is_found(real_sounds: Path, tmp_path: Path) -> None:
    """One 8-s clip of each kind from the check half of bench/moment_real_set.py: real crashes,
    reactions, knocks and talking over real noise beds."""
    for case in moment_real_set.cases("check", len(moment_real_set.KINDS)):
        path = moment_real_set.make_case(case, tmp_path / f"{case.name}.mp4")
        moment = find_moment(probe(path))
        assert abs(moment.time - case.truth) <= TOLERANCE, (moment_real_set.describe(case), moment)
