"""Finding the mishap: the measures on made-up signals, and a slice of the labelled set."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from clipcraft.moment import find_moment, local_motion, onset_strength, robust_z
from clipcraft.probe import probe

from helpers import clipcraft

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from moment_set import TOLERANCE, cases, make_case


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


def test_local_motion_ignores_shake_but_sees_one_part_move() -> None:
    rng = np.random.default_rng(2)
    still = rng.uniform(0, 1, (32, 64))
    shaken = np.roll(still, (3, 4), axis=(0, 1))
    moved = still.copy()
    moved[:8, :16] = 1.0 - moved[:8, :16]
    shake, local = local_motion(np.stack([still, shaken])), local_motion(np.stack([still, moved]))
    assert local[1] > 3 * shake[1]


# a slice of the labelled set (bench/moment_set.py has all of it): one per kind of distractor
SLICE = ["case04", "case05", "case12", "case16", "case24"]


@pytest.fixture(scope="module")
def labelled(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[object, Path]]:
    folder = tmp_path_factory.mktemp("moments")
    chosen = [case for case in cases() if case.name in SLICE]
    return [(case, make_case(case, folder)) for case in chosen]


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
    assert {"duration", "width", "height", "fps", "has_audio", "confidence"} <= set(facts)
    plot = tmp_path / "where.png"
    assert clipcraft("probe", path, "--plot", plot).exit_code == 0
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
