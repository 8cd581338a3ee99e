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


def check_output(
    output: Path, inputs: Iterable[Path], force: bool, *, dry_run: bool = False
) -> Path:
    """The output path, refused if it would land on an input, over a file (unless `force`
    or it is only a `dry_run`), or nowhere. A dry run writes nothing, not even to check."""
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
    if output.exists() and not (force or dry_run):
        raise UsageError(f"{output}: already exists", "add --force to replace it")
    _check_writable(output, dry_run)
    return output


def _check_writable(output: Path, dry_run: bool) -> None:
    """Refuse a folder the clip cannot be written in, before any work starts: a work folder
    is made there and removed, as rendering will (permission bits alone do not tell, for root
    or on a read-only or virtual file system). A dry run, which must write nothing, asks the
    permission bits only."""
    folder = output.parent
    try:
        if dry_run:
            if not os.access(folder, os.W_OK | os.X_OK):
                raise PermissionError(13, "Permission denied")
        else:
            os.rmdir(tempfile.mkdtemp(prefix=".clipcraft-check-", dir=folder))
    except OSError as error:
        raise UsageError(
            f"{output}: cannot write in the folder {folder} ({error.strerror})",
            "choose a folder you can write to with -o",
        ) from None


def cover_path(
    cover: str, clip: Path, inputs: Iterable[Path], force: bool, *, dry_run: bool = False
) -> Path:
    """The cover JPEG's path: as given, or the clip's own name with .jpg; never the clip."""
    path = Path(cover).expanduser() if cover else clip.with_suffix(".jpg")
    if path.resolve() == clip.resolve():
        raise UsageError(f"--cover {path}: is the clip's own path", "give a .jpg path")
    if not path.parent.is_dir():
        raise UsageError(f"--cover {path}: the folder {path.parent} does not exist")
    return check_output(path, inputs, force, dry_run=dry_run)


class Staged:
    """Files that appear together or not at all: a clip, its cover, its transcript.

    Each is written at a staged path — in `folder` when one is given (a batch's staging
    folder, on the output's disk), else hidden beside its target — and `publish` renames them
    all into place once every one is written: the first staged (the clip) last, so it never
    appears without the rest, and a rename that fails takes back those already made.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.pending: list[tuple[Path, Path]] = []

    def path(self, target: Path) -> Path:
        """Where to write what will become `target`."""
        if self.folder is None:
            hidden = f".{target.stem}.{uuid.uuid4().hex[:8]}.part{target.suffix}"
            staged = target.with_name(hidden)
        else:
            staged = self.folder / f"{len(self.pending)}-{target.name}"
        self.pending.append((staged, target))
        return staged

    def publish(self) -> None:
        """Rename every staged file onto its target, the first staged last; if a rename
        fails, the files already placed are taken back (the versions they replaced put back,
        where the disk keeps hard links) and the error raised."""
        earlier: dict[Path, Path] = {}
        placed: list[Path] = []
        try:
            for index, (staged, target) in reversed(list(enumerate(self.pending))):
                # the first staged, renamed last, is never taken back
                kept = _keep_earlier(target, staged) if index else None
                if kept is not None:
                    earlier[target] = kept
                os.replace(staged, target)
                placed.append(target)
        except BaseException:
            for target in placed:
                if target in earlier:
                    os.replace(earlier.pop(target), target)
                else:
                    target.unlink(missing_ok=True)
            raise
        finally:
            for kept in earlier.values():
                kept.unlink(missing_ok=True)

    def discard(self) -> None:
        for staged, _ in self.pending:
            staged.unlink(missing_ok=True)


def _keep_earlier(target: Path, staged: Path) -> Path | None:
    """A hard link to the file that `target` is, to put back if publishing fails: none when
    there is no such file or the disk has no hard links (FAT)."""
    kept = staged.with_name(f"{staged.name}.earlier")
    try:
        os.link(target, kept)
    except OSError:
        return None
    return kept


@contextmanager
def staged_outputs(folder: Path | None = None) -> Iterator[Staged]:
    """Outputs staged in the block and published together only if it succeeds."""
    outputs = Staged(folder)
    try:
        yield outputs
        outputs.publish()
    finally:
        outputs.discard()


@contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, renamed onto it only if the block succeeds."""
    with staged_outputs() as outputs:
        yield outputs.path(target)
