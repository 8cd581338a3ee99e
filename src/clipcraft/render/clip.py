"""Carrying out a Plan: the only place that opens, composes, encodes and closes media.

ffmpeg decodes each segment already upright, cropped and scaled, as yuv420p (see
argv.py); moviepy holds the output timeline, whose frames are composed here from the
segments, the transitions and the captions; a second ffmpeg encodes the frames it is fed.
The sound track is mixed and levelled in a thread meanwhile, and joined to the picture at the
end. Nothing here decides what the clip looks like: the Plan did.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import IO, TYPE_CHECKING

import cv2
import numpy as np

from clipcraft.errors import RenderError
from clipcraft.media.ffmpeg import FfmpegProcess, ffmpeg_process, run_ffmpeg, widen_pipe
from clipcraft.media.outputs import atomic_output
from clipcraft.media.probe import open_photo
from clipcraft.planning.plan import OutputFormat, Plan, Segment
from clipcraft.planning.punch import View
from clipcraft.render.argv import (
    cover_command,
    encode_command,
    mux_command,
    photo_reframe_command,
    still_decode_command,
    video_decode_command,
)
from clipcraft.render.captions import CaptionLayer
from clipcraft.render.frames import black, flash, frame_shape, from_planes, mix, planes, stack
from clipcraft.render.loudness import encode_sound
from clipcraft.render.mix import write_mix

if TYPE_CHECKING:
    from moviepy import VideoClip

Progress = Callable[[int, int], None]

SIDE_WORK_NICENESS = 10
"""How much the side work (sound, pictures needed later) yields to decoder, Python and x264."""


def _leave_cores_to_the_picture() -> None:
    """Lower this thread's priority, and so that of the ffmpeg runs it starts.

    The sound is needed only when the picture is done, a photo only at its first frame;
    at equal priority their work delayed the first frame (docs/design.md). Lowered, it fills
    what the picture pipeline leaves idle (bench/README.md). Linux keeps niceness per thread,
    so only this thread changes;
    elsewhere a thread id is not a process id, and nothing is done.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), SIDE_WORK_NICENESS)


class MovingFrames:
    """Frames of one moving segment read in order from an ffmpeg decoder.

    Composition asks for frames in time order; a request for an earlier frame (rare) starts
    the decoder again. Past the last decoded frame, the last one is held, so a source that
    ends a frame early still fills its segment.
    """

    def __init__(
        self, segment: Segment, fmt: OutputFormat, stack: ExitStack, size: tuple[int, int]
    ) -> None:
        self.segment, self.fmt, self.stack, self.size = segment, fmt, stack, size
        self.shape = frame_shape(*segment.reframe.target)
        self.decoder: FfmpegProcess | None = None
        self.next_index = 0
        self.last: np.ndarray | None = None

    def start(self) -> None:
        """Start (or restart) the decoder at the segment's first frame."""
        command = video_decode_command(self.segment, self.fmt)
        self.decoder = self.stack.enter_context(ffmpeg_process(command, stdout=subprocess.PIPE))
        assert self.decoder.popen.stdout is not None
        widen_pipe(self.decoder.popen.stdout)
        self.next_index = 0

    def frame(self, index: int) -> np.ndarray:
        index = min(index, self.segment.frames - 1)
        if self.decoder is None or index < self.next_index - 1:
            self.start()
        while self.next_index <= index:
            self._read_one()
        assert self.last is not None
        if self.segment.views:  # pushed in: decoded larger, shown in part
            return viewed(list(planes(self.last)), self.size, self.segment.views[index])
        return self.last

    def _read_one(self) -> None:
        assert self.decoder is not None and self.decoder.popen.stdout is not None
        size = self.shape[0] * self.shape[1]
        data = self.decoder.popen.stdout.read(size)
        if len(data) == size:
            self.last = np.frombuffer(data, np.uint8).reshape(self.shape)
        elif self.last is None:
            self.decoder.check(f"reading {self.segment.source}")
            raise RenderError(f"{self.segment.source}: no picture could be decoded in the window")
        self.next_index += 1
        if self.next_index == self.segment.frames:
            self.decoder.popen.stdout.close()  # its pipe is given back (ffmpeg.widen_pipe)


