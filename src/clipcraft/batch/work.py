"""One batch clip, as a worker makes it: here in a spawned process, or on a cluster worker.

The clip, its cover and its transcript are made in a hidden staging folder of its own inside
the output folder (same disk) and renamed into place together (make._render_whole): a clip
appears whole, with its cover and transcript, or not at all. A worker that is killed
mid-clip cannot clean up, so the staging folders carry the batch's run id, and the batch
removes whatever of its run is left once every clip is settled (`clear_stages`). The worker
never touches a series' numbers: the batch claimed the episode and records or releases it.
"""

from __future__ import annotations

import shutil
import signal
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from clipcraft.batch.tasks import Outcome, Task
from clipcraft.errors import ClipcraftError, Interrupted
from clipcraft.make import make_clip
from clipcraft.planning.plan import Plan
from clipcraft.settings.layers import Layer

STAGE_PREFIX = ".clipcraft-stage-"
NO_SERIES = Layer("batch: the episode is claimed by the batch", {"series.name": None})
CHECK_EVERY = 15
"""Frames between two looks at whether the batch was stopped (a cluster's Event)."""


class Stopped(Exception):
    """The batch this clip belongs to was stopped while it was being made."""


@dataclass(frozen=True)
class Work:
    """What every clip of one batch run shares: absolute folders (a cluster worker has
    another current folder), the cores per clip (locally), or by cluster worker address, the
    run id, and how to tell the batch was stopped (None: a local worker is stopped by a
    signal)."""

    folder: Path
    out: Path
    threads: int | Mapping[str, int]
    run: str
    stopped: Callable[[], bool] | None = None


def make_one(task: Task, work: Work, episode: int | None) -> Outcome:
    """Make one clip and say how it went; a bad input is an outcome, not an exception."""
    started = time.perf_counter()
    name = task.job.name
    stage = work.out / f"{STAGE_PREFIX}{work.run}-{uuid.uuid4().hex[:8]}"
    stage.mkdir()
    try:
        made = make_clip(
            work.folder / task.job.source,
            work.out / task.job.output_name,
            [*task.layers, NO_SERIES],
            force=True,
            episode=episode,
            threads=work.threads if isinstance(work.threads, int) else _share(work.threads),
            on_progress=_stop_check(work.stopped),
            stage=stage,
            turn=task.turn,
        )
        plan = made.plan
        return Outcome(
            name,
            "ok",
            time.perf_counter() - started,
            plan.output,
            episode,
            moment=source_moment(plan),
            basis=plan.moment_basis,
            length=round(plan.duration, 3),
            story=plan.story(),
            output=plan.output,
            cover=plan.cover,
            transcript=plan.transcript_path if plan.transcript is not None else None,
            warnings=made.warnings,
        )
    except ClipcraftError as error:
        return Outcome(name, "failed", time.perf_counter() - started, str(error))
    except (Interrupted, Stopped):
        raise
    except Exception as error:  # one clip's bug must not stop the others
        detail = f"unexpected error: {error}"
        return Outcome(name, "failed", time.perf_counter() - started, detail)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _share(threads: Mapping[str, int]) -> int:
    """The cores for this clip on the cluster worker making it."""
    from clipcraft.batch.cluster import threads_here

    return threads_here(threads)


def _stop_check(stopped: Callable[[], bool] | None) -> Callable[[int, int], None] | None:
    """A progress callback that stops the render once the batch is stopped."""
    if stopped is None:
        return None

    def check(done: int, total: int) -> None:
        if done % CHECK_EVERY == 0 and stopped():
            raise Stopped("the batch was stopped")

    return check


def source_moment(plan: Plan) -> float | None:
    """Where the clip's moment is on its source footage (None when the source is a photo)."""
    frame = round(plan.moment * plan.format.fps)
    for segment in plan.segments:
        if segment.role in ("fail", "freeze") and segment.start_frame <= frame < segment.end_frame:
            if segment.shows == "photo":
                return None
            if segment.still:
                return round(segment.source_start, 3)
            offset = (frame - segment.start_frame) / plan.format.fps * segment.speed
            return round(segment.source_start + offset, 3)
    return None


def clear_stages(out: Path, run: str, patience: float = 0.0) -> None:
    """Remove what is left of this run's staging folders: at once, or after giving the clips
    still stopping `patience` seconds to remove their own."""
    deadline = time.monotonic() + patience
    while True:
        left = list(out.glob(f"{STAGE_PREFIX}{run}-*"))
        if not left or time.monotonic() >= deadline:
            break
        time.sleep(0.1)
    for stage in left:
        shutil.rmtree(stage, ignore_errors=True)


def as_failure(name: str, error: BaseException, attempts: int) -> Outcome:
    """The outcome of a clip whose worker failed it, rather than the clip itself."""
    kind = type(error).__name__
    if kind == "KilledWorker":
        detail = "its workers kept dying (killed or out of memory) while making it"
    elif isinstance(error, ModuleNotFoundError):
        detail = f"the worker cannot load clipcraft ({error}): install it on every worker"
    else:
        detail = str(error) or kind
    if attempts > 1:
        detail += f", {attempts} times"
    return Outcome(name, "failed", 0.0, detail)


def interrupted_exit(error: BaseException) -> bool:
    """Whether a lost worker was stopped by Ctrl-C or SIGTERM (not killed): no retry."""
    code = getattr(error, "exitcode", None)
    return code in (128 + signal.SIGINT, 128 + signal.SIGTERM)
