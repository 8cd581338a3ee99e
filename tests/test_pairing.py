"""Pairing a camera roll: by name, by capture time (tables of made-up rolls, no media), and
reading capture times from ffmpeg's text, EXIF tags and phone names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from clipcraft.batch.capture_times import (
    CaptureTime,
    capture_time,
    from_banner,
    from_exif,
    from_name,
    settle_zones,
)
from clipcraft.batch.pairing import Job, discover, pair_jobs

PARIS = timezone(timedelta(hours=1))
WINDOW = timedelta(minutes=30)


def test_discovery_pairs_afters_and_sidecars_case_insensitively() -> None:
    names = [
        "spill.MOV",
        "spill.after.JPG",
        "cake one.mp4",
        "cake one_after.heic",
        "toast.mp4",
        "toast-after.mp4",
        "toast.toml",
        "notes.txt",
        "orphan.after.jpg",
        "lonely.toml",
        ".DS_Store",
        "Crème 🔥.webm",
    ]
    jobs, ignored, notes = discover(names)
    assert jobs == [
        Job("Crème 🔥", Path("Crème 🔥.webm"), (), None),
        Job("cake one", Path("cake one.mp4"), (Path("cake one_after.heic"),), None, "name"),
        Job("spill", Path("spill.MOV"), (Path("spill.after.JPG"),), None, "name"),
        Job("toast", Path("toast.mp4"), (Path("toast-after.mp4"),), Path("toast.toml"), "name"),
    ]
    assert ignored == ["notes.txt"]
    assert notes["an after with no clip of its name"] == ["orphan.after.jpg"]
    assert notes["a recipe with no clip of its name"] == ["lonely.toml"]


def at(clock: str, day: int = 28) -> datetime:
    """A time on a made-up Saturday in Paris."""
    hours, minutes = map(int, clock.split(":"))
    return datetime(2026, 11, day, hours, minutes, tzinfo=PARIS)


ROLLS: dict[str, tuple[dict[str, datetime], dict[str, tuple[str, ...]], list[str]]] = {
    "the fail, then the dish twenty minutes later": (
        {"IMG_4821.MOV": at("18:30"), "IMG_4822.HEIC": at("18:50")},
        {"IMG_4821": ("IMG_4822.HEIC",)},
        [],
    ),
    "the fail, the cleanup video, the dish photo: one story in capture order": (
        {"fail.MOV": at("18:00"), "dish.jpg": at("18:25"), "cleanup.mp4": at("18:03")},
        {"fail": ("cleanup.mp4", "dish.jpg")},
        [],
    ),
    "every photo of the window is an after, in the order taken": (
        {"IMG_1.MOV": at("18:00"), "IMG_3.JPG": at("18:20"), "IMG_2.JPG": at("18:05")},
        {"IMG_1": ("IMG_2.JPG", "IMG_3.JPG")},
        [],
    ),
    "a photo past the window is a clip of its own": (
        {"IMG_1.MOV": at("18:00"), "IMG_2.JPG": at("18:31")},
        {"IMG_1": (), "IMG_2": ()},
        [],
    ),
    "the first video past the window is the next fail": (
        {"A.mp4": at("18:00"), "B.mp4": at("18:10"), "C.mov": at("18:40"), "D.jpg": at("18:45")},
        {"A": ("B.mp4",), "C": ("D.jpg",)},
        [],
    ),
    "a video with a recipe of its own is a fail, and ends the story before it": (
        {"A.mov": at("18:00"), "B.mov": at("18:05"), "B.toml": at("18:05"), "C.jpg": at("18:10")},
        {"A": (), "B": ("C.jpg",)},
        [],
    ),
    "a photo before any video, and one from another day, are clips of their own": (
        {"dish.jpg": at("17:00"), "IMG_1.MOV": at("18:00"), "old.jpg": at("18:10", day=21)},
        {"dish": (), "IMG_1": (), "old": ()},
        [],
    ),
    "a photo taken at the very moment the video starts is not after it": (
        {"A.mov": at("18:00"), "B.jpg": at("18:00")},
        {"A": (), "B": ()},
        [],
    ),
}


@pytest.mark.parametrize("story", ROLLS)
def test_pairing_by_capture_time(story: str) -> None:
    times, expected, left_out = ROLLS[story]
    jobs, _, _ = discover(times)
    media = {name: when for name, when in times.items() if not name.endswith(".toml")}
    paired, passed = pair_jobs(jobs, media, WINDOW)
    assert {job.name: tuple(map(str, job.afters)) for job in paired} == expected
    assert all(job.paired_by == ("time" if job.afters else None) for job in paired)
    assert passed == left_out


def test_auto_lets_a_name_pairing_win_and_keeps_named_clips_out_of_time_pairing() -> None:
    names = {
        "spill.MOV": at("18:00"),
        "spill.after.jpg": at("19:30"),
        "IMG_7.JPG": at("18:10"),  # after spill by time, but spill has its after by name
        "cake.mov": at("20:00"),
        "mess.jpg": at("20:05"),  # a photo with a recipe of its own is a clip, never an after
        "mess.toml": at("20:05"),
        "plate.jpg": at("20:10"),
    }
    jobs, _, _ = discover(names)
    paired, passed = pair_jobs(jobs, dict(names), WINDOW)
    assert {job.name: (tuple(map(str, job.afters)), job.paired_by) for job in paired} == {
        "spill": (("spill.after.jpg",), "name"),
        "cake": (("plate.jpg",), "time"),
        "mess": ((), None),
    }
    assert passed == ["IMG_7.JPG"]


def test_a_video_known_only_by_its_file_time_is_never_an_after() -> None:
    """Videos copied to a folder together share a modification time: each is a fail."""
    times = {"A.mov": at("18:00"), "B.mov": at("18:00"), "C.jpg": at("18:01")}
    jobs, _, _ = discover(times)
    paired, _ = pair_jobs(jobs, times, WINDOW, guessed={"A.mov", "B.mov", "C.jpg"})
    assert {job.name: tuple(map(str, job.afters)) for job in paired} == {
        "A": (),
        "B": ("C.jpg",),
    }


def test_time_mode_reads_after_names_as_plain_photos() -> None:
    jobs, _, notes = discover(["spill.mov", "spill.after.jpg"], by_name=False)
    paired, _ = pair_jobs(jobs, {"spill.mov": at("18:00"), "spill.after.jpg": at("18:02")}, WINDOW)
    assert [(job.name, tuple(map(str, job.afters)), job.paired_by) for job in paired] == [
        ("spill", ("spill.after.jpg",), "time")
    ]
    assert notes == {}


def test_a_utc_creation_time_meets_a_local_exif_time_in_the_rolls_own_zone() -> None:
    """An Android video says UTC, its photo says only the wall clock; another photo of the
    roll states +01:00, so the wall clock is read in Paris: 22 minutes later, not 82."""
    times = {
        "VID.mp4": CaptureTime(
            datetime(2026, 11, 28, 17, 30, tzinfo=UTC), "metadata", "creation_time"
        ),
        "dish.jpg": CaptureTime(
            datetime(2026, 11, 28, 18, 52), "metadata", "EXIF DateTimeOriginal"
        ),
        "old.heic": CaptureTime(at("12:00", day=21), "metadata", "EXIF DateTimeOriginal"),
    }
    settled = settle_zones(times, local=UTC)
    assert settled["dish.jpg"] - settled["VID.mp4"] == timedelta(minutes=22)
    jobs, _, _ = discover(times)
    paired, _ = pair_jobs(jobs, settled, WINDOW)
    assert {job.name: tuple(map(str, job.afters)) for job in paired}["VID"] == (
        Path("dish.jpg").name,
    )
    alone = settle_zones({name: times[name] for name in ("VID.mp4", "dish.jpg")}, local=UTC)
    assert alone["dish.jpg"] - alone["VID.mp4"] == timedelta(minutes=82), "no zone: local"


IPHONE_BANNER = """\
Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'IMG_4821.MOV':
  Metadata:
    major_brand     : qt
    creation_time   : 2026-11-28T17:30:52.000000Z
    com.apple.quicktime.make: Apple
    com.apple.quicktime.creationdate: 2026-11-28T18:30:12+0100
  Duration: 00:00:12.40, start: 0.000000, bitrate: 9177 kb/s
  Stream #0:0[0x1](und): Video: hevc (Main 10) (hvc1 / 0x31637668), 1920x1080, 30 fps
    Metadata:
      creation_time   : 2020-01-01T00:00:00.000000Z
