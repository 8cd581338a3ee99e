"""When each word of a caption shows: spread by length, or from WebVTT inline timestamps."""

from __future__ import annotations

import itertools

from clipcraft.captions.subtitles import parse_subtitles, retime
from clipcraft.captions.word_timing import LEAD_IN, from_marks, spread, words_of

PANCAKE = ["oh", "no", "not", "the", "pancake", "again"]


def test_words_share_the_caption_by_length_after_a_lead_in_and_the_last_is_held() -> None:
    spans = spread(PANCAKE, 30, 120, 30)
    starts = [start for start, _ in spans]
    assert spans[0][0] == 30 and spans[-1][1] == 120
    assert all(end == following for (_, end), (following, _) in itertools.pairwise(spans))
    lengths = [end - start for start, end in spans]
    assert lengths[0] >= round(LEAD_IN * 30), "the first word has the lead-in too"
    assert lengths[4] > 2 * lengths[3], "pancake takes longer than the"
    assert lengths[-1] >= 0.25 * 90 - 1, "the last word is held"
    assert starts == sorted(starts)


def test_a_single_word_lasts_the_whole_caption() -> None:
    assert spread(["🥞"], 10, 40, 30) == [(10, 40)]


def test_inline_timestamps_set_words_to_the_frame() -> None:
    assert from_marks(4, 30, 120, [(1, 45), (3, 66)]) == [(30, 45), (45, 55), (55, 66), (66, 120)]
    assert from_marks(2, 30, 120, [(0, 40), (1, 200)]) == [(40, 119), (119, 120)], "clipped"


def test_vtt_inline_timestamps_are_kept_as_marks_and_srt_has_none() -> None:
    vtt = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n"
        "<00:00:01.000>oh <00:00:01.500><c.loud>no</c>\n<00:00:02.200>pancake\n"
    )
    cue = parse_subtitles(vtt)[0]
    assert cue.text == "oh no pancake"
    assert cue.marks == ((0, 1.0), (1, 1.5), (2, 2.2))
    assert retime([cue], 0.5, 5)[0].marks == ((0, 0.5), (1, 1.0), (2, 1.7))
    srt = parse_subtitles("1\n00:00:01,000 --> 00:00:02,000\n<i>oh no</i>\n")[0]
    assert (srt.text, srt.marks) == ("oh no", ())


def test_words_are_what_lines_break_between() -> None:
    assert words_of("oh  no 🥞") == ["oh", "no", "🥞"]
    assert words_of("煎饼！") == ["煎", "饼！"]
    assert words_of("") == []
