"""Presets, recipes, layering with origins, placeholders and the series counter."""

from __future__ import annotations

import datetime
import multiprocessing
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from clipcraft.settings.series import Series

from helpers import assert_one_clean_error, clipcraft, plan_of
from media import inspect, levels_db, make_video, read_audio

pytestmark = pytest.mark.media  # every test here makes or reads media

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def own_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own user presets folder and series counters."""
    monkeypatch.setenv("CLIPCRAFT_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("CLIPCRAFT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_video(
        tmp_path_factory.mktemp("presets") / "burnt toast.mp4", width=180, height=320, seconds=12
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_layers_preset_then_recipe_then_flags(clip: Path, tmp_path: Path) -> None:
    recipe = write(tmp_path / "mine.toml", 'duration = 5\n[captions]\nstyle = "comic"\n')
    base = plan_of(clip, "--at", 6, "--preset", "quick-fail", "-o", tmp_path / "o.mp4")
    assert base["total_frames"] == 180, "the preset's 6 s, not the flag's default 8"
    assert base["captions"][0]["style"]["name"] == "classic"
    layered = plan_of(
        clip, "--at", 6, "--preset", "quick-fail", "--recipe", recipe, "-o", tmp_path / "o.mp4"
    )
    assert layered["total_frames"] == 150 and layered["captions"][0]["style"]["name"] == "comic"
    flagged = plan_of(
        clip,
        "--at",
        6,
        "--preset",
        "quick-fail",
        "--recipe",
        recipe,
        "--duration",
        4,
        "--style",
        "meme",
        "-o",
        tmp_path / "o.mp4",
    )
    assert flagged["total_frames"] == 120 and flagged["captions"][0]["style"]["name"] == "meme"


def test_a_user_preset_shadows_the_built_in(clip: Path, own_folders: Path) -> None:
    write(own_folders / "config" / "presets" / "quick-fail.toml", "duration = 3\n")
    shown = plan_of(clip, "--at", 6, "--preset", "quick-fail", "-o", own_folders / "o.mp4")
    assert shown["total_frames"] == 90
    listing = clipcraft("presets").stdout
    assert "quick-fail" in listing and str(own_folders / "config") in listing
    (own_folders / "config" / "presets" / "old.toml").mkdir()
    listed = clipcraft("presets")
    assert listed.exit_code == 0 and "old" not in listed.stdout.split(), "a folder is no preset"


def test_a_preset_can_be_given_as_a_path(clip: Path, tmp_path: Path) -> None:
    preset = write(tmp_path / "shared" / "team.toml", "duration = 4\n")
    shown = plan_of(clip, "--at", 6, "--preset", preset, "-o", tmp_path / "o.mp4")
    assert shown["total_frames"] == 120


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("fail-of-the-wek", "did you mean fail-of-the-week"),
        ("../../nowhere/secrets", "not found"),
        ("../x.toml", "not found"),
    ],
)
def test_preset_names_are_checked(clip: Path, tmp_path: Path, name: str, words: str) -> None:
    result = clipcraft("make", clip, "--preset", name, "-o", tmp_path / "o.mp4")
    assert_one_clean_error(result, 2, words)


def test_broken_toml_names_the_file_and_line(clip: Path, tmp_path: Path) -> None:
    recipe = write(tmp_path / "broken.toml", 'duration = 8\n[trim]\nat = "0:07\n')
    result = clipcraft("make", clip, "--recipe", recipe, "-o", tmp_path / "o.mp4")
    assert_one_clean_error(result, 2, "broken.toml, line 3", "invalid TOML")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[trim]\nmoment = 5\n", "unknown key 'trim.moment'"),
        ('[after]\ntransiton = "wipe"\n', "did you mean after.transition"),
        ('[captions]\nstyle = "banr"\n', "did you mean banner"),
        ('duration = "soon"\n', "duration"),
        ('[[sfx]]\nsound = "ding"\nat = "later"\n', "invalid time 'later'"),
    ],
)
def test_bad_keys_and_values_are_named(clip: Path, tmp_path: Path, text: str, words: str) -> None:
    recipe = write(tmp_path / "r.toml", text)
    result = clipcraft("make", clip, "--at", 6, "--recipe", recipe, "-o", tmp_path / "o.mp4")
    assert_one_clean_error(result, 2, "r.toml", words)


def test_show_with_origin_and_new_from_a_base(own_folders: Path) -> None:
    shown = clipcraft("presets", "show", "fail-of-the-week", "--origin").stdout
    assert 'captions.style = "banner"    # preset fail-of-the-week' in shown
    assert 'series.name = "fail-of-the-week"' in shown
    made = clipcraft("presets", "new", "my-fails", "--from", "quick-fail")
    path = Path(made.stdout.strip())
    assert path == own_folders / "config" / "presets" / "my-fails.toml"
    assert "sad-trombone" in path.read_text() and path.read_text().startswith("#")
    assert "my-fails" in clipcraft("presets").stdout
    template = clipcraft("presets", "new", "blank")
    assert template.exit_code == 0
    assert clipcraft("presets", "show", "blank").exit_code == 0, "the template is valid"


def test_placeholders_fill_the_texts(clip: Path, tmp_path: Path) -> None:
    recipe = write(
        tmp_path / "r.toml",
        '[[caption]]\ntext = "{stem} on {date}"\n[captions]\nstyle = "subtitle"\n',
    )
    shown = plan_of(clip, "--at", 6, "--recipe", recipe, "-o", tmp_path / "o.mp4")
    text = shown["captions"][0]["layout"]["text"]
    assert text == f"burnt toast on {datetime.date.today().isoformat()}"


def test_an_unknown_placeholder_is_an_error(clip: Path, tmp_path: Path) -> None:
    result = clipcraft("make", clip, "--at", 6, "--caption", "Day {day}", "-o", tmp_path / "o.mp4")
    assert_one_clean_error(result, 2, "unknown placeholder {day}")


def test_the_series_counts_finished_renders_only(clip: Path, tmp_path: Path) -> None:
    def episode_in_plan() -> str:
        shown = plan_of(clip, "--at", 6, "--preset", "fail-of-the-week", "-o", tmp_path / "p.mp4")
        return shown["captions"][0]["layout"]["text"]

    assert episode_in_plan() == "FAIL OF THE WEEK #1"
    out = tmp_path / "ep.mp4"
    preview = clipcraft(
        "make", clip, "--at", 6, "--preset", "fail-of-the-week", "--preview", "-o", out
    )
    assert preview.exit_code == 0, preview.output
    assert episode_in_plan() == "FAIL OF THE WEEK #1", "a preview does not count"
    # its freeze is no dead air: the record scratch fills it, the footage stops under it
    plan = plan_of(clip, "--at", 6, "--preset", "fail-of-the-week", "-o", tmp_path / "p.mp4")
    (freeze,) = [s for s in plan["segments"] if s["role"] == "freeze"]
    levels = levels_db(read_audio(out).mean(axis=1), 0.02)  # frame f at level f * 5 // 3
    start, end = freeze["start_frame"] * 5 // 3, (freeze["start_frame"] + freeze["frames"]) * 5 // 3
    before = float(np.median(levels[start - 25 : start]))  # the footage going on before it
    hole = levels[start:end] < before - 10
    longest = max((len(run) for run in "".join("x" if h else " " for h in hole).split()), default=0)
    assert longest * 0.02 <= 0.15, f"{longest * 0.02:.2f} s of the freeze is 10 dB under the scene"
    final = clipcraft(
        "make",
        clip,
        "--at",
        6,
        "--preset",
        "fail-of-the-week",
        "--quality",
        "draft",
        "-o",
        out,
        "--force",
    )
    assert final.exit_code == 0 and "episode 1" in final.stdout
    assert inspect(out).frames == 300
    assert episode_in_plan() == "FAIL OF THE WEEK #2", "the next render says N+1"
    jump = clipcraft(
        "make",
        clip,
        "--at",
        6,
        "--preset",
        "fail-of-the-week",
        "--episode",
        7,
        "--quality",
        "draft",
        "-o",
        out,
        "--force",
    )
    assert jump.exit_code == 0 and "episode 7" in jump.stdout
    assert episode_in_plan() == "FAIL OF THE WEEK #8"


def test_a_failed_render_gives_its_episode_back(clip: Path, tmp_path: Path) -> None:
    result = clipcraft(
        "make",
        clip,
        "--at",
        6,
        "--preset",
        "fail-of-the-week",
        "--after",
        tmp_path / "missing.jpg",
        "-o",
        tmp_path / "o.mp4",
    )
    assert result.exit_code == 2
    assert Series("fail-of-the-week").peek() == 1


def _claim(name: str, data: str, queue: multiprocessing.Queue, done) -> None:
    import os

    os.environ["CLIPCRAFT_DATA_DIR"] = data
    queue.put(Series(name).claim())
    done.wait(30)  # a claimer is alive while it renders; ended claims count as abandoned


def test_claims_at_the_same_time_get_different_episodes(own_folders: Path) -> None:
    context = multiprocessing.get_context("spawn")
    queue, done = context.Queue(), context.Event()
    workers = [
        context.Process(target=_claim, args=("busy", str(own_folders / "data"), queue, done))
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    claimed = sorted(queue.get(timeout=30) for _ in workers)
    done.set()
    for worker in workers:
        worker.join(30)
    assert claimed == [1, 2, 3, 4]


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example recipes beside freshly made example footage (nothing written in the repo)."""
    folder = tmp_path_factory.mktemp("examples")
    for item in (ROOT / "examples").iterdir():
        if item.suffix in (".toml", ".srt"):
            shutil.copy(item, folder)
    subprocess.run(
        [sys.executable, str(ROOT / "examples" / "make_example.py"), str(folder / "pancake.mp4")],
        check=True,
        capture_output=True,
    )
    return folder


