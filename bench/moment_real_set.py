"""A labelled set of clips made from real recordings, scored beside the synthetic set.

    python bench/moment_real_set.py [--cases 40] [--half tuning|check] [--no-synthetic]

Each clip mixes real recorded events (../shared/media/sounds, read in place, never copied) into
a real noise bed at known times and levels, under the picture of bench/moment_set.py, whose
local motion starts at the mishap. Besides the mishap (keys dropped, a drawer banging, glass
breaking, a tray, a clang, a fall) a clip may hold what fails the finder on real footage:
a reaction after it (laughter, "oh no!", a scream, the phone shaking in the laughing hand),
a louder knock, slam, ring or cough elsewhere with nothing moving on screen, several hits of
which a later one is the loudest, and people talking over the bed.

The truth is the mishap's first hit: where its first recording first comes within FIRST_HIT_DB
of its own loudest. To keep the tuning honest, the recordings of each kind are split by file
order into a tuning half and a check half, each with its own clips, and both scores are
printed (the issue's held-out set uses other recordings again).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from moment_set import (
    OUT,
    RATE,
    Labelled,
    Score,
    picture,
    score_set,
    synthetic_score,
    write_clip,
)

from clipcraft.media.ffmpeg import ffmpeg_exe

SOUNDS = Path(__file__).resolve().parents[2] / "shared" / "media" / "sounds"
HALVES = ("tuning", "check")
FIRST_HIT_DB = 20.0
"""A recording starts where it first comes this close to its loudest 10 ms."""
BED_DB = -40.0
"""The bed's level (dBFS RMS); every other level is given over it."""
KINDS = ("plain", "reaction", "distractor", "multi-hit", "all three")

# the recordings, by kind; each group is split into halves by alternate files
EFFECTS = ("bodyfall1.ogg", "clang.ogg", "glassbr1.ogg", "trayhit1.ogg")
MISHAPS = (("keysDrop*",), ("drawer*",), EFFECTS)
REACTIONS = (("laughter*", "girlscream.ogg"), ("speech*",))
DISTRACTORS = tuple(
    (kind,)
    for kind in ("knock*", "doorslam*", "phone*", "cough*", "keyboard*", "pageturn*", "clearthr*")
)
HITS = (("keysDrop*",), EFFECTS)
"""Short hits a multi-hit crash is made of (cutlery spilling, a tray bouncing)."""
BEDS = ("running_tap.wav", "exercise_bike.wav")


@dataclass(frozen=True)
class Placed:
    file: str
    at: float
    """Where the recording's first hit lands on the clip."""
    db: float
    """Its loudest 50 ms over the bed's RMS."""


@dataclass(frozen=True)
class RealCase:
    name: str
    half: str
    kind: str
    duration: float
    bed: str
    talking: tuple[Placed, ...]
    hits: tuple[Placed, ...]
    """The mishap: its first hit is the truth; later ones may be louder."""
    others: tuple[Placed, ...]
    """Reactions and distractors."""
    shaken: tuple[float, float] | None
    seed: int

    @property
    def truth(self) -> float:
        return self.hits[0].at


@functools.cache
def recording(name: str) -> np.ndarray:
    """A recording from SOUNDS as mono floats at RATE (decoded by the bundled ffmpeg)."""
    folder = "beds" if name in BEDS else "events"
    command = [ffmpeg_exe(), "-loglevel", "error", "-i", str(SOUNDS / folder / name)]
    command += ["-ac", "1", "-ar", str(RATE), "-f", "f32le", "pipe:1"]
    raw = subprocess.run(command, capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.float32).astype(np.float64)


def _levels(signal: np.ndarray, seconds: float) -> np.ndarray:
    hop = int(seconds * RATE)
    count = max(len(signal) // hop, 1)
    frames = np.resize(signal, count * hop).reshape(count, hop)
    return 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)


@functools.cache
def first_hit(name: str) -> float:
    """Seconds into the recording where it first comes within FIRST_HIT_DB of its loudest."""
    levels = _levels(recording(name), 0.01)
    return float(np.argmax(levels >= levels.max() - FIRST_HIT_DB) * 0.01)


def pool(groups: Sequence[Sequence[str]], half: str) -> list[str]:
    """The recordings of these groups that belong to `half`: alternate files of each group."""
    names = []
    for group in groups:
        found = sorted(
            {path.name for pattern in group for path in (SOUNDS / "events").glob(pattern)}
        )
        names += found[HALVES.index(half) :: 2]
    return names


