"""Build the bundled music beds into assets/music/: parts of tracks from ../shared/media/music.

    python scripts/make_music.py [MUSIC_DIR] [OUT_DIR]

Each chosen track (CC0 or CC BY, its evidence in MUSIC_DIR/LICENSES.tsv) is decoded at 48 kHz,
cut to a whole number of bars from a beat near its start (about BED_SECONDS, so the music under
a reel and its after has room), its DC removed, faded at both ends so it starts and ends
cleanly, levelled to TARGET_LUFS with true peaks under PEAK_DBTP, and encoded as Opus. The
catalogue (file, length, kind, mood tags, tempo, description, licence, source, author) and
CREDITS.md are written beside them.
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

from clipcraft.render.loudness import measure
from clipcraft.sound.library import SHAPING_RATE, catalogued, credits_text, decode, encode
from clipcraft.sound.shaping import fade_edges, limited, without_dc

ROOT = Path(__file__).resolve().parents[1]
BED_SECONDS = 24.0
"""Long enough for a 10-s reel and its after from any start the creator picks, short enough
that nine beds stay under 2 MB."""
FADE_IN, FADE_OUT = 0.02, 2.0
"""A bed starts on its beat without a click and ends by fading, never cut off mid-note."""
TARGET_LUFS = -16.0
"""One loudness for every bed, so switching beds keeps the mix's balance (the plan levels the
music against the footage; this keeps the beds alike before that)."""
PEAK_DBTP = -1.5
OPUS_KBPS = 56
"""Stereo Opus at 56 kb/s: music with its stereo image, about 170 KB a bed."""
CLOSE_ENOUGH_LU = 0.2
MOST_LIMITING_DB = 6.0
"""A bed of sharp drums over quiet chords (lo-fi) is raised to the others' loudness with its
drum hits limited by at most this much; past it the bed stays quieter."""
PEAK_SETTLES_DB = 0.6
"""A peaky bed (a crescendo) stays quieter than the target: its true peak, which the encoder
moves by a few tenths of a dB each pass, is what holds it."""


@dataclass(frozen=True)
class Bed:
    name: str
    file: str
    moods: tuple[str, ...]
    description: str
    start: float
    """Seconds into the track where the bed begins: on a beat, after any quiet intro."""
    whole: bool = False
    """Keep the rest of the track (a short one that is already a bed), not BED_SECONDS."""


BEDS = (
    Bed("gold-rush", "gold-rush.mp3", ("slapstick", "comedy"),
        "silent-film ragtime piano: the classic pratfall chase", 0.8),
    Bed("fluffing-a-duck", "fluffing-a-duck.ogg", ("quirky", "comedy"),
        "bassoon and pizzicato tiptoe: something is about to go wrong", 0.0),
    Bed("monkeys-spinning-monkeys", "monkeys-spinning-monkeys.ogg", ("bouncy", "comedy"),
        "the bouncy, very familiar internet-comedy tune", 0.45),
    Bed("cat-caffe", "cat-caffe.mp3", ("lo-fi", "chill"),
        "lo-fi cooking chill with a soft beat: sits under talking", 3.1),
    Bed("happy-lofi-day", "happy-lofi-day.mp3", ("lo-fi", "happy"),
        "warm rhodes lo-fi: the 'saved it' ending", 0.0),
    Bed("insert-coin", "insert-coin.mp3", ("chiptune", "scramble"),
        "bright 8-bit scramble: a frantic rescue", 0.0),
    Bed("battle-theme-a", "battle-theme-a.ogg", ("chase", "energetic"),
        "driving chase theme: everything at once", 0.5),
    Bed("timpani-roll", "timpani-roll.mp3", ("wait-for-it", "suspense"),
        "a timpani crescendo that lands: wait for it…", 0.0, whole=True),
    Bed("funky-drum-loop", "funky-drum-loop-84bpm.flac", ("groove", "chill"),
        "a funky drum groove at 84 BPM: a beat under speech", 0.0, whole=True),
)  # fmt: skip


def licences(music: Path) -> dict[str, dict[str, str]]:
    """LICENSES.tsv by file, with each row's author, title, page and tempo made plain."""
    with (music / "LICENSES.tsv").open(encoding="utf-8") as table:
        rows = {row["file"]: row for row in csv.DictReader(table, delimiter="\t")}
    for row in rows.values():
        original = row["author and original page"]
        row["author"] = re.split(r",|\s\(", original)[0].strip()
        title = re.search(r'"([^"]+)"', original)
        row["title"] = title.group(1) if title else Path(row["file"]).stem
        page = re.search(r"((?:incompetech\.com|opengameart\.org|freesound\.org)\S*)", original)
        row["page"] = f"https://{page.group(1).rstrip(')')}" if page else original
        tempo = re.match(r"[\d.]+", row["bpm"])
        row["tempo"] = tempo.group(0) if tempo else ""
    return rows


