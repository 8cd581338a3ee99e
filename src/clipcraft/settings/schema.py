"""Every setting, declared once: its recipe key, what it accepts, its default, its help, its
flag and where it lands in the Recipe.

The click options of `make`, the reading of presets, recipes and sidecars, the layering with
origins and the settings table in docs/recipes.md are all derived from this table; adding a
setting is one entry here plus its use.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from clipcraft.settings.banks import HOOKS, PROMPTS
from clipcraft.settings.platforms import PLATFORMS
from clipcraft.settings.recipe import ANIMATIONS, FITS, LAYOUTS, PER_PART, QUALITIES, TRANSITIONS
from clipcraft.settings.styles import POSITIONS, STYLES
from clipcraft.settings.values import (
    AfterEntry,
    CaptionsSource,
    CaptionText,
    Choice,
    Cue,
    Flag,
    FontFile,
    Kind,
    ListOf,
    Music,
    Number,
    PlainName,
    Seconds,
    Speed,
    Text,
    Words,
)


@dataclass(frozen=True, kw_only=True)
class Setting:
    key: str
    """The dotted key in recipe files: `after.duration` is `duration` in `[after]`."""
    field: str
    """Where the value lands in the Recipe: `section.name`, or a top-level `name`."""
    kind: Kind
    default: Any
    help: str
    flag: str | None = None
    """The `make` option that sets it (`--a/--no-a` for a flag pair); None: recipes only."""
    flag_value: Any = None
    """The value of an option given without one (`--freeze` alone is a 1-second freeze)."""
    metavar: str | None = None

    @property
    def param(self) -> str:
        """The name click gives the option's value."""
        return self.key.replace(".", "_")

    @property
    def per_part(self) -> bool:
        """An [after] setting a part may also set of its own (a field of recipe.PerPart): its
        flag typed after an `--after` is that part's (see cli/parts.py), typed before any is
        every part's."""
        section, _, name = self.field.rpartition(".")
        return section == "after" and name in PER_PART


class _PerPartKinds(Mapping[str, Kind]):
    """The kinds of the per-part settings by name, read from SETTINGS when asked, so an
    [[after]] table holds each to the same bounds as [after] without a second list."""

    def __getitem__(self, name: str) -> Kind:
        if name not in PER_PART:
            raise KeyError(name)
        return SETTINGS[f"after.{name}"].kind

    def __iter__(self) -> Iterator[str]:
        return iter(PER_PART)

    def __len__(self) -> int:
        return len(PER_PART)


def _table(*settings: Setting) -> dict[str, Setting]:
    return {setting.key: setting for setting in settings}


