"""`python -m clipcraft` runs the same CLI as the `clipcraft` script."""

from clipcraft.cli import run

run()
