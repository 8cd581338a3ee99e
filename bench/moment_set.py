"""A labelled set of synthetic kitchen clips for the moment finder, and its score.

    python bench/moment_set.py [--cases 36]

Each case is a small portrait clip with a known mishap time — a bowl falls off the counter
with a burst of flour and a crash or a shriek — and the distractors real footage has: an
extractor fan, music with drums, talking, the phone being picked up and put down (whole-frame
shake with handling thumps), no sound at all, clips shorter than the window. Prints each
case, the share found within ±0.5 s and the time the analysis took.

Its picture, encoder and scoring also make and score the real-sound set (moment_real_set.py).
"""

from __future__ import annotations

import argparse
import functools
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from clipcraft.media.synthetic import encode_frames, fill_ellipse

WIDTH, HEIGHT, FPS, RATE = 144, 256, 30, 48000
TOLERANCE = 0.5
OUT = Path(__file__).with_name("out")


@dataclass(frozen=True)
class Case:
    name: str
    duration: float
    event: float
    background: str  # room | fan | music | talking
    shake: bool
    audio: bool
    event_sound: str  # crash | shriek
    event_db: float  # how far the event rises over the background
    seed: int


def cases(count: int = 36) -> list[Case]:
    rng = np.random.default_rng(2026)
    backgrounds = ["room", "fan", "music", "talking"]
    made = []
    for index in range(count):
        duration = float([6, 15, 30, 45][index % 4])
        audio = index % 6 != 5
        made.append(Case(
            name=f"case{index:02d}",
            duration=duration,
            event=round(float(rng.uniform(1.5, duration - 1.5)), 2),
            background=backgrounds[(index // 4) % 4],
            shake=index % 3 == 1,
            audio=audio,
            event_sound="shriek" if index % 5 == 4 else "crash",
            event_db=float([8, 14, 20][index % 3]),
            seed=index,
        ))  # fmt: skip
    return made


def _texture(rng: np.random.Generator) -> np.ndarray:
    coarse = rng.uniform(0, 1, (HEIGHT // 16 + 2, WIDTH // 16 + 2, 3))
    big = np.kron(coarse, np.ones((16, 16, 1)))[:HEIGHT, :WIDTH]
    tint = np.array([0.75, 0.55, 0.35]) * 255
    return np.clip(big * 60 + tint * 0.8, 0, 255)


def picture(
    duration: float, event: float, seed: int, shaking: Callable[[float], bool]
) -> Iterator[np.ndarray]:
    """A counter with a pan being stirred all along; at `event` a bowl falls in a burst of
    flour, so the local motion starts exactly there. The frame shakes whenever `shaking(t)`."""
    rng = np.random.default_rng(seed)
    base = _texture(rng)
    bowl_x, bowl_y = rng.uniform(30, WIDTH - 30), rng.uniform(60, 120)
    flour = rng.normal(0, 1, (60, 2))
    for index in range(int(duration * FPS)):
        t = index / FPS
        frame = base.copy()
        # someone stirring the pan: steady motion all along
        stirring = WIDTH / 2 + 14 * np.cos(t * 3), 190 + 8 * np.sin(t * 3)
        fill_ellipse(frame, *stirring, 6, 6, (90, 90, 90))
        after = t - event
        if after < 0:
            fill_ellipse(frame, bowl_x, bowl_y, 16, 16, (235, 235, 240))
        else:
            fill_ellipse(
                frame, bowl_x + 20 * after, bowl_y + 400 * after**2, 16, 16, (235, 235, 240)
            )
            if after < 1.0:
                spread = 60 * after
                for dx, dy in flour:
                    x, y = bowl_x + dx * spread, bowl_y + dy * spread * 0.6
                    fill_ellipse(frame, x, y, 2, 2, (250, 250, 250))
        if shaking(t):
            frame = np.roll(frame, (int(rng.integers(-9, 10)), int(rng.integers(-9, 10))), (0, 1))
        yield frame.astype(np.uint8)


def frames(case: Case) -> Iterator[np.ndarray]:
    """The picture of `case`: shaken in its first and last second when the phone is handled."""
    return picture(
        case.duration,
        case.event,
        case.seed,
        lambda t: case.shake and (t < 1.0 or t > case.duration - 1.0),
    )


def _noise(rng: np.random.Generator, n: int, smooth: int = 1) -> np.ndarray:
    signal = rng.normal(0, 1, n)
    if smooth > 1:
        signal = np.convolve(signal, np.ones(smooth) / smooth, mode="same")
    return signal / (np.std(signal) + 1e-9)


def _rms_db(signal: np.ndarray) -> float:
    return 20 * np.log10(np.sqrt(np.mean(signal**2)) + 1e-12)


def sound(case: Case) -> np.ndarray:
    rng = np.random.default_rng(case.seed + 1000)
    n = int(case.duration * RATE)
    t = np.arange(n) / RATE
    room = _noise(rng, n, 8) * 10 ** (-55 / 20)
    bed: np.ndarray
    if case.background == "fan":
        bed = _noise(rng, n, 3) * 10 ** (-24 / 20)
    elif case.background == "music":
        chord = sum(np.sin(2 * np.pi * f * t) for f in (220, 277, 330)) / 3
        beat = (t % 0.5) < 0.08
        snare = _noise(rng, n) * beat * np.exp(-(t % 0.5) * 40) * ((t % 1.0) >= 0.5)
        kick = np.sin(2 * np.pi * 60 * t) * beat * np.exp(-(t % 0.5) * 30)
        bed = (0.3 * chord + 0.5 * snare + 0.6 * kick) * 10 ** (-18 / 20)
    elif case.background == "talking":
        syllables = (np.sin(2 * np.pi * 4 * t) > 0.2) * (np.sin(2 * np.pi * 0.3 * t + 1) > -0.3)
        voice = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 12))
        bed = voice * syllables * 10 ** (-20 / 20) * 0.5
    else:
        bed = np.zeros(n)
    out: np.ndarray = room + bed
    if case.shake:
        for centre in (0.5, case.duration - 0.5):
            thump = np.sin(2 * np.pi * 90 * (t - centre)) * np.exp(-np.abs(t - centre) * 30)
            out += thump * 0.3
    reference = max(_rms_db(bed), -50.0) if case.background != "room" else -50.0
    after = t - case.event
    active = after >= 0
    if case.event_sound == "crash":
        event = _noise(rng, n) * np.exp(-np.maximum(after, 0) * 8) * active
        event += 0.5 * np.sin(2 * np.pi * 1900 * t) * np.exp(-np.maximum(after, 0) * 4) * active
    else:
        pitch = 1400 + 200 * np.sin(2 * np.pi * 6 * t)
        event = np.sin(2 * np.pi * np.cumsum(pitch) / RATE) * active * (after < 0.7)
    loud = event[active][: int(0.3 * RATE)]
    event *= 10 ** ((reference + case.event_db - _rms_db(loud)) / 20)
    return out + event


def write_clip(path: Path, picture: Iterable[np.ndarray], sound: np.ndarray | None) -> Path:
    """Encode WIDTH×HEIGHT rgb frames and an optional mono RATE track as phones do (H.264, AAC)."""
    return encode_frames(
        path, picture, FPS, sound=sound, rate=RATE,
        video=("-c:v", "libx264", "-preset", "ultrafast", "-crf", "28", "-pix_fmt", "yuv420p"),
    )  # fmt: skip


def make_case(case: Case, path: Path) -> Path:
    """Write the clip of `case` to `path`."""
    return write_clip(path, frames(case), sound(case) if case.audio else None)


@dataclass(frozen=True)
class Labelled:
    """A clip of a labelled set: made by `make(path)` when `path` is missing."""

    name: str
    truth: float
    description: str
    make: Callable[[Path], Path]


@dataclass(frozen=True)
class Score:
    hits: dict[str, bool]
    """Found within ±TOLERANCE, by clip name."""
    seconds: float
    """Analysis time over all the clips."""

    def summary(self, name: str) -> str:
        found, count = sum(self.hits.values()), len(self.hits)
        return (
            f"{name:22} {found:3}/{count:<3} = {found / count:4.0%} within ±{TOLERANCE} s; "
            f"analysis {self.seconds / count:.2f} s a clip"
        )


def score_set(labelled: Iterable[Labelled], folder: Path) -> Score:
    """Find the moment in each clip (made in `folder` on first use), printing a line each."""
    from clipcraft.finding.moment import find_moment
    from clipcraft.media.probe import probe

    folder.mkdir(parents=True, exist_ok=True)
    hits: dict[str, bool] = {}
    spent = 0.0
    for clip in labelled:
        path = folder / f"{clip.name}.mp4"
        if not path.exists():
            clip.make(path)
        started = time.perf_counter()
        moment = find_moment(probe(path))
        spent += time.perf_counter() - started
        hits[clip.name] = abs(moment.time - clip.truth) <= TOLERANCE
        print(
            f"{clip.name} {clip.description}  truth {clip.truth:6.2f}  found {moment.time:6.2f} "
            f"({moment.confidence:.2f}, {moment.basis})  {'ok' if hits[clip.name] else 'MISS'}"
        )
    return Score(hits, spent)


def synthetic_score(count: int = 36) -> Score:
    """Score the first `count` synthetic cases, made in bench/out/moments on first use."""

    def described(case: Case) -> str:
        return (
            f"{case.duration:4.0f}s {case.background:8} shake={case.shake!s:5} "
            f"audio={case.audio!s:5} {case.event_sound:6} +{case.event_db:2.0f}dB"
        )

    labelled = [
        Labelled(case.name, case.event, described(case), functools.partial(make_case, case))
        for case in cases(count)
    ]
    return score_set(labelled, OUT / "moments")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=36)
    print(synthetic_score(parser.parse_args().cases).summary("synthetic"))


if __name__ == "__main__":
    main()
