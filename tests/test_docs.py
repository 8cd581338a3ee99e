"""The docs say what the commands do: the reference is current and the README's commands run."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs"))

from generate_reference import (  # noqa: E402
    RECIPES,
    REFERENCE,
    command_paths,
    recipes_page,
    reference,
)


def test_every_command_and_option_is_in_the_reference() -> None:
    """docs/commands.md is generated from --help (run docs/generate_reference.py); whatever
    click version formats it, every command, its summary and every option must be there."""
    import click

    from clipcraft.cli.main import main

    written = REFERENCE.read_text()
    for path in command_paths():
        heading = f"## clipcraft {' '.join(path)}".rstrip() + "\n"
        assert heading in written, f"{heading.strip()} is missing: run the generator"
        section = written.split(heading)[1].split("\n## ")[0]
        command: click.Command = main
        for name in path:
            command = command.commands[name]  # type: ignore[attr-defined]
        assert (command.help or "").splitlines()[0] in section
        for parameter in command.params:
            for flag in getattr(parameter, "opts", []):
                if flag.startswith("-"):
                    assert flag in section, f"{flag} of {' '.join(path)} is undocumented"


def test_every_command_has_an_example_in_its_help() -> None:
    for path in command_paths():
        section = reference().split(f"## clipcraft {' '.join(path)}".rstrip() + "\n")[1]
        help_text = section.split("```")[1]
        assert "Example" in help_text, f"clipcraft {' '.join(path)} --help has no example"


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    commands = re.findall(r"```sh\n(.*?)\n```", readme, flags=re.S)
    test_command = next(c for c in commands if "pytest" in c)
    assert test_command.strip() in ci


def test_the_settings_table_is_the_schema() -> None:
    """docs/recipes.md's table of settings is generated from the schema (run the generator)."""
    from clipcraft.settings.schema import SETTINGS

    page = RECIPES.read_text()
    assert recipes_page(page) == page, "the settings table is out of date: run the generator"
    for key, setting in SETTINGS.items():
        assert f"| `{key}` | " in page
        if setting.flag:
            assert f"`{setting.flag}`" in page


def test_every_recipe_key_is_documented_in_the_template() -> None:
    from clipcraft.settings.schema import SETTINGS

    template = (ROOT / "assets" / "presets" / "template.toml.txt").read_text()
    for key in SETTINGS:
        section, _, name = key.rpartition(".")
        if not section:
            table = re.search(rf"^#? ?\[{key}\]$", template, re.M)  # a table such as [music]
            assert f"[[{key}]]" in template or table or re.search(rf"^{key} =", template, re.M), key
        else:
            assert f"[{section}]" in template, key
            assert re.search(rf"^#? ?{name} = ", template, re.M), key
    assert template in (ROOT / "docs" / "recipes.md").read_text()
