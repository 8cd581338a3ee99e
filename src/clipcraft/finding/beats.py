"""Where a music track's beats fall: its onsets, their tempo by autocorrelation, the grid.

A beat tracker that is a well-kept library (librosa) brings numba, scipy and scikit-learn,
over 120 MB, for one number and a grid; aubio is a source build last released in 2019. The
music under a reel is almost always steady, so this is the classic way in a few lines of
numpy: spectral flux as the onset strength, its autocorrelation weighted towards 120 BPM for
the tempo, and the phase whose grid lands on the most onset strength.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from clipcraft.media.ffmpeg import ffmpeg_command, run_ffmpeg

RATE = 11025
"""Kicks, snares and claps, which carry the beat, all sit well below 5 kHz."""
WINDOW, HOP = 512, 128
"""46 ms frames every 11.6 ms: an onset's time to within about a hundredth of a second."""
LOWEST_HZ = 40.0
SLOWEST_BPM, FASTEST_BPM = 60.0, 200.0
PREFERRED_BPM = 120.0
"""Autocorrelation peaks at every multiple of the beat; the weight (one octave wide, as in
librosa) picks the one a listener taps along to."""
STEADY = 0.15
"""Below this autocorrelation at the beat (of its value at zero lag) there is no beat to find:
ambient music, speech, silence."""
PREFERRED_OCTAVES = 1.0


@dataclass(frozen=True)
class Beats:
    """The track's tempo and its beats, in seconds on the track."""

    tempo: float
    times: tuple[float, ...]
    steadiness: float
    """The autocorrelation at the beat's period, of its value at zero lag (0–1)."""


def onset_strength(samples: np.ndarray, rate: int) -> np.ndarray:
    """How much new sound starts in each HOP (spectral flux of the log energy in bands a
    third of an octave wide, half-wave rectified, less its running mean): high on a drum
    hit, low on a held note. Bands of equal width in octaves let a kick, whose energy is in
    a few low bins, count as much as a hi-hat spread over hundreds of high ones."""
    if len(samples) < WINDOW:
        return np.zeros(0)
    frames = np.lib.stride_tricks.sliding_window_view(samples, WINDOW)[::HOP]
    power = np.abs(np.fft.rfft(frames * np.hanning(WINDOW), axis=1)) ** 2
    bands = _band_edges(rate)
    energy = np.add.reduceat(power[:, bands[0] :], bands - bands[0], axis=1)[:, :-1]
    spectrum = np.log1p(1000 * energy / max(float(energy.max()), 1e-12))
    flux = np.maximum(np.diff(spectrum, axis=0), 0.0).sum(axis=1)
    flux = np.concatenate([[0.0], flux])
    width = max(1, round(rate / HOP))  # a second's running mean: the level the hits rise from
    running = np.convolve(flux, np.ones(width) / width, mode="same")
    return np.maximum(flux - running, 0.0)


def _band_edges(rate: int) -> np.ndarray:
    """FFT bins where third-octave bands from LOWEST_HZ start, up to the top bin."""
    top = WINDOW // 2
    hertz = LOWEST_HZ * 2 ** (np.arange(0, 30) / 3)
    edges = np.unique(np.round(hertz * WINDOW / rate).astype(int))
    return np.append(edges[(edges >= 1) & (edges < top)], top)


def frame_time(index: float, rate: int) -> float:
    """The time an onset frame stands for: the middle of its window."""
    return (index * HOP + WINDOW / 2) / rate


def find_beats(samples: np.ndarray, rate: int, offset: float = 0.0) -> Beats | None:
    """The beats of mono `samples` (which start `offset` seconds into the track), or None
    when nothing in them is steady enough to be a beat."""
    strength = onset_strength(samples, rate)
    frames_per_second = rate / HOP
    shortest = int(frames_per_second * 60 / FASTEST_BPM)
    longest = int(np.ceil(frames_per_second * 60 / SLOWEST_BPM))
    if len(strength) < 2 * longest or not strength.any():
        return None
    centred = strength - strength.mean()
    correlation = np.correlate(centred, centred, mode="full")[len(centred) - 1 :]
    correlation /= max(correlation[0], 1e-12)
    lags = np.arange(shortest, longest + 1)
    bpm = 60 * frames_per_second / lags
    weight = np.exp(-0.5 * (np.log2(bpm / PREFERRED_BPM) / PREFERRED_OCTAVES) ** 2)
    best = int(lags[np.argmax(correlation[lags] * weight)])
    steadiness = float(correlation[best])
    if steadiness < STEADY:
        return None
    period = best + _peak_offset(correlation, best)
    phase = _best_phase(strength, period)
    grid = np.arange(phase, len(strength), period)
    times = tuple(round(offset + frame_time(float(index), rate), 3) for index in grid)
    return Beats(round(60 * frames_per_second / period, 1), times, round(steadiness, 3))


def _peak_offset(values: np.ndarray, at: int) -> float:
    """Where the true peak lies near integer `at`, by a parabola through its neighbours."""
    if at <= 0 or at >= len(values) - 1:
        return 0.0
    left, middle, right = values[at - 1], values[at], values[at + 1]
    bend = left - 2 * middle + right
    return float(0.5 * (left - right) / bend) if bend < 0 else 0.0


def _best_phase(strength: np.ndarray, period: float) -> float:
    """The first beat's frame: of every start within one period, the one whose grid holds
    the most onset strength."""
    positions = np.arange(len(strength))
    starts = np.arange(0.0, period, 0.5)
    totals = [
        np.interp(np.arange(start, len(strength) - 1, period), positions, strength).mean()
        for start in starts
    ]
    return float(starts[int(np.argmax(totals))])


def read_beats(path: Path, start: float, seconds: float) -> Beats | None:
    """The beats in `seconds` of the track at `path` from `start` (times on the track)."""
    raw = run_ffmpeg(
        ffmpeg_command(
            "-loglevel", "error", "-ss", f"{start:.3f}", "-t", f"{seconds:.3f}", "-i", str(path),
            "-map", "0:a:0", "-ac", "1", "-ar", str(RATE), "-f", "f32le", "pipe:1",
        ),
        f"reading the beat of {path}",
    )  # fmt: skip
    return find_beats(np.frombuffer(raw, np.float32).astype(np.float64), RATE, start)
