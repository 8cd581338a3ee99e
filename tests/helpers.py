"""Running the CLI in-process and checking it left nothing behind."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner, Result

from clipcraft.cli.main import main


def clipcraft(*args: object) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args], prog_name="clipcraft")


def plan_of(*args: object) -> dict:
    """The plan `make ARGS --dry-run --json` prints."""
    result = clipcraft("make", *args, "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def ffmpeg_children() -> list[int]:
    """ffmpeg processes whose parent is this test process."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        if parent == os.getpid() and "ffmpeg" in name:
            found.append(int(entry.name))
    return found


def assert_one_clean_error(result: Result, code: int, *names: str) -> None:
    """Exit `code`, one line on stderr naming each of `names`, no traceback."""
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == code, result.output
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("clipcraft: error: ")
    assert "Traceback" not in result.output
    for name in names:
        assert name in lines[0]
    assert ffmpeg_children() == []
