"""The shared real media (`../shared/media` beside the repository) and what CI asks of it.

A developer without the shared folder runs the rest: the tests that need it skip. In CI
(`CI=true`, as every CI service sets it) a missing folder is a failure in one line instead,
so a CI without the real media cannot pass without the tests that use it; and the fuzzers
try more examples there than in a quick loop at a desk.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_MEDIA = Path(__file__).resolve().parents[2] / "shared" / "media"
IN_CI = os.environ.get("CI", "").lower() in ("true", "1")

FUZZ_EXAMPLES = 1000 if IN_CI else 200
"""How many examples a fuzzer tries: CI's many, a desk's few (a quick loop in seconds)."""


def shared_media(name: str) -> Path:
    """The folder `../shared/media/NAME` (`real`, `sounds/beds`, …): the test skips where it
    is absent, or fails in one line under CI=true."""
    folder = SHARED_MEDIA / name
    required(folder.is_dir(), f"../shared/media/{name} is not present")
    return folder


def required(present: bool, missing: str) -> None:
    """Skip the test where what it needs is `missing` (a folder of real media, a speech model
    the test extra installs); under CI=true fail it in one line, so a CI without them cannot
    pass without the tests that use them."""
    if present:
        return
    if IN_CI:
        pytest.fail(f"{missing}; CI=true runs every test", pytrace=False)
    pytest.skip(missing)
