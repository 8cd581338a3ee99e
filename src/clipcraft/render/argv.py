"""The ffmpeg argument lists that decode sources and encode the clip (pure, tested exactly).

ffmpeg does the heavy per-pixel work before frames reach Python, smallest first: seeking,
dropping to the output frame rate, cropping and scaling the picture as stored, then turning
phone footage upright and mapping HDR to SDR at the output size. Python then only composes at
the final size.
"""

from __future__ import annotations

import math
from dataclasses import replace

from clipcraft.media.ffmpeg import EFFECT_STEREO, PREVIEW_DECODING, ffmpeg_command
from clipcraft.planning.plan import OutputFormat, Segment
from clipcraft.planning.reframe import reframe_filter

HDR_TO_SDR = (
    "zscale=t=linear:npl=100:p=bt709,format=gbrpf32le,"
    "tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,format=yuv420p"
)
"""Phone HDR (HLG or PQ, 10-bit BT.2020) mapped to BT.709 SDR so it does not look washed out.
Linear light and BT.709 primaries in one zscale pass: a pass over float RGB frames fewer."""

BT709_TAGS = "setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv"
"""Say what the pixels are, so players do not guess (and guess wrong) the colours."""

FRAME_PIXEL_FORMAT = "yuv420p"
TO_BT709 = "scale=out_color_matrix=bt709:out_range=tv"
"""Whatever the source (BT.601, full-range JPEG-style video), frames leave as BT.709 TV range."""
AUDIO_SAMPLE_FORMAT = "f32le"


def _input(segment: Segment) -> list[str]:
    """The source as stored when the reframe turns it upright itself (after shrinking it)."""
    keep_stored = ["-noautorotate"] if segment.reframe.stored.turn else []
    return [*keep_stored, "-i", segment.source]


def _window(segment: Segment) -> list[str]:
    length = segment.source_end - segment.source_start
    return ["-ss", f"{segment.source_start:.3f}", "-t", f"{length:.3f}", *_input(segment)]


def _decoding(fmt: OutputFormat) -> list[str]:
    """Decoder threads and, for a preview, shortcuts.

    The decoder and x264 each get all the clip's cores. With half of them, one decoder thread
    was the slowest step of a 4K clip, and 1080p gained nothing from it (figures in
    docs/design.md).
    """
    threads = ["-threads", str(max(1, fmt.threads))]
    shortcuts = PREVIEW_DECODING if fmt.shortcuts else []
    return [*threads, *shortcuts]


def _picture_steps(segment: Segment, fmt: OutputFormat) -> list[str]:
    """Reframed (HDR to SDR once small and upright) → card look → BT.709 yuv420p (rate steps
    come first). Tone mapping works in 32-bit float RGB: on a 4K picture it cost more than
    decoding it."""
    scaler = "bilinear" if fmt.shortcuts else "bicubic"
    tone_mapped = [HDR_TO_SDR] if segment.hdr_to_sdr else []
    clock = (segment.source_start, segment.speed)
    steps = [reframe_filter(segment.reframe, scaler, upright=tone_mapped, clock=clock)]
    if segment.card is not None:
        card = segment.card
        steps.append(
            f"gblur=sigma={card.blur:g},"
            f"eq=brightness={card.brightness:g}:saturation={card.saturation:g}"
        )
    steps += [TO_BT709, f"format={FRAME_PIXEL_FORMAT}"]
    return steps


def _raw_frames_out() -> list[str]:
    return ["-f", "rawvideo", "-pix_fmt", FRAME_PIXEL_FORMAT, "pipe:1"]


def video_decode_command(segment: Segment, fmt: OutputFormat) -> list[str]:
    """yuv420p frames of a moving segment, upright, at the output rate, at its reframed size.

    Slow motion stretches the timestamps before the rate is set, so a 60-fps source gives
    real in-between frames and a 30-fps one shows each frame twice. A sped-up part blends
    (see rate_steps).
    """
    rate, settle = rate_steps(segment.speed, fmt.fps)
    steps = [*rate, *_picture_steps(segment, fmt), *settle]
    return ffmpeg_command(
        "-loglevel", "error",
        *_decoding(fmt),
        *_window(segment),
        "-map", "0:v:0",
        "-vf", ",".join(steps),
        "-frames:v", str(segment.frames),
        *_raw_frames_out(),
    )  # fmt: skip


