"""The music bed on the timeline (pure): which stretch of the track plays, how it fades, where
it ducks, how loud it sits, and the beat the cut to the after is moved onto."""

from __future__ import annotations

from dataclasses import dataclass, replace

from clipcraft.errors import UsageError
from clipcraft.finding.beats import Beats
from clipcraft.planning.sequence import MIN_FAIL_SECONDS, Budget
from clipcraft.settings.recipe import MusicCue, Recipe
from clipcraft.sound.library import Sound

FADE_IN = 0.4
"""Seconds the music takes to come in: it starts with the picture, never with a jolt."""
FADE_OUT = 1.2
"""Seconds it takes to go at the end (or where the track runs out)."""
UNDER_FOOTAGE_DB = -6.0
"""The music's level against the footage's own sound (both as RMS): under it, not over it."""
ALONE_DBFS = -20.0
"""The music's RMS where the clip has no sound of its own; the mix is levelled after."""
MOST_GAIN_DB = 24.0
"""A quiet stretch of track (an intro, a fade) is raised at most this much, never into
clipping noise."""
UNDER_EFFECTS_DB = -10.0
"""How far the music dips under each effect, so the effect is the thing heard."""
UNDER_SPEECH_DB = -9.0
"""How far it dips where the footage's own sound rises out of its background (speech, a
shriek, the crash itself)."""
DUCK_DOWN, DUCK_UP = 0.06, 0.35
"""Seconds the music takes to dip, and to come back: fast down, slow up, as a sidechain."""
MOST_BEAT_SHIFT = 0.5
"""The cut moves at most this far (and never more than half a beat) to land on a beat."""
MIN_AFTER_SECONDS = 0.5


@dataclass(frozen=True, kw_only=True)
class PlannedMusic:
    """The track from `track_start` under output seconds [0, duration)."""

    name: str
    path: str
    track_start: float
    duration: float
    fade_in: float
    fade_out: float
    volume_db: float
    """The creator's --music-volume, on top of the level the mix gives it."""
    under_footage_db: float
    alone_dbfs: float
    most_gain_db: float
    effects_duck_db: float
    speech_duck_db: float
    duck_ramps: tuple[float, float]
    effect_spans: tuple[tuple[float, float], ...]
    """Where effects play (output seconds): the music dips under each."""
    tempo: float | None
    beat: float | None
    """The output time of the beat the cut to the after was moved onto, if it was."""
    beat_note: str
    """What happened to the cut, for the plan: moved onto a beat, or why not."""


@dataclass(frozen=True)
class BeatCut:
    """The budget with the cut on a beat (or as it was), and what happened, for the plan."""

    budget: Budget
    beat: float | None
    note: str


def beats_on_output(beats: Beats, track_start: float) -> tuple[float, ...]:
    """The beats' output times, the track's `track_start` playing at output 0."""
    return tuple(round(t - track_start, 3) for t in beats.times if t >= track_start)


def may_cut_on_beat(recipe: Recipe, has_after: bool) -> bool:
    """Whether the cut to the after may move onto a beat, so the music's beats are worth
    reading: music, an after part in sequence, the creator not saying no, and a fail whose
    length is free (not fixed by --start and --end)."""
    sound, trim = recipe.sound, recipe.trim
    fixed = trim.start is not None and trim.end is not None
    sequence = recipe.after.layout == "sequence"
    return sound.music is not None and has_after and sequence and sound.beat_cut and not fixed


def choose_cut(
    budget: Budget,
    beats: Beats | None,
    track_start: float,
    fps: int,
    room: tuple[int, int],
    *,
    asked: bool,
    fixed: bool,
) -> BeatCut:
    """The cut on the beat when the creator wants it (`asked`, the default) and the fail's
    length is free to change (not fixed by --start and --end). `room` is how many frames
    the fail and the after could each grow by before their sources run out."""
    if not asked:
        return BeatCut(budget, None, "kept: --no-beat-cut")
    if fixed:
        return BeatCut(budget, None, "kept: --start and --end fix the fail part")
    if room[0] < 0:
        return BeatCut(budget, None, "kept: the footage is shorter than the fail part")
    return cut_on_beat(budget, beats, track_start, fps, room)


def cut_on_beat(
    budget: Budget, beats: Beats | None, track_start: float, fps: int, room: tuple[int, int]
) -> BeatCut:
    """Move the cut between the before part and the after onto the nearest beat, by taking
    frames from one and giving them to the other (the total is unchanged); within half a
    beat and MOST_BEAT_SHIFT, never leaving either part too short, and never giving a part
    more frames than its source has (`room`: how many more the fail and the after can take)."""
    cut = budget.fail + budget.freeze + budget.replay - budget.overlap
    if beats is None:
        return BeatCut(budget, None, "kept: no steady beat in the music")
    period = 60.0 / beats.tempo
    reach = min(MOST_BEAT_SHIFT, period / 2)
    fail_room, after_room = (max(frames, 0) / fps for frames in room)
    lowest = max(-reach, (round(MIN_FAIL_SECONDS * fps) - budget.fail) / fps, -after_room)
    highest = min(reach, (budget.after - round(MIN_AFTER_SECONDS * fps)) / fps, fail_room)
    candidates = [
        beat
        for beat in beats_on_output(beats, track_start)
        if lowest <= beat - cut / fps <= highest
    ]
    if not candidates:
        return BeatCut(budget, None, "kept: no beat near enough to the cut")
    beat = min(candidates, key=lambda b: abs(b - cut / fps))
    shift = round(beat * fps) - cut
    afters = (budget.after - shift, *budget.afters[1:])
    moved = replace(budget, fail=budget.fail + shift, afters=afters)
    note = f"moved {shift / fps:+.2f} s onto the beat at {beat:.2f} s ({beats.tempo:g} BPM)"
    return BeatCut(moved, beat, note)


def plan_music(
    cue: MusicCue,
    sound: Sound,
    total: float,
    volume_db: float,
    effect_spans: tuple[tuple[float, float], ...],
    cut: BeatCut | None,
    tempo: float | None,
) -> PlannedMusic:
    """The music under a clip of `total` seconds (shorter where the track runs out first)."""
    left = sound.duration - cue.start
    if left <= 0.1:
        raise UsageError(
            f"--music {sound.name}@{cue.start:g}: starts past the end of the track"
            f" ({sound.duration:.1f} s)"
        )
    duration = round(min(total, left), 3)
    return PlannedMusic(
        name=sound.name,
        path=str(sound.path),
        track_start=cue.start,
        duration=duration,
        fade_in=min(FADE_IN, duration / 4),
        fade_out=min(FADE_OUT, duration / 4),
        volume_db=volume_db,
        under_footage_db=UNDER_FOOTAGE_DB,
        alone_dbfs=ALONE_DBFS,
        most_gain_db=MOST_GAIN_DB,
        effects_duck_db=UNDER_EFFECTS_DB,
        speech_duck_db=UNDER_SPEECH_DB,
        duck_ramps=(DUCK_DOWN, DUCK_UP),
        effect_spans=effect_spans,
        tempo=tempo,
        beat=cut.beat if cut else None,
        beat_note=cut.note if cut else "",
    )
