"""The words `--auto` chooses from: hooks over the build-up and share prompts at the end.
Kept as data, the defaults of `captions.hooks` and `captions.prompts`, so a preset can bring
its own bank (a weekly series its running jokes)."""

from __future__ import annotations

HOOKS: tuple[str, ...] = (
    "Wait for it…",
    "It was going so well…",
    "This was supposed to be easy",
    "Watch the pan…",
    "Dinner plans: about to change",
    "Confidence: 100%",
)
PROMPTS: tuple[str, ...] = (
    "Your worst kitchen fail? 👇",
    "Tag someone who'd do this 👇",
    "Has this happened to you? 👇",
)
