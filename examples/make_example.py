"""Make the bundled example footage: a pancake that misses the pan, and the finished dish.

    python examples/make_example.py [OUT.mp4]

Also writes dish.jpg beside the clip: a plate of pancakes, the "after" the recipes use.

Fourteen seconds of portrait "phone" footage drawn with numpy — a pan on a wooden counter, a
pancake being tossed, and at 0:07.0 the toss that lands on the counter with a clatter — so
that the README's first command works on a fresh machine without shipping any video. The file
is written with the same bundled ffmpeg that clipcraft uses (`clipcraft.media.synthetic`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from clipcraft.errors import RenderError
from clipcraft.media.synthetic import encode_frames, fill_ellipse

WIDTH, HEIGHT, FPS, SECONDS = 720, 1280, 30, 14.0
MISHAP = 7.0
RATE = 48000


def counter() -> np.ndarray:
    """Warm wood grain with a darker back wall."""
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    grain = 0.5 + 0.5 * np.sin(x / 9.0 + 3.0 * np.sin(y / 140.0))
    wood = np.stack([150 + 40 * grain, 100 + 25 * grain, 60 + 10 * grain], axis=-1)
    wall = np.array([70, 80, 90], np.float32)
    image = np.where((y < HEIGHT * 0.28)[..., None], wall, wood)
    return image.astype(np.uint8)


def pancake_position(t: float) -> tuple[float, float, float]:
    """Centre x, y and how flat it looks (1 = lying, 0.1 = edge-on) at time t."""
    pan_x, pan_y = WIDTH * 0.5, HEIGHT * 0.58
    if t < MISHAP - 0.8:  # small tosses while cooking
        phase = (t % 2.0) / 2.0
        lift = 60 * max(0.0, np.sin(phase * np.pi * 2)) if phase < 0.5 else 0.0
        return pan_x, pan_y - lift, 1.0 - 0.6 * (lift / 60)
    if t < MISHAP:  # the big toss goes up, too far to the right
        k = (t - (MISHAP - 0.8)) / 0.8
        height = pan_y - 420 * np.sin(k * np.pi * 0.9)
        return pan_x + 190 * k, height, 0.3 + 0.7 * abs(np.cos(k * 6))
    k = min((t - MISHAP) / 0.25, 1.0)  # ... and lands flat on the counter
    return pan_x + 190 + 20 * k, HEIGHT * 0.82, 1.0


def frame_at(t: float, background: np.ndarray) -> np.ndarray:
    frame = background.copy()
    shake = 6 * np.exp(-(t - MISHAP) * 4) * np.sin(t * 90) if t >= MISHAP else 0.0
    fill_ellipse(frame, WIDTH * 0.5 + shake, HEIGHT * 0.6, 250, 130, (35, 35, 38))  # pan
    fill_ellipse(frame, WIDTH * 0.5 + shake, HEIGHT * 0.585, 215, 105, (55, 55, 60))
    fill_ellipse(frame, WIDTH * 0.12 + shake, HEIGHT * 0.6, 70, 22, (30, 30, 30))  # handle
    x, y, flat = pancake_position(t)
    fill_ellipse(frame, x + shake, y, 120, 62 * flat, (225, 180, 95))
    fill_ellipse(frame, x + shake, y, 60, 30 * flat, (205, 150, 70))
    return frame


def sound() -> np.ndarray:
    """Kitchen room tone and sizzle, with a clatter and a ringing pan at the mishap."""
    rng = np.random.default_rng(7)
    t = np.arange(int(SECONDS * RATE)) / RATE
    sizzle = np.convolve(rng.normal(0, 1, t.size), np.ones(3) / 3, mode="same") * 0.03
    room = np.cumsum(rng.normal(0, 1, t.size)) * 0.0005
    room -= np.convolve(room, np.ones(4801) / 4801, mode="same")
    after = np.clip(t - MISHAP, 0, None)
    hit = (t >= MISHAP) * np.exp(-after * 9)
    clatter = rng.normal(0, 1, t.size) * 0.7 * hit
    ring = (
        0.25
        * (t >= MISHAP)
        * np.exp(-after * 2.5)
        * (np.sin(2 * np.pi * 1210 * t) + 0.6 * np.sin(2 * np.pi * 2930 * t))
    )
    return np.clip(sizzle + room + clatter + ring, -1, 1)


def dish(path: Path) -> None:
    """A plate with a stack of pancakes and syrup, as a phone photo of the finished dish."""
    from PIL import Image, ImageDraw, ImageFilter

    photo = Image.fromarray(counter()).resize((1080, 1440))
    draw = ImageDraw.Draw(photo)
    draw.ellipse((140, 560, 940, 1160), fill=(245, 245, 240), outline=(210, 210, 205), width=8)
    for layer in range(6):
        top = 820 - layer * 46
        draw.ellipse(
            (300, top, 780, top + 150), fill=(200, 140, 60), outline=(150, 95, 35), width=4
        )
    draw.ellipse((420, 560, 660, 640), fill=(120, 60, 20))
    draw.rectangle((500, 520, 580, 560), fill=(250, 230, 160))
    photo.filter(ImageFilter.SMOOTH).save(path, quality=90)


def main(out: Path) -> None:
    background = counter()
    frames = (frame_at(index / FPS, background) for index in range(int(SECONDS * FPS)))
    try:
        encode_frames(
            out, frames, FPS, sound=sound(), rate=RATE,
            video=("-c:v", "libx264", "-preset", "veryfast", "-crf", "26", "-pix_fmt", "yuv420p"),
            audio=("-c:a", "aac", "-b:a", "96k", "-shortest"),
        )  # fmt: skip
    except RenderError as error:
        sys.exit(f"making the example failed: {error}")
    dish(out.with_name("dish.jpg"))
    print(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("pancake.mp4"))
