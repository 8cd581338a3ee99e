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
import queue
import signal
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from clipcraft import __version__
from clipcraft.errors import ClipcraftError, Interrupted, UsageError
from clipcraft.layers import Layer, resolve
from clipcraft.make import make_clip, usable_cores
from clipcraft.outputs import atomic_output
from clipcraft.pairing import Job, Pairing, Roll, find_jobs
from clipcraft.plan import Plan
from clipcraft.presets import recipe_layer
from clipcraft.series import Series

if TYPE_CHECKING:  # imported where the workers start: `make` need not pay for it
    import multiprocessing
    from multiprocessing.process import BaseProcess

MANIFEST = ".clipcraft-manifest.json"
BY_NAME_THEN_TIME = Pairing()
COVER = Layer("batch: a cover beside each clip", {"output.cover": ""})
"""Every batch clip gets its cover (the moment's frame) beside it: the report shows it."""


@dataclass(frozen=True)
class Outcome:
    name: str
    status: str  # ok | skipped | failed
    seconds: float
    detail: str
    episode: int | None = None
    after: str | None = None
    paired_by: str | None = None
    moment: float | None = None
    """Where the moment is on the source, in seconds (None for a photo)."""
    basis: str | None = None
    length: float | None = None
    output: str | None = None
    cover: str | None = None
    taken: str | None = None
    """When the clip's source was taken (ISO 8601), if the pairing read it."""


@dataclass(frozen=True)
class Task:
    """One clip to make: its job, the layers it resolves (pairing and cover included) and
    the key the manifest keeps for it."""

    job: Job
    layers: list[Layer]
    key: str


def content_hash(path: Path, cache: dict[str, Any]) -> str:
    """sha256 of a file, reused from the manifest while its size and mtime are unchanged."""
    stat = path.stat()
    stamp = [stat.st_size, stat.st_mtime_ns]
    known = cache.get(str(path))
    if known and known["stamp"] == stamp:
        return known["sha256"]
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    cache[str(path)] = {"stamp": stamp, "sha256": digest.hexdigest()}
    return digest.hexdigest()


def job_layers(job: Job, folder: Path, base: list[Layer]) -> list[Layer]:
    """The layers one clip resolves: the command's, its sidecar, its after, its cover."""
    layers = list(base)
    if job.sidecar:
        layers.append(recipe_layer(folder / job.sidecar, "sidecar"))
    if job.after:
        pairing = f"batch pairing by {job.paired_by}"
        layers.append(Layer(pairing, {"after.file": str(folder / job.after)}))
    return [*layers, COVER]


def job_key(job: Job, folder: Path, layers: list[Layer], cache: dict[str, Any]) -> str:
    """What the output depends on: the inputs' contents, the resolved recipe, our version."""
    resolved = resolve(layers)
    files = [folder / job.source]
    files += [
        Path(resolved.values[key])
        for key in ("after.file", "captions.file")
        if key in resolved.values
    ]
    parts = [__version__, json.dumps(resolved.values, sort_keys=True, default=str)]
    parts += [content_hash(path, cache) for path in files if path.is_file()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class Manifest:
    """The output folder's record of what each output was made from (and what it is, for
    the report of a rerun), written atomically."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST
        data = json.loads(self.path.read_text()) if self.path.is_file() else {}
        self.outputs: dict[str, dict[str, Any]] = {
            name: entry if isinstance(entry, dict) else {"key": entry, "clip": {}}
            for name, entry in data.get("outputs", {}).items()
        }
        self.files: dict[str, Any] = data.get("files", {})

    def up_to_date(self, output: Path, key: str) -> bool:
        entry = self.outputs.get(output.name, {})
        return output.is_file() and output.with_suffix(".jpg").is_file() and entry.get("key") == key

    def remember(self, outcome: Outcome, key: str) -> None:
        clip = {
            name: value
            for name, value in asdict(outcome).items()
            if name in ("episode", "moment", "basis", "length", "output", "cover")
        }
        self.outputs[Path(outcome.output or "").name] = {"key": key, "clip": clip}

    def save(self) -> None:
        with atomic_output(self.path) as temporary:
            temporary.write_text(
                json.dumps({"outputs": self.outputs, "files": self.files}, indent=1)
            )


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
    """Pair the folder's files, resolve each clip's layers and say which are up to date."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder", "give the folder of clips")
    roll = find_jobs(folder, pairing, manifest.files)
    if not roll.jobs:
        raise UsageError(f"{folder}: has no videos or photos", "see `clipcraft batch --help`")
    plan = BatchPlan(roll)
    for job in roll.jobs:
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
            known = manifest.outputs[output.name]["clip"]
            plan.decided.append(Outcome(job.name, "skipped", 0.0, "up to date", **known, **facts))
        else:
            plan.todo.append(Task(job, layers, key))
    return plan


