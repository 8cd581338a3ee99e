"""`probe --plot`: loudness and motion over time, with the candidates the finder weighed, the
moment and the window marked, the onsets that sound like a voice, the camera's own move beside
the local motion and the picture events; and across the picture, where the action is and where
a 9:16 follow window would be.

matplotlib is an optional extra (`pip install "clipcraft[plot]"`); without it the command
says so in one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from clipcraft.errors import UsageError
from clipcraft.finding.action import action_track
from clipcraft.finding.moment import (
    AUDIO_RATE,
    HOP,
    KEEP_SHARE,
    MIN_ONSET_DB,
    MOTION_FPS,
    Candidate,
    Moment,
    Onsets,
    highest_peaks,
    motion_of,
    motion_score,
    read_frames,
    robust_z,
    sound_onsets,
)
from clipcraft.finding.shake import global_motion
from clipcraft.finding.voice import VOICE_LIKE
from clipcraft.media.ffmpeg import read_mono
from clipcraft.media.outputs import atomic_output
from clipcraft.media.probe import MediaInfo
from clipcraft.planning.follow import active, centres, follow_path
from clipcraft.planning.reframe import choose_reframe
from clipcraft.planning.trim import Window

VOICE_MARKS, VOICE_GAP = 40, 0.25
"""At most this many onsets this far apart are checked for a voice to mark."""
VERTICAL = (1080, 1920)
"""The frame the follow window is drawn for: the vertical platforms'."""


