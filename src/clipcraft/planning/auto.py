"""`--auto`: the settings a creator did not give, decided from the footage, each with its
reason (pure: the evidence is read by make.py; what is decided becomes a layer under the
creator's own, so a flag, a recipe or a preset always wins).

The decisions are a creator's first edit: the window from the build-up to when the reaction
has settled, the words said as karaoke captions (else a hook from the bank), a push-in and an
effect on the moment (the effect never over a word), a freeze under a record scratch there
when the reel has room, a share prompt at the end when there is room, and a music bed. The
same clip gets the same choices every time: where a bank offers several, the clip's `turn`
picks (its place in a batch, so clips in a row take different ones; else a number from its
name).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence, Set
from dataclasses import dataclass
from typing import Any

from clipcraft.captions.speech.words import SpokenWord, said_within
from clipcraft.finding.reaction import LOUD_REACTION_DB
from clipcraft.planning.caption import OUTRO_SECONDS
from clipcraft.planning.plan import Decision
from clipcraft.planning.sequence import MIN_FAIL_SECONDS
from clipcraft.planning.trim import LEAD_IN, Window, place_window

SHORTEST, LONGEST = 5.0, 10.0
"""A reel that says its joke: 5–10 s (the whole footage when it is shorter)."""
BUILD_UP = 2.0
"""The least time before the moment: enough to see it coming."""
TAIL = 0.5
"""Kept after the reaction has settled, so the clip does not cut on a breath."""
MOST_REACTION = 5.0
"""A reaction longer than this (a crowd that keeps laughing) is cut there."""
LEAST_WORDS = 2
"""Fewer words than this in the window (a lone "oh") are not worth captions."""
EFFECT_SHIFT = 0.4
"""The effect moves at most this far after the moment into a pause (else the next effect in
turn that fits, else none)."""
EFFECT_LEAD = 0.1
"""The effect moves at most this far before the moment: one heard before the picture shows
why is out of sync (a viewer notices a sound leading by more than a few frames, less one
lagging)."""
STEP = 0.05
"""The effect is tried this far apart off the moment."""
CLEARANCE = 0.15
"""An effect ends this long before the next word starts: Whisper times a word's start about
0.1 s off (92 ms median, 0.2 s at the 90th percentile, #40), and its first sound is its
most fragile."""
HANDHELD = 0.006
"""Jitter past this share of the width a frame is surely a hand. Measured on the shared and
made clips: tripods and pans 0–0.15%; but hands chopping a cabbage under a still camera fill
so much of the picture that they read 0.34%, as much as a sled ride filmed by hand (0.34%)
or a Pixel clip (0.28%); a made trembling clip 0.40%, a shaking one 1.19%. So only a picture
that shakes plainly is steadied: a wrongly steadied clip moves with its action."""
LEAST_FOOTAGE = 3.0
"""The footage is taken to end where its picture breaks only when that leaves this much."""
AFTER_MOMENT = 0.5
"""The picture may change wholly this soon after the moment (flour over the lens is the
fail); a break later than this ends the window."""
LAST_FRAMES = 0.2
"""A break in a clip's last 0.2 s is looked for even right after the moment: a clip cut from a
compilation often ends on a frame of the next one."""
PUNCH_IN = 1.2
"""The scale of the push-in on the moment: felt, not a jump cut."""
SOFTER_DB = -6.0
"""An effect over a loud reaction of the footage's own is this much softer: it is not the joke."""
SCRATCH = "record-scratch"
"""The freeze's sound: the record dragged back as the picture stops."""
FREEZE_SHORTEST, FREEZE_LONGEST = 0.5, 1.0
"""The freeze lasts as long as the scratch (to the tenth above), so the scratch fills it: the
footage's sound stops under a freeze, and past the scratch's 0.45 s only the bed is left (on
the sled crash a 1-s freeze left 0.55 s at -30 dB between -12 dB sounds: dead air)."""
FREEZE_CLEAR = 0.1
"""No word may be said this near the moment: the footage's sound stops for the freeze, so a
word across it would be cut in two."""


@dataclass(frozen=True)
class Evidence:
    """What the footage says, read by make.py for `--auto`."""

    name: str
    footage: float
    moment: float | None
    """The mishap found (None: a photo, or footage too short to look in)."""
    confidence: float
    clear: bool
    settle: float | None
    """Seconds after the moment when the sound is back to the scene's own (None: no sound)."""
    loud_reaction: float | None
    """How far the footage's reaction rises over the scene's level, in dB (None: no sound)."""
    words: tuple[SpokenWord, ...] | None
    """The words said around the moment, timed on the source (None: no speech engine
    installed)."""
    effects: tuple[tuple[str, float], ...]
    """Effects whose tags suit a mishap (comedy), with their lengths, in the library's order."""
    beds: tuple[str, ...]
    """Bundled music beds whose mood suits a fail (comedy), in the library's order."""
    chill_beds: tuple[str, ...]
    """Bundled beds that sit low under speech."""
    own_music: str | None
    """The creator's own default bed (a file in their data folder's `music`), if any."""
    picture_break: float | None = None
    """Seconds after the moment when the picture itself changes (a cut, a hand over the lens),
    if it does within the longest window: the window ends before it (usable_footage)."""
    jitter: float | None = None
    """How much the picture jitters around the moment, as a share of its width a frame."""
    turn: int | None = None
    """The clip's place in its batch; None: one clip, turned by its name."""
    scratch: float | None = None
    """The record scratch's length in seconds (None: the library has none)."""
    story: float = 0.0
    """Seconds the creator's own parts besides the fail (a freeze, a replay, after parts, a
    lesson) add to the reel: the length decided is the fail's, and these come on top."""
    duration: float | None = None
    """The reel's length when the creator gave it (their parts share it with the fail)."""
    frozen: float = 0.0
    """The creator's own freeze at the moment, in seconds (0: none)."""

    @property
    def usable(self) -> float:
        """The footage a window on the moment may use (usable_footage)."""
        return usable_footage(self.footage, self.moment, self.picture_break)


def decide(
    given: Set[str],
    evidence: Evidence,
    hooks: Sequence[str],
    prompts: Sequence[str],
) -> tuple[Decision, ...]:
    """Every setting not in `given` that `--auto` decides, with why; a decision whose value
    is None says what was left as it is, and why."""
    turn = evidence.turn if evidence.turn is not None else zlib.crc32(evidence.name.encode())
    decisions: list[Decision] = []
    moment = evidence.moment
    length = _length(evidence)
    story = length + evidence.story
    outro = "captions.outro" not in given and bool(prompts) and _card_fits(evidence, length)
    window = place_window(evidence.usable, length, at=moment).window if moment is not None else None
    spoken = said_within(evidence.words or (), window.start, window.end) if window else []
    sized = (
        moment is not None and "duration" not in given and not given & {"trim.start", "trim.end"}
    )
    card = outro or "captions.outro" in given  # a card of the creator's takes its time too
    reel = story + (OUTRO_SECONDS if card else 0.0)  # the card holds the last frame
    held = None
    if moment is not None and "beats.freeze" not in given:
        held = _freeze(evidence, moment, given, reel if sized else None, spoken, length)
    added = held.value if held is not None and held.value else 0.0  # the creator's is in story
    freeze = added or evidence.frozen  # the scratch and the effect wait for either
    if moment is not None and not given & {"trim.at", "trim.start", "trim.end"}:
        decisions.append(_window(evidence, moment))
    if sized and moment is not None:
        tenths = math.floor((reel + added) * 10 + 1e-6) / 10  # never past the footage's end
        decisions.append(Decision("duration", tenths, _length_why(evidence, length, added)))
    captions_given = given & {"caption", "captions.file", "captions.hook"}
    speech = len(spoken) >= LEAST_WORDS and not captions_given
    if speech:
        said = " ".join(word.text for word in spoken[:6])
        decisions.append(Decision("captions.file", "speech", f"{len(spoken)} words said: {said}…"))
        if "captions.animation" not in given:
            decisions.append(Decision("captions.animation", "karaoke", "each word lit as said"))
    elif not captions_given and hooks:
        unheard = "no speech engine installed" if evidence.words is None else "no words said"
        why = f"{unheard} in the window: hook {turn % len(hooks) + 1} of {len(hooks)} from the bank"
        decisions.append(Decision("captions.hook", hooks[turn % len(hooks)], why))
    if moment is not None and "beats.punch_in" not in given:
        decisions.append(_punch_in(evidence))
    if held is not None:
        decisions.append(held)
    if moment is not None and window and "sfx" not in given and (evidence.effects or freeze):
        decisions += _effect(evidence, moment, turn, spoken, given, freeze, window.start)
    if outro:
        prompt = prompts[turn % len(prompts)]
        decisions.append(Decision("captions.outro", prompt, "a share prompt: the budget has room"))
    elif "captions.outro" not in given:
        why = "no room for a closing card" if prompts else "no share prompts in the bank"
        decisions.append(Decision("captions.outro", None, why))
    if "music" not in given:
        decisions.append(_music(evidence, turn, speech))
    if "output.stabilize" not in given and evidence.jitter is not None:
        decisions.append(_steadying(evidence.jitter))
    return tuple(decisions)


def _card_fits(evidence: Evidence, length: float) -> bool:
    """Whether a share prompt's card fits: within LONGEST after the fail and the creator's
    parts, or within the length the creator gave, leaving the fail its least."""
    if length < MIN_FAIL_SECONDS:
        return False
    if evidence.duration is not None:
        return evidence.duration - evidence.story - OUTRO_SECONDS >= MIN_FAIL_SECONDS
    return length + evidence.story + OUTRO_SECONDS <= LONGEST


def _steadying(jitter: float) -> Decision:
    """Steadied only when the picture surely shakes by hand: a tripod's and a pan's jitter is
    near nothing, a hand's well over HANDHELD."""
    share = f"the picture jitters {jitter:.2%} of its width a frame"
    if jitter >= HANDHELD:
        return Decision("output.stabilize", True, f"{share}: held by hand")
    return Decision("output.stabilize", None, f"{share}: steady or panning, left as it is")


def _punch_in(evidence: Evidence) -> Decision:
    """A push-in on the mishap, when the finder is sure where it is: on a guess it would
    point at the wrong second."""
    if not evidence.clear:
        return Decision("beats.punch_in", None, "the finder is unsure: no push-in on a guess")
    return Decision("beats.punch_in", PUNCH_IN, "a push-in on the action at the moment")


def _freeze(
    evidence: Evidence,
    moment: float,
    given: Set[str],
    reel: float | None,
    spoken: Sequence[SpokenWord],
    length: float,
) -> Decision:
    """The moment held still under a record scratch, when it can only help: on a sure moment
    (a freeze on a guess holds the wrong frame), with the scratch free to go in the effects,
    no layout of the creator's (a split refuses a freeze) nor replay (the moment twice is
    enough), no word cut by it, and room for it in a reel of `reel` seconds (after parts
    and card counted) within LONGEST (None: the creator set the length)."""
    if evidence.scratch is None:
        return Decision("beats.freeze", None, f"no {SCRATCH} effect to freeze on")
    if length < MIN_FAIL_SECONDS:
        return Decision("beats.freeze", None, f"{length:.1f} s of footage: no time to hold it")
    if not evidence.clear:
        return Decision("beats.freeze", None, "the finder is unsure: no freeze on a guess")
    if "sfx" in given:
        return Decision("beats.freeze", None, f"your effects stand: no {SCRATCH} to freeze on")
    if given & {"after.layout", "beats.replay"}:
        return Decision("beats.freeze", None, "your layout or replay shapes the moment: no freeze")
    if reel is None:
        return Decision("beats.freeze", None, "your length stands: no time made for a freeze")
    cut = _said_across(spoken, moment - FREEZE_CLEAR, moment + FREEZE_CLEAR)
    if cut:
        why = f"'{cut[0].text}' is said at the moment: a freeze would cut it"
        return Decision("beats.freeze", None, why)
    tenths = math.ceil(evidence.scratch * 10 - 1e-6) / 10
    seconds = min(max(tenths, FREEZE_SHORTEST), FREEZE_LONGEST)
    if reel + seconds > LONGEST + 1e-6:
        why = f"no room: the reel is {reel:.1f} s, a {seconds:g}-s freeze would pass {LONGEST:g} s"
        return Decision("beats.freeze", None, why)
    why = f"the moment held {seconds:g} s under a {SCRATCH}: the reel has room"
    return Decision("beats.freeze", seconds, why)


def _window(evidence: Evidence, moment: float) -> Decision:
    if evidence.clear:
        why = f"the mishap found at {moment:.2f} s (confidence {evidence.confidence:.2f})"
        return Decision("trim.at", round(moment, 2), why)
    return Decision(
        "trim.at",
        None,
        f"the finder is unsure (confidence {evidence.confidence:.2f}): the window stays on its "
        f"best guess at {moment:.2f} s; give --at",
    )


def reach(footage: float, moment: float) -> Window:
    """The longest window on the moment: all of the footage a decision may look at, so the
    words are heard and the picture's break looked for over it."""
    return place_window(footage, LONGEST, at=moment).window


def break_span(footage: float, moment: float) -> tuple[float, float]:
    """Where a break in the picture after the moment is looked for: from AFTER_MOMENT on (the
    mishap itself is no break, but for a clip's LAST_FRAMES) to the end of its reach."""
    end = reach(footage, moment).end
    return min(moment + AFTER_MOMENT, end - LAST_FRAMES), end


def usable_footage(footage: float, moment: float | None, picture_break: float | None) -> float:
    """How much of `footage` a window on the moment may use: up to where its picture breaks
    after the moment (a hand over the lens, a cut to another clip), when that leaves a reel
    (LEAST_FOOTAGE); a picture that breaks sooner is all breaks (a slideshow), so all of it."""
    if moment is None or picture_break is None or moment + picture_break < LEAST_FOOTAGE:
        return footage
    return min(footage, moment + picture_break)


def _length(evidence: Evidence) -> float:
    """From the build-up to the reaction's end: the moment LEAD_IN into the window, at least
    BUILD_UP before it, the settled reaction and a TAIL after it; 5–10 s, within the footage
    (which ends where its picture breaks)."""
    after = min(evidence.settle if evidence.settle is not None else 3.0, MOST_REACTION) + TAIL
    length = max(after / (1 - LEAD_IN), BUILD_UP / LEAD_IN, SHORTEST)
    return min(length, LONGEST, evidence.usable)


def _length_why(evidence: Evidence, length: float, freeze: float) -> str:
    if evidence.settle is None:
        why = f"{length:.1f} s around the moment (no sound to hear the reaction in)"
    else:
        why = f"the build-up and the reaction, settled {evidence.settle:.1f} s after the moment"
    if freeze:
        why += f", and the {freeze:g}-s freeze"
    if evidence.story:
        why += f", and {evidence.story:.1f} s of your own parts"
    moment, broken = evidence.moment, evidence.picture_break
    if moment is not None and broken is not None:
        whole = place_window(evidence.footage, length, at=moment).window
        if whole.end > evidence.usable + 0.01:  # the break moved the window
            why += f"; the footage is taken to end where its picture breaks, {broken:.1f} s"
            why += " after the moment"
    return why


def _effect(
    evidence: Evidence,
    moment: float,
    turn: int,
    spoken: Sequence[SpokenWord],
    given: Set[str],
    freeze: float,
    start: float,
) -> list[Decision]:
    """An effect on the moment, moved into the nearest pause when a word is said there; the
    clip's turn picks it, or the next in turn that fits the pause. With a freeze, the record
    scratch on its first frame and the effect where the footage goes on (the moment's own
    sound plays after the freeze), moved only later, so the two never overlap."""
    scratch = [f"{SCRATCH}@moment"] if freeze else []
    lead = f"the {SCRATCH} on the freeze; " if freeze else ""
    if not evidence.effects:
        return [Decision("sfx", scratch, f"{lead}no comedy effect besides")]
    count = len(evidence.effects)
    turned = [evidence.effects[(turn + step) % count] for step in range(count)]
    earliest = moment if freeze else start  # never before the clip, nor over the scratch
    placed = ((sound, _pause_near(moment, length, spoken, earliest)) for sound, length in turned)
    sound, at = next(((sound, at) for sound, at in placed if at is not None), (turned[0][0], None))
    if at is None:
        why = f"{lead}words are said all around the moment: no effect fits"
        return [Decision("sfx", scratch or None, why)]
    offset = at - moment + freeze
    when = "moment" if abs(offset) < 0.01 else f"moment{offset:+.2f}"
    where = "on the moment" if abs(at - moment) < 0.01 else f"moved {at - moment:+.2f} s off a word"
    after = " after the freeze" if freeze else ""
    fits = "in turn" if sound == turned[0][0] else f"{turned[0][0]} would ring over a word"
    why = f"{lead}{sound} {where}{after} (comedy, {fits})"
    decisions = [Decision("sfx", [*scratch, f"{sound}@{when}"], why)]
    loud = evidence.loud_reaction
    if loud is not None and loud >= LOUD_REACTION_DB and "sound.sfx_volume" not in given:
        why = f"the footage's own reaction is loud (+{loud:.0f} dB): the effect steps back"
        decisions.append(Decision("sound.sfx_volume", SOFTER_DB, why))
    return decisions


def _pause_near(
    moment: float, span: float, spoken: Sequence[SpokenWord], earliest: float
) -> float | None:
    """The time nearest `moment` (in steps of STEP, at most EFFECT_LEAD before it and never
    before `earliest`, or EFFECT_SHIFT after; later first) where an effect `span` seconds
    long overlaps no word and ends CLEARANCE before the next: the mix ducks the footage under
    the whole effect, so a word under its tail is lost too."""
    steps = range(-round(EFFECT_LEAD / STEP), round(EFFECT_SHIFT / STEP) + 1)
    for step in sorted(steps, key=lambda step: (abs(step), -step)):
        at = moment + step * STEP
        if at >= earliest - 1e-6 and not _said_across(spoken, at, at + span + CLEARANCE):
            return at
    return None


def _said_across(spoken: Sequence[SpokenWord], start: float, end: float) -> list[SpokenWord]:
    """The words said at any time between `start` and `end`."""
    return [word for word in spoken if word.start < end and start < word.end]


def _music(evidence: Evidence, turn: int, speech: bool) -> Decision:
    if evidence.own_music:
        return Decision("music", evidence.own_music, "your default bed (your data folder's music)")
    if speech and evidence.chill_beds:
        bed = evidence.chill_beds[0]
        return Decision("music", bed, f"{bed}: a chill bed that sits under the words")
    if not evidence.beds:
        return Decision("music", None, "no bed to choose from")
    bed = evidence.beds[turn % len(evidence.beds)]
    return Decision("music", bed, f"{bed}: a comic bed for a fail, in turn")


def layer_values(decisions: Sequence[Decision]) -> dict[str, Any]:
    """The decided settings (those with a value), as a layer's raw values; but the window's
    moment, which is the finder's: the plan takes it as found (and says so), not as given."""
    return {
        choice.setting: choice.value
        for choice in decisions
        if choice.value is not None and choice.setting != "trim.at"
    }
