"""Finding the mishap: a sudden jump in loudness that the picture agrees with.

Sound is cheap to analyse, so it goes first: the whole track is read at 16 kHz mono and the
onsets that stand out from what came just before (a crash over a steady extractor fan still
stands out; the fan itself does not) become candidates, with the high band weighted because
crashes, clatter and shrieks are bright while talking and handling thumps are not. Only short
windows of picture around the candidates are then decoded, small and at 10 fps, and scored
for sudden *local* motion (one part of the frame changing, not the whole frame as when the
phone is picked up). A clip without sound is scanned for motion alone.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from clipcraft.ffmpeg import ffmpeg_command, run_ffmpeg
from clipcraft.probe import MediaInfo

AUDIO_RATE = 16000
HOP = 0.02
"""Seconds per loudness value."""
MOTION_FPS = 10
MOTION_WIDTH = 64
GRID = 4
"""Motion is measured in GRID×GRID cells so that local motion can be told from shake."""
BACKGROUND_SECONDS = 1.0
"""An onset is measured against the median loudness of this much time before it."""
CANDIDATES = 3
SEPARATION = 2.0
WINDOW_BEFORE, WINDOW_AFTER = 1.2, 0.8
"""Picture decoded around a sound candidate: enough before it for a baseline."""
TAIL_SECONDS = 0.2
"""The very end of a track often carries an encoder artefact, never a mishap worth a clip."""
FLOOR_DB = -90.0
MIN_ONSET_DB = 6.0
"""A rise smaller than this is no event, however unusual it is in a very steady track."""
BRIGHT_HZ = 1200
"""Crashes, clatter and shrieks carry energy above this; talking and handling thumps less."""
EDGE_SECONDS = 1.0
EDGE_WEIGHT = 0.5
"""Onsets this close to either end are often the phone being picked up or put down."""


@dataclass(frozen=True)
class Moment:
    time: float
    confidence: float
    basis: str


def read_samples(path: str, start: float | None = None, length: float | None = None) -> np.ndarray:
    window = [] if start is None else ["-ss", f"{start:.3f}", "-t", f"{length:.3f}"]
    command = ffmpeg_command(
        "-loglevel",
        "error",
        *window,
        "-i",
        path,
        "-map",
        "0:a:0",
        "-ac",
        "1",
        "-ar",
        str(AUDIO_RATE),
        "-f",
        "f32le",
        "pipe:1",
    )
    return np.frombuffer(run_ffmpeg(command, f"reading the sound of {path}"), np.float32)


def band_energies(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Loudness (dB) per HOP of the whole band and of the bright band above 2 kHz."""
    hop = int(HOP * AUDIO_RATE)
    count = len(samples) // hop
    if count == 0:
        return np.full(1, FLOOR_DB), np.full(1, FLOOR_DB)
    frames = samples[: count * hop].reshape(count, hop) * np.hanning(hop)
    spectrum = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    bright = np.fft.rfftfreq(hop, 1 / AUDIO_RATE) >= BRIGHT_HZ
    whole = 10 * np.log10(spectrum.sum(axis=1) + 1e-12)
    high = 10 * np.log10(spectrum[:, bright].sum(axis=1) + 1e-12)
    return np.maximum(whole, FLOOR_DB), np.maximum(high, FLOOR_DB)


def onset_strength(level_db: np.ndarray, per_second: float) -> np.ndarray:
    """How far each value rises above the median of the second before it (dB, ≥ 0)."""
    width = max(2, int(BACKGROUND_SECONDS * per_second))
    padded = np.concatenate([np.full(width, level_db[0]), level_db])
    windows = np.lib.stride_tricks.sliding_window_view(padded[:-1], width)
    background = np.median(windows, axis=1)
    return np.maximum(level_db - background, 0.0)


def robust_z(values: np.ndarray) -> np.ndarray:
    """How unusual each value is for this clip: (x − median) / spread, at least 0."""
    median = np.median(values)
    spread = 1.4826 * np.median(np.abs(values - median))
    spread = max(spread, 0.1 * np.std(values), 1e-6)
    return np.maximum((values - median) / spread, 0.0)


def sound_score(samples: np.ndarray) -> np.ndarray:
    """Onset score per HOP: whole-band and bright-band onsets, the bright one weighted up."""
    whole, high = band_energies(samples)
    per_second = 1 / HOP
    loud = whole - np.percentile(whole, 50)
    score = onset_strength(whole, per_second) + 1.5 * onset_strength(high, per_second)
    # a jump that stays quiet overall (a click in a silent room) counts for less
    return score * np.clip(loud / 20, 0.25, 1.0)


