"""`-q` and `-v` on every command and subcommand, as the README says: `-v` adds the traceback
to an error, `-q` hides warnings and the progress bar."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from helpers import assert_one_clean_error, clipcraft

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs"))

from generate_reference import command_paths

COMMANDS = [path for path in command_paths() if path]


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_takes_quiet_and_verbose(path: tuple[str, ...]) -> None:
    for flags in (("-q",), ("-v",), ("--quiet", "--verbose")):
        result = clipcraft(*path, *flags, "--help")
        assert result.exit_code == 0, result.output
        assert "-q, --quiet" in result.stdout and "-v, --verbose" in result.stdout


@pytest.mark.parametrize("group", ["sounds", "presets"])
def test_a_listing_group_lists_the_same_with_either(group: str) -> None:
    plain = clipcraft(group)
    assert plain.exit_code == 0 and plain.stdout
    for flag in ("-v", "-q"):
        assert clipcraft(group, flag).stdout == plain.stdout


@pytest.mark.parametrize(
    "command",
    [("presets", "show", "no-such-look"), ("sounds", "export", "no-such-sound", "x.wav")],
    ids=["presets show", "sounds export"],
)
def test_verbose_adds_the_traceback_to_an_error(command: tuple[str, ...]) -> None:
    plain = clipcraft(*command)
    assert_one_clean_error(plain, 2, command[2])
    verbose = clipcraft(*command, "-v")
    assert verbose.exit_code == 2, verbose.output
    assert "Traceback" in verbose.stderr, "the traceback first"
    assert verbose.stderr.strip().endswith(plain.stderr.strip()), "then the same line"
