"""The camera's own move between frames: found to a tenth of a pixel, and not confused with
a thing moving through the picture."""

from __future__ import annotations

import numpy as np
import pytest

from clipcraft.finding.shake import global_motion, shifted, steady


def scene(seed: int = 0) -> np.ndarray:
    """A soft, camera-like texture bigger than the frame (no hard pixel-to-pixel noise)."""
    rng = np.random.default_rng(seed)
    picture = rng.uniform(0, 1, (80, 120))
    kernel = np.exp(-0.5 * (np.arange(-6, 7) / 2.0) ** 2)
    kernel /= kernel.sum()
    for axis in (0, 1):
        picture = np.apply_along_axis(lambda line: np.convolve(line, kernel, "same"), axis, picture)
    return picture


@pytest.mark.parametrize("move", [(0.37, -0.62), (2.4, 1.1), (-4.2, 0.05), (5.5, -3.3), (0, 0)])
def test_a_move_is_found_between_pixels(move: tuple[float, float]) -> None:
    base = scene()
    moved = shifted(base[None], np.array([move]))[0]
    frames = np.stack([base, moved])[:, 10:46, 20:84]  # a 64×36 view: its edges do not wrap
    assert global_motion(frames)[0] == pytest.approx(move, abs=0.05)


def test_a_bowl_falling_is_not_the_camera_moving() -> None:
    """A big bright disc dropping 5 px through a still picture: no camera move, and once
    steadied, the change is where the disc is and nowhere else."""
    base = scene(1)[10:46, 20:84]
    y, x = np.mgrid[:36, :64]
    frames = np.stack([base.copy(), base.copy()])
    for index, top in enumerate((14, 19)):
        frames[index][(x - 32) ** 2 + (y - top) ** 2 <= 64] = 1.0
    assert np.abs(global_motion(frames)).max() == 0.0
    earlier, later = steady(frames)
    change = np.abs(later - earlier)
    assert change[:, :, :16].max() < 1e-4 and change.max() > 0.3
