"""The bundled ffmpeg binary and the processes we start from it.

Every process is started from an argument list (never a shell string) and owned by a context
manager that kills it on any exit path, so an error or Ctrl-C never leaves ffmpeg running.
Its stderr goes to a temporary file rather than a pipe, so a chatty decoder can never block
on a full pipe, and the text is still there for the error message.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import IO

import imageio_ffmpeg
import numpy as np

from clipcraft.errors import RenderError

PREVIEW_DECODING = ["-skip_loop_filter", "all", "-flags2", "fast"]
"""Decoding for a preview, or for a look at motion, skips deblocking. Skipping the frames no
other frame refers to as well (`-skip_frame noref`) halved an iPhone HEVC decode but showed a
change up to two frames late: that costs meaning (is the effect on the crash?), not polish."""

EFFECT_STEREO = "pan=stereo|FL=FL+FC|FR=FR+FC"
"""An effect's sound as two channels at its own level: `-ac 2` would spread a mono file
over both at -3 dB, so a mono recording would mix quieter than the level it was set to."""


@cache
def ffmpeg_exe() -> str:
    """Path of the ffmpeg that ships in the imageio-ffmpeg wheel."""
    return imageio_ffmpeg.get_ffmpeg_exe()


def ffmpeg_command(*args: str) -> list[str]:
    """A full ffmpeg argument list with our quiet, non-interactive defaults."""
    return [ffmpeg_exe(), "-hide_banner", "-nostdin", *args]


@dataclass
class FfmpegProcess:
    """A running ffmpeg and the file its stderr is written to."""

    popen: subprocess.Popen[bytes]
    stderr_file: IO[bytes]

    def stderr_text(self) -> str:
        self.stderr_file.seek(0)
        return self.stderr_file.read().decode(errors="replace")

    def check(self, what: str) -> None:
        """Wait for the end and raise a RenderError naming ffmpeg's complaint if it failed."""
        if self.popen.wait() != 0:
            raise RenderError(f"ffmpeg failed while {what}: {last_error_line(self.stderr_text())}")


PIPE_BYTES = 1 << 20
"""1 MiB, the most Linux gives a pipe of a process that is not privileged."""


def widen_pipe(stream: IO[bytes]) -> None:
    """Let one write or read of frames move a megabyte instead of Linux's default 64 KiB.

    A 1080×1920 frame is 3 MB: through 64-KiB pipes each frame took about fifty wake-ups of
    the process on each side, and the CPU they cost came out of the encoder's share
    (bench/README.md). Only the pipes that carry frames are widened, and a decoder's is closed
    with its last frame: Linux allows a user 64 MiB of pipes in all, past which every new
    pipe of theirs, in any program, gets a few kilobytes. Elsewhere, or where the limit is
    lower, the pipe keeps its size.
    """
    if sys.platform == "linux":
        import fcntl

        with contextlib.suppress(OSError):
            fcntl.fcntl(stream.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


@contextmanager
def ffmpeg_process(
    args: Sequence[str],
    *,
    stdin: int | None = subprocess.DEVNULL,
    stdout: int | None = subprocess.DEVNULL,
) -> Iterator[FfmpegProcess]:
    """Start ffmpeg; on leaving the block, make sure it has ended (killed if still running)."""
    with tempfile.TemporaryFile() as stderr_file:
        popen = subprocess.Popen(list(args), stdin=stdin, stdout=stdout, stderr=stderr_file)
        try:
            yield FfmpegProcess(popen, stderr_file)
        finally:
            if popen.poll() is None:
                popen.kill()
            for stream in (popen.stdin, popen.stdout):
                if stream is not None:
                    # a broken pipe on close must not hide the real error
                    with contextlib.suppress(OSError):
                        stream.close()
            popen.wait()


def run_ffmpeg(args: Sequence[str], what: str) -> bytes:
    """Run ffmpeg to completion and return its stdout; on failure raise a RenderError."""
    with ffmpeg_process(args, stdout=subprocess.PIPE) as run:
        assert run.popen.stdout is not None
        output = run.popen.stdout.read()
        run.check(what)
    return output


def read_mono(
    path: str, rate: int, start: float | None = None, length: float | None = None
) -> np.ndarray:
    """The file's sound (all of it, or `length` seconds from `start`) as mono floats."""
    window = (
        [] if start is None or length is None else ["-ss", f"{start:.3f}", "-t", f"{length:.3f}"]
    )
    command = ffmpeg_command(
        "-loglevel", "error", *window, "-i", path,
        "-map", "0:a:0", "-ac", "1", "-ar", str(rate), "-f", "f32le", "pipe:1",
    )  # fmt: skip
    return np.frombuffer(run_ffmpeg(command, f"reading the sound of {path}"), np.float32)


def ffmpeg_banner(path: str) -> str:
    """What `ffmpeg -i FILE` says about a file: our stand-in for the missing ffprobe."""
    with ffmpeg_process(ffmpeg_command("-i", path)) as run:
        run.popen.wait()
        return run.stderr_text()


@cache
def decodable_codecs() -> frozenset[str]:
    """Names of the codecs this ffmpeg build can decode, from `ffmpeg -codecs`."""
    listing = run_ffmpeg(ffmpeg_command("-codecs"), "listing its codecs").decode()
    return frozenset(
        fields[1]
        for fields in (line.split() for line in listing.splitlines())
        if len(fields) > 1 and len(fields[0]) == 6 and fields[0][0] == "D"
    )


def last_error_line(stderr: str) -> str:
    """The most telling line of ffmpeg's stderr, for an error message."""
    lines = [line.strip() for line in stderr.splitlines()]
    lines = [line for line in lines if line and not line.startswith("Conversion failed")]
    return lines[-1] if lines else "no message"
