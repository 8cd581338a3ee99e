"""Finding the mishap: where a sudden sound and a sudden local motion start together.

Sound is cheap to analyse, so it goes first: the whole track is read at 16 kHz mono and the
onsets that stand out from what came just before (a crash over a steady extractor fan still
stands out; the fan itself does not) become candidates, with the high band weighted because
crashes, clatter and shrieks are bright while talking and handling thumps are not. Only short
windows of picture around the candidates are then decoded, small and at 10 fps, and searched
for a burst of *local* motion near each sound: one part of the frame changing once the camera's
own shake is taken out, not the whole frame as when the phone is picked up.

The picture decides: a candidate where nothing moves (a knock on the door, a slam in the next
room) loses to a quieter one where something does. The moment is the *start* of the event, the
first frame of its motion burst (or a hit just before it), so a drawer that slides before it
bangs, a crash of several hits and the laughter after it all lead back to where the action
began. When the picture shows no burst, the sound alone walks back from the loudest hit to the
first. A clip without sound is scanned for motion alone.

What people shoot adds three things (#41). A picture event (a cut, a hand over the lens) is
the picture changing, not the scene: flattened out of the motion, never the moment. A
voice-like onset (talk, a shout) is no mishap by itself, but a voice just after a hit says
that something happened. And the confidence counts rivals by how alike they sound, so a busy
clip of many alike hits says it is unsure.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from clipcraft.finding.confidence import SHAPE_BANDS, band_levels, confidence, likeness
from clipcraft.finding.picture import GRID, cell_changes, picture_events
from clipcraft.finding.voice import VOICE_LIKE, voiced_share, voicing
from clipcraft.media.ffmpeg import PREVIEW_DECODING, ffmpeg_command, read_mono, run_ffmpeg
from clipcraft.media.probe import MediaInfo
from clipcraft.settings.units import merged_spans

AUDIO_RATE = 16000
HOP = 0.02
"""Seconds per loudness value."""
MOTION_FPS = 10
MOTION_WIDTH = 64
BACKGROUND_SECONDS = 1.0
"""An onset is measured against the median loudness of this much time before it."""
CANDIDATES, CANDIDATE_GAP = 5, 1.0
"""The strongest onsets this far apart are weighed; a quieter crash than the knock, the slam
and the laughter in the same clip must still be among them."""
KEEP_SHARE = 0.1
"""An onset scoring under this share of the strongest is not worth decoding the picture for."""
SEPARATION = 2.0
"""Motion peaks at least this far apart compete when there is no sound."""
LOOKBACK, LOOKAHEAD = 1.2, 0.6
"""The motion that goes with a sound may start this long before it (a drawer slides before it
bangs, the loudest of several hits comes late, laughter follows) or this long after it."""
WINDOW_BEFORE, WINDOW_AFTER = LOOKBACK + 0.3, LOOKAHEAD + 0.1
"""Picture decoded around a sound candidate: the lookback, and a calm stretch before it that
the motion may also have started in."""
BURST_START = 0.2
"""A motion burst starts where it first rises this share of the way from calm to its peak."""
MOTION_MIN = 2.0
"""A burst rising less than this (% of full grey, in the busiest cell) is the picture saying
nothing: compression noise, a flicker, a steady hand stirring."""
FIRST_HIT_DB, FIRST_HIT_STEP, FIRST_HIT_REACH = 10.0, 1.0, 2.5
"""By sound, an event starts at the earliest bright onset at most FIRST_HIT_DB below its
strongest, each within FIRST_HIT_STEP of the next and (when the picture saw nothing)
FIRST_HIT_REACH of the strongest."""
SNAP_SECONDS = 0.3
"""A first hit at most this long before the motion is seen to start is where it started."""
TAIL_SECONDS = 0.2
"""The very end of a track often carries an encoder artefact, never a mishap worth a clip."""
FLOOR_DB = -90.0
MIN_ONSET_DB = 6.0
"""A rise smaller than this is no event, however unusual it is in a very steady track."""
BRIGHT_HZ = 1200
"""Crashes, clatter and shrieks carry energy above this; talking and handling thumps less."""
EDGE_SECONDS = 1.0
EDGE_WEIGHT = 0.5
"""Onsets this close to either end are often the phone being picked up or put down."""
AGREE_SECONDS = 0.5
"""Candidates that start this close together are one event, not rivals for the confidence."""
VOICE_WEIGHT = 0.3
"""A voice-like onset (speech, a shout) is a reaction or talk, not a mishap by itself."""
REACTION_SECONDS, REACTION_WEIGHT = (0.3, 2.5), 1.25
"""A hit followed this soon by a voice-like onset (a shout, a scream) counts this much more."""
UNLIKE_RIVAL = 0.2
"""How much a rival that sounds nothing like the winner counts, against 1 for one alike."""
CLEAR = 0.5
"""From this confidence on, one mishap stands out; under it `make` and `probe` say to give --at."""
EVENT_REACH = 0.3
"""A sound this close to a picture event is taken to be part of it (the hand hits the phone)."""


@dataclass(frozen=True)
class Candidate:
    """One event the finder weighed: where it starts, what was heard and seen, its score."""

    time: float
    """Where the event starts: the start of its motion, or by sound alone its first hit."""
    heard: float | None
    """The sound onset that made it a candidate (None in a clip scanned by motion alone)."""
    sound: float
    """How unusual that onset is for this clip (robust z-score)."""
    motion: float
    """How far local motion rose near it (%); under MOTION_MIN the picture saw nothing."""
    score: float
    """Its share of the loudest onset, times its share of the strongest motion (when anything
    moved), times its weight (`weight_of`)."""
    picture_event: bool = False
    """The sound came with a picture event (a cut, a hand over the lens): never the moment."""
    voice: float = 0.0
    """How voice-like the sound is (voice.voiced_share; voice-like from VOICE_LIKE)."""
    reaction: bool = False
    """A voice-like onset followed it: something just happened."""


@dataclass(frozen=True)
class Seen:
    """What the picture showed near a sound: where its burst of local motion started, how far
    it rose (%), and whether the sound came with a picture event (a hand knocking the lens)."""

    start: float
    rise: float
    picture_event: bool


@dataclass(frozen=True)
class Moment:
    time: float
    confidence: float
    basis: str
    candidates: tuple[Candidate, ...] = ()
    """What was weighed, best first (`probe --json` lists them, `probe --plot` marks them)."""

    @property
    def clear(self) -> bool:
        """Whether one mishap stands out (a busy clip's many alike hits do not)."""
        return self.confidence >= CLEAR


UNCLEAR = "no clear mishap: give --at"
"""What `make` and `probe` say of a moment that is not clear; the best candidate is used."""


def band_energies(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Loudness (dB) per HOP of the whole band, of the bright band above BRIGHT_HZ, and of
    each band of a sound's shape (confidence.band_levels)."""
    hop = int(HOP * AUDIO_RATE)
    count = len(samples) // hop
    if count == 0:
        return np.full(1, FLOOR_DB), np.full(1, FLOOR_DB), np.full((1, SHAPE_BANDS), FLOOR_DB)
    frames = samples[: count * hop].reshape(count, hop) * np.hanning(hop)
    spectrum = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    frequencies = np.fft.rfftfreq(hop, 1 / AUDIO_RATE)
    whole = 10 * np.log10(spectrum.sum(axis=1) + 1e-12)
    high = 10 * np.log10(spectrum[:, frequencies >= BRIGHT_HZ].sum(axis=1) + 1e-12)
    bands = band_levels(spectrum, frequencies)
    return np.maximum(whole, FLOOR_DB), np.maximum(high, FLOOR_DB), np.maximum(bands, FLOOR_DB)


def onset_strength(level_db: np.ndarray, per_second: float) -> np.ndarray:
    """How far each value rises above the median of the second before it (dB, ≥ 0)."""
    width = max(2, int(BACKGROUND_SECONDS * per_second))
    # before the start, the first second as it is: the track starting is no onset (a file
    # often opens on a frame of digital silence)
    padded = np.concatenate([np.full(width, np.median(level_db[:width])), level_db])
    windows = np.lib.stride_tricks.sliding_window_view(padded[:-1], width)
    background = np.median(windows, axis=1)
    return np.maximum(level_db - background, 0.0)


def robust_z(values: np.ndarray) -> np.ndarray:
    """How unusual each value is for this clip: (x − median) / spread, at least 0."""
    median = np.median(values)
    spread = 1.4826 * np.median(np.abs(values - median))
    spread = max(spread, 0.1 * np.std(values), 1e-6)
    return np.maximum((values - median) / spread, 0.0)


@dataclass(frozen=True)
class Onsets:
    """Per HOP: the onset score candidates are ranked by, the plain rise in dB (is there an
    event at all?), the bright band's rise (is it a hit rather than a voice or a thump?), the
    level (dB), the voicing (voice.voicing) and the level in bands (confidence.band_levels)."""

    score: np.ndarray
    rise: np.ndarray
    bright: np.ndarray
    level: np.ndarray
    voicing: np.ndarray
    bands: np.ndarray
    """(HOPs, SHAPE_BANDS): each band's level, for how alike two sounds are."""

    def voice(self, index: int) -> float:
        """How voice-like the sound from `index` is (voice.voiced_share)."""
        return voiced_share(self.voicing, self.level, index, HOP)

    def reaction_after(self, index: int) -> bool:
        """Whether a voice-like onset (a shout, a scream, "oh no!") follows the one at `index`
        within REACTION_SECONDS: something just happened."""
        lo, hi = (index + round(seconds / HOP) for seconds in REACTION_SECONDS)
        return any(
            self.voice(int(later)) >= VOICE_LIKE
            for later in np.flatnonzero(self.rise[lo:hi] >= MIN_ONSET_DB) + lo
        )


def sound_onsets(samples: np.ndarray) -> Onsets:
    """Whole-band and bright-band onsets, the bright one weighted up."""
    whole, high, bands = band_energies(samples)
    per_second = 1 / HOP
    loud = whole - np.percentile(whole, 50)
    rise_whole, rise_high = onset_strength(whole, per_second), onset_strength(high, per_second)
    score = rise_whole + 1.5 * rise_high
    # a jump that stays quiet overall (a click in a silent room) counts for less
    score *= np.clip(loud / 20, 0.25, 1.0)
    voiced = voicing(samples, AUDIO_RATE, HOP)[: len(whole)]
    voiced = np.pad(voiced, (0, len(whole) - len(voiced)))
    return Onsets(score, np.maximum(rise_whole, rise_high), rise_high, whole, voiced, bands)


def read_frames(
    media: MediaInfo,
    start: float,
    length: float,
    fps: float = MOTION_FPS,
    width: int = MOTION_WIDTH,
) -> np.ndarray:
    """Small grey frames at `fps` over a window, `width` pixels wide (the height a multiple of
    GRID, upright as displayed), as (n, height, width) floats."""
    height = max(GRID, round(width * media.height / media.width / GRID) * GRID)
    command = ffmpeg_command(
        # the picture only has to show what moved: skip the deblocking, take decoder shortcuts
        "-loglevel", "error", *PREVIEW_DECODING,
        "-ss", f"{start:.3f}", "-t", f"{length:.3f}", "-i", media.path,
        "-map", "0:v:0", "-vf", f"fps={fps:g},scale={width}:{height},format=gray",
        "-f", "rawvideo", "pipe:1",
    )  # fmt: skip
    frames = np.frombuffer(run_ffmpeg(command, f"reading the picture of {media.path}"), np.uint8)
    count = len(frames) // (height * width)
    return frames[: count * height * width].reshape(count, height, width) / 255.0


@dataclass(frozen=True)
class Motion:
    """Per frame of a window (the first one 0, False): local motion, and whether the picture
    itself changed there (picture.picture_events)."""

    local: np.ndarray
    events: np.ndarray

    def without_events(self) -> np.ndarray:
        """Local motion with the picture events flattened to the window's calm: a cut or a
        hand over the lens is no burst of action."""
        calm = float(np.percentile(self.local[1:], 25)) if len(self.local) > 1 else 0.0
        return np.where(self.events, calm, self.local)


def motion_of(frames: np.ndarray) -> Motion:
    """Local motion per frame step, once the camera's shake is taken out (the busiest cell's
    change minus the typical cell's: a light changing everywhere cancels out too), and the
    picture events."""
    if len(frames) < 2:
        return Motion(np.zeros(max(len(frames), 1)), np.zeros(max(len(frames), 1), dtype=bool))
    cells = cell_changes(frames)
    local = cells.max(axis=1) - np.median(cells, axis=1)
    return Motion(np.concatenate([[0.0], local]), np.concatenate([[False], picture_events(cells)]))


def local_motion(frames: np.ndarray) -> np.ndarray:
    """Per frame step, local motion with picture events flattened (see Motion)."""
    return motion_of(frames).without_events()


def motion_score(motion: np.ndarray) -> np.ndarray:
    return onset_strength(motion * 100, MOTION_FPS)


def find_moment(media: MediaInfo) -> Moment:
    """The mishap's time on the source, with a confidence from 0 to 1."""
    if media.has_audio:
        found = _from_sound(media, sound_onsets(read_mono(media.path, AUDIO_RATE)))
        if found is not None:
            return found
    return _from_motion(media)


def motion_burst(motion: np.ndarray, at: int, before: int, after: int) -> tuple[int, float]:
    """The strongest burst of local motion from `before` frames before frame `at` to `after`
    frames after it: the frame where it began (which may be earlier still: the laughter after
    a crash leads back to the crash) and how far it rose over the calm of the window (its
    lower quartile), in % of full grey."""
    lo, hi = max(at - before, 1), min(at + after + 1, len(motion))
    if hi <= lo:
        return at, 0.0
    calm = float(np.percentile(motion[1:], 25))
    peak = lo + int(np.argmax(motion[lo:hi]))
    rise = max(float(motion[peak]) - calm, 0.0)
    threshold = calm + BURST_START * rise
    start = peak
    while start > 1 and motion[start - 1] > threshold:
        start -= 1
    return start, 100 * rise


def first_hit(bright: np.ndarray, strongest: int, earliest: int) -> int:
    """By sound, where the event whose strongest onset is `strongest` began, not before
    `earliest`: several hits and the laughter after them lead back to the first hit, through
    bright onsets at most FIRST_HIT_DB weaker, each within FIRST_HIT_STEP of the next."""
    step = round(FIRST_HIT_STEP / HOP)
    loud_enough = max(MIN_ONSET_DB, bright[strongest] - FIRST_HIT_DB)
    first = strongest
    while True:
        lo = max(first - step, earliest, 0)
        earlier = np.flatnonzero(bright[lo:first] >= loud_enough)
        if len(earlier) == 0:
            return first
        first = lo + int(earlier[0])


def event_start(bright: np.ndarray, heard: int, moved: float, rise: float) -> float:
    """Where the event heard at index `heard` starts, given the start of its motion burst and
    the burst's rise: the burst when the picture saw one (a drawer slides silently before it
    bangs), or a first hit a little before it (a small thing falls too slowly to show at
    first); by sound alone when the picture saw nothing."""
    if rise < MOTION_MIN:
        return first_hit(bright, heard, heard - round(FIRST_HIT_REACH / HOP)) * HOP
    return min(first_hit(bright, heard, round((moved - SNAP_SECONDS) / HOP)) * HOP, moved)


def score_candidates(sound: list[float], motion: list[float], weight: list[float]) -> list[float]:
    """Each candidate's share of the loudest sound, times its share of the strongest motion
    when the picture shows any (where nothing moves, a louder sound loses), times its weight
    (see `weight_of`)."""
    loudest, strongest = max(sound), max(motion)
    return [
        factor * heard / loudest * (seen / strongest if strongest >= MOTION_MIN else 1.0)
        for heard, seen, factor in zip(sound, motion, weight, strict=True)
    ]


def weight_of(at: float, duration: float, seen: Seen, voice: float, reaction: bool) -> float:
    """What a candidate's score is multiplied by: nothing for a sound that comes with a
    picture event; VOICE_WEIGHT for a voice-like one, unless the picture showed something
    happen before it; REACTION_WEIGHT for a hit that a voice reacts to; EDGE_WEIGHT near
    either end of the clip."""
    if seen.picture_event:
        return 0.0
    if voice >= VOICE_LIKE:
        # a voice after something was seen to happen is a reaction to it, itself no mishap
        seen_first = seen.rise >= MOTION_MIN and seen.start <= at - REACTION_SECONDS[0]
        weight = 1.0 if seen_first else VOICE_WEIGHT
    else:
        weight = REACTION_WEIGHT if reaction else 1.0
    return weight * (EDGE_WEIGHT if at < EDGE_SECONDS or at > duration - EDGE_SECONDS else 1.0)


def _windows(times: list[float], duration: float) -> list[tuple[float, float]]:
    """Picture windows around the candidates, overlapping ones merged (start, end)."""
    return merged_spans(
        (max(t - WINDOW_BEFORE, 0.0), min(t + WINDOW_AFTER, duration)) for t in times
    )


def _motion_near(media: MediaInfo, times: list[float]) -> list[Seen]:
    """For each time, what the picture showed around it."""
    windows = _windows(times, media.duration)
    with ThreadPoolExecutor(max_workers=2) as pool:  # two decoders keep both cores busy
        motions = list(
            pool.map(lambda w: motion_of(read_frames(media, w[0], w[1] - w[0])), windows)
        )
    found = []
    reach = round(EVENT_REACH * MOTION_FPS)
    for at in times:
        start, motion = next(
            (start, motion)
            for (start, end), motion in zip(windows, motions, strict=True)
            if start <= at <= end
        )
        frame = round((at - start) * MOTION_FPS)
        first, rise = motion_burst(
            motion.without_events(),
            frame,
            round(LOOKBACK * MOTION_FPS),
            round(LOOKAHEAD * MOTION_FPS),
        )
        # the change shows on the frame after it began
        found.append(
            Seen(
                start + max(first - 1, 0) / MOTION_FPS,
                rise,
                bool(motion.events[max(frame - reach, 0) : frame + reach + 1].any()),
            )
        )
    return found


def _from_sound(media: MediaInfo, onsets: Onsets) -> Moment | None:
    """The best sound candidate once the picture has had its say, or None without one."""
    z = robust_z(onsets.score)
    usable = np.where(onsets.rise >= MIN_ONSET_DB, z, 0.0)
    usable = usable[: max(len(z) - int(TAIL_SECONDS / HOP), 1)]
    peaks = highest_peaks(usable, CANDIDATES, int(CANDIDATE_GAP / HOP))
    peaks = [index for index in peaks if usable[index] >= KEEP_SHARE * usable[peaks[0]]]
    if not peaks:
        return None
    heard = [index * HOP for index in peaks]
    seen = _motion_near(media, heard)
    sound = [float(z[index]) for index in peaks]
    voice = [onsets.voice(index) for index in peaks]
    # a voice's own next syllables are no reaction to it
    reaction = [
        talk < VOICE_LIKE and onsets.reaction_after(index)
        for index, talk in zip(peaks, voice, strict=True)
    ]
    weight = [
        weight_of(at, media.duration, near, talk, answered)
        for at, near, talk, answered in zip(heard, seen, voice, reaction, strict=True)
    ]
    scores = score_candidates(sound, [near.rise for near in seen], weight)
    candidates = [
        Candidate(
            time=round(event_start(onsets.bright, index, near.start, near.rise), 2),
            heard=round(at, 2),
            sound=round(loud, 1),
            motion=round(near.rise, 1),
            score=round(score, 3),
            picture_event=near.picture_event,
            voice=round(talk, 2),
            reaction=answered,
        )
        for index, at, near, loud, score, talk, answered in zip(
            peaks, heard, seen, sound, scores, voice, reaction, strict=True
        )
    ]
    candidates.sort(key=lambda candidate: candidate.score, reverse=True)
    best = candidates[0]
    rivals = [rival_weight(best, other, onsets.bands) for other in candidates[1:]]
    return Moment(best.time, confidence(best.sound, rivals), "sound and motion", tuple(candidates))


def rival_weight(best: Candidate, other: Candidate, bands: np.ndarray) -> float:
    """How much `other` counts against `best` being the moment (0 to 1): how close it comes
    in score, or in loudness where something moved too, times how much it sounds like it
    (a near tie with a sound nothing like it still counts UNLIKE_RIVAL).
    One that starts with it (the laughter after a crash) agrees with it: no rival."""
    if abs(other.time - best.time) <= AGREE_SECONDS or best.score <= 0 or other.heard is None:
        return 0.0
    close = other.score / best.score
    if other.motion >= MOTION_MIN and not other.picture_event:
        close = max(close, min(other.sound / max(best.sound, 1e-9), 1.0))
    alike = likeness(bands, round((best.heard or 0.0) / HOP), round(other.heard / HOP), HOP)
    return min(close, 1.0) * (UNLIKE_RIVAL + (1.0 - UNLIKE_RIVAL) * alike)


def _from_motion(media: MediaInfo) -> Moment:
    motion = motion_score(local_motion(read_frames(media, 0.0, media.duration)))
    score = robust_z(motion)
    peaks = highest_peaks(score, 2, int(SEPARATION * MOTION_FPS))
    if not peaks:
        return Moment(round(media.duration * 0.5, 2), 0.0, "none")
    best = float(score[peaks[0]])
    candidates = tuple(
        # the jump shows on the frame after the change began
        Candidate(
            time=round(max(peak - 1, 0) / MOTION_FPS, 2),
            heard=None,
            sound=0.0,
            motion=round(float(motion[peak]), 1),
            score=round(float(score[peak]) / best, 3),
        )
        for peak in peaks
    )
    rivals = [candidate.score for candidate in candidates[1:]]
    return Moment(candidates[0].time, confidence(best, rivals), "motion", candidates)


def highest_peaks(values: np.ndarray, count: int, separation: int) -> list[int]:
    """Indices of the `count` highest values at least `separation` apart, highest first."""
    order = np.argsort(values)[::-1]
    chosen: list[int] = []
    for index in order:
        if values[index] <= 0 or len(chosen) == count:
            break
        if all(abs(index - other) >= separation for other in chosen):
            chosen.append(int(index))
    return chosen
