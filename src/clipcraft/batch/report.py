"""What a batch tells people: the closing table, `--dry-run`, and the JSON or HTML report.

The HTML report is one self-contained page (covers embedded as small JPEG data URIs, the
style inline, nothing loaded from anywhere), laid out as a grid of cards that becomes one or
two columns on a phone. Failures come first, with their reasons.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime, tzinfo
from pathlib import Path
from urllib.parse import quote

from clipcraft.batch.capture_times import CaptureTime
from clipcraft.batch.pairing import Pairing
from clipcraft.batch.run import BatchPlan
from clipcraft.batch.tasks import Outcome
from clipcraft.errors import UsageError
from clipcraft.media.outputs import atomic_output
from clipcraft.settings.layers import resolve, settings_lines
from clipcraft.settings.units import format_time

REPORT_SUFFIXES = (".json", ".html", ".htm")
THUMBNAIL = (270, 480)
"""The largest size of a cover in the page: sharp on a phone's two-column grid, ~15 KB."""
STATUSES = ("ok", "skipped", "failed")


def check_report_path(path: Path) -> Path:
    """A report is JSON or HTML, by its suffix, in a folder that exists: checked before the
    batch starts, so that a long batch never ends without its report."""
    if path.suffix.lower() not in REPORT_SUFFIXES:
        raise UsageError(
            f"--report {path}: the name must end in .json or .html",
            "e.g. --report week.html (a page to look at) or week.json",
        )
    folder = path.expanduser().parent
    if not folder.is_dir():
        raise UsageError(f"--report {path}: the folder {folder} does not exist", "create it first")
    if path.expanduser().is_dir():
        raise UsageError(f"--report {path}: is a folder", "give a file name such as week.html")
    return path


def table(outcomes: list[Outcome]) -> str:
    """The closing table: one line a clip, then the counts."""
    width = max([len(o.name) for o in outcomes] + [4])
    lines = [f"{'clip':<{width}}  {'result':<8}{'time':>7}  detail"]
    for outcome in outcomes:
        seconds = f"{outcome.seconds:6.1f}s" if outcome.status == "ok" else "      -"
        lines.append(f"{outcome.name:<{width}}  {outcome.status:<8}{seconds}  {outcome.detail}")
    lines.append(counts(outcomes))
    return "\n".join(lines)


def counts(outcomes: Iterable[Outcome]) -> str:
    listed = list(outcomes)
    return ", ".join(f"{sum(o.status == status for o in listed)} {status}" for status in STATUSES)


def write_report(path: Path, outcomes: list[Outcome], notes: dict[str, list[str]]) -> None:
    """The report as JSON or as a page, by the path's suffix, written atomically."""
    if path.suffix.lower() == ".json":
        text = json.dumps(
            {"clips": [asdict(o) for o in outcomes], "left_out": notes},
            indent=2,
            ensure_ascii=False,
        )
    else:
        text = html_page(outcomes, notes, path.resolve().parent)
    with atomic_output(path) as temporary:
        temporary.write_text(text, encoding="utf-8")


def describe_plan(plan: BatchPlan, pairing: Pairing) -> str:
    """What `batch --dry-run` prints: each clip's pairing with the capture times behind it,
    what would happen to it, and the settings it would get, each with where it came from."""
    roll = plan.roll
    decided = {outcome.name: outcome for outcome in plan.decided}
    minutes = pairing.window.total_seconds() / 60
    lines = [f"pairing: {pairing.by} (a window of {minutes:g} min for pairing by time)"]
    for job in roll.jobs:
        lines.append("")
        afters = "".join(f" → {after}" for after in job.afters)
        paired = f"  (paired by {job.paired_by})" if job.afters else ""
        lines.append(f"{job.name}: {job.source}{afters}{paired}")
        taken = []
        for path in (job.source, *job.afters):
            if str(path) not in roll.times:
                continue
            when = roll.settled[str(path)]
            line = _shown_time(path, when, roll.times[str(path)], roll.zone)
            if path != job.source and str(job.source) in roll.settled:
                gap = when - roll.settled[str(job.source)]
                line += f": {gap.total_seconds() / 60:.0f} min later"
            taken.append(line)
        lines += [f"  {'taken' if index == 0 else '':<8}{line}" for index, line in enumerate(taken)]
        outcome = decided.get(job.name)
        if outcome is None:
            lines.append(f"  would make {job.output_name}")
        elif outcome.status == "skipped":
            lines.append(f"  up to date: {job.output_name} would be skipped")
        else:
            lines.append(f"  would fail: {outcome.detail}")
        if job.name in plan.layers:
            lines += [
                f"    {line}" for line in settings_lines(resolve(plan.layers[job.name]), True)
            ]
    for reason, names in roll.notes.items():
        lines.append("")
        lines.append(f"left out ({reason}): {', '.join(names)}")
    return "\n".join(lines)


def _shown_time(path: Path, when: datetime, read: CaptureTime, zone: tzinfo | None) -> str:
    """When a file was taken, in the roll's zone, and how that is known."""
    assumed = "" if read.zoned else ", zone assumed"
    shown = when.astimezone(zone) if zone else when
    return f"{path} {shown.isoformat(' ', 'seconds')} ({read.detail}{assumed})"


