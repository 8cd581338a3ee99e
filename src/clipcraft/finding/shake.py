"""The camera's own move between frames, to a tenth of a pixel, and frames with it taken out.

A handheld phone moves the whole picture a few pixels every frame. On the small grey frames
motion is measured on (64 pixels wide) that is a fraction of a pixel, and a whole-pixel
estimate leaves up to half a pixel of it behind: on a textured counter that is a change at
every edge in the picture, as large as the mishap's own. So the move is found in two steps:
the whole pixels by phase correlation, choosing among its peaks (and no move) the one that
fits most of the picture, then the fraction by least squares on the picture's gradients
(Lucas–Kanade), three times over; both leave out the pixels that change most, so that a bowl
falling through the middle of the picture is not taken for the camera moving.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_SHIFT = 6
"""The largest move (pixels of the frame, per step) taken out; a bigger one is clipped."""
STILL = 0.15
"""A smaller move is the estimate's own noise on a phone at rest (a tripod, a counter):
taken as none, so still footage is compared exactly as it was recorded."""
CANDIDATE_PEAKS = 3
REFINEMENTS = 3
OUTLIER_TIMES = 2.5
"""A pixel changing more than this many times the step's mean change is left out of the
refinement: it moves in the scene rather than with the camera."""


def shifted(
    frames: np.ndarray, moves: np.ndarray, spectrum: np.ndarray | None = None
) -> np.ndarray:
    """Each of (n, height, width) frames moved by its (dx, dy) of `moves`, between pixels
    (the Fourier shift theorem; what leaves one side comes back on the other). `spectrum`:
    the frames' rfft2, when it is already at hand."""
    _, height, width = frames.shape
    ky = np.fft.fftfreq(height)[None, :, None]
    kx = np.fft.rfftfreq(width)[None, None, :]
    turn = np.exp(-2j * np.pi * ky * moves[:, 1, None, None]) * np.exp(
        -2j * np.pi * kx * moves[:, 0, None, None]
    )  # one exponential per row and per column, not per pixel
    spectrum = np.fft.rfft2(frames) if spectrum is None else spectrum
    return np.fft.irfft2(spectrum * turn, s=(height, width))


def _inner(frames: np.ndarray) -> np.ndarray:
    """Frames less MAX_SHIFT on each side: what no move up to it brings round the edge."""
    return frames[
        :, MAX_SHIFT : frames.shape[1] - MAX_SHIFT, MAX_SHIFT : frames.shape[2] - MAX_SHIFT
    ]


def _rolled(frames: np.ndarray, moves: np.ndarray) -> np.ndarray:
    """Each frame moved by its whole-pixel (dx, dy), round the edges (as `shifted`)."""
    count, height, width = frames.shape
    rows = (np.arange(height)[None, :] - moves[:, 1, None].astype(int)) % height
    cols = (np.arange(width)[None, :] - moves[:, 0, None].astype(int)) % width
    return frames[np.arange(count)[:, None, None], rows[:, :, None], cols[:, None, :]]