def _job_facts(job: Job, roll: Roll) -> dict[str, Any]:
    """What an outcome says about the job itself: its after, how it was paired, when taken."""
    taken = roll.settled.get(str(job.source))
    if taken is not None and roll.zone is not None:
        taken = taken.astimezone(roll.zone)
    return {
        "after": str(job.after) if job.after else None,
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
    on_outcome: Callable[[Outcome, int], None] | None = None,
) -> tuple[list[Outcome], Roll]:
    """Make every clip of `folder` into `out`; the outcome of each, and the roll (its jobs,
    what was left out and the capture times read)."""
    manifest = Manifest(out)
    plan = plan_batch(folder, out, base_layers, manifest, force=force, pairing=pairing)
    make_output_folder(out)
    total = len(plan.roll.jobs)
    outcomes = list(plan.decided)
    for outcome in outcomes:
        if on_outcome:
            on_outcome(outcome, total)
    threads = max(1, usable_cores() // max(1, min(workers, len(plan.todo) or 1)))
    episodes = _assign_episodes(plan.todo)
    facts = {task.job.name: _job_facts(task.job, plan.roll) for task in plan.todo}

    def done(outcome: Outcome, key: str) -> None:
        outcome = replace(outcome, **facts[outcome.name])
        if outcome.status == "ok":
            manifest.remember(outcome, key)
            manifest.save()
        outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome, total)

    try:
        _run_parallel(plan.todo, folder, out, workers, threads, episodes, done)
    finally:
        manifest.save()
    order = {job.name: index for index, job in enumerate(plan.roll.jobs)}
    return sorted(outcomes, key=lambda o: order[o.name]), plan.roll


def _assign_episodes(todo: list[Task]) -> dict[str, int | None]:
    """Episode numbers in the clips' sorted order, claimed before any worker starts."""
    episodes: dict[str, int | None] = {}
    for task in todo:
        name = resolve(task.layers).values.get("series.name")
        episodes[task.job.name] = Series(name).claim() if name else None
    return episodes


def _run_parallel(
    todo: list[Task],
    folder: Path,
    out: Path,
    workers: int,
    threads: int,
    episodes: dict[str, int | None],
    done: Callable[[Outcome, str], None],
) -> None:
    """At most `workers` clips at once, each in its own process; stop them all on interrupt."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    results: multiprocessing.Queue = context.Queue()
    pending = list(todo)
    running: dict[str, tuple[BaseProcess, str]] = {}
    try:
        while pending or running:
            while pending and len(running) < workers:
                task = pending.pop(0)
                worker = context.Process(
                    target=_work,
                    args=(task, folder, out, threads, episodes[task.job.name], results),
                    name=f"clipcraft {task.job.name}",
                )
                worker.start()
                running[task.job.name] = (worker, task.key)
            try:
                outcome = Outcome(**results.get(timeout=0.2))
            except queue.Empty:
                for name, (process, key) in list(running.items()):
                    if not process.is_alive():  # died without a word (killed, out of memory)
                        process.join()
                        del running[name]
                        done(
                            Outcome(
                                name, "failed", 0.0, f"the worker stopped (exit {process.exitcode})"
                            ),
                            key,
                        )
                continue
            process, key = running.pop(outcome.name)
            process.join()
            done(outcome, key)
    except BaseException:
        _stop(process for process, _ in running.values())
        raise


def _stop(processes: Iterable[BaseProcess]) -> None:
    """SIGTERM each worker (its handlers clean up), then kill whatever is left."""
    alive = list(processes)
    for process in alive:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + 5
    for process in alive:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()


def _work(
    task: Task,
    folder: Path,
    out: Path,
    threads: int,
    episode: int | None,
    results: multiprocessing.Queue,
) -> None:
    """One clip in a worker process; the outcome goes back on `results`."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise Interrupted(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    started = time.perf_counter()
    name = task.job.name
    try:
        made = make_clip(
            folder / task.job.source,
            out / task.job.output_name,
            task.layers,
            force=True,
            episode=episode,
            threads=threads,
        )
        plan = made.plan
        outcome = Outcome(
            name,
            "ok",
            time.perf_counter() - started,
            plan.output,
            made.episode,
            moment=source_moment(plan),
            basis=plan.moment_basis,
            length=round(plan.duration, 3),
            output=plan.output,
            cover=plan.cover,
        )
    except Interrupted as stopped:  # the run is being stopped: clean up quietly and go
        raise SystemExit(stopped.exit_code) from None
    except ClipcraftError as error:
        outcome = Outcome(name, "failed", time.perf_counter() - started, str(error))
    except Exception as error:  # one clip's bug must not stop the others
        outcome = Outcome(
            name, "failed", time.perf_counter() - started, f"unexpected error: {error}"
        )
    results.put(asdict(outcome))


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