def read_frames(media: MediaInfo, start: float, length: float) -> np.ndarray:
    """Small grey frames at MOTION_FPS over a window, as (n, height, width) floats."""
    height = max(GRID, round(MOTION_WIDTH * media.height / media.width / GRID) * GRID)
    command = ffmpeg_command(
        # the picture only has to show what moved: skip the deblocking, take decoder shortcuts
        "-loglevel", "error", "-skip_loop_filter", "all", "-flags2", "fast",
        "-ss", f"{start:.3f}", "-t", f"{length:.3f}", "-i", media.path,
        "-map", "0:v:0", "-vf", f"fps={MOTION_FPS},scale={MOTION_WIDTH}:{height},format=gray",
        "-f", "rawvideo", "pipe:1",
    )  # fmt: skip
    frames = np.frombuffer(run_ffmpeg(command, f"reading the picture of {media.path}"), np.uint8)
    count = len(frames) // (height * MOTION_WIDTH)
    return frames[: count * height * MOTION_WIDTH].reshape(count, height, MOTION_WIDTH) / 255.0


def local_motion(frames: np.ndarray) -> np.ndarray:
    """Per frame step: the busiest cell's change minus the typical cell's (shake cancels out)."""
    if len(frames) < 2:
        return np.zeros(max(len(frames), 1))
    diff = np.abs(np.diff(frames, axis=0))
    count, height, width = diff.shape
    cells = diff.reshape(count, GRID, height // GRID, GRID, width // GRID).mean(axis=(2, 4))
    cells = cells.reshape(count, -1)
    local = cells.max(axis=1) - np.median(cells, axis=1)
    return np.concatenate([[0.0], local])


def motion_score(motion: np.ndarray) -> np.ndarray:
    return onset_strength(motion * 100, MOTION_FPS)


def find_moment(media: MediaInfo) -> Moment:
    """The mishap's time on the source, with a confidence from 0 to 1."""
    if media.has_audio:
        found = _from_sound(media, sound_score(read_samples(media.path)))
        if found is not None:
            return found
    return _from_motion(media)


def _from_sound(media: MediaInfo, sound: np.ndarray) -> Moment | None:
    """The best sound candidate once the picture has had its say, or None without one."""
    z = robust_z(sound)
    usable = np.where(sound >= MIN_ONSET_DB, z, 0.0)[: max(len(z) - int(TAIL_SECONDS / HOP), 1)]
    candidates = _peaks(usable, CANDIDATES, int(SEPARATION / HOP))
    if not candidates:
        return None
    starts = [max(index * HOP - WINDOW_BEFORE, 0.0) for index in candidates]
    with ThreadPoolExecutor(max_workers=2) as pool:  # two decoders keep both cores busy
        windows = list(
            pool.map(lambda start: read_frames(media, start, WINDOW_BEFORE + WINDOW_AFTER), starts)
        )
    scored = []
    for index, start, frames in zip(candidates, starts, windows, strict=True):
        at = index * HOP
        motion = motion_score(local_motion(frames))
        near = slice(
            max(int((at - start - 0.2) * MOTION_FPS), 0), int((at - start + 0.5) * MOTION_FPS) + 1
        )
        before = motion[: max(int((at - start - 0.5) * MOTION_FPS), 1)]
        agreement = motion[near].max(initial=0.0) - np.median(before)
        near_edge = at < EDGE_SECONDS or at > media.duration - EDGE_SECONDS
        weight = EDGE_WEIGHT if near_edge else 1.0
        scored.append((weight * (z[index] + 2.0 * max(agreement, 0.0)), at))
    scored.sort(reverse=True)
    best, at = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    return Moment(round(at, 2), _confidence(best, runner_up), "sound and motion")


def _from_motion(media: MediaInfo) -> Moment:
    score = robust_z(motion_score(local_motion(read_frames(media, 0.0, media.duration))))
    peaks = _peaks(score, 2, int(SEPARATION * MOTION_FPS))
    if not peaks:
        return Moment(round(media.duration * 0.5, 2), 0.0, "none")
    best = score[peaks[0]]
    runner_up = score[peaks[1]] if len(peaks) > 1 else 0.0
    # the jump shows on the frame after the change began
    at = max(peaks[0] - 1, 0) / MOTION_FPS
    return Moment(round(at, 2), _confidence(best, runner_up), "motion")


def _peaks(values: np.ndarray, count: int, separation: int) -> list[int]:
    """Indices of the `count` highest values at least `separation` apart, highest first."""
    order = np.argsort(values)[::-1]
    chosen: list[int] = []
    for index in order:
        if values[index] <= 0 or len(chosen) == count:
            break
        if all(abs(index - other) >= separation for other in chosen):
            chosen.append(int(index))
    return chosen


def _confidence(best: float, runner_up: float) -> float:
    """High when the winner is strong and well clear of the next best."""
    if best <= 0:
        return 0.0
    clear = 1.0 - runner_up / best
    strong = min(best / 8.0, 1.0)
    return round(float(np.clip(0.3 * strong + 0.7 * clear * strong, 0.0, 1.0)), 2)