STYLE = """
* { box-sizing: border-box; }
body { margin: 0; padding: 16px; font: 15px/1.4 system-ui, -apple-system, "Segoe UI",
  Roboto, sans-serif; background: #f5f2ee; color: #222; }
h1 { font-size: 1.35rem; margin: 0 0 4px; }
.summary { margin: 0 0 16px; color: #555; }
.failures { background: #fdeaea; border-left: 5px solid #c62828; border-radius: 8px;
  padding: 10px 14px; margin-bottom: 16px; }
.failures h2 { font-size: 1.05rem; margin: 0 0 6px; color: #b71c1c; }
.failures li { margin: 4px 0; overflow-wrap: anywhere; }
.grid { display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); }
.card { background: #fff; border-radius: 10px; overflow: hidden;
  box-shadow: 0 1px 3px rgba(0, 0, 0, .15); display: grid; grid-template-columns: 128px 1fr; }
.card img { display: block; width: 100%; height: auto; background: #ddd; }
.nocover { aspect-ratio: 9 / 16; display: flex; align-items: center; justify-content: center;
  background: #e7e1da; color: #8a7f74; font-size: .85rem; text-align: center; }
.body { padding: 8px 10px 10px; font-size: .85rem; min-width: 0; }
.body h3 { margin: 0 0 4px; font-size: .95rem; overflow-wrap: break-word; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 9px; font-size: .75rem;
  font-weight: 600; color: #fff; }
.ok { background: #2e7d32; } .skipped { background: #607d8b; } .failed { background: #c62828; }
dl { margin: 6px 0; display: grid; grid-template-columns: auto 1fr; gap: 2px 8px; }
dt { color: #777; } dd { margin: 0; overflow-wrap: break-word; min-width: 0; }
.body a { color: #1565c0; overflow-wrap: anywhere; }
.left { margin-top: 20px; color: #555; font-size: .85rem; overflow-wrap: anywhere; }
"""


def html_page(outcomes: list[Outcome], notes: dict[str, list[str]], base: Path) -> str:
    """The report as one self-contained HTML page; links are relative to `base`."""
    failed = [o for o in outcomes if o.status == "failed"]
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>clipcraft batch: {html.escape(counts(outcomes))}</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>clipcraft batch</h1>",
        f'<p class="summary">{len(outcomes)} clips: {html.escape(counts(outcomes))}</p>',
    ]
    if failed:
        parts.append('<section class="failures"><h2>Failed</h2><ul>')
        parts += [f"<li><b>{html.escape(o.name)}</b>: {html.escape(o.detail)}</li>" for o in failed]
        parts.append("</ul></section>")
    parts.append('<main class="grid">')
    parts += [_card(outcome, base) for outcome in outcomes]
    parts.append("</main>")
    for reason, names in notes.items():
        parts.append(
            f'<p class="left">Left out ({html.escape(reason)}): {html.escape(", ".join(names))}</p>'
        )
    parts.append("</body></html>")
    return "\n".join(parts)


def _card(outcome: Outcome, base: Path) -> str:
    name = html.escape(outcome.name)
    picture = thumbnail(Path(outcome.cover)) if outcome.cover else None
    link = _link(Path(outcome.output), base) if outcome.output else None
    if picture:
        image = f'<img src="{picture}" alt="cover of {name}">'
        cover = f'<a href="{link}">{image}</a>' if link else image
    else:
        cover = '<div class="nocover">no clip</div>'
    facts: list[tuple[str, str]] = []
    if outcome.status == "failed":
        facts.append(("why", outcome.detail))
    if outcome.moment is not None:
        facts.append(("moment", f"{format_time(outcome.moment)} ({outcome.basis})"))
    elif outcome.basis:
        facts.append(("moment", outcome.basis))
    if outcome.length is not None:
        facts.append(("length", f"{outcome.length:.2f} s"))
    if outcome.afters:
        facts.append(("afters", f"{', '.join(outcome.afters)} (paired by {outcome.paired_by})"))
    if outcome.story:
        facts.append(("story", " → ".join(outcome.story)))
    if outcome.taken:
        facts.append(("taken", datetime.fromisoformat(outcome.taken).strftime("%d %b %Y %H:%M")))
    if outcome.status == "ok":
        facts.append(("made in", f"{outcome.seconds:.1f} s"))
    facts += [("warning", warning) for warning in outcome.warnings]
    listed = "".join(f"<dt>{key}</dt><dd>{html.escape(value)}</dd>" for key, value in facts)
    output = f'<a href="{link}">{html.escape(Path(outcome.output or "").name)}</a>' if link else ""
    return (
        f'<article class="card" id="{quote(outcome.name)}">{cover}<div class="body">'
        f'<h3>{name}</h3><span class="badge {outcome.status}">{outcome.status}</span>'
        f"<dl>{listed}</dl>{output}</div></article>"
    )


def _link(target: Path, base: Path) -> str:
    """A relative URL from the report's folder to `target` (absolute if on another drive)."""
    try:
        relative = os.path.relpath(target.resolve(), base)
    except ValueError:
        return target.resolve().as_uri()
    return quote(Path(relative).as_posix())


def thumbnail(cover: Path) -> str | None:
    """The cover, made small, as a JPEG data URI; None if it cannot be read."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(cover) as image:
            small = image.convert("RGB")
            small.thumbnail(THUMBNAIL)
    except (OSError, UnidentifiedImageError):
        return None
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=75, optimize=True)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