"""


@pytest.mark.parametrize(
    ("banner", "expected", "detail"),
    [
        (IPHONE_BANNER, datetime(2026, 11, 28, 18, 30, 12, tzinfo=PARIS), "QuickTime creationdate"),
        (
            IPHONE_BANNER.replace("    com.apple.quicktime.creationdate", "    x"),
            datetime(2026, 11, 28, 17, 30, 52, tzinfo=UTC),
            "creation_time",
        ),
        (
            IPHONE_BANNER.replace("2026-11-28T17:30:52", "1904-01-01T00:00:00").replace(
                "    com.apple.quicktime.creationdate", "    x"
            ),
            None,
            None,
        ),
        ("Input #0, mov,mp4, from 'x.mp4':\n  Duration: 00:00:01.00\n", None, None),
    ],
    ids=["apple-local", "utc", "unset-clock", "none"],
)
def test_video_capture_time_from_ffmpeg_text(
    banner: str, expected: datetime | None, detail: str | None
) -> None:
    found = from_banner(banner)
    assert (found.when if found else None) == expected
    assert (found.detail if found else None) == detail
    if found:
        assert found.source == "metadata"


def test_photo_capture_time_from_exif_tags() -> None:
    original = {0x9003: "2026:11:28 18:50:00", 0x9011: "+01:00", 0x0132: "2027:01:01 00:00:00"}
    assert from_exif(original) == CaptureTime(at("18:50"), "metadata", "EXIF DateTimeOriginal")
    no_offset = from_exif({0x9003: "2026:11:28 18:50:00", 0x9011: "   :  "})
    assert no_offset is not None and no_offset.when == datetime(2026, 11, 28, 18, 50)
    assert not no_offset.zoned
    assert from_exif({0x9003: "0000:00:00 00:00:00", 0x0132: "2026:11:28 18:50:00"}) == (
        CaptureTime(datetime(2026, 11, 28, 18, 50), "metadata", "EXIF DateTime")
    )
    assert from_exif({}) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("PXL_20261128_183012345.mp4", datetime(2026, 11, 28, 18, 30, 12, 345000, tzinfo=UTC)),
        ("PXL_20261128_183012345.MP.jpg", datetime(2026, 11, 28, 18, 30, 12, 345000, tzinfo=UTC)),
        ("20261128_183012.mp4", datetime(2026, 11, 28, 18, 30, 12)),
        ("20261128_183012(0).jpg", datetime(2026, 11, 28, 18, 30, 12)),
        ("VID_20261128_183012.mp4", datetime(2026, 11, 28, 18, 30, 12)),
        ("IMG_4821.MOV", None),
        ("20261399_183012.mp4", None),
    ],
)
def test_capture_time_from_phone_names(name: str, expected: datetime | None) -> None:
    found = from_name(name)
    assert (found.when if found else None) == expected


@pytest.mark.media
def test_real_phone_files_give_their_capture_times(real_media: Path) -> None:
    """An iPhone's creationdate (the start, local) beats its creation_time (the file's end,
    UTC); an Android clip has only creation_time; a Pixel photo states its offset."""
    iphone = capture_time(real_media / "iphone4s_h264_rot90.mov", "video")
    assert iphone.when == datetime(2013, 12, 22, 15, 54, 25, tzinfo=timezone(-timedelta(hours=5)))
    assert iphone.detail == "QuickTime creationdate"
    android = capture_time(real_media / "android14_hevc10_hlg_1080p.mp4", "video")
    assert android.when == datetime(2024, 2, 9, 20, 23, 48, tzinfo=UTC)
    pixel = capture_time(real_media / "pixel4xl_motionphoto_orient6.jpg", "photo")
    assert (pixel.when, pixel.detail) == (
        datetime(2020, 12, 17, 10, 3, tzinfo=UTC),
        "EXIF DateTimeOriginal",
    )
    broken = capture_time(real_media / "broken_no_moov_4KB.mp4", "video")
    assert broken.source == "mtime"
