"""What the commands print for people: the plan as a table, a file's facts.

Each takes plain data (a Plan, probe facts) and returns text; the CLI echoes it. A setting's
value is shown by `settings.layers`, which the batch report shares.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clipcraft.finding.moment import UNCLEAR
from clipcraft.finding.voice import VOICE_LIKE
from clipcraft.planning.plan import Plan
from clipcraft.settings.layers import show_value
from clipcraft.settings.units import format_time


def describe(plan: Plan) -> str:
    """The plan as a table a person can read (what `make --dry-run` prints)."""
    fmt = plan.format

    def span(first: int, last: int) -> str:
        return f"{format_time(first / fmt.fps)}–{format_time(last / fmt.fps)}"

    lines = [
        f"output   {plan.output}",
        f"format   {fmt.width}x{fmt.height} @ {fmt.fps} fps, H.264 {fmt.x264_preset} "
        f"CRF {fmt.crf}, AAC {fmt.audio_bitrate} {fmt.audio_rate // 1000} kHz",
        f"length   {format_time(plan.duration)} ({plan.total_frames} frames)",
        "",
        f"{'part':<8}{'output':<19}{'source':<34}{'fit':<7}file",
    ]
    for segment in plan.segments:
        if segment.still:
            source = (
                "photo"
                if segment.shows == "photo"
                else f"still at {format_time(segment.source_start)}"
            )
            if segment.zoom[0] != segment.zoom[1]:
                source += f", zoom {segment.zoom[0]:.2f}→{segment.zoom[1]:.2f}"
        else:
            source = f"{format_time(segment.source_start)}–{format_time(segment.source_end)}"
            source += f" ×{segment.speed:g}" if segment.speed != 1.0 else ""
            if segment.views:
                source += f", punch-in {max(view.scale for view in segment.views):g}x"
        where = f" ({segment.region})" if segment.region != "full" else ""
        lines.append(
            f"{segment.role:<8}{span(segment.start_frame, segment.end_frame):<19}{source:<34}"
            f"{segment.reframe.mode:<7}{Path(segment.source).name}{where}"
        )
    for transition in plan.transitions:
        both = " (both parts show)" if transition.overlap else ""
        first = transition.at_frame - (0 if transition.overlap else transition.frames // 2)
        lines.append(
            f"{'trans':<8}{span(first, first + transition.frames):<19}{transition.kind}{both}"
        )
    for caption in plan.captions:
        lines.append(
            f"{'caption':<8}{span(caption.start_frame, caption.end_frame):<19}"
            f"{caption.style.name + ' ' + str(caption.layout.font_size) + 'px':<34}"
            f"{' / '.join(caption.layout.lines)}"
        )
    lines.append(f"{'moment':<8}{format_time(plan.moment):<19}{plan.moment_basis}")
    for segment in plan.segments:
        reframe = segment.reframe
        if reframe.mode == "follow" and not segment.still and reframe.path:
            xs, ys = [key.x for key in reframe.path], [key.y for key in reframe.path]
            axis, values = ("y", ys) if max(ys) - min(ys) > max(xs) - min(xs) else ("x", xs)
            moves = (
                f"corner {axis} {min(values)}–{max(values)} px over {len(reframe.path)} keyframes"
            )
            lines.append(f"{'follow':<8}{segment.role:<19}{moves}")
        if reframe.steady is not None and not segment.still:
            mx, my = reframe.steady.margin
            lines.append(
                f"{'steady':<8}{segment.role:<19}the shake taken out: a window {mx} px in from "
                f"each side, {my} px from top and bottom, moving with it"
            )
        if reframe.why and not segment.still:
            lines.append(f"{'fit':<8}{segment.role:<19}{reframe.why}")
    for effect in plan.sound.effects:
        end = effect.start + effect.duration
        lines.append(
            f"{'sfx':<8}{format_time(effect.start) + '–' + format_time(end):<19}"
            f"{effect.gain_db:+.1f} dB{'':<26}{effect.name}"
        )
    music = plan.sound.music
    if music is not None:
        lines.append(
            f"{'music':<8}{span(0, round(music.duration * fmt.fps)):<19}"
            f"{'from ' + format_time(music.track_start) + f', {music.volume_db:+.1f} dB':<34}"
            f"{Path(music.path).name}"
        )
        lines.append(
            f"{'':<8}{'':<19}fades in {music.fade_in:g} s, out {music.fade_out:g} s; dips "
            f"{music.effects_duck_db:+.0f} dB under effects, {music.speech_duck_db:+.0f} dB "
            "under the footage's speech"
        )
        if music.beat_note:
            lines.append(f"{'beat':<8}{'':<19}the cut to the after: {music.beat_note}")
    original = (
        "muted"
        if not plan.sound.original
        else (
            f"ducked {plan.sound.duck_db:+.0f} dB under effects" if plan.sound.duck_db else "level"
        )
    )
    lines.append(
        f"{'sound':<8}original {original}; mix at {plan.sound.loudness_lufs:g} LUFS, "
        f"peaks ≤ {plan.sound.true_peak_db:g} dBTP"
    )
    if plan.decisions:
        lines += ["", "decided by --auto (a flag, recipe or preset you give wins):"]
        for decision in plan.decisions:
            value = "left as it is" if decision.value is None else show_value(decision.value)
            lines.append(f"  {decision.setting} = {value}    # {decision.why}")
    if plan.transcript is not None:
        lines += ["", f"what was said, written to {plan.transcript_path} with the clip:", ""]
        lines += plan.transcript.rstrip("\n").splitlines()
    return "\n".join(lines)


def describe_media(facts: dict[str, Any]) -> str:
    """What `probe` prints: a file's facts, the moment and every candidate weighed."""
    video = facts["kind"] == "video"
    rate = f"{facts['fps']:g} fps" + (" (variable)" if facts["variable_fps"] else "")
    audio = facts["audio_codec"] or ("unreadable" if facts["unreadable_audio"] else "none")
    stored = [f"turned {facts['rotation']}°"] if facts["rotation"] else []
    if facts["sample_aspect"] != "1:1":
        stored.append(f"pixels {facts['sample_aspect']}")
    turned = f" (stored {', '.join(stored)})" if stored else ""
    rows = [
        ("file", facts["path"]),
        ("kind", facts["kind"]),
        ("duration", format_time(facts["duration"]) if video else "-"),
        ("size", f"{facts['width']}x{facts['height']} as displayed{turned}"),
        (
            "video",
            f"{facts['video_codec']} {facts['pixel_format']}" + (" HDR" if facts["hdr"] else ""),
        ),
        ("rate", rate if video else "-"),
        ("audio", audio),
    ]
    if video:
        rows.append(
            (
                "moment",
                f"{format_time(facts['moment'])} (confidence "
                f"{facts['confidence']:.2f}, by {facts['basis']})"
                + ("" if facts["clear"] else f": {UNCLEAR}"),
            )
        )
        rows += [
            (
                "weighed" if rank == 0 else "",
                f"{format_time(candidate['time'])}  sound {candidate['sound']:g}, "
                f"motion {candidate['motion']:g}%, score {candidate['score']:g}"
                + _evidence(candidate),
            )
            for rank, candidate in enumerate(facts["candidates"])
        ]
    return "\n".join(f"{name:<9} {value}" for name, value in rows)


def _evidence(candidate: dict[str, Any]) -> str:
    """What else weighed on a candidate: a voice, a reaction after it, a picture event."""
    said = [f"voice-like {candidate['voice']:g}"] if candidate["voice"] >= VOICE_LIKE else []
    said += ["a reaction after"] if candidate["reaction"] else []
    said += ["a picture event, never the moment"] if candidate["picture_event"] else []
    return f" ({'; '.join(said)})" if said else ""


def describe_models(models: list[dict[str, object]]) -> str:
    """The speech models, one a line: installed or what installs it."""
    lines = []
    for model in models:
        state = "installed" if model["installed"] else f"not installed: {model['install']}"
        default = f"the default for {model['default_for']}"
        lines.append(f"{model['model']:<9}{model['languages']:<14}{default:<38}{state}")
    return "\n".join(lines)
