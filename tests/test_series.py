"""A series counter keeps its word: a dry run, a preview and --json write nothing; a series
name is only a name; a damaged counter is named, not a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_presets import own_folders  # noqa: F401 (each test's data and config folders)

from clipcraft.errors import UsageError
from clipcraft.settings.series import Series

from helpers import assert_one_clean_error, clipcraft, plan_of
from media import make_video

pytestmark = pytest.mark.usefixtures("own_folders")

FAST = "duration = 3\n[output]\npreview = true\n"
SERIES = '[[caption]]\ntext = "EPISODE {episode}"\n[series]\nname = "kitchen week"\n'


@pytest.fixture(scope="module")
def roll(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("roll")
    make_video(folder / "spill.mp4", width=180, height=320, seconds=4)
    return folder


def everything_under(*places: Path) -> dict[str, tuple[int, bytes]]:
    """Every file and folder under `places`: its modification time and contents."""
    found: dict[str, tuple[int, bytes]] = {}
    for folder in places:
        for path in [folder, *folder.rglob("*")] if folder.exists() else []:
            found[str(path)] = (
                path.stat().st_mtime_ns,
                b"" if path.is_dir() else path.read_bytes(),
            )
    return found


@pytest.mark.media
@pytest.mark.parametrize("counter", [None, {"next": 5, "claimed": {}}], ids=["new", "counted"])
def test_a_dry_run_a_preview_and_json_write_nothing(
    roll: Path, tmp_path: Path, counter: dict | None
) -> None:
    """Before #39 the first dry run created series/kitchen week.json and its .lock."""
    data, config = tmp_path / "data", tmp_path / "config"
    if counter is not None:
        (data / "series").mkdir(parents=True)
        (data / "series" / "kitchen week.json").write_text(json.dumps(counter))
    expected = f"EPISODE {counter['next'] if counter else 1}"
    preset = tmp_path / "series.toml"
    preset.write_text(FAST + SERIES)
    before = everything_under(data, config)
    out = tmp_path / "out"
    out.mkdir()
    empty_out = everything_under(out)
    clip = roll / "spill.mp4"
    shown = plan_of(clip, "--at", 2, "--preset", preset, "-o", out / "a.mp4", "--cover")
    assert shown["captions"][0]["layout"]["text"] == expected
    dry = clipcraft("make", clip, "--at", 2, "--preset", preset, "-o", out / "a.mp4", "--dry-run")
    assert dry.exit_code == 0 and expected in dry.stdout, dry.output
    assert everything_under(out) == empty_out, "not even a folder made to check it"
    preview = clipcraft("make", clip, "--at", 2, "--preset", preset, "-o", out / "a.mp4")
    assert preview.exit_code == 0 and (out / "a.mp4").is_file(), preview.output
    listed = clipcraft("batch", roll, "-o", out / "dry", "--preset", preset, "--dry-run")
    assert listed.exit_code == 0 and not (out / "dry").exists(), listed.output
    report = tmp_path / "report.json"
    batch = clipcraft("batch", roll, "-o", out / "reels", "--preset", preset, "--report", report)
    assert batch.exit_code == 0, batch.output
    assert [c["episode"] for c in json.loads(report.read_text())["clips"]] == [
        counter["next"] if counter else 1
    ], "a preview batch shows the numbers its clips would get"
    assert everything_under(data, config) == before


def test_a_series_name_is_a_plain_name() -> None:
    from clipcraft.settings.values import plain_name  # new in #39

    for name in ("fail-of-the-week", "Kitchen week 2", "crème_brûlée", "7"):
        assert plain_name(name) == name
    for name in ("../../escaped", "a/b", "a\\b", ".hidden", "..", "", " x", "x ", "w.json"):
        with pytest.raises(UsageError, match="not a plain name"):
            plain_name(name)
    assert plain_name("x" * 64)
    with pytest.raises(UsageError):
        plain_name("x" * 65)


