"""The after parts as typed: a flag such as `--after-speed` typed after an `--after` is that
part's own, typed before any `--after` it is what every part shares.

click hands over each option's values without their places on the line, so the command
keeps the words as typed (`TypedInOrder`) and the parts are read back from them here.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import click

from clipcraft.settings.schema import SETTINGS

PART_FLAG = SETTINGS["after"].flag
PER_PART = [setting for setting in SETTINGS.values() if setting.per_part]
PER_PART_KEYS = {setting.key for setting in PER_PART}


class TypedInOrder(click.Command):
    """A command that keeps its words as typed, for `owning_parts`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["typed"] = list(args)
        return super().parse_args(ctx, args)


def owning_parts(
    typed: Sequence[str], flags: Collection[str], taking_values: Collection[str]
) -> dict[str, list[int | None]]:
    """For each of `flags`, the after part each of its uses belongs to, in the order typed:
    the last `--after` before it (counting from 0), or None before any (pure)."""
    owners: dict[str, list[int | None]] = {flag: [] for flag in flags}
    part: int | None = None
    words = iter(typed)
    for word in words:
        if word == "--":
            break
        name, joined, _ = word.partition("=")
        if name == PART_FLAG:
            part = 0 if part is None else part + 1
        elif name in owners:
            owners[name].append(part)
        if name in taking_values and not joined:
            next(words, None)  # the value, whatever it looks like
    return owners


def with_parts(ctx: click.Context, typed: Mapping[str, Any]) -> dict[str, Any]:
    """The settings typed (by key) with the per-part ones placed: each in the part it was
    typed after, or, typed before any `--after`, shared by every part."""
    taking_values = {
        name
        for param in ctx.command.params
        if isinstance(param, click.Option) and not param.is_flag
        for name in param.opts
    }
    flags = {setting.flag for setting in PER_PART if setting.flag is not None}
    owners = owning_parts(ctx.meta.get("typed", ()), flags, taking_values)
    placed = {key: value for key, value in typed.items() if key not in PER_PART_KEYS}
    parts = list(typed.get("after", ()))
    for setting in PER_PART:
        assert setting.flag is not None
        name = setting.key.rpartition(".")[2]
        for owner, value in zip(owners[setting.flag], typed.get(setting.key, ()), strict=True):
            if owner is None:
                placed[setting.key] = value
            else:
                parts[owner] = parts[owner].with_own(**{name: setting.kind.settle(value)})
    if "after" in typed:
        placed["after"] = tuple(parts)
    return placed
