"""A picture of a library of effects: each one's waveform and spectrogram on a row.

`clipcraft sounds sheet OUT.png` draws it (docs/sounds.png is one), so a creator can see
which effect is short and sharp, which rings on, and a developer can see a recording from a
made one (breath and room noise between the harmonics, or bare lines). Pillow only: a sheet
needs no plotting library.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from clipcraft.media.outputs import atomic_output
from clipcraft.sound.library import SHAPING_RATE, Sound, decode

ROW_HEIGHT = 96
LABEL_WIDTH = 300
PIXELS_PER_SECOND = 120
TOP_HZ = 16000
WAVE_COLOUR, SPECTRUM_FLOOR_DB = (40, 90, 170), 80.0


def spectrogram(samples: np.ndarray, rate: int, height: int) -> np.ndarray:
    """Magnitude in dB of a mono signal, low frequencies at the bottom, as 0–255 levels
    (the loudest bin 255, SPECTRUM_FLOOR_DB below it 0); one column per pixel of time."""
    window, hop = 1024, max(1, rate // PIXELS_PER_SECOND)
    padded = np.pad(samples, (window // 2, window))
    frames = np.stack(
        [padded[i : i + window] * np.hanning(window) for i in range(0, len(samples), hop)]
    )
    magnitude = np.abs(np.fft.rfft(frames, axis=1))[:, : int(TOP_HZ / rate * window)]
    decibels = 20 * np.log10(magnitude + 1e-9)
    level = np.clip((decibels - decibels.max() + SPECTRUM_FLOOR_DB) / SPECTRUM_FLOOR_DB, 0, 1)
    image = Image.fromarray((level.T[::-1] * 255).astype(np.uint8))
    return np.asarray(image.resize((image.width, height)))


def waveform(samples: np.ndarray, size: tuple[int, int]) -> Image.Image:
    """The signal's highest and lowest sample in each pixel column, drawn as bars."""
    width, height = size
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    middle = height / 2
    draw.line([(0, middle), (width, middle)], fill=(210, 210, 210))
    columns = np.array_split(samples, max(1, width)) if len(samples) else []
    for x, column in enumerate(columns):
        if len(column):
            top, bottom = float(column.max()), float(column.min())
            draw.line([(x, middle - top * middle), (x, middle - bottom * middle)], fill=WAVE_COLOUR)
    return image


def draw_sheet(sounds: Sequence[Sound], out: Path) -> Path:
    """Every effect of `sounds` on a row (name, length, tags; waveform; spectrogram) in a
    PNG at `out`, written whole."""
    decoded = [decode(sound.path).mean(axis=1) for sound in sounds]
    longest = max((len(samples) for samples in decoded), default=SHAPING_RATE) / SHAPING_RATE
    track = int(np.ceil(longest * PIXELS_PER_SECOND))
    sheet = Image.new("RGB", (LABEL_WIDTH + 2 * track + 20, ROW_HEIGHT * len(sounds)), "white")
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=15)
    small = ImageFont.load_default(size=12)
    for row, (sound, samples) in enumerate(zip(sounds, decoded, strict=True)):
        top = row * ROW_HEIGHT
        width = max(1, round(len(samples) / SHAPING_RATE * PIXELS_PER_SECOND))
        sheet.paste(waveform(samples, (width, ROW_HEIGHT - 8)), (LABEL_WIDTH, top + 4))
        grey = 255 - spectrogram(samples, SHAPING_RATE, ROW_HEIGHT - 8)
        sheet.paste(Image.fromarray(grey).convert("RGB"), (LABEL_WIDTH + track + 20, top + 4))
        draw.text((8, top + 8), sound.name, fill="black", font=font)
        facts = f"{sound.duration:.2f} s  {', '.join(sound.tags) or sound.origin}"
        draw.text((8, top + 30), facts, fill=(90, 90, 90), font=small)
        draw.text((8, top + 48), sound.licence or "your own", fill=(90, 90, 90), font=small)
        draw.line([(0, top), (sheet.width, top)], fill=(200, 200, 200))
    with atomic_output(out) as temporary:
        sheet.save(temporary, format="PNG")
    return out
