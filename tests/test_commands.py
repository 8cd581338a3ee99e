import itertools
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from clipcraft.media.ffmpeg import EFFECT_STEREO, PIPE_BYTES, ffmpeg_exe, widen_pipe
from clipcraft.planning.plan import OutputFormat, Segment
from clipcraft.planning.planner import output_format
from clipcraft.planning.reframe import Reframe, Stored
from clipcraft.render.argv import (
    aac_encode_command,
    audio_decode_command,
    cover_command,
    effect_decode_command,
    encode_command,
    mux_command,
    video_decode_command,
)
from clipcraft.render.frames import rgb_to_yuv
from clipcraft.settings.layers import to_recipe

FORMAT = OutputFormat(
    width=1080,
    height=1920,
    fps=30,
    x264_preset="veryfast",
    crf=21,
    audio_bitrate="192k",
    audio_rate=48000,
)


def segment(hdr: bool = False) -> Segment:
    return Segment(
        role="fail",
        shows="footage",
        source="in.mov",
        source_start=4.0,
        source_end=10.0,
        start_frame=0,
        frames=180,
        reframe=Reframe("crop", (1440, 1920), (1080, 1920)),
        hdr_to_sdr=hdr,
        sound=True,
    )


def test_decoder_seeks_then_drops_rate_then_crops_and_scales() -> None:
    assert video_decode_command(segment(), FORMAT) == [
        ffmpeg_exe(),
        "-hide_banner",
        "-nostdin",
        "-loglevel",
        "error",
        "-threads",
        "1",
        "-ss",
        "4.000",
        "-t",
        "6.000",
        "-i",
        "in.mov",
        "-map",
        "0:v:0",
        "-vf",
        "fps=30,crop=1080:1920:180:0,scale=1080:1920:flags=bicubic,setsar=1,"
        "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p",
        "-frames:v",
        "180",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "yuv420p",
        "pipe:1",
    ]


def test_hdr_is_tone_mapped_once_the_picture_is_small() -> None:
    command = video_decode_command(segment(hdr=True), FORMAT)
    graph = command[command.index("-vf") + 1]
    assert graph.startswith("fps=30,crop=1080:1920:180:0,scale=1080:1920")
    assert graph.index("scale=1080:1920") < graph.index("zscale=t=linear")
    assert "-noautorotate" not in command, "an upright source is left to ffmpeg"


def test_a_turned_source_is_decoded_as_stored_and_turned_by_the_reframe() -> None:
    turned = replace(segment(), reframe=Reframe("crop", (1440, 1920), (1080, 1920), Stored(90)))
    command = video_decode_command(turned, FORMAT)
    assert command[command.index("-i") - 1] == "-noautorotate"
    graph = command[command.index("-vf") + 1]
    assert "crop=1920:1080:0:180,scale=1920:1080:flags=bicubic,transpose=clock," in graph
    hdr = video_decode_command(replace(turned, hdr_to_sdr=True), FORMAT)
    graph = hdr[hdr.index("-vf") + 1]
    assert graph.index("transpose=clock") < graph.index("zscale"), "tone-mapped once upright"


def test_audio_is_decoded_over_the_same_window_padded_to_its_start() -> None:
    command = audio_decode_command(segment(), FORMAT)
    assert command[command.index("-ss") + 1] == "4.000"
    assert command[command.index("-af") + 1] == "aresample=48000:async=1:first_pts=0"
    assert command[-3:] == ["-f", "f32le", "pipe:1"]


def test_encoder_meets_the_platform_contract() -> None:
    command = encode_command(FORMAT, "picture.mp4")
    pairs = dict(itertools.pairwise(command))
    assert pairs["-c:v"] == "libx264" and pairs["-profile:v"] == "high"
    assert pairs["-preset"] == "veryfast" and pairs["-crf"] == "21"
    assert command[command.index("-i") - 1] == "30" and pairs["-s"] == "1080x1920"
    assert pairs["-pix_fmt"] == "yuv420p", "fed yuv420p, written yuv420p: no conversion"
    assert "color_primaries=bt709" in pairs["-vf"]
    assert "-threads" not in command, "x264 takes every core unless a batch shares them"
    assert "sync-lookahead=0" in pairs["-x264-params"], "the same frames on every run"
    assert command[-3:] == ["-f", "mp4", "picture.mp4"]


def test_x264_keeps_frames_in_flight_with_a_look_ahead_in_step() -> None:
    pairs = dict(itertools.pairwise(encode_command(replace(FORMAT, threads=2), "p.mp4")))
    assert pairs["-threads"] == "6", "frames in flight fill what the decoder and Python leave"
    many = dict(itertools.pairwise(encode_command(replace(FORMAT, threads=32), "p.mp4")))
    assert many["-threads"] == "16", "no more frames in flight than help"
    assert pairs["-x264-params"].split(":")[1:] == ["sync-lookahead=0", "lookahead-threads=2"]
    preview = dict(itertools.pairwise(encode_command(replace(FORMAT, shortcuts=True), "p.mp4")))
    assert preview["-threads"] == "1" and "lookahead-threads" not in preview["-x264-params"]


