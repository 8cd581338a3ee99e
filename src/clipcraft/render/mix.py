"""The clip's sound: the sources' audio, the music bed, effects mixed in with pydub, ducking.

Mixing happens at 32-bit with 12 dB of headroom so effects over a loud bed never clip; the
final level is set afterwards (loudness.py).
"""

from __future__ import annotations

import io
import warnings
import wave
from pathlib import Path

import numpy as np

from clipcraft.media.ffmpeg import ffmpeg_exe, run_ffmpeg
from clipcraft.planning.music import PlannedMusic
from clipcraft.planning.plan import OutputFormat, Plan, Segment, SoundPlan
from clipcraft.planning.sound import PlacedEffect
from clipcraft.render.argv import audio_decode_command, effect_decode_command, music_decode_command
from clipcraft.sound.shaping import fade_edges, loudest_window_db
from clipcraft.sound.sidechain import gain, sidechain_dips_db, span_dips_db

with warnings.catch_warnings():
    # pydub warns on import that no ffmpeg is on PATH (we give it the bundled one below) and,
    # on Python 3.12, that audioop is deprecated (audioop-lts replaces it from 3.13).
    warnings.simplefilter("ignore", RuntimeWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from pydub import AudioSegment

AudioSegment.converter = ffmpeg_exe()

EDGE_FADE_SECONDS = 0.008
"""A fade this short is inaudible as a fade but removes the click of a hard cut."""

EFFECT_TAIL_MS = 30
"""An effect cut short by the end of the clip fades out over this long."""

HEADROOM_DB = -12.0
MIX_SAMPLE_WIDTH = 4


def segment_audio(segment: Segment, fmt: OutputFormat, fades: tuple[int, int]) -> np.ndarray:
    """(n, 2) float32 samples exactly as long as the segment's frames, faded in and out over
    `fades` samples; silence when the segment has no sound of its own."""
    length = fmt.samples_for(segment.frames)
    if not segment.sound:
        return np.zeros((length, 2), dtype=np.float32)
    raw = run_ffmpeg(audio_decode_command(segment, fmt), f"reading the sound of {segment.source}")
    samples = np.frombuffer(raw, dtype=np.float32).reshape(-1, 2)[:length]
    if len(samples) < length:
        samples = np.concatenate([samples, np.zeros((length - len(samples), 2), np.float32)])
    return fade_edges(samples, *fades)


def to_segment(samples: np.ndarray, rate: int) -> AudioSegment:
    """Float stereo samples → a 32-bit pydub segment with the mixing headroom applied."""
    scale = 10 ** (HEADROOM_DB / 20) * (2**31 - 1)
    pcm = np.round(np.clip(samples, -1.0, 1.0) * scale).astype("<i4")
    return AudioSegment(pcm.tobytes(), sample_width=MIX_SAMPLE_WIDTH, frame_rate=rate, channels=2)


def bed(plan: Plan) -> np.ndarray:
    """The sources' own sound, (n, 2) floats, each segment at its place (silence where muted
    or missing).

    Where a transition shows two parts at once, their sounds cross-fade over it; every other
    edge gets the short click-free fade.
    """
    fmt = plan.format
    total = np.zeros((fmt.samples_for(plan.total_frames), 2), np.float32)
    if plan.sound.original:
        shortest = round(EDGE_FADE_SECONDS * fmt.audio_rate)
        overlapping = [t for t in plan.transitions if t.overlap]
        fade_ins = {t.at_frame: fmt.samples_for(t.overlap) for t in overlapping}
        fade_outs = {t.at_frame + t.overlap: fmt.samples_for(t.overlap) for t in overlapping}
        for segment in plan.segments:
            if segment.region == "bottom":  # in a split, the sound is the before's
                continue
            fades = (
                max(shortest, fade_ins.get(segment.start_frame, 0)),
                max(shortest, fade_outs.get(segment.end_frame, 0)),
            )
            samples = segment_audio(segment, fmt, fades)
            start = fmt.samples_for(segment.start_frame)
            end = min(start + len(samples), len(total))
            total[start:end] += samples[: end - start]
    return total


def level_dbfs(samples: np.ndarray) -> float:
    """RMS level of float samples in dB of full scale (very low for silence)."""
    power = float(np.square(samples, dtype=np.float64).mean()) if samples.size else 0.0
    return 10 * np.log10(max(power, 1e-12))


def music(
    planned: PlannedMusic, fmt: OutputFormat, footage: np.ndarray, silence_dbfs: float
) -> np.ndarray:
    """The music bed as (n, 2) floats the length of `footage` (the clip's own sound, before
    any ducking): levelled under it, faded, dipped under effects and wherever the footage's
    sound rises out of its background; nothing where the track is silent (`silence_dbfs`)."""
    rate = fmt.audio_rate
    raw = run_ffmpeg(
        music_decode_command(planned.path, planned.track_start, planned.duration, rate),
        f"reading the music {planned.path}",
    )
    track = np.frombuffer(raw, dtype=np.float32).reshape(-1, 2)[: len(footage)]
    placed = np.zeros_like(footage)
    if level_dbfs(track) <= silence_dbfs:  # no sound where the track was asked to start
        return placed
    fades = (round(planned.fade_in * rate), round(planned.fade_out * rate))
    track = fade_edges(track, *fades)
    footage_dbfs = level_dbfs(footage)
    target = (
        footage_dbfs + planned.under_footage_db
        if footage_dbfs > silence_dbfs
        else planned.alone_dbfs
    )
    level = min(target - level_dbfs(track), planned.most_gain_db) + planned.volume_db
    dips = np.minimum(
        span_dips_db(
            len(track), rate, planned.effect_spans, planned.effects_duck_db, planned.duck_ramps
        ),
        sidechain_dips_db(footage[: len(track)], rate, planned.speech_duck_db, planned.duck_ramps),
    )
    placed[: len(track)] = track * gain(dips + level)
    return placed


def samples_of(sound: AudioSegment) -> np.ndarray:
    """A 32-bit pydub segment's samples as floats (n, channels), full scale 1.0."""
    pcm = np.frombuffer(sound.raw_data, dtype="<i4").reshape(-1, sound.channels)
    return pcm / float(2**31)


def load_effect(
    effect: PlacedEffect, rate: int, bed_dbfs: float, planned: SoundPlan
) -> AudioSegment:
    """The effect as a 32-bit stereo segment at `rate`, cut to its planned length, set the
    plan's `effects_over_bed_db` above a bed of `bed_dbfs` (or left at its own level over
    silence)."""
    wav = run_ffmpeg(effect_decode_command(effect.path, rate), f"reading {effect.path}")
    sound = AudioSegment.from_wav(io.BytesIO(wav)).set_sample_width(MIX_SAMPLE_WIDTH)
    match = 0.0
    if bed_dbfs > planned.silence_dbfs:
        match = bed_dbfs + planned.effects_over_bed_db - loudest_window_db(samples_of(sound), rate)
        match = min(match, -HEADROOM_DB)
    sound = sound.apply_gain(HEADROOM_DB + match + effect.gain_db)
    length = round(effect.duration * 1000)
    if length < len(sound):
        sound = sound[:length].fade_out(min(EFFECT_TAIL_MS, length))
    return sound


def mix(plan: Plan) -> AudioSegment:
    """The whole clip's sound before its loudness is set."""
    footage = bed(plan)
    bed_dbfs = level_dbfs(footage)
    effects = plan.sound.effects
    samples = footage
    if plan.sound.original and plan.sound.duck_db and effects:
        spans = [(effect.start, effect.start + effect.duration) for effect in effects]
        ramps = (plan.sound.duck_ramp, plan.sound.duck_ramp)
        samples = footage * gain(
            span_dips_db(len(footage), plan.format.audio_rate, spans, plan.sound.duck_db, ramps)
        )
    if plan.sound.music is not None:
        samples = samples + music(plan.sound.music, plan.format, footage, plan.sound.silence_dbfs)
    sound = to_segment(samples, plan.format.audio_rate)
    for effect in effects:
        sound = sound.overlay(
            load_effect(effect, plan.format.audio_rate, bed_dbfs, plan.sound),
            position=round(effect.start * 1000),
        )
    return sound


def write_mix(plan: Plan, path: Path) -> None:
    """The mix as a WAV file, closed on every path (a full disk included)."""
    sound = mix(plan)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(sound.channels)
        out.setsampwidth(sound.sample_width)
        out.setframerate(sound.frame_rate)
        out.writeframes(sound.raw_data)
