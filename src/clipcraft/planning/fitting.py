"""Reframing footage for one plan: following the action and steadying the picture where they
were measured, and noting the windows where they would be but were not (planning reads no
file: make.prepare measures those and plans again)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from clipcraft.finding.action import ActionTrack
from clipcraft.finding.shake import CameraPath
from clipcraft.media.probe import MediaInfo
from clipcraft.planning.follow import follow_path, is_clear
from clipcraft.planning.plan import Span
from clipcraft.planning.reframe import UPRIGHT_TURNS, Reframe, Stored, choose_reframe
from clipcraft.planning.stabilize import plan_steadying, steadied_size
from clipcraft.settings.recipe import Fit

FOLLOW_WIDER = 1.6
"""`auto` considers following the action in footage this much wider than the frame (a phone
propped sideways); other shapes it crops or fits over their blur, as before."""


@dataclass
class Fitting:
    """Reframes footage for one plan: following the action and steadying the picture where
    they were measured, and noting the windows where they would be but were not."""

    tracks: Mapping[Span, ActionTrack]
    paths: Mapping[Span, CameraPath] = field(default_factory=dict)
    stabilize: bool = False
    unmeasured: list[Span] = field(default_factory=list)
    unsteadied: list[Span] = field(default_factory=list)

    def footage(
        self,
        media: MediaInfo,
        size: tuple[int, int],
        fit: Fit,
        span: Span,
        moment: float,
        *,
        moving: bool = True,
    ) -> Reframe:
        """`fit` for a window of `media` (`follow` centred on the action at `moment`); `auto`
        follows footage much wider than the frame when its action is in one place, else fits
        it over its blur. A steadied picture is the source less its margin. A window that is
        not `moving` (sped up: long, its motion flying past) is neither followed nor steadied."""
        plain = "crop" if fit == "follow" else fit
        if not moving:
            return choose_reframe((media.width, media.height), size, plain, stored_as(media))
        steadying = None
        if self.stabilize and span in self.paths:
            steadying = plan_steadying(self.paths[span], (media.width, media.height))
        elif self.stabilize:
            self.unsteadied.append(span)
        shown = steadied_size((media.width, media.height), steadying)
        base = replace(choose_reframe(shown, size, plain, stored_as(media)), steady=steadying)
        if fit not in ("auto", "follow") or (fit == "auto" and not _much_wider(base)):
            return base
        box = base.crop_box()[:2]
        track = self.action(media, span, base)
        if track is None:
            return replace(base, mode="follow") if fit == "follow" else base
        window = (box[0] / shown[0], box[1] / shown[1])
        if fit == "auto" and not is_clear(track, window, moment):
            return replace(base, why="blur: the action is not in one place")
        path = follow_path(track, shown, box, moment)
        why = "follow: the action stays in one window" if fit == "auto" else ""
        return replace(base, mode="follow", path=path, why=why)

    def action(self, media: MediaInfo, span: Span, reframe: Reframe) -> ActionTrack | None:
        """The action's track over `span` as `reframe`'s picture shows it (less a steadied
        picture's margin); None, and asked for, when it was not measured."""
        track = self.tracks.get(span)
        if track is None:
            if span not in self.unmeasured:
                self.unmeasured.append(span)
            return None
        if reframe.steady is not None:
            margin = reframe.steady.margin
            track = track.within(margin[0] / media.width, margin[1] / media.height)
        return track


def _much_wider(reframe: Reframe) -> bool:
    (sw, sh), (tw, th) = reframe.source, reframe.target
    return (sw / sh) / (tw / th) >= FOLLOW_WIDER


def stored_as(media: MediaInfo) -> Stored:
    """How the decoder will find the source's picture: turned, and with what pixel shape.

    A turn that is not a quarter (a display matrix at 45°, say) is left to ffmpeg's own
    autorotate, as before the reframe learned to turn pictures itself."""
    turn = media.rotation if media.rotation in UPRIGHT_TURNS else 0
    return Stored(turn, media.square_pixels)
