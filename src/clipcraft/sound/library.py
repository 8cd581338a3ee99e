"""The sounds a clip can name: the bundled effects and music beds, the creator's own folder,
or a file path.

The bundled effects are recordings (and two made ones), shaped and encoded by
scripts/make_library.py, which writes `catalogue.json` (each effect's file, length, tags,
description, licence and source) and `CREDITS.md` beside them; the music beds are parts of
tracks cut, levelled and encoded by scripts/make_music.py into assets/music/ the same way, each
with its moods as tags and its tempo. The creator's own effects are the sound files in their
data folder (`CLIPCRAFT_SOUNDS` overrides it), each named by its file name; one with a bundled
name wins over the bundled one.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import subprocess
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np

from clipcraft.assets import asset_dir
from clipcraft.errors import AssetError, MediaError, UsageError
from clipcraft.media.ffmpeg import EFFECT_STEREO, ffmpeg_command, ffmpeg_process, run_ffmpeg
from clipcraft.media.outputs import atomic_output, check_output
from clipcraft.media.probe import audio_duration
from clipcraft.settings.folders import data_folder
from clipcraft.sound.shaping import shaped

SOUNDS_VARIABLE = "CLIPCRAFT_SOUNDS"
SOUND_SUFFIXES = (".wav", ".flac", ".opus", ".ogg", ".oga", ".mp3", ".m4a", ".aac", ".aif", ".aiff")
TAGS = ("reaction", "comedy", "transition", "reveal")
SHAPING_RATE = 48000
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class Sound:
    name: str
    path: Path
    duration: float
    description: str = ""
    tags: tuple[str, ...] = ()
    licence: str = ""
    source: str = ""
    """Where the recording came from: its original page (or how it was made)."""
    author: str = ""
    note: str = ""
    """What was done to it, and any attribution its licence asks for."""
    origin: str = "bundled"  # bundled | user | file
    kind: str = "effect"  # effect | music
    tempo: float | None = None
    """A music bed's beats per minute, as its source gives it (it may be half or double)."""

    def facts(self) -> dict[str, object]:
        """What `sounds --json` says of the effect."""
        return {
            "name": self.name,
            "kind": self.kind,
            "duration": round(self.duration, 3),
            "tags": list(self.tags),
            "description": self.description,
            "licence": self.licence,
            "source": self.source,
            "author": self.author,
            "origin": self.origin,
            "path": str(self.path),
            **({"tempo": self.tempo} if self.kind == "music" else {}),
        }


@cache
def library() -> tuple[Sound, ...]:
    """Every bundled effect, in catalogue order."""
    return _bundled("sounds")


@cache
def music_library() -> tuple[Sound, ...]:
    """Every bundled music bed, in catalogue order."""
    return _bundled("music")


def _bundled(kind: str) -> tuple[Sound, ...]:
    folder = asset_dir(kind)
    return catalogued(folder, json.loads((folder / "catalogue.json").read_text(encoding="utf-8")))


def catalogued(folder: Path, catalogue: dict[str, dict[str, object]]) -> tuple[Sound, ...]:
    """The sounds a catalogue (name → file, duration, tags, description, licence, source,
    author, note; a music bed's kind and tempo) describes, their files in `folder`."""
    return tuple(
        Sound(
            name,
            folder / str(entry["file"]),
            float(str(entry["duration"])),
            str(entry["description"]),
            tuple(str(tag) for tag in entry["tags"]),  # type: ignore[attr-defined]
            str(entry["licence"]),
            str(entry["source"]),
            str(entry.get("author", "")),
            str(entry.get("note", "")),
            kind=str(entry.get("kind", "effect")),
            tempo=float(str(entry["tempo"])) if entry.get("tempo") else None,
        )
        for name, entry in catalogue.items()
    )


def user_folder() -> Path:
    """The creator's own effects: `CLIPCRAFT_SOUNDS`, else `sounds` in the data folder."""
    override = os.environ.get(SOUNDS_VARIABLE)
    return Path(override).expanduser() if override else data_folder() / "sounds"


