"""Caption text: fonts and faces, bidirectional order, layout and drawing, subtitles, words."""
