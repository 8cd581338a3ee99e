import pytest

from clipcraft.captions.subtitles import Cue, parse_subtitles, retime
from clipcraft.errors import UsageError

SRT = """1
00:00:02,000 --> 00:00:03,500
Here we go…

2
00:00:05,000 --> 00:00:07,250
<i>NOOO</i> 😱
the pan!

3
00:00:12,000 --> 00:00:13,000
Never again
"""

VTT = """WEBVTT

NOTE written by hand

intro
00:02.000 --> 00:03.500 align:center
Here we go…

00:00:05.000 --> 00:00:07.250
NOOO 😱
"""


def test_srt_cues_are_read_with_tags_removed_and_lines_joined() -> None:
    assert parse_subtitles(SRT) == [
        Cue(2.0, 3.5, "Here we go…"),
        Cue(5.0, 7.25, "NOOO 😱 the pan!"),
        Cue(12.0, 13.0, "Never again"),
    ]


def test_vtt_cues_with_short_times_and_settings() -> None:
    assert parse_subtitles(VTT) == [Cue(2.0, 3.5, "Here we go…"), Cue(5.0, 7.25, "NOOO 😱")]


def test_cues_move_through_the_trim() -> None:
    cues = parse_subtitles(SRT)
    assert retime(cues, 3.0, 11.0) == [
        Cue(0.0, 0.5, "Here we go…"),
        Cue(2.0, 4.25, "NOOO 😱 the pan!"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1\n00:00:02,000 -> 00:00:03,000\nhi\n", "no timed captions"),
        ("1\n00:00:02,000 --> 00:00:0x,000\nhi\n", "line 2: cannot read the times"),
        ("1\n00:00:04,000 --> 00:00:03,000\nhi\n", "line 2: the cue ends before it starts"),
    ],
)
def test_malformed_files_name_the_line(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_subtitles(text, "fail.srt")
