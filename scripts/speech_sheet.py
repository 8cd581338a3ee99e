"""A contact sheet of a clip captioned from speech, for the docs.

    python scripts/speech_sheet.py [OUT.png]   (default docs/caption-speech.png)

Puts a real voice (the left channel of faster-whisper's test recording, from
`../shared/media/speech`: test material, read there, never copied) under a plain picture,
runs the real `clipcraft make --captions speech --caption-anim karaoke`, and lays out the
caption's band a few frames after each word of its first two captions starts.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image
from word_sheet import word_sheet

from clipcraft.media.synthetic import ffmpeg

ROOT = Path(__file__).parents[1]
VOICE = ROOT.parent / "shared" / "media" / "speech" / "stereo_diarization.wav"


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        talk = work / "talk.mp4"
        ffmpeg(
            "-f", "lavfi", "-i", "color=c=0x3a5a40:s=360x640:r=30:d=5", "-i", VOICE,
            "-filter_complex", "[1:a]pan=mono|c0=c0[a]", "-map", "0:v", "-map", "[a]",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", talk,
        )  # fmt: skip
        clip = work / "speech.mp4"
        args = [sys.executable, "-m", "clipcraft", "make", str(talk), "--start", "0", "--end",
                "5", "--preview", "--captions", "speech", "--caption-anim", "karaoke",
                "-o", str(clip)]  # fmt: skip
        plan = json.loads(
            subprocess.run([*args, "--dry-run", "--json"], check=True, capture_output=True).stdout
        )
        subprocess.run([*args, "-q"], check=True)
        fps = plan["format"]["fps"]
        sheets = [word_sheet(clip, caption, fps, work) for caption in plan["captions"][:2]]
        sheet = Image.new("RGB", (sum(s.width for s in sheets) + 20, max(s.height for s in sheets)))
        sheet.paste(sheets[0], (0, 0))
        sheet.paste(sheets[1], (sheets[0].width + 20, 0))
        sheet.save(out)
        print(out, "from", clip.with_suffix(".vtt").read_text(), sep="\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "caption-speech.png")
