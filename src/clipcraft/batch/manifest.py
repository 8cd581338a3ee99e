"""The output folder's memory: what each output was made from, so a rerun skips what is
up to date. An input's hash is kept with its size and mtime and reused while they hold.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from clipcraft.batch.tasks import Outcome
from clipcraft.media.outputs import atomic_output

MANIFEST = ".clipcraft-manifest.json"
REMEMBERED = ("episode", "moment", "basis", "length", "story", "transcript")
"""What the manifest keeps of each clip's outcome, for the report of a rerun that skips it."""


def content_hash(path: Path, cache: dict[str, Any]) -> str:
    """sha256 of a file, reused from the manifest while its size and mtime are unchanged."""
    stat = path.stat()
    stamp = [stat.st_size, stat.st_mtime_ns]
    known = cache.get(str(path))
    if known and known["stamp"] == stamp:
        return known["sha256"]
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    cache[str(path)] = {"stamp": stamp, "sha256": digest.hexdigest()}
    return digest.hexdigest()


def _read_manifest(path: Path) -> dict[str, Any]:
    """The manifest's contents; one that cannot be read (cut short, edited by hand) counts as
    empty, so every clip is made again rather than the folder being stuck."""
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class Manifest:
    """The output folder's record of what each output was made from (and what it is, for
    the report of a rerun), written atomically."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST
        data = _read_manifest(self.path)
        outputs = data.get("outputs", {})
        self.outputs: dict[str, dict[str, Any]] = {
            name: entry if isinstance(entry, dict) else {"key": entry, "clip": {}}
            for name, entry in (outputs.items() if isinstance(outputs, dict) else ())
        }
        files = data.get("files", {})
        self.files: dict[str, Any] = files if isinstance(files, dict) else {}

    def up_to_date(self, output: Path, key: str) -> bool:
        """Made from the same inputs and settings, and every file it made still there: the
        clip, its cover and, where one was written, its transcript."""
        entry = self.outputs.get(output.name, {})
        made = [output, output.with_suffix(".jpg")]
        if entry.get("clip", {}).get("transcript"):
            made.append(output.with_suffix(".vtt"))
        return entry.get("key") == key and all(path.is_file() for path in made)

    def remember(self, outcome: Outcome, key: str) -> None:
        clip = {name: value for name, value in asdict(outcome).items() if name in REMEMBERED}
        self.outputs[Path(outcome.output or "").name] = {"key": key, "clip": clip}

    def save(self) -> None:
        with atomic_output(self.path) as temporary:
            temporary.write_text(
                json.dumps({"outputs": self.outputs, "files": self.files}, indent=1)
            )
