"""Batch: every clip in a folder, in parallel, resumable, each failing alone.

Discovery pairs `NAME.after.EXT` (also `NAME_after`, `NAME-after`) with `NAME` and takes
`NAME.toml` as that clip's own recipe layer. Clips run in worker processes, at most -j at a
time, each encoder given its share of the cores. A manifest in the output folder remembers,
per output, a key made of the inputs' contents and the resolved recipe, so a rerun skips what
is up to date. Stopping (Ctrl-C, SIGTERM) stops the workers, whose own cleanup removes their
temporary files and ffmpeg processes; no partial output is left, and the next run picks up.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import re
import signal
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from clipcraft import __version__
from clipcraft.errors import ClipcraftError, Interrupted, UsageError
from clipcraft.layers import Layer, resolve
from clipcraft.make import make_clip, usable_cores
from clipcraft.outputs import CLIP_SUFFIX, atomic_output
from clipcraft.presets import recipe_layer
from clipcraft.series import Series

if TYPE_CHECKING:  # imported where the workers start: `make` need not pay for it
    import multiprocessing
    from multiprocessing.process import BaseProcess

VIDEO_SUFFIXES = (".mov", ".mp4", ".m4v", ".3gp", ".mkv", ".webm")
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".heic", ".webp")
AFTER = re.compile(r"^(?P<name>.+?)(?:\.after|_after|-after)$", re.IGNORECASE)
MANIFEST = ".clipcraft-manifest.json"


@dataclass(frozen=True)
class Job:
    name: str
    source: Path
    after: Path | None
    sidecar: Path | None

    @property
    def output_name(self) -> str:
        return f"{self.name}{CLIP_SUFFIX}"


def discover(names: Iterable[str]) -> tuple[list[Job], list[str], dict[str, list[str]]]:
    """Jobs from a folder's file names (pure): pairs, sidecars, what was left out and why."""
    media, sidecars, ignored = {}, {}, []
    afters: dict[str, str] = {}
    for name in sorted(names):
        stem, suffix = os.path.splitext(name)
        if name.startswith("."):
            continue
        if suffix.lower() == ".toml":
            sidecars[stem] = name
        elif suffix.lower() in VIDEO_SUFFIXES + PHOTO_SUFFIXES:
            match = AFTER.match(stem)
            if match:
                afters[match.group("name")] = name
            else:
                media[stem] = name
        else:
            ignored.append(name)
    notes: dict[str, list[str]] = {}
    for base, name in afters.items():
        if base not in media:
            notes.setdefault("an after with no clip of its name", []).append(name)
    for base, name in sidecars.items():
        if base not in media:
            notes.setdefault("a recipe with no clip of its name", []).append(name)
    if ignored:
        notes["not a video or photo"] = ignored
    jobs = [
        Job(
            stem,
            Path(name),
            Path(afters[stem]) if stem in afters else None,
            Path(sidecars[stem]) if stem in sidecars else None,
        )
        for stem, name in media.items()
    ]
    return jobs, ignored, notes


@dataclass(frozen=True)
class Outcome:
    name: str
    status: str  # ok | skipped | failed
    seconds: float
    detail: str
    episode: int | None = None


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


