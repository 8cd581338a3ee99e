"""Write docs/commands.md from the commands' own --help, so the reference never drifts.

    python docs/generate_reference.py

tests/test_docs.py fails when a command's help is missing from the file or out of date.
"""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from clipcraft.cli import main

REFERENCE = Path(__file__).with_name("commands.md")
WIDTH = 100


def command_paths(group: click.Group = main, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path, the group itself first."""
    paths = [prefix]
    for name in sorted(group.commands):
        command = group.commands[name]
        if isinstance(command, click.Group):
            paths += command_paths(command, (*prefix, name))
        else:
            paths.append((*prefix, name))
    return paths


def help_text(path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(
        main, [*path, "--help"], prog_name="clipcraft", terminal_width=WIDTH
    )
    return result.stdout.rstrip()


def reference() -> str:
    parts = [
        "# Command reference",
        "",
        "Generated from `--help` by `python docs/generate_reference.py`; do not edit.",
        "",
    ]
    for path in command_paths():
        parts += [f"## clipcraft {' '.join(path)}".rstrip(), "", "```", help_text(path), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    REFERENCE.write_text(reference())
    print(REFERENCE)
