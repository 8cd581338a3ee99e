"""The sound effects a clip can use: the bundled library and the user's own files."""
