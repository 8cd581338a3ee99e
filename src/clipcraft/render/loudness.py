"""Bringing the mix to the platforms' level: −14 LUFS integrated, true peaks under −1 dBTP.

Loudness is measured with ffmpeg's ebur128 filter (ITU-R BS.1770, the same meter a platform or
a test uses). When a plain gain reaches the target without pushing the true peak over the
ceiling, that gain is all we apply, so the mix keeps its dynamics. When it would, the gain
goes through ffmpeg's look-ahead limiter at 4× oversampling (so it limits true peaks, not just
samples), measured again and corrected until the level lands. A mix under the plan's
quietest level is left alone rather than boosted into noise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from clipcraft.errors import RenderError
from clipcraft.media.ffmpeg import ffmpeg_command, ffmpeg_process, run_ffmpeg
from clipcraft.planning.plan import OutputFormat, SoundPlan
from clipcraft.render.argv import aac_encode_command

TRUE_PEAK_MARGIN_DB = 0.5
"""Aimed below the ceiling because AAC encoding raises peaks a little."""

LIMITED_PEAK_MARGIN_DB = 2.0
"""Hard-limited peaks (a crash squeezed by 10 dB) overshoot more once encoded: aim lower."""

AAC_PEAK_MARGIN_DB = 0.1
AAC_PASSES = 3

BAND_LIMIT = "lowpass=f=18000:poles=2,lowpass=f=18000:poles=2"
"""Above 18 kHz is what AAC drops; measured but not kept, it would read as loudness we lose."""

LIMIT_PASSES = 4
"""Limiting lowers the loudness a little; each pass corrects the gain by what was lost."""

CLOSE_ENOUGH_LU = 0.3

_INTEGRATED = re.compile(r"Integrated loudness:\s+I:\s+(-?[\d.]+|-inf) LUFS")
_TRUE_PEAK = re.compile(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS")


@dataclass(frozen=True)
class Level:
    integrated: float
    true_peak: float


def measure(path: Path, *, band_limited_copy: Path | None = None) -> Level:
    """Integrated loudness (LUFS) and true peak (dBTP) of a sound file.

    With `band_limited_copy`, the sound is band-limited first and that version both measured
    and written there, in the same ffmpeg run.
    """
    meter = "ebur128=peak=true:framelog=quiet"
    if band_limited_copy is None:
        graph = ["-map", "0:a:0", "-af", meter, "-f", "null", "-"]
    else:
        graph = [
            "-filter_complex",
            f"[0:a:0]{BAND_LIMIT},asplit[kept][metered];[metered]{meter},anullsink",
            "-map", "[kept]", "-c:a", "pcm_f32le", "-y", str(band_limited_copy),
        ]  # fmt: skip
    command = ffmpeg_command("-nostats", "-i", str(path), *graph)
    with ffmpeg_process(command) as run:
        run.check(f"measuring the loudness of {path.name}")
        report = run.stderr_text()
    integrated, peak = _INTEGRATED.search(report), _TRUE_PEAK.search(report)
    if not integrated or not peak:
        raise RenderError("ffmpeg's loudness meter printed no result")
    return Level(float(integrated.group(1)), float(peak.group(1)))


def ceiling(sound: SoundPlan) -> float:
    return sound.true_peak_db - TRUE_PEAK_MARGIN_DB


def limited_ceiling(sound: SoundPlan) -> float:
    return sound.true_peak_db - LIMITED_PEAK_MARGIN_DB


def plain_gain(level: Level, sound: SoundPlan) -> float | None:
    """The gain that reaches the target, 0 for near silence, or None if peaks would clip."""
    if level.integrated < sound.quietest_lufs:
        return 0.0
    gain = sound.loudness_lufs - level.integrated
    return gain if level.true_peak + gain <= ceiling(sound) else None


def limiter_chain(gain_db: float, ceiling_db: float, rate: int) -> str:
    """Gain, then ffmpeg's look-ahead limiter run at 4× the rate so it catches true peaks."""
    return (
        f"volume={gain_db:.2f}dB,aresample={4 * rate},"
        f"alimiter=limit={10 ** (ceiling_db / 20):.4f}:attack=2:release=60:level=false,"
        f"aresample={rate}"
    )


def normalise(source: Path, sound: SoundPlan, rate: int, work: Path) -> tuple[Path, float]:
    """The file to encode and the gain (dB) still to apply to it to meet the target.

    The mix is first band-limited to what AAC keeps, so the level measured here is the level
    the encoded clip will have.
    """
    mix = work / "band-limited.wav"
    level = measure(source, band_limited_copy=mix)
    gain = plain_gain(level, sound)
    if gain is not None:
        return mix, gain
    limited = work / "limited.wav"
    gain = sound.loudness_lufs - level.integrated
    for _ in range(LIMIT_PASSES):
        chain = limiter_chain(gain, limited_ceiling(sound), rate)
        _filter(mix, chain, limited, "limiting the peaks")
        level = measure(limited)
        miss = sound.loudness_lufs - level.integrated
        if abs(miss) <= CLOSE_ENOUGH_LU:
            break
        gain += miss
    return limited, min(0.0, limited_ceiling(sound) - level.true_peak)


def encode_sound(mix: Path, sound: SoundPlan, fmt: OutputFormat, samples: int, work: Path) -> Path:
    """The clip's AAC track, `samples` long, at the target level, with its true peak checked
    after encoding.

    AAC can raise peaks (most on hard-limited transients such as a crash); if the encoded
    track's peak passes the ceiling, it is encoded again that much quieter. A preview, which
    is for listening rather than uploading, skips that check: it sounds the same.
    """
    source, gain = normalise(mix, sound, fmt.audio_rate, work)
    track = work / "sound.m4a"
    for _ in range(AAC_PASSES):
        run_ffmpeg(
            aac_encode_command(str(source), str(track), gain, fmt, samples),
            "encoding the sound",
        )
        if fmt.shortcuts:  # a preview
            break
        over = measure(track).true_peak - (sound.true_peak_db - AAC_PEAK_MARGIN_DB)
        if over <= 0:
            break
        gain -= over
    return track


def _filter(source: Path, graph: str, out: Path, what: str) -> None:
    run_ffmpeg(
        ffmpeg_command(
            "-loglevel",
            "error",
            "-i",
            str(source),
            "-af",
            graph,
            "-c:a",
            "pcm_f32le",
            "-y",
            str(out),
        ),
        what,
    )
