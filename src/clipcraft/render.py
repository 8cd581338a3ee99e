"""Carrying out a Plan: the only place that opens, composes, encodes and closes media.

ffmpeg decodes each segment already upright, cropped and scaled (see commands.py); moviepy
composes the segments on the output timeline; a second ffmpeg encodes the frames it is fed
and muxes the mixed sound. Nothing here decides what the clip looks like: the Plan did.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import numpy as np
from moviepy import VideoClip, concatenate_videoclips
from PIL import Image

from clipcraft.audio import write_mix
from clipcraft.commands import encode_command, video_decode_command
from clipcraft.errors import RenderError
from clipcraft.ffmpeg import FfmpegProcess, ffmpeg_process
from clipcraft.loudness import encode_sound
from clipcraft.outputs import atomic_output
from clipcraft.overlay import Sprite, blend, entrance
from clipcraft.plan import OutputFormat, Plan, Segment
from clipcraft.styles import STYLES
from clipcraft.text import render_caption

Progress = Callable[[int, int], None]


class SegmentFrames:
    """Frames of one segment read in order from an ffmpeg decoder.

    Composition asks for frames in time order; a request for an earlier frame (rare) starts
    the decoder again. Past the last decoded frame, the last one is held, so a source that
    ends a frame early still fills its segment.
    """

    def __init__(self, segment: Segment, fmt: OutputFormat, stack: ExitStack) -> None:
        self.segment, self.fmt, self.stack = segment, fmt, stack
        self.frame_bytes = fmt.width * fmt.height * 3
        self.decoder: FfmpegProcess | None = None
        self.next_index = 0
        self.last: np.ndarray | None = None

    def frame_at(self, t: float) -> np.ndarray:
        last = 0 if self.segment.card else self.segment.frames - 1  # a card holds one still
        index = min(round(t * self.fmt.fps), last)
        if self.decoder is None or index < self.next_index - 1:
            self._start()
        while self.next_index <= index:
            self._read_one()
        assert self.last is not None
        return self.last

    def as_clip(self) -> VideoClip:
        return VideoClip(self.frame_at, duration=self.segment.frames / self.fmt.fps)

    def _start(self) -> None:
        command = video_decode_command(self.segment, self.fmt)
        self.decoder = self.stack.enter_context(ffmpeg_process(command, stdout=subprocess.PIPE))
        self.next_index = 0

    def _read_one(self) -> None:
        assert self.decoder is not None and self.decoder.popen.stdout is not None
        data = self.decoder.popen.stdout.read(self.frame_bytes)
        if len(data) == self.frame_bytes:
            shape = (self.fmt.height, self.fmt.width, 3)
            self.last = np.frombuffer(data, dtype=np.uint8).reshape(shape)
        elif self.last is None:
            self.decoder.check(f"reading {self.segment.source}")
            raise RenderError(f"{self.segment.source}: no picture could be decoded in the window")
        self.next_index += 1


class CaptionLayer:
    """The plan's captions, each drawn once, laid over the frames where they show."""

    def __init__(self, plan: Plan) -> None:
        self.fps = plan.format.fps
        self.captions = plan.captions
        self.images = [render_caption(c.layout, STYLES[c.style]) for c in plan.captions]
        self.sprites = [Sprite.from_image(image) for image in self.images]
        self.scaled: dict[tuple[int, int], Sprite] = {}

    def apply(self, get_frame: Callable[[float], np.ndarray], t: float) -> np.ndarray:
        frame = get_frame(t)
        index = round(t * self.fps)
        for number, caption in enumerate(self.captions):
            if caption.start_frame <= index < caption.end_frame:
                seconds_in = (index - caption.start_frame) / self.fps
                scale, opacity = entrance(caption.animation, seconds_in)
                sprite, x, y = self._sized(number, scale)
                frame = blend(frame, sprite, x, y, opacity)
        return frame

    def _sized(self, number: int, scale: float) -> tuple[Sprite, int, int]:
        """The caption at `scale` of its size, kept centred where the full-size one sits."""
        caption, image = self.captions[number], self.images[number]
        if scale == 1.0:
            return self.sprites[number], caption.x, caption.y
        width = max(1, round(image.width * scale))
        height = max(1, round(image.height * scale))
        key = (number, width)
        if key not in self.scaled:
            resized = image.convert("RGBa").resize((width, height), Image.Resampling.BICUBIC)
            self.scaled[key] = Sprite.from_image(resized.convert("RGBA"))
        x = caption.x + (image.width - width) // 2
        y = caption.y + (image.height - height) // 2
        return self.scaled[key], x, y


def compose(plan: Plan, stack: ExitStack) -> VideoClip:
    """The output timeline as one moviepy clip: the segments in turn, captions over them."""
    clips = [SegmentFrames(segment, plan.format, stack).as_clip() for segment in plan.segments]
    timeline = clips[0] if len(clips) == 1 else concatenate_videoclips(clips)
    if plan.captions:
        timeline = timeline.transform(CaptionLayer(plan).apply)
    return timeline


def render(plan: Plan, on_progress: Progress | None = None) -> None:
    """Write the clip the plan describes, atomically, at `plan.output`."""
    fmt = plan.format
    with (
        atomic_output(Path(plan.output)) as temporary,
        tempfile.TemporaryDirectory(prefix="clipcraft-") as work,
        ExitStack() as stack,
    ):
        mix_path = Path(work) / "mix.wav"
        write_mix(plan, mix_path)
        sound_track = encode_sound(mix_path, plan.sound, fmt, Path(work))
        clip = compose(plan, stack)
        command = encode_command(fmt, str(sound_track), str(temporary))
        with ffmpeg_process(command, stdin=subprocess.PIPE) as encoder:
            _feed(encoder, clip, plan.total_frames, fmt.fps, on_progress)
            encoder.check("encoding the clip")


def _feed(
    encoder: FfmpegProcess, clip: VideoClip, frames: int, fps: int, on_progress: Progress | None
) -> None:
    assert encoder.popen.stdin is not None
    try:
        for index in range(frames):
            frame = clip.get_frame(index / fps)
            if frame.dtype != np.uint8:
                frame = np.clip(frame, 0, 255).astype(np.uint8)
            encoder.popen.stdin.write(np.ascontiguousarray(frame).data)
            if on_progress:
                on_progress(index + 1, frames)
        encoder.popen.stdin.close()
    except BrokenPipeError:
        encoder.check("encoding the clip")
        raise
