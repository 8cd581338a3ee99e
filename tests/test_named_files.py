"""Every file the user names — a recipe, a preset, captions, a sound, music, a font, a speech
model's folder — that is a folder, cannot be read or is empty is one line naming it, exit 2.

An unreadable file is made for real: its permissions taken away and, since root reads
anything through two capabilities (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), those two taken
out of this thread's effective set while the command runs. CI runs as root, so a test that
only chmods would read the file anyway, and one that skips as root would never run there.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PIL import Image

from clipcraft.captions.speech.engines import find_engine
from clipcraft.errors import UsageError

from helpers import assert_one_clean_error, clipcraft

_CAPABILITY_VERSION_3 = 0x20080522
_READ_ANYTHING = (1 << 1) | (1 << 2)
"""CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH: how root reads a file whatever its mode."""


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


@contextmanager
def _without_reading_anything() -> Iterator[None]:
    """This thread without root's way past file permissions (Linux); the permitted set keeps
    the capabilities, so they are put back after."""
    if sys.platform != "linux":
        yield
        return
    libc = ctypes.CDLL(None, use_errno=True)
    header, data = _CapHeader(_CAPABILITY_VERSION_3, 0), (_CapData * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    saved = data[0].effective
    data[0].effective = saved & ~_READ_ANYTHING
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")
    try:
        yield
    finally:
        data[0].effective = saved
        libc.capset(ctypes.byref(header), data)


@contextmanager
def unreadable(path: Path) -> Iterator[Path]:
    """`path` (a file or a folder) that this thread really cannot read, even as root."""
    mode = path.stat().st_mode
    path.chmod(0)
    try:
        with _without_reading_anything():
            with pytest.raises(PermissionError):  # else the test would not test what it says
                os.listdir(path) if path.is_dir() else path.open("rb").close()
            yield path
    finally:
        path.chmod(mode)


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _written(path: Path) -> Path:
    path.write_bytes(b"something to read\n")
    return path


PROBLEMS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "folder": (_folder, "is a folder"),
    "empty": (_empty, "is empty"),
    "unreadable": (_written, "cannot be read"),
}

NAMED = {
    "recipe": ("--recipe", "week.toml"),
    "preset": ("--preset", "team.toml"),
    "captions": ("--captions", "words.srt"),
    "sound": ("--sfx", "splat.wav"),
    "music": ("--music", "song.mp3"),
    "font": ("--font", "face.ttf"),
}


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    """A footage photo: `make` reads every named file after probing it (Pillow, no ffmpeg)."""
    path = tmp_path / "dish.jpg"
    Image.new("RGB", (180, 320), (200, 120, 40)).save(path)
    return path


@pytest.mark.parametrize("problem", list(PROBLEMS))
@pytest.mark.parametrize("named", list(NAMED))
def test_a_named_file_that_cannot_be_used_is_one_line(
    photo: Path, tmp_path: Path, named: str, problem: str
) -> None:
    flag, name = NAMED[named]
    make, words = PROBLEMS[problem]
    path = make(tmp_path / name)
    command = ("make", photo, flag, path, "--dry-run", "-o", tmp_path / "o.mp4")
    if problem == "unreadable":
        with unreadable(path):
            result = clipcraft(*command)
    else:
        result = clipcraft(*command)
    assert_one_clean_error(result, 2, str(path), words)
    assert " — " in result.stderr, "and a hint on what to do"


@pytest.mark.parametrize("where", ["footage", "after"])
def test_unreadable_footage_is_one_line(photo: Path, tmp_path: Path, where: str) -> None:
    """Footage and afters keep their own words for a folder (use batch) and an empty file
    (exit 1: copy it again); one that cannot be read is named like any other file."""
    path = _written(tmp_path / "locked.jpg")
    footage, after = (path, photo) if where == "footage" else (photo, path)
    with unreadable(path):
        result = clipcraft("make", footage, "--after", after, "--dry-run", "-o", tmp_path / "o.mp4")
    assert_one_clean_error(result, 2, str(path), "cannot be read")


@pytest.mark.parametrize("problem", list(PROBLEMS))
def test_sounds_add_of_a_file_that_cannot_be_used_is_one_line(tmp_path: Path, problem: str) -> None:
    make, words = PROBLEMS[problem]
    path = make(tmp_path / "oops.wav")
    if problem == "unreadable":
        with unreadable(path):
            result = clipcraft("sounds", "add", path)
    else:
        result = clipcraft("sounds", "add", path)
    assert_one_clean_error(result, 2, str(path), words)
    assert not any(Path(os.environ["CLIPCRAFT_SOUNDS"]).iterdir()), "nothing was added"


@pytest.mark.media
def test_sounds_add_of_a_file_with_no_sound_is_a_users_mistake(tmp_path: Path) -> None:
    """A text file named like a sound: the user chose it, so exit 2, and nothing is added."""
    path = _written(tmp_path / "notes.wav")
    result = clipcraft("sounds", "add", path)
    assert_one_clean_error(result, 2, str(path), "no sound that can be read")
    assert not any(Path(os.environ["CLIPCRAFT_SOUNDS"]).iterdir())


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_written, "is not a folder"),
        (_folder, "is empty"),
        (lambda path: _written(_folder(path) / "model.bin").parent, "cannot be read"),
    ],
    ids=["a file", "empty", "unreadable"],
)
def test_a_speech_model_folder_that_cannot_be_used_is_named(
    tmp_path: Path, make: Callable[[Path], Path], words: str
) -> None:
    """Checked before any engine is looked for: a wrong folder is the user's to mend first."""
    path = make(tmp_path / "whisper-base")
    if words == "cannot be read":
        with unreadable(path), pytest.raises(UsageError) as error:
            find_engine(str(path), "en")
    else:
        with pytest.raises(UsageError) as error:
            find_engine(str(path), "en")
    assert str(path) in str(error.value) and words in str(error.value)