SETTINGS = _table(
    Setting(
        key="auto",
        field="auto",
        kind=Flag(),
        default=False,
        flag="--auto/--no-auto",
        help="Decide every setting not given from the footage — the window and length, "
        "captions (the words said, else a hook), an effect on the moment, a closing prompt, a "
        "music bed — and say why in --dry-run; flags, recipes and presets always win.",
    ),
    Setting(
        key="trim.at",
        field="trim.at",
        kind=Seconds(auto=True),
        default=None,
        flag="--at",
        metavar="TIME",
        help="The mishap moment on the source, e.g. 0:07.2; the window is placed around it "
        "[default: found in the footage].",
    ),
    Setting(
        key="trim.start",
        field="trim.start",
        kind=Seconds(),
        default=None,
        flag="--start",
        metavar="TIME",
        help="Start of an explicit window on the source.",
    ),
    Setting(
        key="trim.end",
        field="trim.end",
        kind=Seconds(),
        default=None,
        flag="--end",
        metavar="TIME",
        help="End of an explicit window on the source.",
    ),
    Setting(
        key="duration",
        field="duration",
        kind=Seconds(0.5, 180),
        default=8.0,
        flag="--duration",
        help="Total clip length in seconds.",
    ),
    Setting(
        key="output.platform",
        field="output.platform",
        kind=Choice(tuple(sorted(PLATFORMS))),
        default="reels",
        flag="--platform",
        help="The frame to deliver: 1080x1920, 1080x1080 or 1920x1080.",
    ),
    Setting(
        key="output.fit",
        field="output.fit",
        kind=Choice(FITS),
        default="auto",
        flag="--fit",
        help="Fill the frame by cropping (follow: a window that tracks the action), or fit "
        "over a blurred copy, or pad with black; auto follows footage much wider than the "
        "frame when its action is in one place.",
    ),
    Setting(
        key="output.quality",
        field="output.quality",
        kind=Choice(QUALITIES),
        default="standard",
        flag="--quality",
        help="Encoder effort: draft (fastest), standard, high.",
    ),
    Setting(
        key="output.preview",
        field="output.preview",
        kind=Flag(),
        default=False,
        flag="--preview/--no-preview",
        help="Fast 540x960 draft render for checking (never counts as a series episode).",
    ),
    Setting(
        key="output.stabilize",
        field="output.stabilize",
        kind=Flag(),
        default=False,
        flag="--stabilize/--no-stabilize",
        help="Steady handheld footage: the shake taken out, the picture cropped by what it "
        "needs (at most 6% a side); a steady clip is left as it is.",
    ),
    Setting(
        key="output.cover",
        field="output.cover",
        kind=Text(),
        default=None,
        flag="--cover",
        flag_value="",
        metavar="[PATH]",
        help="Also write a cover JPEG: the moment's frame [default: beside the clip].",
    ),
    Setting(
        key="caption",
        field="captions.texts",
        kind=ListOf(CaptionText()),
        default=(),
        flag="--caption",
        help="Caption over the fail; repeat for several, shown one after another.",
    ),
    Setting(
        key="captions.hook",
        field="captions.hook",
        kind=Words(),
        default=None,
        flag="--hook",
        help="A caption over the build-up, bigger than the others and gone 0.3 s before the "
        'moment, e.g. "Wait for it…"; the captions over the fail follow it.',
    ),
    Setting(
        key="captions.hooks",
        field="captions.hooks",
        kind=ListOf(Words()),
        default=HOOKS,
        help="The hooks --auto chooses from when no words are said (the same clip, the same hook).",
    ),
    Setting(
        key="captions.prompts",
        field="captions.prompts",
        kind=ListOf(Words()),
        default=PROMPTS,
        help="The share prompts --auto closes a clip with when there is room.",
    ),
    Setting(
        key="captions.file",
        field="captions.subtitles",
        kind=CaptionsSource(),
        default=None,
        flag="--captions",
        help="Timed captions (.srt or .vtt) timed on the SOURCE footage, or `speech`: what is "
        "said in the window, transcribed here, offline, and written beside the clip as "
        "NAME.vtt to edit and render again.",
    ),
    Setting(
        key="captions.speech_model",
        field="captions.speech_model",
        kind=Text(),
        default=None,
        flag="--speech-model",
        metavar="PATH|NAME",
        help="With --captions speech: the Whisper model, never downloaded: tiny.en (English, "
        "the speech extra), base (any language, the speech-all extra) or a faster-whisper "
        "model's folder [default: tiny.en for English, base for any other]; `clipcraft probe "
        "--speech` lists those installed.",
    ),
    Setting(
        key="captions.speech_lang",
        field="captions.speech_lang",
        kind=Text(),
        default="en",
        flag="--speech-lang",
        metavar="CODE",
        help="With --captions speech: the language spoken, as Whisper's two-letter code "
        "(en, de, fr, …).",
    ),
    Setting(
        key="captions.outro",
        field="captions.outro",
        kind=Text(),
        default=None,
        flag="--outro",
        help='A closing card of 1.5 s inside the duration, e.g. "Your worst fail? 👇".',
    ),
    Setting(
        key="captions.style",
        field="captions.style",
        kind=Choice(tuple(STYLES)),
        default="classic",
        flag="--style",
        help="Caption look.",
    ),
    Setting(
        key="captions.font",
        field="captions.font",
        kind=FontFile(),
        default=None,
        flag="--font",
        help="Caption face: a bundled font or a font file.",
    ),
    Setting(
        key="captions.position",
        field="captions.position",
        kind=Choice(POSITIONS),
        default=None,
        flag="--caption-position",
        help="Where captions sit in the safe zone [default: the style's].",
    ),
    Setting(
        key="captions.animation",
        field="captions.animation",
        kind=Choice(ANIMATIONS),
        default="pop",
        flag="--caption-anim",
        help="How captions appear: all at once (pop, fade, none), word by word (words), or "
        "whole with the spoken word highlighted (karaoke).",
    ),
    Setting(
        key="sfx",
        field="sound.effects",
        kind=ListOf(Cue()),
        default=(),
        flag="--sfx",
        help="A sound effect (bundled name or file) at seconds on the clip or at "
        "moment|start|after|end; repeatable. Default place: moment.",
    ),
    Setting(
        key="sound.sfx_volume",
        field="sound.effect_volume_db",
        kind=Number(-40, 20, "dB"),
        default=0.0,
        flag="--sfx-volume",
        metavar="DB",
        help="Raise (+) or lower (-) every effect by this many dB.",
    ),
    Setting(
        key="sound.mute",
        field="sound.mute",
        kind=Flag(),
        default=False,
        flag="--mute/--no-mute",
        help="Drop the footage's own sound.",
    ),
    Setting(
        key="sound.duck",
        field="sound.duck",
        kind=Flag(),
        default=True,
        flag="--duck/--no-duck",
        help="Dip the footage's sound by 8 dB under effects, or keep it at full level.",
    ),
    Setting(
        key="music",
        field="sound.music",
        kind=Music(),
        default=None,
        flag="--music",
        help="A music bed under the whole clip, from START seconds into the track, faded in "
        "and out and ducked under speech and effects; the cut to the after lands on its beat.",
    ),
    Setting(
        key="sound.music_volume",
        field="sound.music_volume_db",
        kind=Number(-30, 12, "dB"),
        default=0.0,
        flag="--music-volume",
        metavar="DB",
        help="Raise (+) or lower (-) the music from its place under the footage.",
    ),
    Setting(
        key="sound.beat_cut",
        field="sound.beat_cut",
        kind=Flag(),
        default=True,
        flag="--beat-cut/--no-beat-cut",
        help="With --music, move the cut to the after onto the music's nearest beat.",
    ),
    Setting(
        key="after",
        field="after.parts",
        kind=ListOf(AfterEntry(_PerPartKinds())),
        default=(),
        flag="--after",
        help="A photo or video shown after the fail: the recovery, the finished dish; repeat "
        "for several, shown in order. The --after-* flags and --transition typed after one "
        "are that part's own.",
    ),
    Setting(
        key="after.duration",
        field="after.duration",
        kind=Seconds(0.5, 30),
        default=2.5,
        flag="--after-duration",
        help="How long an after part lasts.",
    ),
    Setting(
        key="after.start",
        field="after.start",
        kind=Seconds(),
        default=0.0,
        flag="--after-start",
        metavar="TIME",
        help="Where in an after video to start.",
    ),
    Setting(
        key="after.speed",
        field="after.speed",
        kind=Speed(1, 64),
        default=1.0,
        flag="--after-speed",
        help="Play an after video this many times as fast, its frames blended (auto: the "
        'whole video fitted into its part, captioned "{elapsed} later…" unless it has a '
        "caption); a sped-up part is silent.",
    ),
    Setting(
        key="after.transition",
        field="after.transition",
        kind=Choice(TRANSITIONS),
        default="flash",
        flag="--transition",
        help="How the part before turns into an after part.",
    ),
    Setting(
        key="after.layout",
        field="after.layout",
        kind=Choice(LAYOUTS),
        default="sequence",
        flag="--layout",
        help="sequence: the afters follow; split: fail above, the after below, together.",
    ),
    Setting(
        key="after.caption",
        field="after.caption",
        kind=Text(),
        default=None,
        flag="--after-caption",
        help="Caption over an after part; {elapsed} is an after video's length, e.g. "
        '"{elapsed} later…" shows "2 minutes later…".',
    ),
    Setting(
        key="captions.lesson",
        field="captions.lesson",
        kind=Text(),
        default=None,
        flag="--lesson",
        help='A card of 1.5 s after the last part, inside the duration, e.g. "Lesson: grease '
        'the pan".',
    ),
    Setting(
        key="beats.freeze",
        field="beats.freeze",
        kind=Seconds(0.2, 5, off=True),
        default=0.0,
        flag="--freeze",
        flag_value=1.0,
        metavar="[SECONDS]",
        help="Freeze-frame at the moment with a slight push-in (alone: 1 s; 0: none).",
    ),
    Setting(
        key="beats.punch_in",
        field="beats.punch_in",
        kind=Number(1, 2, "x"),
        default=1.0,
        flag="--punch-in",
        flag_value=1.2,
        metavar="[SCALE]",
        help="At the moment, push in on the action to this scale in 0.15 s, hold through the "
        "hit, ease back out (alone: 1.2x; 1: none).",
    ),
    Setting(
        key="beats.replay",
        field="beats.replay",
        kind=Flag(),
        default=False,
        flag="--replay/--no-replay",
        help="A slow-motion (0.5x) replay of the moment.",
    ),
    Setting(
        key="series.name",
        field="series",
        kind=PlainName(),
        default=None,
        help="Number the episodes of this series: {episode} counts up per final render.",
    ),
)
"""Every setting, in the order the help and the docs list them."""
