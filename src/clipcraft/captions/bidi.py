"""Which way each character of a line runs, and the order its runs are shown in (pure).

A caption line is drawn as runs of characters, each run in one font (text.py). Shaping a run
(Arabic joining, marks) is Pillow's raqm's job, but raqm sees one run at a time, so the order
of the runs along the line — the Unicode Bidirectional Algorithm's resolved levels and rule
L2 — is worked out here for the whole line. This is UAX #9 without explicit embeddings or
isolates (a caption typed on a phone has none): rules P2–P3, W1–W7, N1–N2, I1–I2, L1–L2.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TypeVar

STRONG_RTL = {"R", "AL"}
NUMBERS = {"EN", "AN"}
NEUTRAL = {"B", "S", "WS", "ON", "BN"}
NEUTRAL |= {"LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
"""Explicit embeddings and isolates are not followed: they are read as neutrals."""


def paragraph_level(text: str) -> int:
    """0 (left to right) or 1 (right to left): the direction of the first strong character."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return 0
        if kind in STRONG_RTL:
            return 1
    return 0


def levels(text: str, base: int) -> list[int]:
    """The resolved embedding level of each character of `text` in a paragraph at `base`."""
    types = [unicodedata.bidirectional(char) or "L" for char in text]
    edge = "R" if base % 2 else "L"
    # W1: a non-spacing mark takes the type of the character before it
    for index, kind in enumerate(types):
        if kind == "NSM":
            types[index] = types[index - 1] if index else edge
    # W2, W3: European digits after Arabic letters are Arabic numbers; AL is R
    strong = edge
    for index, kind in enumerate(types):
        if kind in ("L", "R", "AL"):
            strong = kind
        elif kind == "EN" and strong == "AL":
            types[index] = "AN"
    types = ["R" if kind == "AL" else kind for kind in types]
    # W4: one separator between two numbers of a kind joins them
    for index in range(1, len(types) - 1):
        before, kind, after = types[index - 1], types[index], types[index + 1]
        if before == after and (
            (kind == "ES" and before == "EN") or (kind == "CS" and before in NUMBERS)
        ):
            types[index] = before
    # W5: terminators (%, $, °) next to European digits are digits
    for start, end in _spans(types, {"ET"}):
        if (start and types[start - 1] == "EN") or (end < len(types) and types[end] == "EN"):
            types[start:end] = ["EN"] * (end - start)
    # W6: what is left of separators and terminators is neutral
    types = ["ON" if kind in ("ES", "ET", "CS") else kind for kind in types]
    # W7: European digits after a left-to-right letter are left to right
    strong = edge
    for index, kind in enumerate(types):
        if kind in ("L", "R"):
            strong = kind
        elif kind == "EN" and strong == "L":
            types[index] = "L"
    # N1, N2: neutrals between two of one direction take it; others the paragraph's
    for start, end in _spans(types, NEUTRAL):
        before = _direction(types[start - 1]) if start else edge
        after = _direction(types[end]) if end < len(types) else edge
        types[start:end] = [before if before == after else edge] * (end - start)
    # I1, I2
    resolved = []
    for kind in types:
        if base % 2 == 0:
            resolved.append(base + (1 if kind == "R" else 2 if kind in NUMBERS else 0))
        else:
            resolved.append(base + (1 if kind == "L" or kind in NUMBERS else 0))
    # L1: trailing white space goes back to the paragraph's level
    for index in range(len(text) - 1, -1, -1):
        if not text[index].isspace():
            break
        resolved[index] = base
    return resolved


def _direction(kind: str) -> str:
    return "L" if kind == "L" else "R"  # numbers count as right to left for N1


def _spans(types: Sequence[str], kinds: set[str]) -> list[tuple[int, int]]:
    """[start, end) of each maximal stretch of `types` that are all in `kinds`."""
    spans = []
    index = 0
    while index < len(types):
        if types[index] in kinds:
            end = index
            while end < len(types) and types[end] in kinds:
                end += 1
            spans.append((index, end))
            index = end
        else:
            index += 1
    return spans


T = TypeVar("T")


def visual_order(items: Sequence[T], item_levels: Sequence[int]) -> list[T]:
    """Rule L2: items (runs of one level each) in the order they show from left to right."""
    odd = [level for level in item_levels if level % 2]
    if not odd:
        return list(items)
    order = list(range(len(items)))
    for level in range(max(item_levels), min(odd) - 1, -1):
        index = 0
        while index < len(order):
            if item_levels[order[index]] >= level:
                end = index
                while end < len(order) and item_levels[order[end]] >= level:
                    end += 1
                order[index:end] = reversed(order[index:end])
                index = end
            else:
                index += 1
    return [items[i] for i in order]
