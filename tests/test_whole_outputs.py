"""A clip, its cover and its transcript appear together or not at all, in `make` and in
`batch`, and a series episode counts only once all three are in place."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_presets import own_folders  # noqa: F401 (each test's data and config folders)
from test_speech import talk  # noqa: F401 (a real voice, captioned from speech)

from clipcraft.captions.subtitles import parse_subtitles
from clipcraft.settings.series import Series

from helpers import clipcraft
from media import inspect

pytestmark = pytest.mark.usefixtures("own_folders")

SPOKEN = '[trim]\nstart = 0\nend = 5\n[captions]\nfile = "speech"\n'
"""The whole 5-s talk, captioned with what is said in it."""


def failing_rename(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    """Renaming anything onto `target` fails as a full disk would."""
    rename = os.replace

    def replace(source: str | Path, destination: str | Path) -> None:
        if Path(destination) == target:
            raise OSError(28, "No space left on device", str(destination))
        rename(source, destination)

    monkeypatch.setattr(os, "replace", replace)


def test_outputs_staged_together_are_published_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clipcraft.media.outputs import staged_outputs  # new in #39

    targets = [tmp_path / "c-clip.mp4", tmp_path / "c-clip.jpg", tmp_path / "c-clip.vtt"]
    with staged_outputs() as outputs:
        for target in targets:
            outputs.path(target).write_text(target.suffix)
        assert not any(target.exists() for target in targets), "nothing before all are written"
    assert [target.read_text() for target in targets] == [".mp4", ".jpg", ".vtt"]
    failing_rename(monkeypatch, targets[0])
    with pytest.raises(OSError, match="No space"), staged_outputs() as outputs:
        for target in targets:
            outputs.path(target).write_text("again")
    assert [target.read_text() for target in targets] == [".mp4", ".jpg", ".vtt"], (
        "the earlier clip, cover and transcript stay as they were, together"
    )
    for target in targets:
        target.unlink()
    with pytest.raises(OSError, match="No space"), staged_outputs() as outputs:
        for target in targets:
            outputs.path(target).write_text("new")
    assert list(tmp_path.iterdir()) == [], "no cover or transcript without the clip, no stage"


@pytest.mark.media
@pytest.mark.parametrize("failing", [".mp4", ".vtt"])
def test_a_failure_while_placing_the_outputs_leaves_none_and_counts_no_episode(
    talk: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failing: str,
) -> None:
    """Before #39 a failed clip rename left its cover, and a failed transcript left the clip
    with its episode given back."""
    preset = tmp_path / "talk show.toml"
    preset.write_text(SPOKEN + '[series]\nname = "talk show"\n[output]\ncover = ""\n')
    out = tmp_path / "out" / "talk-clip.mp4"
    out.parent.mkdir()
    failing_rename(monkeypatch, out.with_suffix(failing))
    made = clipcraft("make", talk, "--preset", preset, "--quality", "draft", "-o", out)
    assert made.exit_code == 1 and "disk is full" in made.stderr, made.output
    assert list(out.parent.iterdir()) == [], "no clip, no cover, no transcript, nothing staged"
    assert Series("talk show").peek() == 1, "the episode is not recorded"
    if failing == ".vtt":
        return  # one case renders again below, to show the episode counts once all are in place
    monkeypatch.undo()
    monkeypatch.setenv("CLIPCRAFT_DATA_DIR", str(tmp_path / "data"))
    again = clipcraft("make", talk, "--preset", preset, "--quality", "draft", "-o", out)
    assert again.exit_code == 0, again.output
    assert sorted(p.name for p in out.parent.iterdir()) == [
        "talk-clip.jpg",
        "talk-clip.mp4",
        "talk-clip.vtt",
    ]
    assert Series("talk show").peek() == 2


@pytest.mark.media
def test_a_batch_captioned_from_speech_writes_each_transcript(
    talk: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Before #39 the transcript was written into the staging folder and deleted with it."""
    roll = tmp_path / "roll"
    roll.mkdir()
    (roll / "talk.mp4").symlink_to(talk)
    recipe = tmp_path / "spoken.toml"
    recipe.write_text(SPOKEN + "[output]\npreview = true\n")
    out = tmp_path / "reels"
    made = clipcraft("batch", roll, "-o", out, "--recipe", recipe)
    assert made.exit_code == 0, made.output
    written = sorted(p.name for p in out.iterdir())
    assert written == [
        ".clipcraft-manifest.json",
        "talk-clip.jpg",
        "talk-clip.mp4",
        "talk-clip.vtt",
    ]
    heard = " ".join(cue.text for cue in parse_subtitles((out / "talk-clip.vtt").read_text()))
    assert "wizard" in heard and "curtain" in heard, heard
    assert inspect(out / "talk-clip.mp4").frames == 150
    (out / "talk-clip.vtt").unlink()
    again = clipcraft("batch", roll, "-o", out, "--recipe", recipe)
    assert "1 ok, 0 skipped" in again.stdout, "a clip whose transcript is gone is made again"
    assert (out / "talk-clip.vtt").is_file()
    assert "0 ok, 1 skipped" in clipcraft("batch", roll, "-o", out, "--recipe", recipe).stdout
