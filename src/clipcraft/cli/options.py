"""The click options of the commands: those derived from the settings schema, and those
that several commands share, each declared once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from clipcraft.errors import UsageError
from clipcraft.settings.schema import SETTINGS, Setting
from clipcraft.settings.values import Flag, Kind, ListOf


class SettingType(click.ParamType):
    """A setting's value as typed after its flag, read by the setting's own kind, so a flag is
    held to the same bounds as a preset, a recipe or a sidecar."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self.name = kind.metavar

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return self.kind.read(value)
        except UsageError as error:
            self.fail(str(error), param, ctx)


def setting_option(setting: Setting) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The click option of a setting with a flag: its help, its bounds and its default from
    the schema. A flag left at its default sets nothing (see flag_layer)."""
    kind, flag = setting.kind, setting.flag
    assert flag is not None
    bounds = kind.bounds()
    text = setting.help + (f" Range: {bounds}." if bounds else "")
    if isinstance(kind, Flag):
        pair = "/" in flag
        return click.option(
            flag, setting.param, is_flag=True, default=setting.default, show_default=pair, help=text
        )
    many = isinstance(kind, ListOf) or setting.per_part  # a part's own is typed after it
    optional_value = (
        {"is_flag": False, "flag_value": setting.flag_value}
        if setting.flag_value is not None
        else {}
    )
    return click.option(
        flag,
        setting.param,
        type=SettingType(kind.item if isinstance(kind, ListOf) else kind),
        multiple=many,
        default=None if many else setting.default,
        show_default=setting.default not in (None, "", ()),
        metavar=setting.metavar or kind.metavar,
        help=text,
        **optional_value,
    )


def setting_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Every setting that has a flag, as options of the command, in the schema's order."""
    for setting in reversed(SETTINGS.values()):
        if setting.flag is not None:
            command = setting_option(setting)(command)
    return command


def shared(*options: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Options declared once for every command that takes them."""

    def apply(command: Any) -> Any:
        for option in reversed(options):
            command = option(command)
        return command

    return apply


settings_files = shared(
    click.option(
        "--preset", metavar="NAME|PATH", help="Start from a preset (see `clipcraft presets`)."
    ),
    click.option(
        "--recipe",
        type=click.Path(path_type=Path),
        metavar="PATH",
        help="A recipe TOML file; it wins over the preset, and a NAME.toml beside a clip (in a "
        "batch) and the flags win over it.",
    ),
)
TALK = {
    ("-q", "--quiet"): "No progress bar, no warnings.",
    ("-v", "--verbose"): "More detail (a batch lists the files it left out); tracebacks on errors.",
}
"""-q and -v, which every command takes (see `with_talk`)."""
talk = shared(*(click.option(*names, is_flag=True, help=text) for names, text in TALK.items()))
"""-q and -v for a command that uses them itself."""


def with_talk(command: click.Command) -> click.Command:
    """`command` taking -q and -v, as every command does: those it does not declare with
    `talk` it takes and leaves alone (-v's traceback is the error renderer's, read from the
    words typed)."""
    declared = {name for param in command.params for name in param.opts}
    command.params += [
        click.Option(list(names), is_flag=True, help=text, expose_value=False)
        for names, text in TALK.items()
        if not declared & set(names)
    ]
    return command