def plot_moment(media: MediaInfo, moment: Moment, window: Window, out: Path) -> None:
    """Draw the sound and motion scores of `media` with `moment` and `window` into `out`."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise UsageError(
            "--plot needs matplotlib", 'install it: pip install "clipcraft[plot]"'
        ) from None
    figure, axes = plt.subplots(3, 1, figsize=(10, 7), sharex=True)
    if media.has_audio:
        _draw_sound(axes[0], sound_onsets(read_mono(media.path, AUDIO_RATE)))
    axes[0].set_ylabel("sound onsets")
    _draw_motion(axes[1], read_frames(media, 0.0, media.duration))
    _draw_follow(axes[2], media, window, moment.time)
    axes[2].set_xlabel("seconds")
    for axis in axes:
        axis.axvspan(window.start, window.end, color="tab:green", alpha=0.12)
    _mark_candidates(axes, moment)
    axes[0].set_title(
        f"{Path(media.path).name}: moment {moment.time:.2f} s "
        f"(confidence {moment.confidence:.2f}, {moment.basis})"
    )
    figure.tight_layout()
    with atomic_output(out) as temporary:
        figure.savefig(temporary, format="png", dpi=110)
    plt.close(figure)


def _draw_sound(axis: Any, onsets: Onsets) -> None:
    """The onset score, with the onsets that sound like a voice marked: talk, a shout or a
    reaction, no mishap by itself."""
    sound = robust_z(onsets.score)
    axis.plot(np.arange(len(sound)) * HOP, sound, color="tab:blue", linewidth=0.8)
    usable = np.where(onsets.rise >= MIN_ONSET_DB, sound, 0.0)
    voices = [
        index
        for index in highest_peaks(usable, VOICE_MARKS, round(VOICE_GAP / HOP))
        if usable[index] >= KEEP_SHARE * usable.max() and onsets.voice(index) >= VOICE_LIKE
    ]
    axis.plot(
        np.array(voices) * HOP, sound[voices], "o", color="tab:purple", markersize=5,
        fillstyle="none", label="voice-like onset",
    )  # fmt: skip


def _draw_motion(axis: Any, frames: np.ndarray) -> None:
    """Local motion once the camera's own move is taken out, the camera's move beside it (on
    its own scale), and the picture events (cuts, a covered lens) shaded: never the moment."""
    motion = motion_of(frames)
    local = robust_z(motion_score(motion.without_events()))
    times = np.arange(len(local)) / MOTION_FPS
    axis.plot(times, local, color="tab:orange", linewidth=0.8, label="local motion")
    axis.set_ylabel("local motion")
    if len(frames) > 1:
        camera = np.concatenate([[0.0], np.linalg.norm(global_motion(frames), axis=1)])
        twin = axis.twinx()
        twin.plot(times, camera, color="0.55", linewidth=0.7, label="the camera's move")
        twin.set_ylabel("camera (px a step)", color="0.45", fontsize=8)
        twin.tick_params(labelsize=7, colors="0.45")
    for start, end in _spans(motion.events):
        axis.axvspan(
            (start - 0.5) / MOTION_FPS, (end + 0.5) / MOTION_FPS, color="tab:red", alpha=0.2,
            label="picture event" if start == _spans(motion.events)[0][0] else None,
        )  # fmt: skip
    axis.legend(loc="upper left", fontsize=7, framealpha=0.85)


def _spans(flags: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) index of each run of True in `flags`."""
    edges = np.diff(np.concatenate([[0], flags.astype(int), [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1, strict=True))


def _draw_follow(axis: Any, media: MediaInfo, window: Window, moment: float) -> None:
    """Across the picture (0 left, 1 right): the centre of the action at each step that moves,
    and the band a 9:16 follow window would cover."""
    track = action_track(media, window.start, window.end)
    size = (media.width, media.height)
    box = choose_reframe(size, VERTICAL, "crop").crop_box()[:2]
    moving = active(track)
    times = track.start + np.arange(len(moving)) / track.rate
    path = follow_path(track, size, box, moment)
    left = np.array([key.x for key in path]) / media.width
    axis.fill_between(
        [key.time for key in path], left, left + box[0] / media.width, color="tab:purple",
        alpha=0.2, label="9:16 follow window",
    )  # fmt: skip
    axis.plot(
        times[moving], centres(track.columns)[moving], ".", color="tab:purple", markersize=3,
        label="centre of the action",
    )  # fmt: skip
    axis.set_ylim(0, 1)
    axis.set_ylabel("across (0 left, 1 right)")
    axis.legend(loc="upper right", fontsize=7, framealpha=0.85)


def _mark_candidates(axes: Any, moment: Moment) -> None:
    """The moment (red), where each other candidate would start (grey, dotted) and, on the
    sound, each onset weighed with its motion and score, so a wrong pick shows its rivals."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    for axis in axes:
        axis.axvline(moment.time, color="tab:red", linewidth=1.2)
    for rank, candidate in enumerate(moment.candidates):
        colour = "tab:red" if rank == 0 else "0.35"
        if rank and candidate.time != moment.time:
            for axis in axes:
                axis.axvline(candidate.time, color=colour, linewidth=0.9, linestyle=":")
        if candidate.heard is None:
            continue
        axes[0].plot(candidate.heard, candidate.sound, "v", color=colour, markersize=5)
        axes[0].annotate(
            f"motion {candidate.motion:g}%\nscore {candidate.score:.2f}" + _tags(candidate),
            (candidate.heard, candidate.sound),
            xytext=(4, -2),
            textcoords="offset points",
            va="top",
            fontsize=7,
            color=colour,
        )
    axes[0].legend(
        handles=[
            Line2D([], [], color="tab:red", linewidth=1.2, label="the moment"),
            Line2D([], [], color="0.35", linewidth=0.9, linestyle=":", label="other candidates"),
            Line2D([], [], color="0.35", marker="v", linestyle="", label="onsets weighed"),
            Patch(color="tab:green", alpha=0.12, label="the clip's window"),
        ],
        loc="upper right",
        fontsize=7,
        framealpha=0.85,
    )


def _tags(candidate: Candidate) -> str:
    """What else weighed on a candidate, a line each: a voice, a reaction, a picture event."""
    tags = ["voice-like"] if candidate.voice >= VOICE_LIKE else []
    tags += ["reaction after"] if candidate.reaction else []
    tags += ["picture event"] if candidate.picture_event else []
    return "".join(f"\n{tag}" for tag in tags)