def user_files() -> dict[str, Path]:
    """The creator's sound files by name (the file name without its suffix), sorted."""
    return sound_files(user_folder())


def own_music_bed() -> Path | None:
    """The creator's default bed for `--auto`: the first sound file in their data folder's
    `music`, if any."""
    beds = sound_files(data_folder() / "music")
    return next(iter(beds.values()), None)


def sound_files(folder: Path) -> dict[str, Path]:
    """The sound files in `folder` by name (the file name without its suffix), sorted."""
    if not folder.is_dir():
        return {}
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        hidden = path.name.startswith(".")  # an editor's or a copy's temporary file
        if path.suffix.lower() in SOUND_SUFFIXES and path.is_file() and not hidden:
            found.setdefault(path.stem, path)
    return found


def user_sound(name: str, path: Path) -> Sound:
    return Sound(name, path, audio_duration(path), f"your sound ({path.name})", origin="user")


def every_sound() -> list[Sound]:
    """What `sounds` lists: the bundled effects, then the creator's other sounds, then the
    music beds; a bundled one is shown as the creator's own of the same name where there is
    one, since that is what its name plays."""
    mine = user_files()

    def as_played(sound: Sound) -> Sound:
        if sound.name not in mine:
            return sound
        return replace(user_sound(sound.name, mine[sound.name]), kind=sound.kind)

    names = {sound.name for sound in (*library(), *music_library())}
    own = [user_sound(name, path) for name, path in mine.items() if name not in names]
    return [*map(as_played, library()), *own, *map(as_played, music_library())]


NOUNS = {"effect": "sound effect", "music": "music", None: "sound"}
BUNDLED_AS = {"effect": ("a sound effect", "--sfx"), "music": ("a music bed", "--music")}