def cases(half: str, count: int = 40) -> list[RealCase]:
    """`count` clips of `half`, the five KINDS in turn, levels and times drawn from a seed."""
    rng = np.random.default_rng(17 + HALVES.index(half))
    mishaps = pool(MISHAPS, half)
    reactions, distractors, hits = pool(REACTIONS, half), pool(DISTRACTORS, half), pool(HITS, half)
    speech = pool([("speech*",)], half)
    made = []
    for index in range(count):
        kind = KINDS[index % len(KINDS)]
        duration = float([8, 12, 20, 30][(index // len(KINDS)) % 4])
        truth = round(float(rng.uniform(1.5, duration - 3.0)), 2)
        level = float(rng.uniform(8, 20))
        if kind in ("multi-hit", "all three"):
            later = np.sort(rng.uniform(0.15, 1.0, int(rng.integers(1, 4))))
            first = max(level - float(rng.uniform(3, 8)), 6.0)
            crash: tuple[Placed, ...] = (Placed(str(rng.choice(hits)), truth, first),)
            crash += tuple(
                Placed(str(rng.choice(hits)), round(truth + float(d), 2), level) for d in later
            )
        else:
            crash = (Placed(str(rng.choice(mishaps)), truth, level),)
        others: list[Placed] = []
        shaken = None
        if kind in ("reaction", "all three"):
            at = round(crash[-1].at + float(rng.uniform(0.4, 1.5)), 2)
            others.append(Placed(str(rng.choice(reactions)), at, level + float(rng.uniform(-2, 8))))
            if rng.random() < 0.5:
                shaken = (at, at + 1.5)
        if kind in ("distractor", "all three"):
            # elsewhere: clear of the mishap, and of its reaction where the clip allows
            times = np.arange(0.5, duration - 1.0, 0.1)
            away = times[np.abs(times - truth) >= 2.0]
            clear = [t for t in away if all(abs(t - p.at) >= 1.0 for p in (*crash, *others))]
            at = round(float(rng.choice(clear or away)), 2)
            others.append(
                Placed(str(rng.choice(distractors)), at, level + float(rng.uniform(0, 8)))
            )
        talking: tuple[Placed, ...] = ()
        if rng.random() < 0.4:
            talk_db = float(rng.uniform(0, 6))
            at = float(rng.uniform(0, 1))
            while at < duration:
                name = str(rng.choice(speech))
                talking += (Placed(name, round(at, 2), talk_db + float(rng.uniform(-3, 3))),)
                at += len(recording(name)) / RATE + float(rng.uniform(0.3, 2.0))
        made.append(RealCase(
            name=f"{half[0]}{index:02d}", half=half, kind=kind, duration=duration,
            bed=BEDS[int(rng.integers(len(BEDS)))], talking=talking, hits=crash,
            others=tuple(others), shaken=shaken, seed=1000 * HALVES.index(half) + index,
        ))  # fmt: skip
    return made


def sound(case: RealCase) -> np.ndarray:
    """The bed (its own half of the file) with every placed recording mixed in."""
    n = int(case.duration * RATE)
    bed = recording(case.bed)
    half = len(bed) // 2
    start = HALVES.index(case.half) * half + int(
        np.random.default_rng(case.seed).uniform(0, max(half - n, 1))
    )
    out = np.resize(bed[start : start + half], n)
    out *= 10 ** ((BED_DB - 10 * np.log10(np.mean(out**2) + 1e-12)) / 20)
    for placed in (*case.talking, *case.hits, *case.others):
        signal = recording(placed.file)
        signal = signal * 10 ** ((BED_DB + placed.db - _levels(signal, 0.05).max()) / 20)
        begin = int((placed.at - first_hit(placed.file)) * RATE)
        cut = signal[max(-begin, 0) : max(n - begin, 0)]
        out[max(begin, 0) : max(begin, 0) + len(cut)] += cut
    return out


def make_case(case: RealCase, path: Path) -> Path:
    """Write the clip of `case` to `path`: the picture shakes while `case.shaken`."""

    def shaking(t: float) -> bool:
        return case.shaken is not None and case.shaken[0] <= t < case.shaken[1]

    return write_clip(path, picture(case.duration, case.truth, case.seed, shaking), sound(case))


def describe(case: RealCase) -> str:
    def short(placed: Placed) -> str:
        return f"{Path(placed.file).stem}@{placed.at:.2f}+{placed.db:.0f}"

    talk = "+talk" if case.talking else ""
    hits = ",".join(short(placed) for placed in case.hits)
    others = " ".join(short(placed) for placed in case.others)
    return f"{case.duration:3.0f}s {case.kind:10} {case.bed[:4]}{talk:5} {hits} {others}"


def labelled(case: RealCase) -> Labelled:
    # the clip's name carries a digest of its recipe, so a changed case is made again
    digest = hashlib.sha1(repr(case).encode()).hexdigest()[:8]
    return Labelled(
        f"{case.name}-{digest}", case.truth, describe(case), lambda path: make_case(case, path)
    )


def real_score(half: str, count: int) -> Score:
    """Score `count` clips of one half, made in bench/out/moments-real on first use, and print
    the share found of each kind."""
    made = cases(half, count)
    score = score_set([labelled(case) for case in made], OUT / "moments-real")
    for kind in KINDS:
        found = [
            hit for case, hit in zip(made, score.hits.values(), strict=True) if case.kind == kind
        ]
        print(f"  {half} half, {kind:10} {sum(found)}/{len(found)}")
    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=40, help="clips in each half")
    parser.add_argument("--half", choices=HALVES, help="only this half of the real set")
    parser.add_argument("--no-synthetic", action="store_true", help="skip the synthetic set")
    args = parser.parse_args()
    if not SOUNDS.is_dir():
        print(f"no real set: {SOUNDS} is not present")
        return
    scores = {} if args.no_synthetic else {"synthetic": synthetic_score()}
    for half in [args.half] if args.half else HALVES:
        scores[f"real, {half} half"] = real_score(half, args.cases)
    for name, score in scores.items():
        print(score.summary(name))


if __name__ == "__main__":
    main()
