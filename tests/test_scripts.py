"""Captions in any script: installed fonts as the last fallback, right-to-left order, Arabic
joining, and the errors when nothing can draw a character. Every font here is built by the
test (tests/fonts.py) in the folder CLIPCRAFT_FONT_DIRS points at, so nothing depends on the
fonts this machine has."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from fonts import build_collection, build_font

from clipcraft.captions import faces, system_fonts
from clipcraft.captions.bidi import levels, paragraph_level, visual_order
from clipcraft.captions.faces import Faces
from clipcraft.captions.font_book import ON_DISK, FontBook
from clipcraft.captions.text import font_path, layout_caption, render_caption
from clipcraft.captions.word_timing import wrap_units
from clipcraft.errors import UsageError
from clipcraft.settings.styles import STYLES

ALEF, BET = "\u05d0", "\u05d1"  # Hebrew letters, drawn 900 and 300 wide by the test font
BEH = "\u0628"  # Arabic beh: 800 alone, 300 at a word's start, 200 inside, 500 at its end
ARABIC_FEATURES = """
languagesystem DFLT dflt;
languagesystem arab dflt;
feature init { sub u0628 by beh.init; } init;
feature medi { sub u0628 by beh.medi; } medi;
feature fina { sub u0628 by beh.fina; } fina;
"""
raqm_only = pytest.mark.skipif(not faces.has_raqm(), reason="Pillow has no raqm layout here")


def ink_spans(image: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each stretch of columns with any opaque pixel, left to right."""
    inked = (image[..., 3] > 128).any(axis=0)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], inked.astype(int), [0]])))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def plain_caption(words: str) -> np.ndarray:
    """`words` drawn in plain letters: no box, outline or shadow to join the letters' boxes."""
    style = replace(STYLES["classic"], outline=None, shadow=None)
    layout = layout_caption(words, style, font_path(None, style), 2000, 1000, 1080, ON_DISK)
    return np.asarray(render_caption(layout, style))


