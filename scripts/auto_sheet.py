"""The contact sheet of `--auto` for the docs (docs/auto.png).

    python scripts/auto_sheet.py [CLIP ...] [--out OUT.png]

Renders real clips (by default the home cook's pancake tosses, where the finder is unsure, and
the sand-sled crash, where it is sure, from ../shared/media/realvideo) twice each with the
real `clipcraft make` — as a bare trim, and with `--auto` — and lays out the same moments of
each: the build-up, just before the moment, on it, just after it, and the end.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from follow_sheet import draw_rows, frame_at

ROOT = Path(__file__).parents[1]
REAL = ROOT.parent / "shared" / "media" / "realvideo"
CLIPS = (REAL / "kitchen-pancake-tosses.mkv", REAL / "fail-sandsled-crash.mp4")


def render(clip: Path, out: Path, *extra: str) -> dict:
    """Render `clip` with `extra` flags to `out` (a preview); its plan."""
    command = [sys.executable, "-m", "clipcraft", "make", str(clip), "--preview", *extra]
    plan = json.loads(
        subprocess.run([*command, "--dry-run", "--json"], check=True, capture_output=True).stdout
    )
    subprocess.run([*command, "-o", str(out), "-q", "--force"], check=True)
    return dict(plan)


def summary(decisions: list[dict]) -> str:
    """The decisions made, short: `setting = value` for each with one."""
    made = [d for d in decisions if d["value"] is not None and d["setting"] != "trim.at"]
    moment = next((d for d in decisions if d["setting"] == "trim.at"), None)
    sure = "moment unsure, kept" if moment and moment["value"] is None else "moment sure"
    said = [f"{d['setting'].split('.')[-1]} {d['value']}" for d in made]
    return "; ".join([sure, *said])


def main(clips: list[Path], out: Path) -> None:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for clip in clips:
            for label, extra in (("a bare trim", ()), ("--auto", ("--auto",))):
                made = Path(folder) / "clip.mp4"
                plan = render(clip, made, *extra)
                moment, end = plan["moment"], plan["duration"]
                frozen = [s["frames"] for s in plan["segments"] if s["role"] == "freeze"]
                held = sum(frozen) / plan["format"]["fps"]
                times = (0.4, moment - 0.5, moment + 0.1, moment + held + 0.5, end - 0.6)
                said = f"{clip.stem}, {label}" + (
                    f": {summary(plan['decisions'])}" if extra else ""
                )
                rows.append((said[:120], [frame_at(made, t) for t in times]))
    draw_rows(rows, out)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clips", nargs="*", type=Path, default=list(CLIPS))
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "auto.png")
    arguments = parser.parse_args()
    main(arguments.clips, arguments.out)
