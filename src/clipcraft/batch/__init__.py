"""Many clips at once: pairing a camera roll, running each clip on an executor, the report."""
