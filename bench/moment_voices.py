"""Which real recordings the moment finder takes for a voice (issue #41).

    python bench/moment_voices.py

For every recording in ../shared/media/sounds/events (read in place), how voice-like its sound
is from where it starts (where it first comes within 20 dB of its loudest), as the finder
measures an onset (finding/voice.py), and per kind how many pass VOICE_LIKE. Speech, shouts
and laughter should; drops, slams, knocks, glass and clangs should not.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import numpy as np

from clipcraft.finding.moment import AUDIO_RATE, HOP, band_energies
from clipcraft.finding.voice import VOICE_LIKE, voiced_share, voicing
from clipcraft.media.ffmpeg import read_mono

EVENTS = Path(__file__).resolve().parents[2] / "shared" / "media" / "sounds" / "events"
START_DB = 20.0


def voice_likeness(path: Path) -> float:
    samples = read_mono(str(path), AUDIO_RATE)
    level, _, _ = band_energies(samples)
    start = int(np.argmax(level > level.max() - START_DB))
    return voiced_share(voicing(samples, AUDIO_RATE, HOP), level, start, HOP)


def main() -> None:
    if not EVENTS.is_dir():
        raise SystemExit(f"no recordings at {EVENTS}")
    kinds: dict[str, list[float]] = defaultdict(list)
    for path in sorted(EVENTS.iterdir()):
        kinds[re.sub(r"\d*$", "", path.stem)].append(voice_likeness(path))
    for kind, shares in sorted(kinds.items()):
        voiced = sum(share >= VOICE_LIKE for share in shares)
        print(
            f"{kind:12} voice-like {voiced:2}/{len(shares):<2}  "
            f"shares {' '.join(f'{share:.2f}' for share in shares)}"
        )


if __name__ == "__main__":
    main()