@pytest.mark.media
def test_a_recipe_never_chooses_where_the_counter_is_written(roll: Path, tmp_path: Path) -> None:
    """Before #39 this wrote escaped.json and its .lock two folders above series/."""
    (tmp_path / "data" / "series").mkdir(parents=True)
    recipe = tmp_path / "shared.toml"
    recipe.write_text('duration = 3\n[series]\nname = "../../escaped"\n')
    out = tmp_path / "out.mp4"
    made = clipcraft("make", roll / "spill.mp4", "--at", 2, "--recipe", recipe, "-o", out)
    assert_one_clean_error(made, 2, "recipe shared.toml, line 3: series.name", "plain name")
    sidecar = tmp_path / "sidecars"
    sidecar.mkdir()
    (sidecar / "spill.mp4").symlink_to(roll / "spill.mp4")
    (sidecar / "spill.toml").write_text('[series]\nname = "/tmp/x"\n')
    batch = clipcraft("batch", sidecar, "-o", tmp_path / "reels", "--report", tmp_path / "r.json")
    assert batch.exit_code == 1
    detail = json.loads((tmp_path / "r.json").read_text())["clips"][0]["detail"]
    assert "series.name" in detail and "spill.toml" in detail and "plain name" in detail
    written = sorted(p.name for p in tmp_path.rglob("*.json*"))
    assert written == ["r.json"] and not out.exists()


@pytest.mark.media
def test_a_damaged_counter_is_named_with_how_to_mend_it(roll: Path, tmp_path: Path) -> None:
    """Before #39: `unexpected error: Expecting property name…`, exit 1, no file named."""
    counter = tmp_path / "data" / "series" / "kitchen week.json"
    counter.parent.mkdir(parents=True)
    counter.write_text("{not json")
    preset = tmp_path / "series.toml"
    preset.write_text("duration = 3\n" + SERIES)
    clip, out = roll / "spill.mp4", tmp_path / "o.mp4"
    for extra in (["--dry-run"], ["--quality", "draft"]):
        made = clipcraft(
            "make", clip, "--at", 2, "--preset", preset, "-o", tmp_path / "o.mp4", *extra
        )
        assert_one_clean_error(made, 2, str(counter), '{"next": N}', "delete it")
    assert not out.exists()
    for extra in ([], ["--dry-run"]):
        batch = clipcraft("batch", roll, "-o", tmp_path / "reels", "--preset", preset, *extra)
        assert_one_clean_error(batch, 2, str(counter))
    assert not (tmp_path / "reels").exists(), "stopped before anything was made"
    assert counter.read_text() == "{not json", "left as it was for the creator to mend"
    counter.write_text('{"next": 12, "claimed": {"3": "me"}}')
    wrong = clipcraft("make", clip, "--at", 2, "--preset", preset, "--dry-run")
    assert_one_clean_error(wrong, 2, str(counter), "claimed")
    counter.write_text('{"next": 12}')
    assert plan_of(clip, "--at", 2, "--preset", preset)["captions"][0]["layout"]["text"] == (
        "EPISODE 12"
    ), "mended as the hint says, it counts on"


@pytest.mark.media
def test_a_counter_that_cannot_record_a_made_clip_is_a_warning(
    roll: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The clip is in place when its episode is recorded: a lock held too long there is a
    warning with how to mend the counter, not an exit 1 over a clip that exists."""
    preset = tmp_path / "series.toml"
    preset.write_text(FAST + SERIES)

    def held(self: Series, episode: int) -> None:
        raise TimeoutError("the lock is held by another process")

    monkeypatch.setattr(Series, "record", held)
    out = tmp_path / "a.mp4"
    made = clipcraft("make", roll / "spill.mp4", "--at", 2, "--preset", preset, "--no-preview",
                     "--quality", "draft", "-o", out)  # fmt: skip
    assert made.exit_code == 0 and out.is_file(), made.output
    assert "episode 1 is made but" in made.stderr and '{"next": 2}' in made.stderr
    final = tmp_path / "final.toml"  # a batch counts finals only, as make does
    final.write_text('duration = 3\n[output]\npreview = false\nquality = "draft"\n' + SERIES)
    batch = clipcraft("batch", roll, "-o", tmp_path / "reels", "--preset", final, "-j", 1)
    assert batch.exit_code == 0, batch.output
    made_clips = sorted(path.name for path in (tmp_path / "reels").glob("*.mp4"))
    assert made_clips and "is made but" in batch.stderr, "a batch goes on and says so too"