MOST_BLENDED = 4
"""A sped-up frame is the mean of at most this many frames: already a smooth blur at 4x, and
beyond it the cost (frames times blends) grows while the look does not change."""


def rate_steps(speed: float, fps: int) -> tuple[list[str], list[str]]:
    """Filters that play footage at `speed` and the output rate: those before the picture
    steps and those after. Sped up, each output frame is the mean of evenly chosen frames of
    the time it covers (a long shutter's blur), never a frame dropped here and there: no
    stutter. The mean is taken after the picture steps: `tmix` drops the frames' transfer
    and primaries, which the HDR tone map needs."""
    if speed == 1.0:
        return [f"fps={fps}"], []
    faster = [f"setpts=PTS/{speed:g}"]
    blended = min(math.ceil(speed), MOST_BLENDED)
    if blended == 1:
        return [*faster, f"fps={fps}"], []
    return [*faster, f"fps={fps * blended}"], [f"tmix=frames={blended}", f"fps={fps}"]


STILL_LOOKBACK = 0.5
"""How far before a still's time to look for the last frame shown there (see below)."""


def still_decode_command(
    segment: Segment, fmt: OutputFormat, *, shown_before: bool = False
) -> list[str]:
    """The one frame of a video at `source_start`, upright and reframed, as raw yuv420p.

    A seek keeps the first frame that starts at or after the time, so a time inside the last
    frame's display span (a file's duration counts it) finds none. With `shown_before`, every
    frame of the half second up to the time comes out instead; the last is the one shown."""
    at = segment.source_start
    start = max(at - STILL_LOOKBACK, 0.0) if shown_before else at
    window = ["-t", f"{at - start + 0.001:.3f}"] if shown_before else []
    # a follow crop reads its path from where decoding starts
    decoded = replace(segment, source_start=start)
    return ffmpeg_command(
        "-loglevel", "error",
        "-ss", f"{start:.3f}", *window, *_input(segment),
        "-map", "0:v:0",
        "-vf", ",".join(_picture_steps(decoded, fmt)),
        *([] if shown_before else ["-frames:v", "1"]),
        *_raw_frames_out(),
    )  # fmt: skip


def photo_reframe_command(segment: Segment, fmt: OutputFormat, size: tuple[int, int]) -> list[str]:
    """A decoded photo (raw RGB of `size` on stdin) reframed like footage, as raw yuv420p."""
    return ffmpeg_command(
        "-loglevel", "error",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{size[0]}x{size[1]}", "-i", "pipe:0",
        "-vf", ",".join(_picture_steps(segment, fmt)),
        "-frames:v", "1",
        *_raw_frames_out(),
    )  # fmt: skip


def audio_decode_command(segment: Segment, fmt: OutputFormat) -> list[str]:
    """Float stereo samples of `segment` at the output rate on stdout, aligned to its start.

    `aresample=async=1:first_pts=0` pads with silence when the audio track starts later than
    the picture, which keeps sound and picture in sync after the seek.
    """
    return ffmpeg_command(
        "-loglevel", "error",
        *_window(segment),
        "-map", "0:a:0",
        "-af", f"aresample={fmt.audio_rate}:async=1:first_pts=0",
        "-ac", "2", "-ar", str(fmt.audio_rate),
        "-f", AUDIO_SAMPLE_FORMAT, "pipe:1",
    )  # fmt: skip


def music_decode_command(path: str, start: float, seconds: float, rate: int) -> list[str]:
    """`seconds` of a music track from `start` → float stereo samples at `rate` on stdout."""
    return ffmpeg_command(
        "-loglevel", "error", "-ss", f"{start:.3f}", "-t", f"{seconds:.3f}", "-i", path,
        "-map", "0:a:0", "-af", EFFECT_STEREO, "-ar", str(rate),
        "-f", AUDIO_SAMPLE_FORMAT, "pipe:1",
    )  # fmt: skip


def effect_decode_command(path: str, rate: int) -> list[str]:
    """Any sound file → 16-bit stereo WAV at `rate` on stdout (so pydub never needs ffprobe)."""
    return ffmpeg_command(
        "-loglevel", "error", "-i", path, "-map", "0:a:0", "-af", EFFECT_STEREO,
        "-ar", str(rate), "-c:a", "pcm_s16le", "-f", "wav", "pipe:1",
    )  # fmt: skip