@pytest.fixture(params=["raqm", "basic"])
def layout_engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both of Pillow's layouts: raqm shapes and sets direction; with the basic one our own
    order is all there is."""
    if request.param == "raqm" and not faces.has_raqm():
        pytest.skip("Pillow has no raqm layout here")
    if request.param == "basic":
        monkeypatch.setattr(faces, "has_raqm", lambda: False)
    return str(request.param)


def test_hebrew_words_run_right_to_left(no_system_fonts: Path, layout_engine: str) -> None:
    build_font(no_system_fonts / "hebrew.ttf", {ALEF: 900, BET: 300})
    image = plain_caption(f"{ALEF}{ALEF} {BET}")  # a wide word, then a narrow one
    widths = [end - start for start, end in ink_spans(image)]
    assert len(widths) == 3, "three letters, apart"
    assert widths[0] < widths[1] / 2 and widths[2] > widths[0] * 2, (
        "the second word (narrow) on the left, the first (wide) on the right"
    )


@raqm_only
def test_arabic_letters_join_and_run_right_to_left(no_system_fonts: Path) -> None:
    forms = {"beh.init": 300, "beh.medi": 200, "beh.fina": 500}
    build_font(no_system_fonts / "arabic.ttf", {BEH: 800}, forms=forms, features=ARABIC_FEATURES)
    drawn_by = Faces(ON_DISK, font_path(None, STYLES["subtitle"]), 100, base=1)
    assert drawn_by.width(BEH * 3) == pytest.approx(100, abs=1), "init + medi + fina, not 3 × 80"
    widths = [end - start for start, end in ink_spans(plain_caption(BEH * 3))]
    assert len(widths) == 3
    final, middle, initial = widths  # the word's end on the left, its start on the right
    assert final > initial > middle


def test_without_raqm_arabic_fails_clearly(
    no_system_fonts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_font(no_system_fonts / "arabic.ttf", {BEH: 800})
    monkeypatch.setattr(faces, "has_raqm", lambda: False)
    with pytest.raises(UsageError, match=r"Arabic text needs Pillow's raqm layout.*FriBiDi"):
        plain_caption(BEH * 3)


def test_mixed_lines_keep_each_words_order(no_system_fonts: Path) -> None:
    hebrew = build_font(no_system_fonts / "hebrew.ttf", {ALEF: 900, BET: 300})
    drawn_by = Faces(ON_DISK, font_path(None, STYLES["classic"]), 100, base=1)
    pieces = drawn_by.pieces(f"{ALEF}{BET} pancakes 12 🥞")
    assert [(p.text, p.face, p.rtl) for p in pieces] == [
        ("🥞", "emoji", True),
        (" ", "text", True),
        ("pancakes 12", "text", False),
        (" ", "text", True),
        (f"{ALEF}{BET}", str(hebrew), True),
    ]


def test_bidi_levels_follow_the_unicode_algorithm() -> None:
    assert paragraph_level("123 שלום") == 1 and paragraph_level("🥞 ok שלום") == 0
    assert levels("אב cd 12!", 1) == [1, 1, 1, 2, 2, 2, 2, 2, 1]
    assert levels("ab אב 12", 0) == [0, 0, 0, 1, 1, 1, 2, 2]
    assert levels("مرحبا 12", 1) == [1, 1, 1, 1, 1, 1, 2, 2], "digits after Arabic"
    assert visual_order("abcd", [1, 2, 2, 1]) == ["d", "b", "c", "a"]


def test_a_chinese_caption_is_drawn_by_an_installed_font(no_system_fonts: Path) -> None:
    cjk = build_font(no_system_fonts / "cjk.ttf", {"漢": 900, "字": 500})
    drawn_by = Faces(ON_DISK, font_path(None, STYLES["subtitle"]), 100)
    assert [(p.text, p.face) for p in drawn_by.pieces("漢字")] == [("漢字", str(cjk))]
    widths = [end - start for start, end in ink_spans(plain_caption("漢字"))]
    assert len(widths) == 2 and widths[0] > 1.5 * widths[1], "漢 then 字, left to right"


@pytest.mark.parametrize("told_by", ["family name", "design languages"])
def test_a_caption_takes_the_face_of_its_own_writing_from_a_collection(
    no_system_fonts: Path, told_by: str
) -> None:
    """One file, Japanese face first (as in Noto Sans CJK): 水 drawn 500 wide in Japanese, 900
    in Simplified Chinese and 700 in Korean; kana and hangul the same in every face."""
    shared = {"一": 500, "の": 500, "한": 500}  # 一: every Han face has it
    by_name = told_by == "family name"
    faces = [
        (f"Boxes CJK {region}" if by_name else "Boxes CJK", {"水": width, **shared}, tag)
        for region, width, tag in (
            ("JP", 500, "ja"),
            ("SC", 900, "Latn, zh-Hans"),
            ("KR", 700, "Kore, Latn"),
        )
    ]
    build_collection(
        no_system_fonts / "cjk.ttc", [(f, w, "" if by_name else t) for f, w, t in faces]
    )

    def first_width(caption: str) -> int:
        start, end = ink_spans(plain_caption(caption))[0]
        return end - start

    chinese, japanese, korean = first_width("水"), first_width("水の"), first_width("水한")
    assert chinese > 1.6 * japanese, "Han characters alone: the Simplified Chinese face"
    assert 1.2 * japanese < korean < 0.9 * chinese, "with hangul: the Korean face"


def test_chinese_and_japanese_wrap_between_characters() -> None:
    assert wrap_units("又是煎饼！好") == ["又", "是", "煎", "饼！", "好"]
    assert wrap_units("「パン」が") == ["「パ", "ン」", "が"]
    assert wrap_units("oh no 煎饼") == ["oh", " no", " 煎", "饼"]


def test_a_bold_caption_takes_the_boldest_face_that_has_it(no_system_fonts: Path) -> None:
    regular = build_font(no_system_fonts / "a-regular.ttf", {"漢": 900}, weight=400)
    bold = build_font(no_system_fonts / "b-bold.ttf", {"漢": 900}, weight=700)
    book = FontBook()
    assert book.installed_face(ord("漢"), 800, None) == str(bold)
    assert book.installed_face(ord("漢"), 400, None) == str(regular)
    assert book.installed_face(ord("字"), 400, None) is None


def test_the_index_reads_each_font_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, index = tmp_path / "fonts", tmp_path / "cache" / "fonts.json"
    folder.mkdir()
    font = build_font(folder / "cjk.ttf", {"漢": 900})
    (folder / "notes.txt").write_text("not a font")
    (folder / "broken.ttf").write_text("not a font either")
    reads: list[Path] = []
    real = system_fonts.read_font

    def counted(path: Path, face: int = 0) -> system_fonts.FontFacts:
        reads.append(path)
        return real(path, face)

    monkeypatch.setattr(system_fonts, "read_font", counted)

    def kept() -> tuple[system_fonts.SystemFont, ...]:
        scan = system_fonts.scan_fonts([folder], index)
        system_fonts.write_index(scan, index)
        return scan.fonts

    first = kept()
    assert [f.path for f in first] == [str(font)] and first[0].has(ord("漢"))
    assert sorted(p.name for p in reads) == ["broken.ttf", "cjk.ttf"]
    reads.clear()
    assert kept() == first
    assert reads == [], "a warm index opens no font"
    stat = font.stat()
    os.utime(font, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    kept()
    assert reads == [font], "a changed file is read again"


def test_a_character_no_font_has_names_a_family_to_install() -> None:
    style = STYLES["classic"]
    with pytest.raises(UsageError) as error:
        layout_caption("煎饼 かな ไทย", style, font_path(None, style), 950, 1000, 1080, ON_DISK)
    message = str(error.value)
    assert "no font on this machine can draw 煎 (U+714E CJK UNIFIED IDEOGRAPH-714E)" in message
    assert "Noto Sans CJK or Noto Sans Thai" in message
