"""The suite keeps its own word: CI cannot pass without the real media, and the fuzzers of
the parsers, which make no media, run in the quick loop."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import shared

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("in_ci", "outcome"), [(True, "Failed"), (False, "Skipped")])
def test_missing_shared_media_fails_in_ci_and_skips_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_ci: bool, outcome: str
) -> None:
    monkeypatch.setattr(shared, "SHARED_MEDIA", tmp_path / "nowhere")
    monkeypatch.setattr(shared, "IN_CI", in_ci)
    with pytest.raises(BaseException) as stopped:
        shared.shared_media("real")
    assert type(stopped.value).__name__ == outcome
    message = str(stopped.value)
    assert message.startswith("../shared/media/real is not present") and "\n" not in message


def test_present_shared_media_is_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sounds" / "beds").mkdir(parents=True)
    monkeypatch.setattr(shared, "SHARED_MEDIA", tmp_path)
    assert shared.shared_media("sounds/beds") == tmp_path / "sounds" / "beds"


def test_the_pure_fuzzers_are_in_the_quick_loop() -> None:
    """`pytest -m "not media"` collects every fuzzer of a parser, and not the one that
    renders clips from a fuzzed command line."""
    listed = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "not media",
         "-p", "no:cacheprovider", "tests/test_fuzz.py", "tests/test_matrix.py"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    ).stdout  # fmt: skip
    fuzzers = {line.rpartition("::")[2] for line in listed.splitlines() if "::test_fuzz" in line}
    assert fuzzers == {
        "test_fuzz_times",
        "test_fuzz_effect_cues",
        "test_fuzz_subtitles",
        "test_fuzz_recipe_files",
        "test_fuzz_recipe_tables",
    }, listed
