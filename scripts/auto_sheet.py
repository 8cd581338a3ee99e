"""The contact sheet of `--auto` for the docs (docs/auto.png).

    python scripts/auto_sheet.py [CLIP] [OUT.png]

Renders one real clip (by default the home cook's pancake tosses in ../shared/media/realvideo)
twice with the real `clipcraft make` — as a bare trim, and with `--auto` — and lays out the
same moments of each: the build-up, just before the moment, just after it, and the end.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from follow_sheet import draw_rows, frame_at

ROOT = Path(__file__).parents[1]
CLIP = ROOT.parent / "shared" / "media" / "realvideo" / "kitchen-pancake-tosses.mkv"


def render(clip: Path, out: Path, *extra: str) -> dict:
    """Render `clip` with `extra` flags to `out` (a preview); its plan."""
    command = [sys.executable, "-m", "clipcraft", "make", str(clip), "--preview", *extra]
    plan = json.loads(
        subprocess.run([*command, "--dry-run", "--json"], check=True, capture_output=True).stdout
    )
    subprocess.run([*command, "-o", str(out), "-q", "--force"], check=True)
    return dict(plan)


def main(clip: Path, out: Path) -> None:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for label, extra in (("a bare trim: clipcraft make CLIP", ()), ("--auto", ("--auto",))):
            made = Path(folder) / "clip.mp4"
            plan = render(clip, made, *extra)
            moment, end = plan["moment"], plan["duration"]
            times = (0.4, moment - 0.5, moment + 0.4, end - 0.6)
            said = "; ".join(
                f"{d['setting']} = {'(kept)' if d['value'] is None else d['value']}"
                for d in plan["decisions"][:4]
            )
            rows.append((f"{label}  {said}"[:150], [frame_at(made, t) for t in times]))
    draw_rows(rows, out)


if __name__ == "__main__":
    main(
        Path(sys.argv[1]) if len(sys.argv) > 1 else CLIP,
        Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs" / "auto.png",
    )
