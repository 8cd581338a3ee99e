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

from clipcraft.finding.reaction import LOUD_REACTION_DB
from clipcraft.planning.caption import OUTRO_SECONDS
from clipcraft.planning.plan import Decision
from clipcraft.planning.trim import LEAD_IN, place_window

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
LOUDEST_PART = 0.8
"""An effect's first 0.8 s (all of a short one) is what a word must not be said under: the
mix ducks the footage there, so a word under it is lost; a long one's tail is quiet."""
EFFECT_SHIFT = 0.4
"""The effect moves at most this far off the moment into a pause, or is left out."""
HANDHELD = 0.006
"""Jitter past this share of the width a frame is surely a hand. Measured on the shared and
made clips: tripods and pans 0–0.15%; but hands chopping a cabbage under a still camera fill
so much of the picture that they read 0.34%, as much as a sled ride filmed by hand (0.34%)
or a Pixel clip (0.28%); a made trembling clip 0.40%, a shaking one 1.19%. So only a picture
that shakes plainly is steadied: a wrongly steadied clip moves with its action."""
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
class Heard:
    """A word said in the footage, timed on the source."""

    text: str
    start: float
    end: float


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
    words: tuple[Heard, ...] | None
    """The words said in the window (None: no speech engine installed)."""
    effects: tuple[tuple[str, float], ...]
    """Effects whose tags suit a mishap (comedy), with their lengths, in the library's order."""
    beds: tuple[str, ...]
    """Bundled music beds whose mood suits a fail (comedy), in the library's order."""
    chill_beds: tuple[str, ...]
    """Bundled beds that sit low under speech."""
    own_music: str | None
    """The creator's own default bed (a file in their data folder's `music`), if any."""
    jitter: float | None = None
    """How much the picture jitters around the moment, as a share of its width a frame."""
    turn: int | None = None
    """The clip's place in its batch; None: one clip, turned by its name."""
    scratch: float | None = None
    """The record scratch's length in seconds (None: the library has none)."""


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
    outro = "captions.outro" not in given and length + OUTRO_SECONDS <= LONGEST
    spoken = _said_in_window(evidence, length)
    sized = (
        moment is not None and "duration" not in given and not given & {"trim.start", "trim.end"}
    )
    reel = length + (OUTRO_SECONDS if outro else 0.0)  # the card holds the last frame
    held = None
    if moment is not None and "beats.freeze" not in given:
        held = _freeze(evidence, moment, given, reel if sized else None, spoken)
    freeze = held.value if held is not None and held.value else 0.0
    if moment is not None and not given & {"trim.at", "trim.start", "trim.end"}:
        decisions.append(_window(evidence, moment))
    if sized:
        tenths = math.floor((reel + freeze) * 10 + 1e-6) / 10  # never past the footage's end
        decisions.append(Decision("duration", tenths, _length_why(evidence, length, freeze)))
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
    if moment is not None and "sfx" not in given and (evidence.effects or freeze):
        decisions += _effect(evidence, moment, turn, spoken, given, freeze)
    if outro and prompts:
        prompt = prompts[turn % len(prompts)]
        decisions.append(Decision("captions.outro", prompt, "a share prompt: the budget has room"))
    elif "captions.outro" not in given:
        decisions.append(Decision("captions.outro", None, "no room for a closing card"))
    if "music" not in given:
        decisions.append(_music(evidence, turn, speech))
    if "output.stabilize" not in given and evidence.jitter is not None:
        decisions.append(_steadying(evidence.jitter))
    return tuple(decisions)


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
    spoken: Sequence[Heard],
) -> Decision:
    """The moment held still under a record scratch, when it can only help: on a sure moment
    (a freeze on a guess holds the wrong frame), with the scratch free to go in the effects,
    the fail the whole reel (a split refuses a freeze; after parts and a replay share a
    budget this does not count), no word cut by it, and room for it in a reel of `reel`
    seconds within LONGEST (None: the creator set the length)."""
    if evidence.scratch is None:
        return Decision("beats.freeze", None, f"no {SCRATCH} effect to freeze on")
    if not evidence.clear:
        return Decision("beats.freeze", None, "the finder is unsure: no freeze on a guess")
    if "sfx" in given:
        return Decision("beats.freeze", None, f"your effects stand: no {SCRATCH} to freeze on")
    if given & {"after", "after.layout", "beats.replay"}:
        return Decision("beats.freeze", None, "the reel goes on past the fail: no freeze")
    if reel is None:
        return Decision("beats.freeze", None, "your length stands: no time made for a freeze")
    near = moment - FREEZE_CLEAR, moment + FREEZE_CLEAR
    cut = [word.text for word in spoken if word.start < near[1] and near[0] < word.end]
    if cut:
        why = f"'{cut[0]}' is said at the moment: a freeze would cut it"
        return Decision("beats.freeze", None, why)
    tenths = math.ceil(evidence.scratch * 10 - 1e-6) / 10
    seconds = min(max(tenths, FREEZE_SHORTEST), FREEZE_LONGEST)
    if reel + seconds > LONGEST + 1e-6:
        why = f"no room: the reel is {reel:.1f} s, a {seconds:g}-s freeze would pass {LONGEST:g} s"
        return Decision("beats.freeze", None, why)
    why = f"the moment held {seconds:g} s under a {SCRATCH}: the reel has room"
    return Decision("beats.freeze", seconds, why)


