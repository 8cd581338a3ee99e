from __future__ import annotations

import sys
from pathlib import Path

import pytest

from shared import shared_media

# Tests call the click group directly; keep moviepy from importing IPython, as `run()` does.
sys.modules.setdefault("IPython", None)  # type: ignore[arg-type]


@pytest.fixture
def real_media() -> Path:
    """The shared folder of real phone files (skipped without it; in CI, a failure)."""
    return shared_media("real")


@pytest.fixture
def real_sounds() -> Path:
    """The shared folder of real recorded sounds (skipped without it; in CI, a failure)."""
    return shared_media("sounds")


@pytest.fixture(autouse=True)
def no_system_fonts(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test sees an empty folder of installed fonts, its own font index and an empty
    folder of the user's sounds, so none depends on (or writes into) what this machine has;
    a test adds fonts or sounds to its folder."""
    folder = tmp_path_factory.mktemp("fonts")
    monkeypatch.setenv("CLIPCRAFT_FONT_DIRS", str(folder))
    monkeypatch.setenv("CLIPCRAFT_SOUNDS", str(tmp_path_factory.mktemp("sounds")))
    monkeypatch.setenv("CLIPCRAFT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    return folder
