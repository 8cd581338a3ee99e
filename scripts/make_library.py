"""Build the bundled effects into assets/sounds/: recordings from ../shared/media/sfx, shaped.

    python scripts/make_library.py [SFX_DIR] [OUT_DIR]

Each chosen recording (those whose licence is documented in SFX_DIR/LICENSES.tsv, the lossless
copy where there are two) and the two made effects (scripts/make_sounds.py) are decoded at
48 kHz, their DC removed, trimmed to their sound, faded and levelled by
`clipcraft.sound.shaping`, then encoded as Opus. The catalogue (file, length, tags,
description, licence, source) and CREDITS.md are written beside them.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from clipcraft.sound.library import SHAPING_RATE, catalogued, credits_text, decode, encode
from clipcraft.sound.shaping import PEAK_DB, loudest_window_db, shaped

sys.path.insert(0, str(Path(__file__).parent))
from make_sounds import MADE

ROOT = Path(__file__).resolve().parents[1]
OPUS_KBPS = {1: 64, 2: 96}
"""Opus bit rates by channel count: transparent for effects, the library well under 2 MB."""


@dataclass(frozen=True)
class Choice:
    name: str
    file: str
    tags: tuple[str, ...]
    description: str
    until: float | None = None
    """Seconds of the recording to keep, where something after the effect must go."""


CHOICES = (
    Choice("gasp", "gasp.mp3", ("reaction",), "a sharp, shocked intake of breath: oh no", 1.0),
    Choice("aww", "aww.mp3", ("reaction",), "a sympathetic 'awww': so close"),
    Choice("sad-trombone", "sad_trombone-godot.wav", ("comedy", "reaction"),
           "wah-wah-wah-waaah on a real trombone: it failed"),
    Choice("record-scratch", "record-scratch.mp3", ("comedy", "transition"),
           "a DJ drags the record back: the classic freeze-frame cue"),
    Choice("crash", "", ("comedy",), "metal smash with a clanging ring: the pan hit the floor"),
    Choice("bonk", "bonk-godot.wav", ("comedy",), "a small, hard knock: bonk"),
    Choice("boing", "boing-reelworldstudio.flac", ("comedy",),
           "a spring's twang: something bounced"),
    Choice("pop", "balloon_pop.flac", ("comedy",), "a balloon bursts: a sudden pop"),
    Choice("honk", "bicycle_horn.flac", ("comedy",), "a bicycle horn, honk-honk: clown time"),
    Choice("squeak", "toy_squeak_01.flac", ("comedy",), "a rubber toy squeezed twice"),
    Choice("slide-down", "slide-whistle-down.wav", ("comedy",),
           "a slide whistle falling: down it goes"),
    Choice("slide-up", "slide-whistle-up-reversed.flac", ("comedy", "transition"),
           "a slide whistle rising: here we go"),
    Choice("whistle", "whistle.flac", ("reaction", "comedy"), "a referee's whistle: foul!"),
    Choice("whoosh", "whoosh-netfox.wav", ("transition",),
           "rushing air that sweeps past: a fast move or a cut"),
    Choice("swish", "woosh_03.flac", ("transition",), "a quick, light swish: a snappy cut"),
    Choice("drumroll", "", ("reveal",),
           "a snare roll that builds and lands on a cymbal: the suspense"),
    Choice("dun-dun-dun", "dramatic-sting.flac", ("reveal", "reaction"),
           "the dramatic 'dun dun dunnn' sting: the truth comes out"),
    Choice("tada", "tada.mp3", ("reveal",), "a bright fanfare flourish: the big reveal"),
    Choice("ding", "ding-godot.wav", ("reveal",), "a clear bell's ding: done, or an idea"),
    Choice("coin", "coin.flac", ("reveal",), "a coin rings and bounces: a small win"),
)  # fmt: skip


def licences(sfx: Path) -> dict[str, dict[str, str]]:
    """LICENSES.tsv by file, with each row's source page and author made plain."""
    with (sfx / "LICENSES.tsv").open(encoding="utf-8") as table:
        rows = {row["file"]: row for row in csv.DictReader(table, delimiter="\t")}
    for row in rows.values():
        original = row["original source"]
        page = re.search(
            r"(?:https?://)?((?:freesound|opengameart)\.org/\S+?)/?(?:\s|'|$)", original
        )
        named = re.match(r"^([^,/]+), ", original)
        person = re.search(r"/people/([^/]+)/", original)
        row["page"] = f"https://{page.group(1)}" if page else original
        row["licence"] = "CC0 1.0" if row["licence"] == "CC0" else row["licence"]
        row["author"] = named.group(1) if named else person.group(1) if person else ""
    return rows


