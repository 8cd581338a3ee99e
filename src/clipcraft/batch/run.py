"""Batch: every clip in a folder, in parallel, resumable, each failing alone.

`pairing` finds the jobs (each clip, its after by name or capture time, its `NAME.toml`);
here each job gets its layers (the command's, its sidecar, its after, a cover beside it) and
a key made of the inputs' contents and the resolved recipe, which the manifest in the output
folder remembers so a rerun skips what is up to date. Clips run in worker processes, at most
-j at a time, each encoder given its share of the cores. Stopping (Ctrl-C, SIGTERM) stops
the workers, whose own cleanup removes their temporary files and ffmpeg processes; no
partial output is left, and the next run picks up.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from clipcraft import __version__
from clipcraft.batch.manifest import REMEMBERED, Manifest, content_hash
from clipcraft.batch.pairing import Job, Pairing, Roll, find_jobs
from clipcraft.batch.tasks import Outcome, Task
from clipcraft.batch.work import (
    Work,
    as_failure,
    clear_stages,
    interrupted_exit,
    make_one,
)
from clipcraft.errors import ClipcraftError, UsageError
from clipcraft.make import usable_cores
from clipcraft.settings.layers import Layer, resolve
from clipcraft.settings.presets import recipe_layer
from clipcraft.settings.recipe import AfterPart
from clipcraft.settings.series import Series

BY_NAME_THEN_TIME = Pairing()
RETRIES = 1
"""How many times a clip whose worker died (killed, out of memory) is sent again."""
STAGE_PATIENCE = 10.0
"""Seconds the clips of a stopped batch have to remove their own staging folders (a cluster
worker notices the stop between frames) before the batch removes what is left."""
COVER = Layer("batch: a cover beside each clip", {"output.cover": ""})
"""Every batch clip gets its cover (the moment's frame) beside it: the report shows it."""


def job_layers(job: Job, folder: Path, base: list[Layer]) -> list[Layer]:
    """The layers one clip resolves: the command's, its sidecar, its after, its cover."""
    layers = list(base)
    if job.sidecar:
        layers.append(recipe_layer(folder / job.sidecar, "sidecar"))
    if job.afters:
        pairing = f"batch pairing by {job.paired_by}"
        parts = tuple(AfterPart(path=str(folder / after)) for after in job.afters)
        layers.append(Layer(pairing, {"after": parts}))
    return [*layers, COVER]


def job_key(job: Job, folder: Path, layers: list[Layer], cache: dict[str, Any]) -> str:
    """What the output depends on: the inputs' contents, the resolved recipe, our version."""
    resolved = resolve(layers)
    files = [folder / job.source]
    files += [Path(part.path) for part in resolved.recipe.after.parts]
    if "captions.file" in resolved.values:
        files.append(Path(resolved.values["captions.file"]))
    parts = [__version__, json.dumps(resolved.values, sort_keys=True, default=str)]
    parts += [content_hash(path, cache) for path in files if path.is_file()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@dataclass
class BatchPlan:
    """What a batch will do, decided before any clip is made (and all `--dry-run` shows)."""

    roll: Roll
    todo: list[Task] = field(default_factory=list)
    decided: list[Outcome] = field(default_factory=list)
    """Clips skipped as up to date, and those whose recipe failed before any work."""
    layers: dict[str, list[Layer]] = field(default_factory=dict)
    """Each clip's layers, by name, where its recipe could be read."""


def default_workers() -> int:
    """Two cores make one clip encode fast; more clips at once help past that."""
    return max(1, usable_cores() // 2)


def make_output_folder(out: Path) -> None:
    """Create the batch's output folder and its parents, as every batch tool does."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: is a file, not a folder", "give a folder for the clips")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = error.strerror or str(error)
        raise UsageError(
            f"{out}: the output folder cannot be created ({reason})",
            "give a folder you can write to",
        ) from error


def plan_batch(
    folder: Path,
    out: Path,
    base_layers: list[Layer],
    manifest: Manifest,
    *,
    force: bool,
    pairing: Pairing = BY_NAME_THEN_TIME,
) -> BatchPlan:
    """Pair the folder's files, resolve each clip's layers and say which are up to date.
    Paths are made absolute first, so a clip's key does not depend on how they were typed."""
    folder, out = folder.absolute(), out.absolute()
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder", "give the folder of clips")
    roll = find_jobs(folder, pairing, manifest.files)
    if not roll.jobs:
        raise UsageError(f"{folder}: has no videos or photos", "see `clipcraft batch --help`")
    plan = BatchPlan(roll)
    for turn, job in enumerate(roll.jobs):
        facts = _job_facts(job, roll)
        try:
            layers = job_layers(job, folder, base_layers)
            key = job_key(job, folder, layers, manifest.files)
        except ClipcraftError as error:
            plan.decided.append(Outcome(job.name, "failed", 0.0, str(error), **facts))
            continue
        plan.layers[job.name] = layers
        output = out / job.output_name
        if not force and manifest.up_to_date(output, key):
            entry = manifest.outputs[output.name]["clip"]
            known = {name: value for name, value in entry.items() if name in REMEMBERED}
            paths: dict[str, Any] = {
                "output": str(output),
                "cover": str(output.with_suffix(".jpg")),
            }
            skipped = Outcome(job.name, "skipped", 0.0, "up to date", **known, **paths, **facts)
            plan.decided.append(skipped)
        else:
            plan.todo.append(Task(job, layers, key, turn))
    _number_episodes(plan.todo, claim=False)  # a counter that cannot be read stops it here
    return plan


def _job_facts(job: Job, roll: Roll) -> dict[str, Any]:
    """What an outcome says about the job itself: its after, how it was paired, when taken."""
    taken = roll.settled.get(str(job.source))
    if taken is not None and roll.zone is not None:
        taken = taken.astimezone(roll.zone)
    return {
        "afters": tuple(str(after) for after in job.afters),
        "paired_by": job.paired_by,
        "taken": taken.isoformat() if taken else None,
    }


def run_batch(
    folder: Path,
    out: Path,
    base_layers: list[Layer],
    *,
    workers: int,
    force: bool,
    pairing: Pairing = BY_NAME_THEN_TIME,
    scheduler: str | None = None,
    on_outcome: Callable[[Outcome, int], None] | None = None,
) -> tuple[list[Outcome], Roll]:
    """Make every clip of `folder` into `out`, on this machine (`workers` at once) or on
    the Dask cluster at `scheduler`; the outcome of each, and the roll (its jobs, what was
    left out, the capture times read)."""
    folder, out = folder.absolute(), out.absolute()  # a cluster worker has another cwd
    manifest = Manifest(out)
    plan = plan_batch(folder, out, base_layers, manifest, force=force, pairing=pairing)
    # numbered before anything is made: a counter that cannot be read stops the batch here
    episodes, numbers = _number_episodes(plan.todo)
    try:
        new_folder = not out.exists()
        make_output_folder(out)
        total = len(plan.roll.jobs)
        outcomes = list(plan.decided)
        for outcome in outcomes:
            if on_outcome:
                on_outcome(outcome, total)
        if not plan.todo:
            return _in_order(outcomes, plan.roll), plan.roll
        try:
            pool, work = _open_pool(scheduler, workers, len(plan.todo), folder, out)
        except BaseException:  # a cluster that cannot be reached or refuses: leave no trace
            if new_folder and not any(out.iterdir()):
                out.rmdir()
            raise
        facts = {task.job.name: _job_facts(task.job, plan.roll) for task in plan.todo}

        def done(task: Task, outcome: Outcome) -> None:
            outcome = replace(outcome, **facts[outcome.name])
            claimed = episodes.pop(task.job.name, None)
            if claimed is not None:
                series, number = claimed
                if outcome.status == "ok":  # the clip is in place: a counter's slip is a warning
                    unrecorded = series.recorded(number)
                    warned = (unrecorded,) if unrecorded else ()
                    outcome = replace(outcome, warnings=(*outcome.warnings, *warned))
                else:
                    series.release(number)
            if outcome.status == "ok":
                manifest.remember(outcome, task.key)
                manifest.save()
            outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome, total)

        stopped = True
        try:
            _run_all(pool, plan.todo, work, numbers, done)
            stopped = False
        finally:
            manifest.save()
            clear_stages(out, work.run, STAGE_PATIENCE if stopped else 0.0)
    finally:
        for series, number in episodes.values():  # claimed, never settled: stopped
            series.release(number)
    return _in_order(outcomes, plan.roll), plan.roll


def _in_order(outcomes: list[Outcome], roll: Roll) -> list[Outcome]:
    order = {job.name: index for index, job in enumerate(roll.jobs)}
    return sorted(outcomes, key=lambda o: order[o.name])


def _open_pool(
    scheduler: str | None, workers: int, clips: int, folder: Path, out: Path
) -> tuple[Executor, Work]:
    """The engine — local processes, or a Dask cluster's workers — and what every job of
    this run shares. Dask is imported only when a scheduler is given."""
    run = uuid.uuid4().hex[:8]
    if scheduler:
        from clipcraft.batch.cluster import connect

        pool = connect(scheduler, folder, out)
        return pool, Work(folder, out, pool.threads, run, pool.stop)
    from clipcraft.batch.pool import LocalPool  # multiprocessing: only a batch pays for it

    threads = max(1, usable_cores() // max(1, min(workers, clips)))
    return LocalPool(workers), Work(folder, out, threads, run)


def _number_episodes(
    todo: list[Task], *, claim: bool = True
) -> tuple[dict[str, tuple[Series, int]], dict[str, int]]:
    """Episode numbers in the clips' sorted order, here (never by a worker) before any clip
    starts: the claims of final clips, to record or release, and every clip's number. A
    preview, or a batch that is only planned (`claim` false), only shows the numbers its
    clips would get, and claims none."""
    claims: dict[str, tuple[Series, int]] = {}
    numbers: dict[str, int] = {}
    upcoming: dict[str, int] = {}
    try:
        for task in todo:
            resolved = resolve(task.layers)
            name = resolved.values.get("series.name")
            if not name:
                continue
            series = Series(name)
            if resolved.recipe.output.preview or not claim:
                numbers[task.job.name] = series.peek(upcoming.get(name))
                upcoming[name] = numbers[task.job.name] + 1
            else:
                claims[task.job.name] = (series, series.claim())
                numbers[task.job.name] = claims[task.job.name][1]
    except BaseException:
        for series, number in claims.values():
            series.release(number)
        raise
    return claims, numbers


def _run_all(
    pool: Executor,
    todo: list[Task],
    work: Work,
    episodes: dict[str, int],
    done: Callable[[Task, Outcome], None],
) -> None:
    """Submit every clip and settle each as it finishes; a clip whose worker died is sent
    again once. Any interruption cancels what is queued and stops what runs."""
    from clipcraft.batch.pool import WorkerLost

    attempts: dict[str, int] = {}
    running: dict[Future[Outcome], Task] = {}

    def send(task: Task) -> None:
        attempts[task.job.name] = attempts.get(task.job.name, 0) + 1
        running[pool.submit(make_one, task, work, episodes.get(task.job.name))] = task

    try:
        for task in todo:
            send(task)
        while running:
            finished, _ = wait(running, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in finished:
                task = running.pop(future)
                try:
                    outcome = future.result()
                except WorkerLost as lost:
                    if attempts[task.job.name] <= RETRIES and not interrupted_exit(lost):
                        send(task)
                        continue
                    outcome = as_failure(task.job.name, lost, attempts[task.job.name])
                except Exception as error:  # the engine's failure, not the clip's
                    outcome = as_failure(task.job.name, error, attempts[task.job.name])
                done(task, outcome)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
