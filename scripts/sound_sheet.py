"""Draw a spectrogram of every bundled effect into one PNG, to check them by eye.

python scripts/sound_sheet.py [OUT.png]   (default docs/sounds.png)
"""

from __future__ import annotations

import json
import sys
import wave
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

SOUNDS = Path(__file__).parents[1] / "assets" / "sounds"
ROW_HEIGHT, PIXELS_PER_SECOND, TOP_HZ = 160, 240, 12000


def spectrogram(samples: np.ndarray, rate: int) -> np.ndarray:
    """Magnitude in dB, low frequencies at the bottom, as 0–255 grey levels."""
    window, hop = 1024, rate // PIXELS_PER_SECOND
    padded = np.pad(samples, (0, window))
    frames = np.stack(
        [padded[i : i + window] * np.hanning(window) for i in range(0, len(samples), hop)]
    )
    magnitude = np.abs(np.fft.rfft(frames, axis=1))[:, : int(TOP_HZ / rate * window)]
    decibels = 20 * np.log10(magnitude + 1e-6)
    level = np.clip((decibels - decibels.max() + 70) / 70, 0, 1)
    image = (level.T[::-1] * 255).astype(np.uint8)
    return np.asarray(Image.fromarray(image).resize((image.shape[1], ROW_HEIGHT)))


def main(out: Path) -> None:
    names = list(json.loads((SOUNDS / "catalogue.json").read_text()))
    width = int(2.6 * PIXELS_PER_SECOND) + 130
    sheet = Image.new("RGB", (width, ROW_HEIGHT * len(names)), "white")
    draw = ImageDraw.Draw(sheet)
    for row, name in enumerate(names):
        with wave.open(str(SOUNDS / f"{name}.wav")) as wav:
            rate = wav.getframerate()
            samples = np.frombuffer(wav.readframes(wav.getnframes()), "<i2") / 32768
        grey = Image.fromarray(255 - spectrogram(samples, rate)).convert("RGB")
        sheet.paste(grey, (130, row * ROW_HEIGHT))
        draw.text((6, row * ROW_HEIGHT + 6), name, fill="black")
        draw.text((6, row * ROW_HEIGHT + 22), f"{len(samples) / rate:.2f} s", fill="gray")
        draw.line([(0, row * ROW_HEIGHT), (width, row * ROW_HEIGHT)], fill="gray")
    sheet.save(out)
    print(out)


if __name__ == "__main__":
    main(
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).parents[1] / "docs" / "sounds.png"
    )