def made(name: str) -> np.ndarray:
    signal = MADE[name]().astype(np.float32)
    return (signal / np.abs(signal).max())[:, None]


def encode_levelled(samples: np.ndarray, out: Path) -> np.ndarray:
    """Encode as Opus, then correct the gain where the encoder moved the level: it rounds
    some peaks over PEAK_DB and cuts the energy of made noise above its band. The decoded
    result, which is what a clip will mix."""
    target = loudest_window_db(samples, SHAPING_RATE)
    for _ in range(4):
        kbps = OPUS_KBPS[samples.shape[1]]
        encode(samples, SHAPING_RATE, out, ["-c:a", "libopus", "-b:a", f"{kbps}k"])
        decoded = decode(out)
        peak_room = PEAK_DB - 0.05 - 20 * np.log10(np.abs(decoded).max())
        quieter_by = target - loudest_window_db(decoded, SHAPING_RATE)
        held_by_peak = quieter_by > 0 and peak_room <= 0.3
        if peak_room >= 0 and (abs(quieter_by) <= 0.2 or held_by_peak):
            return decoded
        samples = samples * np.float32(10 ** (min(quieter_by, peak_room) / 20))
    raise SystemExit(f"{out}: its level does not settle under {PEAK_DB} dBFS")


def build(sfx: Path, out: Path, only: frozenset[str] | None = None) -> dict[str, dict[str, object]]:
    """Shape and encode the chosen effects (those named in `only`, when given) into `out`,
    with their catalogue and credits."""
    rows = licences(sfx)
    out.mkdir(parents=True, exist_ok=True)
    catalogue: dict[str, dict[str, object]] = {}
    for choice in CHOICES:
        if only is not None and choice.name not in only:
            continue
        if choice.file:
            row = rows[choice.file]
            if not row["confidence"].startswith("documented"):
                raise SystemExit(f"{choice.file}: its licence is not documented; not shipped")
            source = decode(sfx / choice.file)
            if choice.until is not None:
                source = source[: round(choice.until * SHAPING_RATE)]
            modified = "trimmed, levelled and re-encoded by clipcraft"
            attribution = row["attribution (if required)"].strip()
            note = f"{attribution} ({modified}: modified)" if attribution else modified
            facts = {"licence": row["licence"], "source": row["page"], "author": row["author"]}
            facts["note"] = f"{note}; via {row['from (repository: path)']}"
        else:
            source = made(choice.name)
            facts = {
                "licence": "CC0 1.0",
                "source": "made by clipcraft (scripts/make_sounds.py: numpy, fixed seeds)",
                "author": "clipcraft",
                "note": "no recording with a licence to ship fits; made, not recorded",
            }
        target = out / f"{choice.name}.opus"
        decoded = encode_levelled(shaped(source, SHAPING_RATE), target)
        catalogue[choice.name] = {
            "file": target.name,
            "duration": round(len(decoded) / SHAPING_RATE, 3),
            "tags": list(choice.tags),
            "description": choice.description,
            **facts,
        }
    (out / "catalogue.json").write_text(json.dumps(catalogue, indent=2, ensure_ascii=False) + "\n")
    sounds = catalogued(out, catalogue)
    (out / "CREDITS.md").write_text(credits_text(sounds), encoding="utf-8")
    return catalogue


def main() -> None:
    sfx = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "media" / "sfx"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "assets" / "sounds"
    with tempfile.TemporaryDirectory() as scratch:  # built whole, then moved in
        catalogue = build(sfx, Path(scratch))
        for old in out.glob("*"):
            if old.suffix in (".wav", ".opus", ".json", ".md"):
                old.unlink()
        out.mkdir(parents=True, exist_ok=True)
        for made_file in Path(scratch).iterdir():
            shutil.move(made_file, out / made_file.name)
    size = sum(path.stat().st_size for path in out.iterdir())
    print(f"{len(catalogue)} effects, {size / 1e6:.2f} MB in {out}")


if __name__ == "__main__":
    main()
