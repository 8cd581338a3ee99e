"""The moment finder on real footage with its own sound (issue #41), scored against its truth.

    python bench/moment_realvideo.py [--only NAME]

Runs `find_moment` on every clip of ../shared/media/realvideo (read in place, never copied)
and scores it against that folder's truth.tsv:

- `fail`: within 0.5 s of any annotator's time, with a confidence of at least 0.5;
- `kitchen` (the pancake): during a toss, not the hand over the lens at 8.3 s. The truth gives
  each toss's sound onset (the pancake landing back); the toss itself is in the air the second
  before it (seen frame by frame), so a time from TOSS_SECONDS before an onset to 0.5 s after
  it is a toss. The error printed is still to the nearest sound onset;
- `hits`: within 0.3 s of any annotated hit;
- `busy`: no mishap at all, so the confidence must be under 0.5 (the time is not scored).

Prints one row per clip (time found, nearest truth, error, confidence, pass) and a summary,
with the seconds of finding per second of footage.
"""

from __future__ import annotations

import argparse
import csv
import time
from dataclasses import dataclass
from pathlib import Path

from clipcraft.finding.moment import find_moment
from clipcraft.media.probe import probe

FOLDER = Path(__file__).resolve().parents[2] / "shared" / "media" / "realvideo"
TOLERANCE = {"fail": 0.5, "kitchen": 0.5, "hits": 0.3}
"""How near a found time must be to a true one, by kind of clip."""
TOSS_SECONDS = 1.0
"""A pancake is in the air this long before the sound of its landing (the truth's onsets)."""
SURE = 0.5
"""A fail must be found at least this sure, a busy clip less sure than this."""


@dataclass(frozen=True)
class Clip:
    name: str
    kind: str
    truths: tuple[float, ...]


@dataclass(frozen=True)
class Result:
    clip: Clip
    time: float
    confidence: float
    seconds: float
    duration: float

    @property
    def error(self) -> float | None:
        if not self.clip.truths:
            return None
        return min(abs(self.time - truth) for truth in self.clip.truths)

    @property
    def found(self) -> bool:
        """The time is right (busy clips have none to be right about)."""
        error = self.error
        if self.clip.kind == "kitchen":
            return any(
                -TOSS_SECONDS <= self.time - t <= TOLERANCE["kitchen"] for t in self.clip.truths
            )
        return error is None or error <= TOLERANCE[self.clip.kind]

    @property
    def sure_right(self) -> bool:
        """The confidence says what it should: sure of a fail, unsure of a busy clip."""
        if self.clip.kind == "fail":
            return self.confidence >= SURE
        if self.clip.kind == "busy":
            return self.confidence < SURE
        return True

    @property
    def passed(self) -> bool:
        return self.found and self.sure_right


def clips(folder: Path = FOLDER) -> list[Clip]:
    """The clips of truth.tsv, in its order."""
    with (folder / "truth.tsv").open(newline="") as table:
        rows = list(csv.DictReader(table, delimiter="\t"))
    return [
        Clip(
            row["file"],
            row["kind"],
            tuple(float(t) for t in row["truth_s"].split()) if row["truth_s"] != "-" else (),
        )
        for row in rows
    ]


def run(clip: Clip, folder: Path = FOLDER) -> Result:
    media = probe(folder / clip.name)
    started = time.perf_counter()
    moment = find_moment(media)
    seconds = time.perf_counter() - started
    return Result(clip, moment.time, moment.confidence, seconds, media.duration)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="only clips whose name contains this")
    only = parser.parse_args().only
    if not FOLDER.is_dir():
        raise SystemExit(f"no real videos at {FOLDER}")
    results = [run(clip) for clip in clips() if not only or only in clip.name]
    print(f"{'clip':30} {'found':>6} {'error':>6} {'conf':>5}  ok")
    for result in results:
        error = "-" if result.error is None else f"{result.error:.2f}"
        print(
            f"{result.clip.name:30} {result.time:6.2f} {error:>6} {result.confidence:5.2f}  "
            f"{'yes' if result.passed else 'NO'}"
        )
    for kind in ("fail", "kitchen", "hits", "busy"):
        group = [r for r in results if r.clip.kind == kind]
        if group:
            found = sum(r.found for r in group)
            sure = sum(r.sure_right for r in group)
            print(
                f"{kind:8} {sum(r.passed for r in group)}/{len(group)} pass "
                f"(time {found}/{len(group)}, confidence {sure}/{len(group)})"
            )
    footage = sum(r.duration for r in results)
    spent = sum(r.seconds for r in results)
    print(f"finding took {spent:.1f} s for {footage:.1f} s of footage ({spent / footage:.2f}x)")


if __name__ == "__main__":
    main()