def test_picture_and_sound_are_joined_with_the_index_first() -> None:
    command = mux_command("picture.mp4", "sound.m4a", "out.part.mp4")
    pairs = dict(itertools.pairwise(command))
    assert pairs["-c"] == "copy" and pairs["-movflags"] == "+faststart"
    assert "-shortest" not in command, "the lengths come from the plan, not from a race"
    assert command[-3:] == ["-f", "mp4", "out.part.mp4"]


def test_effects_are_decoded_to_stereo_wav_so_pydub_needs_no_ffprobe() -> None:
    command = effect_decode_command("oops.mp3", 48000)
    assert command[command.index("-i") + 1] == "oops.mp3"
    assert command[-9:] == [
        "-af", EFFECT_STEREO, "-ar", "48000", "-c:a", "pcm_s16le", "-f", "wav", "pipe:1"
    ]  # fmt: skip


def test_the_sound_track_is_aac_lc_stereo_at_48k_raised_by_the_gain() -> None:
    command = aac_encode_command("mix.wav", "sound.m4a", 3.5, FORMAT, 384000)
    pairs = dict(itertools.pairwise(command))
    assert pairs["-af"] == (
        "volume=3.50dB,aresample=48000,apad=whole_len=384000,atrim=end_sample=384000"
    ), "padded or cut to exactly the picture's length"
    assert pairs["-c:a"] == "aac" and pairs["-b:a"] == "192k"
    assert pairs["-ar"] == "48000" and pairs["-ac"] == "2"


def test_a_preview_takes_every_shortcut_and_a_final_none() -> None:
    """Preview: small frames, deblocking skipped, bilinear scaling, fast AAC search."""
    for preview in (True, False):
        fmt = output_format(to_recipe({"output.preview": preview}))
        decode = video_decode_command(segment(), fmt)
        graph = decode[decode.index("-vf") + 1]
        sound = dict(itertools.pairwise(aac_encode_command("m.wav", "s.m4a", 0.0, fmt, 9600)))
        if preview:
            assert (fmt.width, fmt.height, fmt.x264_preset, fmt.crf) == (540, 960, "ultrafast", 26)
            assert "-skip_loop_filter" in decode and "flags=bilinear" in graph
            assert sound["-aac_coder"] == "fast"
            assert dict(itertools.pairwise(encode_command(fmt, "o.mp4")))["-threads"] == "1"
        else:
            assert (fmt.width, fmt.height, fmt.x264_preset, fmt.crf) == (1080, 1920, "veryfast", 21)
            assert "-skip_loop_filter" not in decode and "flags=bicubic" in graph
            assert sound["-aac_coder"] == "twoloop"


def test_the_decoder_gets_every_core_of_the_clip() -> None:
    two_cores = video_decode_command(segment(), replace(FORMAT, threads=2))
    assert two_cores[two_cores.index("-threads") + 1] == "2"


@pytest.mark.skipif(sys.platform != "linux", reason="pipe sizes are Linux's to set")
def test_frames_pass_through_pipes_a_megabyte_wide() -> None:
    if int(Path("/proc/sys/fs/pipe-max-size").read_text()) < PIPE_BYTES:
        pytest.skip("this machine allows smaller pipes; they keep their size")
    import fcntl

    reading, writing = os.pipe()
    with open(reading, "rb") as out, open(writing, "wb") as into:
        widen_pipe(into)
        assert fcntl.fcntl(out.fileno(), fcntl.F_GETPIPE_SZ) == PIPE_BYTES


def test_a_cover_keeps_the_clips_colours(tmp_path: Path) -> None:
    """Flat BT.709 TV-range colours, as frames carry them, come out of the JPEG as the same
    RGB that a viewer (BT.601, full range) shows."""
    colours = [(200, 60, 200), (30, 160, 40), (240, 235, 220), (25, 20, 30)]
    for number, colour in enumerate(colours):
        y, cb, cr = (round(float(v.item())) for v in rgb_to_yuv(np.array([[colour]], np.float32)))
        frame = bytes([y] * 64 * 64 + [cb] * 32 * 32 + [cr] * 32 * 32)
        out = tmp_path / f"{number}.jpg"
        subprocess.run(cover_command(64, 64, str(out)), input=frame, check=True)
        shown = np.asarray(Image.open(out).convert("RGB"))[32, 32].astype(int)
        assert np.abs(shown - colour).max() <= 3, (colour, shown)