def _said_in_window(evidence: Evidence, length: float) -> list[Heard]:
    """The words said inside the window the clip will show (heard over a wider span)."""
    if evidence.moment is None:
        return []
    window = place_window(evidence.footage, length, at=evidence.moment).window
    return [
        word
        for word in evidence.words or ()
        if word.text.strip() and window.start <= word.start and word.end <= window.end
    ]


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


def _length(evidence: Evidence) -> float:
    """From the build-up to the reaction's end: the moment LEAD_IN into the window, at least
    BUILD_UP before it, the settled reaction and a TAIL after it; 5–10 s."""
    after = min(evidence.settle if evidence.settle is not None else 3.0, MOST_REACTION) + TAIL
    length = max(after / (1 - LEAD_IN), BUILD_UP / LEAD_IN, SHORTEST)
    return min(length, LONGEST, evidence.footage)


def _length_why(evidence: Evidence, length: float, freeze: float) -> str:
    held = f", and the {freeze:g}-s freeze" if freeze else ""
    if evidence.settle is None:
        return f"{length:.1f} s around the moment (no sound to hear the reaction in){held}"
    return f"the build-up and the reaction, settled {evidence.settle:.1f} s after the moment{held}"


def _effect(
    evidence: Evidence,
    moment: float,
    turn: int,
    spoken: Sequence[Heard],
    given: Set[str],
    freeze: float,
) -> list[Decision]:
    """An effect on the moment, moved into the nearest pause when a word is said there; with
    a freeze, the record scratch on its first frame and the effect where the footage goes on
    (the moment's own sound plays after the freeze), moved only later, so the two never
    overlap."""
    scratch = [f"{SCRATCH}@moment"] if freeze else []
    lead = f"the {SCRATCH} on the freeze; " if freeze else ""
    if not evidence.effects:
        return [Decision("sfx", scratch, f"{lead}no comedy effect besides")]
    sound, length = evidence.effects[turn % len(evidence.effects)]
    at = _pause_near(moment, min(length, LOUDEST_PART), spoken, later_only=bool(freeze))
    if at is None:
        why = f"{lead}words are said all around the moment: no {sound}"
        return [Decision("sfx", scratch or None, why)]
    offset = at - moment + freeze
    when = "moment" if abs(offset) < 0.01 else f"moment{offset:+.2f}"
    where = "on the moment" if abs(at - moment) < 0.01 else f"moved {at - moment:+.2f} s off a word"
    after = " after the freeze" if freeze else ""
    why = f"{lead}{sound} {where}{after} (comedy, in turn)"
    decisions = [Decision("sfx", [*scratch, f"{sound}@{when}"], why)]
    loud = evidence.loud_reaction
    if loud is not None and loud >= LOUD_REACTION_DB and "sound.sfx_volume" not in given:
        why = f"the footage's own reaction is loud (+{loud:.0f} dB): the effect steps back"
        decisions.append(Decision("sound.sfx_volume", SOFTER_DB, why))
    return decisions


def _pause_near(
    moment: float, span: float, spoken: Sequence[Heard], later_only: bool
) -> float | None:
    """The time nearest `moment`, at most EFFECT_SHIFT off (and not before it if
    `later_only`), where an effect's first `span` seconds overlap no word."""
    signs = (1,) if later_only else (1, -1)
    steps = [moment + sign * step / 20 for step in range(9) for sign in signs]
    for at in steps[1:] if steps[0] == steps[1] else steps:
        if abs(at - moment) <= EFFECT_SHIFT + 1e-9 and not any(
            word.start < at + span and at < word.end for word in spoken
        ):
            return at
    return None


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
    """The decided settings (those with a value), as a layer's raw values."""
    return {choice.setting: choice.value for choice in decisions if choice.value is not None}
