"""Where a clip is written, and writing it so it appears whole or not at all."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from clipcraft.errors import UsageError

CLIP_SUFFIX = "-clip.mp4"


def default_output(input_path: Path) -> Path:
    """`./<input stem>-clip.mp4` in the current folder (docs/contract.md, Default output path)."""
    return Path.cwd() / f"{input_path.stem}{CLIP_SUFFIX}"


def check_output(output: Path, inputs: Iterable[Path], force: bool) -> Path:
    """The output path, refused if it would land on an input, over a file, or nowhere."""
    output = output.expanduser()
    for source in inputs:
        if output.resolve() == source.resolve():
            raise UsageError(
                f"{output}: is an input; refusing to write over it", "choose another name with -o"
            )
    if not output.parent.is_dir():
        what = "is a file, not a folder" if output.parent.exists() else "does not exist"
        raise UsageError(
            f"{output}: the folder {output.parent} {what}",
            "create it first or choose another -o",
        )
    if output.is_dir():
        raise UsageError(f"{output}: is a folder", "give a file name such as clip.mp4")
    if output.exists() and not force:
        raise UsageError(f"{output}: already exists", "add --force to replace it")
    _check_writable(output)
    return output


def _check_writable(output: Path) -> None:
    """Refuse a folder the clip cannot be written in, before any work starts: a work folder
    is made there and removed, as rendering will (permission bits alone do not tell, for root
    or on a read-only or virtual file system)."""
    folder = output.parent
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".clipcraft-check-", dir=folder))
    except OSError as error:
        raise UsageError(
            f"{output}: cannot write in the folder {folder} ({error.strerror})",
            "choose a folder you can write to with -o",
        ) from None


def cover_path(cover: str, clip: Path, inputs: Iterable[Path], force: bool) -> Path:
    """The cover JPEG's path: as given, or the clip's own name with .jpg; never the clip."""
    path = Path(cover).expanduser() if cover else clip.with_suffix(".jpg")
    if path.resolve() == clip.resolve():
        raise UsageError(f"--cover {path}: is the clip's own path", "give a .jpg path")
    if not path.parent.is_dir():
        raise UsageError(f"--cover {path}: the folder {path.parent} does not exist")
    return check_output(path, inputs, force)


@contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, renamed onto it only if the block succeeds."""
    temporary = target.with_name(f".{target.stem}.{uuid.uuid4().hex[:8]}.part{target.suffix}")
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
