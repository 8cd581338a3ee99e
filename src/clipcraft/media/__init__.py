"""Files and the bundled ffmpeg: running it, probing what a file is, writing outputs whole."""
