"""Captions from what was said: offline speech engines behind one interface, and transcripts."""
