"""Write docs/commands.md from the commands' own --help, and the settings table in
docs/recipes.md from the schema, so the reference never drifts.

    python docs/generate_reference.py

tests/test_docs.py fails when either is missing from its file or out of date.
"""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from clipcraft.cli.main import main
from clipcraft.settings.layers import show_value
from clipcraft.settings.schema import SETTINGS

REFERENCE = Path(__file__).with_name("commands.md")
RECIPES = Path(__file__).with_name("recipes.md")
TABLE_START = "<!-- the settings: written by docs/generate_reference.py from the schema -->"
TABLE_END = "<!-- end of the settings -->"
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


def settings_table() -> str:
    """Every setting: its key, its flag, what it accepts, its default and what it does."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    rows = [
        TABLE_START,
        "",
        "| key | flag | accepts | default | what it does |",
        "|---|---|---|---|---|",
    ]
    for setting in SETTINGS.values():
        flag = f"`{setting.flag}`" if setting.flag else "—"
        default = "—" if setting.default in (None, ()) else f"`{show_value(setting.default)}`"
        accepts = cell(setting.kind.accepts() or "text")
        rows.append(f"| `{setting.key}` | {flag} | {accepts} | {default} | {cell(setting.help)} |")
    return "\n".join([*rows, "", TABLE_END])


def recipes_page(page: str) -> str:
    """docs/recipes.md with its settings table replaced by the schema's current one."""
    before, _, rest = page.partition(TABLE_START)
    _, _, after = rest.partition(TABLE_END)
    return before + settings_table() + after


if __name__ == "__main__":
    REFERENCE.write_text(reference())
    RECIPES.write_text(recipes_page(RECIPES.read_text()))
    print(REFERENCE, RECIPES)