@pytest.mark.parametrize("recipe", sorted(p.name for p in (ROOT / "examples").glob("*.toml")))
def test_every_example_recipe_plans(examples: Path, tmp_path: Path, recipe: str) -> None:
    out = tmp_path / "o.mp4"
    shown = plan_of(examples / "pancake.mp4", "--recipe", examples / recipe, "-o", out)
    assert shown["total_frames"] > 0


def test_an_example_recipe_renders(examples: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.mp4"
    result = clipcraft(
        "make",
        examples / "pancake.mp4",
        "--recipe",
        examples / "before-after.toml",
        "--preview",
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    assert inspect(out).frames == 270


def test_the_readmes_first_command_plans_a_full_reel(examples: Path, tmp_path: Path) -> None:
    """The README's first command: caption, effect, the after photo with a flash, the outro."""
    readme = (ROOT / "README.md").read_text()
    first = re.findall(r"```sh\n(.*?)\n```", readme, flags=re.S)[0]
    make = shlex.split(first.split("&& clipcraft ", 1)[1].replace("examples/", f"{examples}/"))
    plan = plan_of(*make[1:], "-o", tmp_path / "reel.mp4")
    assert [s["role"] for s in plan["segments"]] == ["fail", "after", "outro"]
    assert [t["kind"] for t in plan["transitions"]] == ["flash"]
    assert {c["role"] for c in plan["captions"]} == {"fail", "outro"}
    assert [e["name"] for e in plan["sound"]["effects"]] == ["sad-trombone"]


def test_a_preset_s_after_effect_waits_for_an_after(clip: Path, tmp_path: Path) -> None:
    """Fail of the Week's tada at the after is left out, with a warning, when there is no
    after part; with one, it plays where the after starts."""
    alone = clipcraft("make", clip, "--at", 6, "--preset", "fail-of-the-week", "--dry-run")
    assert alone.exit_code == 0, alone.output
    assert "tada@after from preset fail-of-the-week is left out" in alone.stderr
    dish = tmp_path / "dish.png"
    Image.new("RGB", (64, 64), (250, 250, 250)).save(dish)
    plan = plan_of(clip, "--at", 6, "--preset", "fail-of-the-week", "--after", dish)
    after = next(s for s in plan["segments"] if s["role"] == "after")
    tada = next(e for e in plan["sound"]["effects"] if e["name"] == "tada")
    assert tada["start"] == pytest.approx(after["start_frame"] / 30, abs=0.001)
