"""--hook: a bigger caption over the build-up, gone before the moment, the fail's captions
after it; its placeholders, its warning when there is no build-up, its errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from helpers import assert_one_clean_error, clipcraft, plan_of
from media import make_video, read_frame

pytestmark = pytest.mark.media  # every test here makes or reads media


@pytest.fixture(scope="module")
def footage(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_video(
        tmp_path_factory.mktemp("hook") / "toss.mp4", width=180, height=320, seconds=8
    )


def test_the_hook_shows_over_the_build_up_and_is_gone_before_the_moment(
    footage: Path, tmp_path: Path
) -> None:
    args = ("--at", 5, "--duration", 6, "--style", "banner", "--caption-anim", "none")
    plan = plan_of(footage, *args, "--hook", "Watch {stem}…", "--caption", "NOPE")
    hook, fail = plan["captions"]
    assert (hook["role"], hook["layout"]["text"]) == ("hook", "Watch toss…"), "placeholders too"
    moment = round(plan["moment"] * 30)
    assert hook["start_frame"] == 0 and hook["end_frame"] == moment - 9, "gone 0.3 s before"
    assert fail["start_frame"] == hook["end_frame"], "the fail's caption follows it"
    assert hook["layout"]["height"] > fail["layout"]["height"], "bigger than the others"

    out, plain = tmp_path / "hooked.mp4", tmp_path / "plain.mp4"
    assert clipcraft("make", footage, *args, "--preview", "-o", plain).exit_code == 0
    made = clipcraft("make", footage, *args, "--preview", "--hook", "Wait for it", "-o", out)
    assert made.exit_code == 0, made.output

    def drawn(seconds: float) -> int:
        """Pixels the hook changed in the frame at `seconds`."""
        hooked, bare = read_frame(out, seconds).astype(int), read_frame(plain, seconds)
        return int((np.abs(hooked - bare).max(axis=2) > 40).sum())

    assert drawn(0.5) > 0.05 * 540 * 960, "the hook's pixels in the first second"
    assert drawn(plan["moment"] - 0.5) > 0.05 * 540 * 960, "over the whole build-up"
    assert drawn(plan["moment"] + 0.1) == 0, "and gone at the moment"


def test_no_build_up_leaves_the_hook_out_with_a_warning(footage: Path) -> None:
    plan = plan_of(footage, "--start", 0, "--end", 3, "--at", 0.6, "--hook", "Wait for it")
    assert not [c for c in plan["captions"] if c["role"] == "hook"]
    assert any("the hook needs 1.1 s before the moment" in w for w in plan["warnings"])


def test_an_empty_hook_is_refused(footage: Path, tmp_path: Path) -> None:
    slip = clipcraft("make", footage, "--at", 5, "--hook", "  ", "--dry-run")
    assert_one_clean_error(slip, 2, "--hook", "empty")
    recipe = tmp_path / "r.toml"
    recipe.write_text('[captions]\nhook = ""\n')
    slip = clipcraft("make", footage, "--at", 5, "--recipe", recipe, "--dry-run")
    assert_one_clean_error(slip, 2, "captions.hook", "empty")
