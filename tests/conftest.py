from __future__ import annotations

import sys
from pathlib import Path

import pytest

# Tests call the click group directly; keep moviepy from importing IPython, as `run()` does.
sys.modules.setdefault("IPython", None)  # type: ignore[arg-type]

REAL_MEDIA = Path(__file__).resolve().parents[2] / "shared" / "media" / "real"
REAL_SOUNDS = REAL_MEDIA.with_name("sounds")


@pytest.fixture
def real_media() -> Path:
    """The shared folder of real phone files; tests that need it skip when it is absent."""
    if not REAL_MEDIA.is_dir():
        pytest.skip("../shared/media/real is not present")
    return REAL_MEDIA


@pytest.fixture
def real_sounds() -> Path:
    """The shared folder of real recorded sounds; tests that need it skip when it is absent."""
    if not REAL_SOUNDS.is_dir():
        pytest.skip("../shared/media/sounds is not present")
    return REAL_SOUNDS


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
