"""Gain curves that make room in a mix (pure numpy): a dip under planned spans (effects), and
a sidechain that dips where another sound rises out of its background (speech under music).

Both are curves in dB, one value per sample, ramping down and back up so no dip clicks;
where two dips overlap the deeper one holds (they never stack).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

LEVEL_WINDOW = 0.05
"""Seconds over which the key's level is taken: a syllable, not a single cycle."""
FLOOR_PERCENTILE = 20
"""The key's background is the level it is above for four fifths of the time: a fan, a
tap, the room."""
RISES_BY_DB = 10.0
"""The key counts as sounding (speech, a shout, the crash) this far above its background."""
SILENT_DBFS = -90.0
"""Quieter than this is no sound at all (a part with none of its own), left out of the
background."""
QUIETEST_DBFS = -50.0
"""A key quieter than this never sounds, whatever its background: a silent track ducks
nothing."""


def span_dips_db(
    length: int, rate: int, spans: Iterable[tuple[float, float]], depth_db: float,
    ramps: tuple[float, float],
) -> np.ndarray:  # fmt: skip
    """dB per sample: `depth_db` over each (start, end) second span, ramping down over
    `ramps[0]` before it starts and back over `ramps[1]` after it ends; 0 elsewhere."""
    curve = np.zeros(length)
    down, up = (max(ramp, 1 / rate) for ramp in ramps)
    for start, end in spans:
        first = max(0, int((start - down) * rate))
        last = min(length, int(np.ceil((end + up) * rate)) + 1)
        if first >= last:
            continue
        t = np.arange(first, last) / rate
        weight = np.clip(np.minimum((t - (start - down)) / down, ((end + up) - t) / up), 0, 1)
        curve[first:last] = np.minimum(curve[first:last], depth_db * weight)
    return curve


def sidechain_dips_db(
    key: np.ndarray, rate: int, depth_db: float, ramps: tuple[float, float]
) -> np.ndarray:
    """dB per sample of `key`'s length: `depth_db` wherever `key` ((n,) or (n, channels))
    rises RISES_BY_DB over its own background, reached over `ramps[0]` ahead of the rise
    (a look-ahead: the dip is in place when the word starts) and released over `ramps[1]`."""
    frames = key.reshape(len(key), -1).astype(np.float64)
    hop = max(1, round(LEVEL_WINDOW * rate / 2))
    count = len(frames) // hop
    if count < 2:
        return np.zeros(len(key))
    power = np.square(frames[: count * hop]).mean(axis=1).reshape(count, hop).mean(axis=1)
    level = 10 * np.log10(np.maximum(np.convolve(power, [0.5, 0.5], mode="same"), 1e-12))
    heard = level[level > SILENT_DBFS]  # a muted replay, a photo: no background to measure
    if not len(heard):
        return np.zeros(len(key))
    floor = float(np.percentile(heard, FLOOR_PERCENTILE))
    sounding = level > max(floor + RISES_BY_DB, QUIETEST_DBFS)
    weight = _follow(sounding.astype(np.float64), hop / rate, ramps)
    ahead = round(ramps[0] * rate / hop)
    weight = np.concatenate([weight[ahead:], np.repeat(weight[-1:], ahead)])
    centres = (np.arange(count) + 0.5) * hop
    return depth_db * np.interp(np.arange(len(key)), centres, weight)


def _follow(target: np.ndarray, step: float, ramps: tuple[float, float]) -> np.ndarray:
    """A weight that moves towards `target` (0 or 1 per step of `step` seconds) no faster than
    one full swing per ramp: up (into the dip) over ramps[0], down over ramps[1]."""
    rise, fall = (step / max(ramp, step) for ramp in ramps)
    weight = np.empty_like(target)
    current = 0.0
    for index, wanted in enumerate(target):
        current = min(current + rise, wanted) if wanted > current else max(current - fall, wanted)
        weight[index] = current
    return weight


def gain(curve_db: np.ndarray) -> np.ndarray:
    """A dB curve as linear gains, one column to multiply (n, channels) samples by."""
    return (10 ** (curve_db / 20))[:, None]