def job_key(job: Job, folder: Path, layers: list[Layer], cache: dict[str, Any]) -> str:
    """What the output depends on: the inputs' contents, the resolved recipe, our version."""
    resolved = resolve(layers)
    files = [folder / job.source] + ([folder / job.after] if job.after else [])
    files += [
        Path(resolved.values[key])
        for key in ("after.file", "captions.file")
        if key in resolved.values
    ]
    parts = [__version__, json.dumps(resolved.values, sort_keys=True, default=str)]
    parts += [content_hash(path, cache) for path in files if path.is_file()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class Manifest:
    """The output folder's record of what each output was made from, written atomically."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST
        data = json.loads(self.path.read_text()) if self.path.is_file() else {}
        self.outputs: dict[str, str] = data.get("outputs", {})
        self.files: dict[str, Any] = data.get("files", {})

    def up_to_date(self, output: Path, key: str) -> bool:
        return output.is_file() and self.outputs.get(output.name) == key

    def save(self) -> None:
        with atomic_output(self.path) as temporary:
            temporary.write_text(
                json.dumps({"outputs": self.outputs, "files": self.files}, indent=1)
            )


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


def run_batch(
    folder: Path,
    out: Path,
    base_layers: list[Layer],
    *,
    workers: int,
    force: bool,
    on_outcome: Callable[[Outcome, int], None] | None = None,
) -> tuple[list[Outcome], dict[str, list[str]]]:
    """Make every clip of `folder` into `out`; the outcome of each, and what was left out."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder", "give the folder of clips")
    jobs, _, notes = discover(p.name for p in folder.iterdir() if p.is_file())
    if not jobs:
        raise UsageError(f"{folder}: has no videos or photos", "see `clipcraft batch --help`")
    make_output_folder(out)
    manifest = Manifest(out)
    outcomes: list[Outcome] = []
    todo: list[tuple[Job, list[Layer], str]] = []
    for job in jobs:
        try:
            layers = base_layers + (
                [recipe_layer(folder / job.sidecar, "sidecar")] if job.sidecar else []
            )
            key = job_key(job, folder, layers, manifest.files)
        except ClipcraftError as error:
            outcomes.append(Outcome(job.name, "failed", 0.0, str(error)))
            continue
        if not force and manifest.up_to_date(out / job.output_name, key):
            outcomes.append(Outcome(job.name, "skipped", 0.0, "up to date"))
        else:
            todo.append((job, layers, key))
    for outcome in outcomes:
        if on_outcome:
            on_outcome(outcome, len(jobs))
    threads = max(1, usable_cores() // max(1, min(workers, len(todo) or 1)))
    episodes = _assign_episodes(todo)

    def done(outcome: Outcome, key: str) -> None:
        if outcome.status == "ok":
            manifest.outputs[f"{outcome.name}{CLIP_SUFFIX}"] = key
            manifest.save()
        outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome, len(jobs))

    try:
        _run_parallel(todo, folder, out, workers, threads, force, episodes, done)
    finally:
        manifest.save()
    order = {job.name: index for index, job in enumerate(jobs)}
    return sorted(outcomes, key=lambda o: order[o.name]), notes


def _assign_episodes(todo: list[tuple[Job, list[Layer], str]]) -> dict[str, int | None]:
    """Episode numbers in the clips' sorted order, claimed before any worker starts."""
    episodes: dict[str, int | None] = {}
    for job, layers, _ in todo:
        name = resolve(layers).values.get("series.name")
        episodes[job.name] = Series(name).claim() if name else None
    return episodes


def _run_parallel(
    todo: list[tuple[Job, list[Layer], str]],
    folder: Path,
    out: Path,
    workers: int,
    threads: int,
    force: bool,
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
                job, layers, key = pending.pop(0)
                worker = context.Process(
                    target=_work,
                    args=(job, layers, folder, out, force, threads, episodes[job.name], results),
                    name=f"clipcraft {job.name}",
                )
                worker.start()
                running[job.name] = (worker, key)
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
    job: Job,
    layers: list[Layer],
    folder: Path,
    out: Path,
    force: bool,
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
    after = [Layer("batch pairing", {"after.file": str(folder / job.after)})] if job.after else []
    try:
        made = make_clip(
            folder / job.source,
            out / job.output_name,
            [*layers, *after],
            force=True,
            episode=episode,
            threads=threads,
        )
        outcome = Outcome(
            job.name, "ok", time.perf_counter() - started, made.plan.output, made.episode
        )
    except Interrupted as stopped:  # the run is being stopped: clean up quietly and go
        raise SystemExit(stopped.exit_code) from None
    except ClipcraftError as error:
        outcome = Outcome(job.name, "failed", time.perf_counter() - started, str(error))
    except Exception as error:  # one clip's bug must not stop the others
        outcome = Outcome(
            job.name, "failed", time.perf_counter() - started, f"unexpected error: {error}"
        )
    results.put(asdict(outcome))


def report(outcomes: list[Outcome]) -> str:
    """The closing table: one line a clip, then the counts."""
    width = max([len(o.name) for o in outcomes] + [4])
    lines = [f"{'clip':<{width}}  {'result':<8}{'time':>7}  detail"]
    for outcome in outcomes:
        seconds = f"{outcome.seconds:6.1f}s" if outcome.status == "ok" else "      -"
        lines.append(f"{outcome.name:<{width}}  {outcome.status:<8}{seconds}  {outcome.detail}")
    counts = {
        status: sum(o.status == status for o in outcomes) for status in ("ok", "skipped", "failed")
    }
    lines.append(", ".join(f"{count} {status}" for status, count in counts.items()))
    return "\n".join(lines)


def write_report(path: Path, outcomes: list[Outcome], notes: dict[str, list[str]]) -> None:
    with atomic_output(path) as temporary:
        temporary.write_text(
            json.dumps(
                {"clips": [asdict(o) for o in outcomes], "left_out": notes},
                indent=2,
                ensure_ascii=False,
            )
        )