def licence_name(licence: str) -> str:
    """The licence by its short name (CC BY 3.0, CC BY 4.0, CC0 1.0)."""
    by = re.match(r"CC BY (\d\.\d)", licence)
    return f"CC BY {by.group(1)}" if by else "CC0 1.0" if licence.startswith("CC0") else licence


def deed(licence: str) -> str:
    """The licence's deed, which a CC BY credit links to."""
    version = licence.removeprefix("CC BY ")
    if licence.startswith("CC0"):
        return "https://creativecommons.org/publicdomain/zero/1.0/"
    return f"https://creativecommons.org/licenses/by/{version}/"


def cut(samples: np.ndarray, bed: Bed, tempo: float) -> np.ndarray:
    """The bed's part of the track: the whole bars (of four beats) nearest BED_SECONDS from
    its start, faded at both ends."""
    first = round(bed.start * SHAPING_RATE)
    length = len(samples) - first
    if not bed.whole:
        bar = 4 * 60 / tempo
        length = min(length, round(round(BED_SECONDS / bar) * bar * SHAPING_RATE))
    part = without_dc(samples[first : first + length].astype(np.float64))
    faded = fade_edges(part, round(FADE_IN * SHAPING_RATE), round(FADE_OUT * SHAPING_RATE))
    return faded.astype(np.float32)


def encode_at_loudness(samples: np.ndarray, out: Path) -> float:
    """Encode as Opus at TARGET_LUFS, or quieter where its true peak would pass PEAK_DBTP;
    the gain is measured on the encoded file, which is what a clip will mix, and its sharpest
    peaks limited to reach it (the limiter's ceiling lowered by what the encoder overshoots).
    Its length."""
    ceiling = PEAK_DBTP
    for _ in range(8):
        encode(samples, SHAPING_RATE, out, ["-c:a", "libopus", "-b:a", f"{OPUS_KBPS}k"])
        level = measure(out)
        short_by, peak_room = TARGET_LUFS - level.integrated, PEAK_DBTP - level.true_peak
        held_by_peak = short_by > 0 and peak_room <= PEAK_SETTLES_DB
        if peak_room >= 0 and (abs(short_by) <= CLOSE_ENOUGH_LU or held_by_peak):
            return len(samples) / SHAPING_RATE
        ceiling += min(0.0, peak_room)
        gain = 10 ** (min(short_by, peak_room + MOST_LIMITING_DB) / 20)
        samples = limited(samples * np.float32(gain), SHAPING_RATE, ceiling)
    raise SystemExit(f"{out}: its loudness does not settle at {TARGET_LUFS} LUFS")


def build(
    music: Path, out: Path, only: frozenset[str] | None = None
) -> dict[str, dict[str, object]]:
    """Cut, level and encode the chosen beds (those named in `only`, when given) into `out`,
    with their catalogue and credits."""
    rows = licences(music)
    out.mkdir(parents=True, exist_ok=True)
    catalogue: dict[str, dict[str, object]] = {}
    for bed in BEDS:
        if only is not None and bed.name not in only:
            continue
        row = rows[bed.file]
        if not row["licence"].startswith(("CC0", "CC BY")):
            raise SystemExit(f"{bed.file}: {row['licence']} may not ship")
        tempo = float(row["tempo"]) if row["tempo"] else 0.0
        licence = licence_name(row["licence"])
        target = out / f"{bed.name}.opus"
        duration = encode_at_loudness(cut(decode(music / bed.file), bed, tempo or 120.0), target)
        catalogue[bed.name] = {
            "file": target.name,
            "kind": "music",
            "duration": round(duration, 3),
            "tags": list(bed.moods),
            "tempo": tempo or None,
            "description": bed.description,
            "licence": licence,
            "source": row["page"],
            "author": row["author"],
            "note": f'"{row["title"]}" by {row["author"]}, licensed {licence} ({deed(licence)}); '
            f"cut, faded, levelled and re-encoded by clipcraft (modified); "
            f"via {row['repository it was taken from']}",
        }
    (out / "catalogue.json").write_text(json.dumps(catalogue, indent=2, ensure_ascii=False) + "\n")
    credits = credits_text(catalogued(out, catalogue), "music")
    (out / "CREDITS.md").write_text(credits, encoding="utf-8")
    return catalogue


def main() -> None:
    music = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "media" / "music"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "assets" / "music"
    with tempfile.TemporaryDirectory() as scratch:  # built whole, then moved in
        catalogue = build(music, Path(scratch))
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("*"):
            if old.suffix in (".opus", ".json", ".md"):
                old.unlink()
        for made_file in Path(scratch).iterdir():
            shutil.move(made_file, out / made_file.name)
    size = sum(path.stat().st_size for path in out.iterdir() if path.suffix == ".opus")
    print(f"{len(catalogue)} music beds, {size / 1e6:.2f} MB in {out}")


if __name__ == "__main__":
    main()