def aac_encode_command(
    source: str, out: str, gain_db: float, fmt: OutputFormat, samples: int
) -> list[str]:
    """The mix raised by `gain_db` → the clip's AAC-LC stereo track, exactly `samples` long.

    Padded with silence or cut to the sample, whatever the passes before did to its length,
    so that the track ends with the picture and the join needs no `-shortest`. The encoder's
    priming is written as an edit list, so players start sound and picture together.
    """
    exact = f"apad=whole_len={samples},atrim=end_sample={samples}"
    return ffmpeg_command(
        "-loglevel", "error", "-y", "-i", source,
        "-af", f"volume={gain_db:.2f}dB,aresample={fmt.audio_rate},{exact}",
        "-c:a", "aac", "-aac_coder", fmt.aac_coder, "-b:a", fmt.audio_bitrate,
        "-ar", str(fmt.audio_rate), "-ac", "2",
        "-f", "mp4", out,
    )  # fmt: skip


X264_PARAMS = "8x8dct=1:sync-lookahead=0"
"""ultrafast turns the 8x8 transform off and with it High profile: kept on, drafts are High
profile too, at no measurable cost. The look-ahead runs in step with the encoder rather than
in a thread of its own, whose frame-type decisions depended on how many frames it happened to
have buffered: with it, frame-threaded encodes of the same frames differed from run to run
(figures in docs/design.md)."""


X264_FRAME_THREADS_MAX = 16
"""Past this, frames in flight add memory and delay, not speed: each waits on the rows of the
one before it (x264's own choice is 1.5 a core; a count given is only held under 128)."""


def _encoding_threads(fmt: OutputFormat) -> list[str]:
    """x264's frame threads, three for each of the clip's cores, its look-ahead split over them.

    The decoder and Python take part of the cores, so x264 needs frames in flight to fill
    what they leave: three a core did better than two (bench/README.md). A preview is the
    exception: threading an ultrafast 540×960 encode costs more than it gains (0.38 against
    0.47 CPU-seconds for the reference job).
    """
    if fmt.shortcuts:
        return ["-threads", "1", "-x264-params", X264_PARAMS]
    if not fmt.threads:
        return ["-x264-params", X264_PARAMS]
    look_ahead = f"{X264_PARAMS}:lookahead-threads={fmt.threads}"
    frame_threads = min(3 * fmt.threads, X264_FRAME_THREADS_MAX)
    return ["-threads", str(frame_threads), "-x264-params", look_ahead]


def encode_command(fmt: OutputFormat, output_path: str) -> list[str]:
    """yuv420p frames on stdin → the H.264 stream (docs/contract.md, Output), no sound yet."""
    return ffmpeg_command(
        "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", FRAME_PIXEL_FORMAT,
        "-s", f"{fmt.width}x{fmt.height}", "-framerate", str(fmt.fps), "-i", "pipe:0",
        "-map", "0:v:0",
        "-vf", BT709_TAGS,
        "-c:v", "libx264", "-preset", fmt.x264_preset, "-crf", str(fmt.crf),
        "-profile:v", "high", *_encoding_threads(fmt), "-pix_fmt", "yuv420p",
        "-f", "mp4", output_path,
    )  # fmt: skip


def mux_command(video_path: str, sound_track: str, output_path: str) -> list[str]:
    """The encoded picture and the finished AAC track into one MP4, its index at the front.

    Both are already exactly the plan's length, so every packet of each is copied. No
    `-shortest`: with stream copy it cuts where one stream's packets overtake the other's in
    decode order, which with B-frames is not the display order, and which depends on how
    ffmpeg's threads happen to run — under load it dropped a frame in about one render in
    seven.
    """
    return ffmpeg_command(
        "-loglevel", "error", "-y", "-i", video_path, "-i", sound_track,
        "-map", "0:v:0", "-map", "1:a:0", "-c", "copy",
        "-movflags", "+faststart", "-f", "mp4", output_path,
    )  # fmt: skip


def cover_command(width: int, height: int, out: str) -> list[str]:
    """One yuv420p frame on stdin → a JPEG, its colours converted to what JPEG viewers assume
    (BT.601, full range) from the clip's (BT.709, TV range)."""
    return ffmpeg_command(
        "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", FRAME_PIXEL_FORMAT, "-s", f"{width}x{height}",
        "-i", "pipe:0",
        "-vf", "scale=in_color_matrix=bt709:in_range=tv:out_color_matrix=bt601:out_range=pc,"
        "format=yuvj420p",
        "-frames:v", "1", "-q:v", "2", "-f", "image2", "-c:v", "mjpeg", out,
    )  # fmt: skip