def find_sound(name_or_path: str, kind: str | None = "effect") -> Sound:
    """The creator's sound by name, else a bundled one of `kind` (effect, music; None: either),
    else a sound file by path. A bundled name of the other kind is refused with the flag that
    takes it: a 24-s bed as an effect, or a 1-s effect as the music, is a slip."""
    what = NOUNS[kind]
    mine = user_files()
    if name_or_path in mine:
        return user_sound(name_or_path, mine[name_or_path])
    by_name = {sound.name: sound for sound in (*library(), *music_library())}
    found = by_name.get(name_or_path)
    if found is not None and kind in (None, found.kind):
        return found
    if found is not None:
        noun, flag = BUNDLED_AS[found.kind]
        raise UsageError(f"{name_or_path!r} is {noun}, not the {what} asked for", f"use {flag}")
    path = Path(name_or_path).expanduser()
    if os.path.lexists(path):  # a folder, an unreadable or empty file is named as such
        return Sound(path.name, path, audio_duration(path), origin="file")
    names = [name for name, sound in by_name.items() if kind in (None, sound.kind)] + [*mine]
    close = difflib.get_close_matches(name_or_path, names, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else "see `clipcraft sounds`"
    raise AssetError(f"unknown {what} {name_or_path!r} (not a sound's name or a file)", hint)


def decode(path: Path, rate: int = SHAPING_RATE) -> np.ndarray:
    """A sound file's samples as float32 (n, channels) at `rate`: one channel when the
    file's two are the same (or it had one), else two."""
    raw = run_ffmpeg(
        ffmpeg_command("-loglevel", "error", "-i", str(path), "-map", "0:a:0",
                       "-af", EFFECT_STEREO, "-ar", str(rate), "-f", "f32le", "pipe:1"),
        f"reading {path}",
    )  # fmt: skip
    stereo = np.frombuffer(raw, np.float32).reshape(-1, 2)
    left, right = stereo[:, 0], stereo[:, 1]
    same = np.abs(left - right).max(initial=0.0) <= 1e-4 * max(
        np.abs(stereo).max(initial=0.0), 1e-9
    )
    return stereo[:, :1].copy() if same else stereo.copy()


def add_sound(file: Path, name: str | None, force: bool) -> Path:
    """Copy `file` into the creator's folder as effect `name` (its file name by default),
    shaped as the bundled ones are and stored as FLAC; never over one without `force`."""
    try:  # a missing, unreadable or soundless file says so before anything is written
        audio_duration(file)
    except MediaError as error:  # the creator chose it: theirs to mend, exit 2
        raise UsageError(error.message, error.hint) from None
    name = name if name is not None else re.sub(r"[^a-z0-9_-]+", "-", file.stem.lower()).strip("-")
    if not _NAME.match(name):
        raise UsageError(
            f"{name!r}: not a usable effect name",
            "use lower-case letters, digits, - and _ (it is typed after --sfx)",
        )
    folder = user_folder()
    folder.mkdir(parents=True, exist_ok=True)
    existing = user_files().get(name)
    if existing is not None and not force:
        raise UsageError(
            f"{existing}: your sound {name!r} already exists", "add --force to replace it"
        )
    target = check_output(folder / f"{name}.flac", [file], force=True)
    samples = shaped(decode(file), SHAPING_RATE)
    with atomic_output(target) as temporary:
        encode(samples, SHAPING_RATE, temporary, ["-c:a", "flac"])
    if existing is not None and existing != target:
        existing.unlink()
    return target


def encode(samples: np.ndarray, rate: int, out: Path, codec: list[str]) -> None:
    """Write float samples (n, channels) to `out` with the codec arguments given; the
    container is chosen by `out`'s suffix and written bit-exact (no random stream serial)."""
    channels = samples.shape[1] if samples.ndim == 2 else 1
    command = ffmpeg_command(
        "-loglevel", "error", "-f", "f32le", "-ar", str(rate), "-ac", str(channels),
        "-i", "pipe:0", *codec, "-fflags", "+bitexact", "-flags:a", "+bitexact",
        "-f", _muxer(out), "-y", str(out),
    )  # fmt: skip
    with ffmpeg_process(command, stdin=subprocess.PIPE) as run:
        assert run.popen.stdin is not None
        run.popen.stdin.write(samples.astype("<f4").tobytes())
        run.popen.stdin.close()
        run.check(f"writing {out}")


def _muxer(out: Path) -> str:
    suffix = out.suffix.lower()
    return {".flac": "flac", ".opus": "ogg", ".ogg": "ogg", ".wav": "wav"}.get(suffix, "flac")


def export_sound(name: str, out: Path, force: bool) -> Path:
    """Write an effect to `out` as a 16-bit WAV at 48 kHz, never over a file unless `force`."""
    sound = find_sound(name, None)
    target = check_output(out, [sound.path], force)
    with atomic_output(target) as temporary:
        encode(decode(sound.path), SHAPING_RATE, temporary, ["-c:a", "pcm_s16le"])
    return target


CREDIT_INTROS = {
    "effect": (
        "# Credits for the bundled sound effects",
        "",
        "Each effect was trimmed to its sound, its DC offset removed, levelled (sharp attacks",
        "limited) and encoded as Opus by scripts/make_library.py. Recordings licensed",
        "CC BY 4.0 are credited as their licence asks, and marked modified.",
    ),
    "music": (
        "# Credits for the bundled music beds",
        "",
        "Each bed is a part of a track, cut on its beat to about 24 s, faded at both ends,",
        "levelled to -16 LUFS and encoded as Opus by scripts/make_music.py. Tracks licensed",
        "CC BY are credited as their licence asks (title, author, licence, source), and marked",
        "modified; CC0 tracks are credited too, though their licence does not ask it.",
    ),
}


def credits_text(sounds: tuple[Sound, ...], kind: str = "effect") -> str:
    """The credits of the bundled effects or music beds as Markdown (each folder's
    CREDITS.md; `sounds credits` shows both)."""
    lines = [*CREDIT_INTROS[kind], ""]
    for sound in sounds:
        lines.append(f"- **{sound.name}** ({sound.path.name}): {sound.licence}; {sound.source}")
        if sound.author:
            lines.append(f"  by {sound.author}")
        if sound.note:
            lines.append(f"  {sound.note}")
    return "\n".join(lines) + "\n"