def _whole_pixels(earlier: np.ndarray, later: np.ndarray) -> np.ndarray:
    """(steps, 2) whole-pixel moves: of the strongest peaks of the phase correlation of the
    windowed frames, and no move at all, the one that leaves the least change over most of
    the picture (a big bowl falling makes a peak of its own; the camera's move fits the
    rest of the picture)."""
    count, height, width = earlier.shape
    window = np.outer(np.hanning(height), np.hanning(width))
    cross = np.fft.rfft2(later * window) * np.conj(np.fft.rfft2(earlier * window))
    match = np.fft.irfft2(cross / (np.abs(cross) + 1e-9), s=(height, width)).reshape(count, -1)
    candidates = [np.zeros((count, 2))]
    for _ in range(CANDIDATE_PEAKS):
        dy, dx = np.unravel_index(match.argmax(axis=1), (height, width))
        for oy in (-1, 0, 1):
            for ox in (-1, 0, 1):
                match[np.arange(count), ((dy + oy) % height) * width + (dx + ox) % width] = -np.inf
        dy = np.where(dy > height // 2, dy - height, dy)
        dx = np.where(dx > width // 2, dx - width, dx)
        candidates.append(np.clip(np.stack([dx, dy], axis=1), -MAX_SHIFT, MAX_SHIFT))
    misfit = np.stack(
        [_misfit(_inner(_rolled(earlier, moves)), _inner(later)) for moves in candidates]
    )
    best = misfit.argmin(axis=0)
    return np.stack(candidates)[best, np.arange(count)].astype(np.float64)


def _misfit(moved: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Per step, how badly `moved` fits `target`: the mean square root of the change, which
    counts a few large changes (a thing moving) far less than many small ones."""
    return np.sqrt(np.abs(target - moved)).mean(axis=(1, 2))


def global_motion(frames: np.ndarray, still: float = STILL) -> np.ndarray:
    """(steps, 2) sub-pixel (dx, dy) that moves each frame of (n, height, width) onto the next;
    a move under `still` pixels is taken as none."""
    frames = frames.astype(np.float32, copy=False)  # single precision: half the FFT time
    earlier, later = frames[:-1], frames[1:]
    moves = np.clip(_whole_pixels(earlier, later), -MAX_SHIFT, MAX_SHIFT)
    target, spectrum = _inner(later), np.fft.rfft2(earlier)
    for _ in range(REFINEMENTS):
        moved = shifted(earlier, moves, spectrum)
        grad_y, grad_x = np.gradient(moved, axis=(1, 2))
        grad_x, grad_y, moved = _inner(grad_x), _inner(grad_y), _inner(moved)
        residual = target - moved
        size = np.abs(residual)
        cut = OUTLIER_TIMES * size.mean(axis=(1, 2))
        weight = (size <= cut[:, None, None]).astype(np.float64)
        xx = (weight * grad_x * grad_x).sum(axis=(1, 2))
        xy = (weight * grad_x * grad_y).sum(axis=(1, 2))
        yy = (weight * grad_y * grad_y).sum(axis=(1, 2))
        bx = (weight * residual * grad_x).sum(axis=(1, 2))
        by = (weight * residual * grad_y).sum(axis=(1, 2))
        determinant = xx * yy - xy * xy
        usable = determinant > 1e-9 * np.maximum(xx * yy, 1e-30)
        safe = np.where(usable, determinant, 1.0)
        # moved(x - e) ≈ moved - e·∇moved = target  →  (Σ∇∇ᵀ) e = -Σ residual ∇
        step_x = np.where(usable, -(yy * bx - xy * by) / safe, 0.0)
        step_y = np.where(usable, -(xx * by - xy * bx) / safe, 0.0)
        moves = np.clip(moves + np.clip(np.stack([step_x, step_y], axis=1), -1, 1),
                        -MAX_SHIFT, MAX_SHIFT)  # fmt: skip
    return np.where(np.abs(moves) < still, 0.0, moves)


def steady(frames: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each frame step with the camera's own move taken out: the earlier frame shifted onto
    the later one, both cropped by MAX_SHIFT so that nothing wraps round. (earlier, later)."""
    frames = frames.astype(np.float32, copy=False)
    earlier, later = frames[:-1], frames[1:]
    moves = global_motion(frames)
    moved = shifted(earlier, moves) if moves.any() else earlier  # a tripod's frames as they are
    return _inner(moved), _inner(later)


@dataclass(frozen=True)
class CameraPath:
    """Where the camera's picture has moved to at each frame of a window, in pixels of the
    picture as displayed, from (0, 0) at `start`: the content drifts by `xs[i]`, `ys[i]`."""

    start: float
    rate: float
    xs: np.ndarray
    ys: np.ndarray

    def time(self, index: int) -> float:
        return self.start + index / self.rate


def camera_path(frames: np.ndarray, start: float, rate: float, size: tuple[int, int]) -> CameraPath:
    """The camera's path over small grey `frames` read at `rate` from `start`, in pixels of
    the picture of `size` they were made from (each axis scaled on its own: the small
    frames' height is rounded)."""
    if len(frames) < 2:
        return CameraPath(start, rate, np.zeros(len(frames)), np.zeros(len(frames)))
    scale = np.array([size[0] / frames.shape[2], size[1] / frames.shape[1]])
    moves = global_motion(frames, still=0.0) * scale  # small moves add up over a window
    drift = np.concatenate([np.zeros((1, 2)), np.cumsum(moves, axis=0)])
    return CameraPath(start, rate, drift[:, 0], drift[:, 1])


def residual_shake(frames: np.ndarray, scale: float) -> float:
    """How much a picture still shakes: the mean size of its frame-to-frame move that is not
    part of a smooth pan (the move less its own running mean over a third of a second), in
    pixels of a picture `scale` times as wide as `frames`."""
    if len(frames) < 3:
        return 0.0
    moves = global_motion(frames) * scale
    width = min(len(moves), 9) | 1
    kernel = np.ones(width) / width
    smooth = np.stack(
        [np.convolve(np.pad(m, width // 2, mode="edge"), kernel, "valid") for m in moves.T],
        axis=1,
    )
    return float(np.linalg.norm(moves - smooth, axis=1).mean())
