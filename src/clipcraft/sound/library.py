"""The bundled sound effects, and user sound files given by path."""

from __future__ import annotations

import difflib
import json
import shutil
import wave
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from clipcraft.assets import asset_dir
from clipcraft.errors import AssetError
from clipcraft.media.outputs import atomic_output, check_output
from clipcraft.media.probe import audio_duration


@dataclass(frozen=True)
class Sound:
    name: str
    path: Path
    duration: float
    description: str = ""


@cache
def library() -> tuple[Sound, ...]:
    """Every bundled effect, in catalogue order."""
    folder = asset_dir("sounds")
    catalogue = json.loads((folder / "catalogue.json").read_text())
    return tuple(
        Sound(name, folder / f"{name}.wav", _wav_duration(folder / f"{name}.wav"), description)
        for name, description in catalogue.items()
    )


def find_sound(name_or_path: str) -> Sound:
    """A bundled effect by name, or a user's file by path (any format ffmpeg reads)."""
    by_name = {sound.name: sound for sound in library()}
    if name_or_path in by_name:
        return by_name[name_or_path]
    path = Path(name_or_path).expanduser()
    if path.is_file():
        return Sound(path.name, path, audio_duration(path))
    close = difflib.get_close_matches(name_or_path, by_name, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else "see `clipcraft sounds`"
    raise AssetError(f"unknown sound effect {name_or_path!r} (not a bundled name or a file)", hint)


def export_sound(name: str, out: Path, force: bool) -> Path:
    """Copy a bundled effect to `out` (a WAV), never over a file unless `force`."""
    sound = find_sound(name)
    target = check_output(out, [sound.path], force)
    with atomic_output(target) as temporary:
        shutil.copyfile(sound.path, temporary)
    return target


def _wav_duration(path: Path) -> float:
    with wave.open(str(path)) as wav:
        return wav.getnframes() / wav.getframerate()