class StillFrames:
    """One picture, decoded once at its deepest zoom's size, zoomed smoothly over the frames
    (by its zoom, centred, or as its views say)."""

    def __init__(
        self, segment: Segment, size: tuple[int, int], picture: Future[np.ndarray]
    ) -> None:
        self.segment, self.size, self.picture = segment, size, picture
        self.planes: list[np.ndarray] = []
        self.held: np.ndarray | None = None

    def frame(self, index: int) -> np.ndarray:
        if not self.planes:
            self.planes = [np.ascontiguousarray(p) for p in planes(self.picture.result())]
        first, last = self.segment.zoom
        if first == last and self.held is not None:
            return self.held
        if self.segment.views:
            view = self.segment.views[index]
        else:
            view = View(first + (last - first) * index / max(self.segment.frames - 1, 1), 0.5, 0.5)
        frame = viewed(self.planes, self.size, view)
        if first == last:
            self.held = frame
        return frame


def viewed(picture: list[np.ndarray], size: tuple[int, int], view: View) -> np.ndarray:
    """The `view` of a picture (its I420 planes) at `size`, as a read-only I420 frame.

    The part of the picture 1/scale as wide, centred on the view's middle, fills `size`.
    OpenCV's affine warp samples it at fractional positions, so a push-in moves by sub-pixel
    steps with no jitter (a picture decoded at the deepest scale's size is 1:1 there); each
    plane is warped on its own, the chroma on its half grid.
    """
    frame = from_planes(
        *(
            _warp(plane, (size[0] // scale, size[1] // scale), view)
            for plane, scale in zip(picture, (1, 2, 2), strict=True)
        )
    )
    frame.setflags(write=False)
    return frame


def _warp(plane: np.ndarray, size: tuple[int, int], view: View) -> np.ndarray:
    (width, height), zoom = size, view.scale
    step = plane.shape[1] / zoom / width  # source pixels per output pixel
    left = plane.shape[1] * (view.x - 0.5 / zoom)
    top = plane.shape[0] * (view.y - 0.5 / zoom)
    to_source = np.array(
        [[step, 0, left + 0.5 * step - 0.5], [0, step, top + 0.5 * step - 0.5]], np.float32
    )
    return cv2.warpAffine(
        plane,
        to_source,
        (width, height),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_REPLICATE,
    )


def decode_still(segment: Segment, fmt: OutputFormat) -> np.ndarray:
    """The segment's picture, upright and reframed to its target size, as an I420 frame."""
    shape = frame_shape(*segment.reframe.target)
    size = shape[0] * shape[1]
    if segment.shows == "photo":
        photo = open_photo(Path(segment.source))
        command = photo_reframe_command(segment, fmt, photo.size)
        data = _run_feeding(command, photo.tobytes(), segment.source)
    else:
        data = _run_feeding(still_decode_command(segment, fmt), None, segment.source)
        if len(data) < size:  # a time inside the last frame's span: take the frame shown there
            command = still_decode_command(segment, fmt, shown_before=True)
            data = _run_feeding(command, None, segment.source)[-size:]
    if len(data) < size:
        raise RenderError(
            f"{segment.source}: no picture could be decoded at {segment.source_start:.2f} s"
        )
    return np.frombuffer(data[:size], np.uint8).reshape(shape)


def _run_feeding(command: list[str], feed: bytes | None, source: str) -> bytes:
    """What `command` writes, with `feed` written to it meanwhile."""
    with ffmpeg_process(
        command, stdin=subprocess.PIPE if feed else subprocess.DEVNULL, stdout=subprocess.PIPE
    ) as run:
        assert run.popen.stdout is not None
        writer = None
        if feed is not None:
            assert run.popen.stdin is not None
            writer = threading.Thread(target=_write_all, args=(run.popen.stdin, feed))
            writer.start()
        data = run.popen.stdout.read()
        if writer is not None:
            writer.join()
        run.check(f"reading {source}")
    return data


def _write_all(stream: IO[bytes], data: bytes) -> None:
    with contextlib.suppress(BrokenPipeError):
        stream.write(data)
    with contextlib.suppress(BrokenPipeError):
        stream.close()


Frames = MovingFrames | StillFrames


class Timeline:
    """The output timeline: which segments show at each frame, and how they meet."""

    def __init__(self, plan: Plan, stack: ExitStack) -> None:
        fmt = plan.format
        self.fps = fmt.fps
        top = fmt.height // 2
        self.sizes = {
            "full": (fmt.width, fmt.height),
            "top": (fmt.width, top),
            "bottom": (fmt.width, fmt.height - top),
        }
        # pictures are decoded on the side while the first moving segment starts
        stills = stack.enter_context(
            ThreadPoolExecutor(
                1, thread_name_prefix="clipcraft still", initializer=_leave_cores_to_the_picture
            )
        )
        self.parts: list[tuple[Segment, Frames]] = [
            (
                segment,
                StillFrames(
                    segment, self.sizes[segment.region], stills.submit(decode_still, segment, fmt)
                )
                if segment.still
                else MovingFrames(segment, fmt, stack, self.sizes[segment.region]),
            )
            for segment in plan.segments
        ]
        # ffmpeg takes a while to open a video and decode its first frame (docs/design.md):
        # let the first one do that while the captions are drawn and the encoder starts
        first = next((frames for _, frames in self.parts if isinstance(frames, MovingFrames)), None)
        if first is not None:
            first.start()
        self.transitions = plan.transitions

    def frame_at(self, t: float) -> np.ndarray:
        index = round(t * self.fps)
        full = self._region("full", index)
        if full is not None:
            frame = full
        else:
            halves = [self._region(region, index) for region in ("top", "bottom")]
            frame = stack(
                *(
                    picture if picture is not None else black(*self.sizes[region])
                    for picture, region in zip(halves, ("top", "bottom"), strict=True)
                )
            )
        return self._flash(frame, index)

    def _region(self, region: str, index: int) -> np.ndarray | None:
        showing = [
            (segment, frames)
            for segment, frames in self.parts
            if segment.region == region and segment.start_frame <= index < segment.end_frame
        ]
        if not showing:
            return None
        pictures = [frames.frame(index - segment.start_frame) for segment, frames in showing]
        if len(showing) == 1:
            return pictures[0]
        incoming = showing[-1][0]
        transition = next((t for t in self.transitions if t.overlap), None)
        if transition is None:
            return pictures[-1]
        progress = min((index - incoming.start_frame + 0.5) / transition.overlap, 1.0)
        return mix(transition.kind, pictures[0], pictures[-1], progress)

    def _flash(self, frame: np.ndarray, index: int) -> np.ndarray:
        for transition in self.transitions:
            if transition.kind != "flash":
                continue
            weight = 1.0 - abs(index + 0.5 - transition.at_frame) / (transition.frames / 2)
            if weight > 0:
                return flash(frame, weight)
        return frame


def compose(timeline: Timeline, captions: CaptionLayer | None, duration: float) -> VideoClip:
    """The output timeline as one moviepy clip, captions laid over it.

    moviepy (60 ms to import) is imported here, not above, so that the first decoder is
    already opening its file (as long again) while it loads.
    """
    from moviepy import VideoClip

    clip = VideoClip(timeline.frame_at, duration=duration)
    return clip.transform(captions.apply) if captions is not None else clip


class SoundTrack(threading.Thread):
    """Mixes and levels the clip's sound while the picture is being encoded."""

    def __init__(self, plan: Plan, work: Path) -> None:
        super().__init__(name="clipcraft sound", daemon=True)
        self.plan, self.work = plan, work
        self.track: Path | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        _leave_cores_to_the_picture()
        try:
            mix_path = self.work / "mix.wav"
            write_mix(self.plan, mix_path)
            fmt = self.plan.format
            samples = fmt.samples_for(self.plan.total_frames)
            self.track = encode_sound(mix_path, self.plan.sound, fmt, samples, self.work)
        except BaseException as error:  # handed to the main thread by result()
            self.error = error

    def result(self) -> Path:
        self.join()
        if self.error is not None:
            raise self.error
        assert self.track is not None
        return self.track


class Cover:
    """The cover: the output's frame at the moment with its captions drawn whole.

    Taken as the frame is composed, before x264 (no second decode, no compression twice);
    the captions showing there are drawn as they look once in, so a cover never catches one
    popping in or halfway through its words (docs/contract.md, Default output path).
    """

    def __init__(self, plan: Plan, timeline: Timeline, captions: CaptionLayer | None) -> None:
        self.index = min(round(plan.moment * plan.format.fps), plan.total_frames - 1)
        self.timeline, self.captions, self.fps = timeline, captions, plan.format.fps
        self.frame: np.ndarray | None = None

    def take(self, index: int) -> None:
        """Keep frame `index` if it is the cover's. Asking the timeline again gives the
        picture without captions: a segment's frames are read-only (a caption is blended
        into a copy) and the frames of transitions, flashes and split screens are made anew."""
        if index == self.index:
            picture = self.timeline.frame_at(index / self.fps)
            self.frame = (
                self.captions.over(picture, index, settled=True) if self.captions else picture
            )

    def write(self, path: Path) -> None:
        assert self.frame is not None
        width, height = self.frame.shape[1], self.frame.shape[0] * 2 // 3
        data = np.ascontiguousarray(self.frame).tobytes()
        _run_feeding(cover_command(width, height, str(path)), data, "the cover")


def render(plan: Plan, on_progress: Progress | None = None) -> None:
    """Write the clip the plan describes, atomically, at `plan.output`."""
    fmt = plan.format
    with (
        atomic_output(Path(plan.output)) as temporary,
        # the work files live beside the clip (same disk) and go with it on every exit path
        tempfile.TemporaryDirectory(prefix=".clipcraft-", dir=Path(plan.output).parent) as folder,
        ExitStack() as stack,
    ):
        work = Path(folder)
        sound = SoundTrack(plan, work)
        sound.start()
        try:
            picture = work / "picture.mp4"
            timeline = Timeline(plan, stack)
            captions = CaptionLayer(plan) if plan.captions else None
            cover = Cover(plan, timeline, captions) if plan.cover else None
            with ffmpeg_process(
                encode_command(fmt, str(picture)), stdin=subprocess.PIPE
            ) as encoder:
                assert encoder.popen.stdin is not None
                widen_pipe(encoder.popen.stdin)
                clip = compose(timeline, captions, plan.duration)
                _feed(encoder, clip, plan.total_frames, fmt.fps, on_progress, cover)
                encoder.check("encoding the clip")
            track = sound.result()
        finally:
            sound.join()  # its ffmpeg runs end before the folder and the clip are cleaned up
        run_ffmpeg(
            mux_command(str(picture), str(track), str(temporary)), "joining picture and sound"
        )
        if plan.cover and cover is not None:
            with atomic_output(Path(plan.cover)) as cover_path:
                cover.write(cover_path)


def _feed(
    encoder: FfmpegProcess,
    clip: VideoClip,
    frames: int,
    fps: int,
    on_progress: Progress | None,
    cover: Cover | None,
) -> None:
    assert encoder.popen.stdin is not None
    try:
        for index in range(frames):
            frame = clip.get_frame(index / fps)
            encoder.popen.stdin.write(np.ascontiguousarray(frame).data)
            if cover is not None:
                cover.take(index)
            if on_progress:
                on_progress(index + 1, frames)
        encoder.popen.stdin.close()
    except BrokenPipeError:
        encoder.check("encoding the clip")
        raise
